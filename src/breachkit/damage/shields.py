"""Shields: a BLE bound to a shield's parameters, and a registry of named presets.

``get_shield(name, **params)`` returns a `Shield` with ``critical_diameter(speed_m_s, angle_rad,
projectile_density_kg_m3)`` [m] and ``fails(diameter_m, ...)``; ``list_shields()`` lists the
registered names with their sources. Every parameter is SI (``_m``, ``_kg_m2``, ``_pa``) or a
material name from `breachkit.damage.materials`. Impossible shields (negative thickness, zero
standoff for a Whipple, an inadequate bumper for the Christiansen 1993 equations) and unknown names
raise `InputError` naming the parameter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import CM, G_PER_CM2, KM_S, KSI, MM
from breachkit.damage.materials import Material, get_material
from breachkit.damage.mli_wall import soyuz_mli_wall
from breachkit.damage.radiator import radiator_panel
from breachkit.damage.sandwich import ryan_foam_sandwich, ryan_honeycomb_sandwich
from breachkit.damage.single_wall import (
    single_wall_cfrp,
    single_wall_cour_palais,
    single_wall_steel,
    single_wall_titanium,
)
from breachkit.damage.whipple import (
    adequate_bumper_ratio,
    christiansen_kerr_stuffed_whipple,
    christiansen_whipple,
    ryan_christiansen_whipple,
)

__all__ = ["ConstantShield", "Shield", "ShieldSpec", "get_shield", "list_shields"]


@dataclass(frozen=True, eq=False)
class Shield:
    """A shield: one published BLE with its parameters bound.

    Attributes
    ----------
    name
        Registry name (e.g. ``"whipple_iss_generic"``).
    family
        The BLE function's name (e.g. ``"ryan_christiansen_whipple"``).
    source
        Where the BLE and the parameter values come from.
    assumptions
        Each assumption made, one sentence each.
    failure_area_fraction
        Fraction (0, 1] of a face's area whose penetration causes the failure (1.0 for ordinary
        walls; tube footprint / panel area for a radiator).
    params
        The SI keyword arguments passed to the BLE.
    """

    name: str
    family: str
    source: str
    assumptions: list[str]
    failure_area_fraction: float
    params: Mapping[str, Any]
    ble: Callable[..., Any] = field(repr=False)

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike, projectile_density_kg_m3: ArrayLike
    ) -> NDArray[np.float64] | float:
        """Critical projectile diameter [m] at speed [m s⁻¹], angle from the normal [rad] and
        projectile density [kg m⁻³] (broadcasting)."""
        return self.ble(speed_m_s, angle_rad, projectile_density_kg_m3, **self.params)

    def fails(
        self,
        diameter_m: ArrayLike,
        speed_m_s: ArrayLike,
        angle_rad: ArrayLike,
        projectile_density_kg_m3: ArrayLike,
    ) -> NDArray[np.bool_] | bool:
        """True where a projectile of `diameter_m` [m] is at or above the critical diameter.

        NaN critical diameters (out of validity) give False; the `ValidityWarning` says where.
        """
        dc = self.critical_diameter(speed_m_s, angle_rad, projectile_density_kg_m3)
        out = np.asarray(diameter_m, dtype=float) >= np.asarray(dc)
        return bool(out) if out.ndim == 0 else out

    def perforation_scatter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike, projectile_density_kg_m3: ArrayLike
    ) -> tuple[NDArray[np.float64], float, str]:
        """(μ, σ, label): P(fail | d) = Φ((ln(d/d_c) − μ)/σ), the BLE family's fitted (or
        transferred) scatter, `breachkit.damage.scatter`; used by the risk engine's
        ``ble_scatter=True``. Speed [m s⁻¹], angle [rad]; density unused (the fits pool it)."""
        from breachkit.damage.scatter import scatter_for

        sc = scatter_for(self.family, dict(self.params))
        mu, sigma = sc.log_margin(speed_m_s, angle_rad)
        return mu, sigma, f"{sc.name} ({sc.evidence_class}; σ = {sigma:.3f})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe description."""
        return {
            "name": self.name,
            "family": self.family,
            "source": self.source,
            "assumptions": list(self.assumptions),
            "failure_area_fraction": self.failure_area_fraction,
            "params": dict(self.params),
        }


@dataclass(frozen=True, eq=False)
class ConstantShield:
    """A shield with one fixed critical diameter [m] whatever the impact (for tests and bounds)."""

    name: str
    critical_diameter_m: float
    source: str = "user-given fixed critical diameter"
    assumptions: list[str] = field(default_factory=list)
    failure_area_fraction: float = 1.0
    family: str = "constant"

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike, projectile_density_kg_m3: ArrayLike
    ) -> NDArray[np.float64] | float:
        """The fixed critical diameter [m], broadcast to the inputs (NaN where an input is NaN)."""
        v, a, r = np.broadcast_arrays(
            np.asarray(speed_m_s, float),
            np.asarray(angle_rad, float),
            np.asarray(projectile_density_kg_m3, float),
        )
        out = np.where(np.isnan(v) | np.isnan(a) | np.isnan(r), np.nan, self.critical_diameter_m)
        return float(out) if out.ndim == 0 else out

    def fails(
        self,
        diameter_m: ArrayLike,
        speed_m_s: ArrayLike,
        angle_rad: ArrayLike,
        projectile_density_kg_m3: ArrayLike,
    ) -> NDArray[np.bool_] | bool:
        """True where `diameter_m` [m] ≥ the fixed critical diameter."""
        dc = self.critical_diameter(speed_m_s, angle_rad, projectile_density_kg_m3)
        out = np.asarray(diameter_m, dtype=float) >= np.asarray(dc)
        return bool(out) if out.ndim == 0 else out

    @property
    def params(self) -> dict[str, Any]:
        return {"critical_diameter_m": self.critical_diameter_m}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe description."""
        return {
            "name": self.name,
            "family": self.family,
            "source": self.source,
            "assumptions": list(self.assumptions),
            "failure_area_fraction": self.failure_area_fraction,
            "params": self.params,
        }


AnyShield = Shield | ConstantShield


@dataclass(frozen=True)
class ShieldSpec:
    """A registry entry: a builder, what it is, its source and its default parameters."""

    name: str
    description: str
    source: str
    builder: Callable[..., AnyShield]
    defaults: Mapping[str, Any]


def _fraction(x: float) -> float:
    f = float(x)
    if not 0.0 < f <= 1.0:
        raise InputError(f"failure_area_fraction: {x!r} must be in (0, 1]")
    return f


def _positive(name: str, x: Any) -> float:
    try:
        f = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {x!r} is not a number") from None
    if not np.isfinite(f) or f <= 0:
        raise InputError(f"{name}: {x!r} is impossible (must be a finite number > 0)")
    return f


def _nonneg(name: str, x: Any) -> float:
    try:
        f = float(x)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {x!r} is not a number") from None
    if not np.isfinite(f) or f < 0:
        raise InputError(f"{name}: {x!r} is impossible (must be a finite number >= 0)")
    return f


def _yield(mat: Material, override: Any, name: str) -> float:
    if override is not None:
        return _positive(name, override)
    if not np.isfinite(mat.yield_strength_pa):
        raise InputError(f"{name}: material {mat.name!r} has no yield strength; give {name}")
    return mat.yield_strength_pa


# --------------------------------------------------------------------------------------------------
# builders


def _single_wall(
    *,
    name: str = "single_wall",
    thickness_m: float = 1.0 * MM,
    material: str = "al6061-t6",
    criterion: str = "perforation",
    mli_areal_density_kg_m2: float = 0.0,
    failure_area_fraction: float = 1.0,
    source: str = "",
    assumptions: tuple[str, ...] = (),
) -> Shield:
    mat = get_material(material)
    t = _positive("thickness_m", thickness_m)
    mli = _nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2)
    common = {"thickness_m": t, "target_density_kg_m3": mat.density_kg_m3}
    ble: Callable[..., Any]
    if mat.family == "aluminium":
        ble = single_wall_cour_palais
        params = {
            **common,
            "brinell_hardness": mat.brinell_hardness,
            "sound_speed_m_s": mat.sound_speed_m_s,
            "criterion": criterion,
            "mli_areal_density_kg_m2": mli,
        }
    elif mat.family == "titanium":
        ble = single_wall_titanium
        params = {
            **common,
            "brinell_hardness": mat.brinell_hardness,
            "sound_speed_m_s": mat.sound_speed_m_s,
            "criterion": criterion,
            "mli_areal_density_kg_m2": mli,
        }
    elif mat.family == "steel":
        if criterion != "perforation":
            raise InputError(f"criterion: {criterion!r}: the steel equation has perforation only")
        ble = single_wall_steel
        params = {**common, "mli_areal_density_kg_m2": mli}
    elif mat.family == "cfrp":
        ble = single_wall_cfrp
        params = {**common, "criterion": criterion, "mli_areal_density_kg_m2": mli}
    else:
        raise InputError(
            f"material: {mat.name!r} ({mat.family}) has no single-wall equation; "
            "use aluminium, titanium, steel or cfrp"
        )
    # validate the criterion now (one-line error at construction, not at first use)
    if mat.family in ("aluminium", "titanium", "cfrp"):
        from breachkit.damage.single_wall import K_ALUMINIUM, K_CFRP, K_TITANIUM

        table = {"aluminium": K_ALUMINIUM, "titanium": K_TITANIUM, "cfrp": K_CFRP}[mat.family]
        if criterion not in table:
            raise InputError(f"criterion: {criterion!r} is not one of {', '.join(table)}")
    return Shield(
        name=name,
        family=ble.__name__,
        source=source or f"{ble.__name__}: see its docstring; material: {mat.source}",
        assumptions=[
            f"wall material {mat.name}: rho {mat.density_kg_m3:g} kg/m3, "
            f"BH {mat.brinell_hardness:g}, C {mat.sound_speed_m_s:g} m/s ({mat.source})",
            *assumptions,
        ],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=ble,
    )


def _whipple_params(
    bumper_thickness_m: float,
    bumper_material: str,
    standoff_m: float,
    wall_thickness_m: float,
    wall_material: str,
    wall_yield_pa: float | None,
) -> tuple[dict[str, float], Material, Material]:
    bm, wm = get_material(bumper_material), get_material(wall_material)
    params = {
        "bumper_thickness_m": _positive("bumper_thickness_m", bumper_thickness_m),
        "bumper_density_kg_m3": bm.density_kg_m3,
        "standoff_m": _positive("standoff_m", standoff_m),
        "wall_thickness_m": _positive("wall_thickness_m", wall_thickness_m),
        "wall_yield_pa": _yield(wm, wall_yield_pa, "wall_yield_pa"),
    }
    return params, bm, wm


def _whipple(
    *,
    name: str = "whipple",
    bumper_thickness_m: float = 0.26 * CM,
    bumper_material: str = "al6061-t6",
    standoff_m: float = 10.2 * CM,
    wall_thickness_m: float = 0.6 * CM,
    wall_material: str = "al2219-t87",
    wall_yield_pa: float | None = None,
    failure_area_fraction: float = 1.0,
    source: str = "",
    assumptions: tuple[str, ...] = (),
) -> Shield:
    params, bm, wm = _whipple_params(
        bumper_thickness_m,
        bumper_material,
        standoff_m,
        wall_thickness_m,
        wall_material,
        wall_yield_pa,
    )
    # Adequate-bumper check at the design point (7 km/s normal, Al 2.8 g/cm³; Handbook p.46-47).
    dc = float(christiansen_whipple(7 * KM_S, 0.0, 2800.0, check_bumper=False, **params))
    crit = float(
        adequate_bumper_ratio(params["standoff_m"] / dc, 2800.0 / params["bumper_density_kg_m3"])
    )
    ratio = params["bumper_thickness_m"] / dc
    if ratio < crit:
        raise InputError(
            f"bumper_thickness_m: {params['bumper_thickness_m']:g} m is an inadequate bumper for the "
            f"Christiansen (1993) equations (t_b/d_c = {ratio:.3f} < {crit:.3f} at 7 km/s, 0 deg, "
            "2.8 g/cm3; Handbook TM-2009-214785 p.47); use shield 'whipple_modified'"
        )
    return Shield(
        name=name,
        family="christiansen_whipple",
        source=source
        or "Christiansen, IJIE 14 (1993) 145-156; Handbook TM-2009-214785 eqs 4-23..4-26; default "
        "geometry: Handbook Fig. 2-11 p.27 (S = 10.2 cm, t_b 0.26 cm, t_w 0.6 cm Al 2219-T87)",
        assumptions=[
            f"bumper {bm.name} ({bm.source}); rear wall {wm.name}, yield "
            f"{params['wall_yield_pa'] / KSI:.1f} ksi",
            *assumptions,
        ],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=christiansen_whipple,
    )


def _whipple_modified(
    *,
    name: str = "whipple_modified",
    bumper_thickness_m: float = 0.127 * CM,
    bumper_material: str = "al6061-t6",
    standoff_m: float = 10.16 * CM,
    wall_thickness_m: float = 0.3175 * CM,
    wall_material: str = "al6061-t6",
    wall_yield_pa: float | None = None,
    mli_areal_density_kg_m2: float = 0.0,
    mli_standoff_m: float = 0.0,
    failure_area_fraction: float = 1.0,
    source: str = "",
    assumptions: tuple[str, ...] = (),
) -> Shield:
    params, bm, wm = _whipple_params(
        bumper_thickness_m,
        bumper_material,
        standoff_m,
        wall_thickness_m,
        wall_material,
        wall_yield_pa,
    )
    s_mli = _nonneg("mli_standoff_m", mli_standoff_m)
    if s_mli >= params["standoff_m"]:
        raise InputError(
            f"mli_standoff_m: {s_mli:g} m must be smaller than standoff_m {params['standoff_m']:g} m"
        )
    params.update(
        mli_areal_density_kg_m2=_nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2),
        mli_standoff_m=s_mli,
    )
    return Shield(
        name=name,
        family="ryan_christiansen_whipple",
        source=source
        or "Ryan & Christiansen, Acta Astronautica 69 (2011) 245-257; NASA/TM-2009-214789",
        assumptions=[
            f"bumper {bm.name} ({bm.source}); rear wall {wm.name}, yield "
            f"{params['wall_yield_pa'] / KSI:.1f} ksi",
            *assumptions,
        ],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=ryan_christiansen_whipple,
    )


def _stuffed_whipple(
    *,
    name: str = "stuffed_whipple",
    bumper_thickness_m: float = 0.15 * CM,
    bumper_material: str = "al6061-t6",
    stuffing_areal_density_kg_m2: float = 0.6 * G_PER_CM2,
    standoff_m: float = 10.2 * CM,
    wall_thickness_m: float = 0.23 * CM,
    wall_material: str = "al2219-t87",
    wall_yield_pa: float | None = None,
    mli_areal_density_kg_m2: float = 0.0,
    failure_area_fraction: float = 1.0,
) -> Shield:
    params, bm, wm = _whipple_params(
        bumper_thickness_m,
        bumper_material,
        standoff_m,
        wall_thickness_m,
        wall_material,
        wall_yield_pa,
    )
    params.update(
        stuffing_areal_density_kg_m2=_positive(
            "stuffing_areal_density_kg_m2", stuffing_areal_density_kg_m2
        ),
        wall_density_kg_m3=wm.density_kg_m3,
        mli_areal_density_kg_m2=_nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2),
    )
    return Shield(
        name=name,
        family="christiansen_kerr_stuffed_whipple",
        source="Christiansen & Kerr, IJIE 26 (2001) 93-104; Handbook TM-2009-214785 eqs 4-45..4-50; "
        "default geometry: Handbook Fig. 2-11 p.27 stuffed Whipple (S = 10.2 cm)",
        assumptions=[f"bumper {bm.name}; rear wall {wm.name}"],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=christiansen_kerr_stuffed_whipple,
    )


def _honeycomb(
    *,
    name: str = "honeycomb_sandwich",
    front_thickness_m: float = 0.04 * CM,
    front_material: str = "al2024-t3",
    core_thickness_m: float = 2.5 * CM,
    rear_thickness_m: float = 0.04 * CM,
    rear_material: str = "al2024-t3",
    rear_yield_pa: float | None = None,
    mli_areal_density_kg_m2: float = 0.0,
    failure_area_fraction: float = 1.0,
) -> Shield:
    fm, rm = get_material(front_material), get_material(rear_material)
    cfrp = fm.family == "cfrp"
    params: dict[str, Any] = {
        "front_thickness_m": _positive("front_thickness_m", front_thickness_m),
        "front_density_kg_m3": fm.density_kg_m3,
        "core_thickness_m": _positive("core_thickness_m", core_thickness_m),
        "rear_thickness_m": _positive("rear_thickness_m", rear_thickness_m),
        "rear_density_kg_m3": rm.density_kg_m3,
        "rear_yield_pa": 59.5 * KSI if cfrp else _yield(rm, rear_yield_pa, "rear_yield_pa"),
        "face_sheets": "cfrp" if cfrp else "aluminium",
        "mli_areal_density_kg_m2": _nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2),
    }
    return Shield(
        name=name,
        family="ryan_honeycomb_sandwich",
        source="Ryan, Schaefer, Destefanis, Lambert, ASR 41 (2008) 1152-1166; default geometry: "
        "Al 2024-T3 0.4 mm face sheets, 25 mm core (Putzar et al., 4th ECSD 2005 test panels)",
        assumptions=[f"face sheets {fm.name}/{rm.name}; honeycomb cell size not a parameter"],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=ryan_honeycomb_sandwich,
    )


def _foam(
    *,
    name: str = "foam_sandwich",
    front_thickness_m: float = 0.0254 * CM,
    front_material: str = "al6061-t6",
    core_thickness_m: float = 1.27 * CM,
    foam_density_kg_m3: float = 0.07 * 2700.0,
    rear_thickness_m: float = 0.0254 * CM,
    rear_material: str = "al6061-t6",
    rear_yield_pa: float | None = None,
    mli_areal_density_kg_m2: float = 0.0,
    failure_area_fraction: float = 1.0,
) -> Shield:
    fm, rm = get_material(front_material), get_material(rear_material)
    params = {
        "front_thickness_m": _positive("front_thickness_m", front_thickness_m),
        "front_density_kg_m3": fm.density_kg_m3,
        "core_thickness_m": _positive("core_thickness_m", core_thickness_m),
        "foam_density_kg_m3": _positive("foam_density_kg_m3", foam_density_kg_m3),
        "rear_thickness_m": _positive("rear_thickness_m", rear_thickness_m),
        "rear_density_kg_m3": rm.density_kg_m3,
        "rear_yield_pa": _yield(rm, rear_yield_pa, "rear_yield_pa"),
        "mli_areal_density_kg_m2": _nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2),
    }
    return Shield(
        name=name,
        family="ryan_foam_sandwich",
        source="Ryan et al., HVIS 2009; Ryan & Christiansen NASA/TM-2015-218593; default geometry: "
        "0.254 mm Al 6061-T6 face sheets, 12.7 mm 7 % Al 6106 foam (TM-2015-218593 test panels)",
        assumptions=["form cross-checked against pyBLOSSUM BLE_foamSP.py; primary text not read"],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=ryan_foam_sandwich,
    )


def _mli_wall(
    *,
    name: str = "mli_wall",
    wall_thickness_m: float = 0.19 * CM,
    mli_areal_density_kg_m2: float = 0.188 * G_PER_CM2,
    failure_area_fraction: float = 1.0,
) -> Shield:
    params = {
        "wall_thickness_m": _positive("wall_thickness_m", wall_thickness_m),
        "mli_areal_density_kg_m2": _nonneg("mli_areal_density_kg_m2", mli_areal_density_kg_m2),
    }
    return Shield(
        name=name,
        family="soyuz_mli_wall",
        source="Handbook TM-2009-214785 §6.2 eqs 6-2..6-4, Table 6-1 p.101 (baseline MLI)",
        assumptions=[
            "baseline-MLI coefficients (K_L 1.7, K_H 2.9, 2.5 and 6 km/s transitions); the toughened "
            "coefficients printed in the Handbook do not reproduce its own Table 6-1 and are not used",
            "MLI 1.5 cm in front of an AMg6 wall, as in the Handbook example",
        ],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=soyuz_mli_wall,
    )


def _radiator(
    *,
    name: str = "radiator",
    face_thickness_m: float = 0.3 * MM,
    face_material: str = "amg6",
    tube_wall_thickness_m: float = 1.0 * MM,
    tube_material: str = "amg6",
    tube_yield_pa: float | None = None,
    standoff_m: float = 0.0,
    failure_area_fraction: float = 0.1,
    assumptions: tuple[str, ...] = (),
) -> Shield:
    fm, tm = get_material(face_material), get_material(tube_material)
    if tm.family != "aluminium":
        raise InputError(
            f"tube_material: {tm.name!r} is not an aluminium alloy (the radiator model uses the "
            "aluminium single-wall and Whipple equations)"
        )
    params = {
        "face_thickness_m": _positive("face_thickness_m", face_thickness_m),
        "face_density_kg_m3": fm.density_kg_m3,
        "tube_wall_thickness_m": _positive("tube_wall_thickness_m", tube_wall_thickness_m),
        "tube_density_kg_m3": tm.density_kg_m3,
        "tube_brinell_hardness": tm.brinell_hardness,
        "tube_sound_speed_m_s": tm.sound_speed_m_s,
        "tube_yield_pa": _yield(tm, tube_yield_pa, "tube_yield_pa"),
        "standoff_m": _nonneg("standoff_m", standoff_m),
    }
    regime = (
        "tube stood off behind the face sheet: face sheet = Whipple bumper, tube wall = rear wall "
        "(Ryan & Christiansen 2011 with thin-bumper de-rating)"
        if params["standoff_m"] > 0
        else "tube bonded to the face sheet: one wall of tube + face sheet (areal-density sum), "
        "modified Cour-Palais, perforation"
    )
    return Shield(
        name=name,
        family="radiator_panel",
        source="breachkit radiator model (docs/damage.md): combination of Handbook TM-2009-214785 "
        "eqs 4-1..4-6 and Ryan & Christiansen (2011); no published radiator BLE exists",
        assumptions=[
            regime,
            "a leak needs perforation of the tube wall; hits between tubes do not fail "
            f"(failure_area_fraction = tube footprint / panel area = {failure_area_fraction:g})",
            "tube curvature, coolant behind the wall and any fins/honeycomb are ignored (conservative)",
            *assumptions,
        ],
        failure_area_fraction=_fraction(failure_area_fraction),
        params=params,
        ble=radiator_panel,
    )


def _constant(
    *, name: str = "constant", critical_diameter_m: float | None = None
) -> ConstantShield:
    if critical_diameter_m is None:
        raise InputError("critical_diameter_m: required for shield 'constant'")
    d = _positive("critical_diameter_m", critical_diameter_m)
    return ConstantShield(
        name=name,
        critical_diameter_m=d,
        assumptions=["the critical diameter does not depend on speed, angle or density"],
    )


_WHIPPLE_ISS = {
    "bumper_thickness_m": 0.20 * CM,
    "bumper_material": "al6061-t6",
    "standoff_m": 10.7 * CM,
    "wall_thickness_m": 0.48 * CM,
    "wall_material": "al2219-t87",
    "mli_areal_density_kg_m2": 0.054 * G_PER_CM2,
    "mli_standoff_m": 3.8 * CM,
    "source": "geometry: Handbook TM-2009-214785 Table 4-5 p.53 (US Lab cylinder Whipple); "
    "equation: Ryan & Christiansen 2011 (generic, not NASA's fitted flight coefficients)",
    "assumptions": (
        "bumper Al 6061-T6 and rear wall Al 2219-T87 (ISS practice, Handbook p.56)",
        "NASA's own BLE for this shield uses the fitted coefficients of Table 4-5 (eqs 4-37..4-40); "
        "this preset uses the generic Whipple equations on the same geometry",
    ),
}

_RADIATOR_GENERIC = {
    "face_thickness_m": 0.3 * MM,
    "face_material": "amg6",
    "tube_wall_thickness_m": 1.0 * MM,
    "tube_material": "amg6",
    "standoff_m": 0.0,
    "failure_area_fraction": 0.1,
    "assumptions": (
        "PLACEHOLDER geometry: the Soyuz/Progress PAO radiator construction (face sheet, tube wall, "
        "tube pitch) is not public (../shared/research/incidents.md); 0.3 mm AMg6 face sheet bonded "
        "to a 1.0 mm AMg6 tube wall and a 10 % tube footprint are assumed — override in the case file",
    ),
}

_REGISTRY: dict[str, ShieldSpec] = {}


def _register(
    name: str,
    description: str,
    source: str,
    builder: Callable[..., AnyShield],
    fixed: Mapping[str, Any] | None = None,
) -> None:
    fixed = dict(fixed or {})
    sig = inspect.signature(builder)
    defaults = {
        k: fixed.get(k, p.default)
        for k, p in sig.parameters.items()
        if k not in ("name", "source", "assumptions") and p.default is not inspect.Parameter.empty
    }

    def build(**params: Any) -> AnyShield:
        return builder(name=name, **{**fixed, **params})

    _REGISTRY[name] = ShieldSpec(name, description, source, build, defaults)


_register(
    "single_wall",
    "single metallic or CFRP wall (modified Cour-Palais family)",
    "Handbook TM-2009-214785 eqs 4-1..4-20",
    _single_wall,
)
_register(
    "single_wall_al_1mm",
    "1 mm Al 6061-T6 single wall, perforation",
    "Handbook TM-2009-214785 eqs 4-1..4-6; material BLAP Table 1",
    _single_wall,
    fixed={"thickness_m": 1.0 * MM, "material": "al6061-t6"},
)
_register(
    "whipple",
    "aluminium Whipple shield, Christiansen (1993) equations (adequate bumper required)",
    "Christiansen IJIE 14 (1993); Handbook eqs 4-23..4-26",
    _whipple,
)
_register(
    "whipple_modified",
    "Whipple shield, Ryan & Christiansen (2011) form with thin-bumper de-rating and MLI",
    "Ryan & Christiansen, Acta Astronautica 69 (2011); NASA/TM-2009-214789",
    _whipple_modified,
)
_register(
    "whipple_iss_generic",
    "ISS US-Lab-like Whipple: 2.0 mm Al bumper, 10.7 cm gap, MLI, 4.8 mm Al 2219 rear wall",
    str(_WHIPPLE_ISS["source"]),
    _whipple_modified,
    fixed=_WHIPPLE_ISS,
)
_register(
    "stuffed_whipple",
    "Nextel/Kevlar stuffed Whipple",
    "Christiansen & Kerr, IJIE 26 (2001); Handbook eqs 4-45..4-50",
    _stuffed_whipple,
)
_register(
    "honeycomb_sandwich",
    "honeycomb-core sandwich panel (Al or CFRP face sheets)",
    "Ryan et al., ASR 41 (2008)",
    _honeycomb,
)
_register(
    "foam_sandwich",
    "open-cell metal-foam-core sandwich panel",
    "Ryan et al., HVIS 2009; NASA/TM-2015-218593",
    _foam,
)
_register(
    "mli_wall",
    "MLI stood off 1.5 cm in front of a wall (Soyuz orbital-module BLE)",
    "Handbook TM-2009-214785 eqs 6-2..6-4",
    _mli_wall,
)
_register(
    "soyuz_mli_over_amg6",
    "Soyuz orbital module: baseline MLI (0.188 g/cm2) 1.5 cm over 1.9 mm AMg6",
    "Handbook TM-2009-214785 §6.2, eqs 6-2..6-4, Table 6-1 p.101",
    _mli_wall,
)
_register(
    "radiator",
    "radiator panel: coolant tube under a face sheet (documented combination of BLEs)",
    "breachkit radiator model (docs/damage.md)",
    _radiator,
)
_register(
    "radiator_generic",
    "radiator with placeholder Soyuz-like geometry (0.3 mm face sheet on 1 mm tube, 10 % tubes)",
    "breachkit radiator model; geometry assumed (construction not public)",
    _radiator,
    fixed=_RADIATOR_GENERIC,
)
_register(
    "constant",
    "fixed critical diameter (parameter critical_diameter_m)",
    "user-given",
    _constant,
)


def list_shields() -> list[ShieldSpec]:
    """Every registered shield name with its description, source and default parameters."""
    return list(_REGISTRY.values())


def get_shield(name: str, **params: Any) -> AnyShield:
    """Build the shield `name` with `params` overriding its defaults (SI values, material names).

    Raises
    ------
    InputError
        Unknown shield name (the message lists the valid ones), unknown parameter (lists the valid
        ones) or an impossible value (names the parameter).
    """
    spec = _REGISTRY.get(name)
    if spec is None:
        raise InputError(f"shield: unknown shield {name!r}; valid names: {', '.join(_REGISTRY)}")
    unknown = sorted(set(params) - set(spec.defaults))
    if unknown:
        raise InputError(
            f"shield {name!r}: unknown parameter {unknown[0]!r}; valid parameters: "
            f"{', '.join(spec.defaults)}"
        )
    return spec.builder(**params)
