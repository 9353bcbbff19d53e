"""Single-wall ballistic limit equations: the modified Cour-Palais family (NASA JSC).

Sources
-------
* B.G. Cour-Palais, "Hypervelocity impact in metals, glass and composites", Int. J. Impact Eng. 5
  (1987) 221–237 (the penetration-depth equation).
* E.L. Christiansen, memo SN3-91-42 "Shield sizing and response equations", NASA JSC (1991) p.6.
* E.L. Christiansen et al., *Handbook for Designing MMOD Protection*, NASA/TM-2009-214785 (2009):
  eqs 4-1…4-6 pp.34–36 (aluminium), 4-7…4-9 p.37 (titanium), p.39 (steel), 4-13…4-16
  pp.39–40 (CFRP), 4-20 p.42 (MLI on the wall), Table 4-1 p.36 (validity).
* S. Ryan, E.L. Christiansen, NASA/TM-2009-214789 (BLAP, 2009) eqs 1–12 pp.8–9.

The density exponent for ρp/ρt ≥ 1.5 is **2/3** (SN3-91-42 p.6, Christiansen IJIE 14 (1993) eq. 1b,
Handbook eq. 4-2, BLAP eq. 2). BLAP eq. 7 prints 3/2 in the inverted form; that is a typo
(inverting BLAP's own eq. 2 gives 2/3) which the pyBLOSSUM code copied.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.validity import ValidityRange, register
from breachkit.damage._common import (
    ANGLE_OPEN,
    DENSITY_RANGE,
    SPEED_RANGE,
    finish,
    g_cm2,
    g_cm3,
    km_s,
    param,
    to_cm,
)

__all__ = [
    "mli_on_wall_increment",
    "single_wall_cfrp",
    "single_wall_cour_palais",
    "single_wall_steel",
    "single_wall_titanium",
]

#: Thickness multiple k of the penetration depth P∞ for each failure criterion (Handbook eqs
#: 4-3…4-5 p.36 aluminium; 4-7…4-9 p.37 titanium; 4-15/4-16 p.40 CFRP; steel p.39 perforation only).
K_ALUMINIUM = {"perforation": 1.8, "detached_spall": 2.2, "incipient_spall": 3.0}
K_TITANIUM = {"perforation": 1.8, "detached_spall": 2.4, "incipient_spall": 3.0}
K_CFRP = {"perforation": 1.8, "spall": 3.0}
K_STEEL = {"perforation": 1.8}

_RANGES = (SPEED_RANGE, ANGLE_OPEN, DENSITY_RANGE)
register("single_wall_cour_palais", *_RANGES)
register("single_wall_titanium", *_RANGES)
register("single_wall_steel", *_RANGES)
#: CFRP single wall: the Handbook (Table 4-3 p.41) validates it only at normal incidence, 5.8–6.6
#: km/s, on a 3.8 mm quasi-isotropic laminate. That range is enforced.
CFRP_SPEED_RANGE = ValidityRange(
    "speed_m_s", 5.8e3, 6.6e3, "m s⁻¹", source="Handbook TM-2009-214785 Table 4-3 p.41"
)
CFRP_ANGLE_RANGE = ValidityRange(
    "angle_rad", 0.0, 0.0, "rad", source="Handbook TM-2009-214785 Table 4-3 p.41 (normal only)"
)
register("single_wall_cfrp", CFRP_SPEED_RANGE, CFRP_ANGLE_RANGE, DENSITY_RANGE)


def _k(table: dict[str, float], criterion: str, model: str) -> float:
    try:
        return table[criterion]
    except KeyError:
        raise InputError(
            f"{model} criterion: {criterion!r} is not one of {', '.join(table)}"
        ) from None


def mli_on_wall_increment(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike,
) -> NDArray[np.float64]:
    """Increase of a metallic single wall's critical diameter from MLI laid on it [m].

    Handbook TM-2009-214785 eq. 4-20 p.42 (cm, g/cm², g/cm³, km/s):
    ``Δd_c = 2.2 · m_MLI · ρp^(−0.47) · (V cos θ)^(−0.63)``.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    mli_areal_density_kg_m2
        Areal density of the blanket [kg m⁻²].
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
        d = 2.2 * g_cm2(mli_areal_density_kg_m2) * g_cm3(projectile_density_kg_m3) ** -0.47
        d = d * vn**-0.63
        d = np.where(np.asarray(mli_areal_density_kg_m2) == 0, 0.0, d)
    return np.asarray(d, dtype=float) * 1e-2


def _mli_cm(v: ArrayLike, a: ArrayLike, rp: ArrayLike, mli: ArrayLike) -> NDArray[np.float64]:
    return mli_on_wall_increment(v, a, rp, mli) / 1e-2


def single_wall_cour_palais(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    thickness_m: ArrayLike,
    target_density_kg_m3: ArrayLike,
    brinell_hardness: ArrayLike,
    sound_speed_m_s: ArrayLike,
    criterion: str = "perforation",
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of an aluminium single wall, modified Cour-Palais [m].

    Handbook TM-2009-214785 eqs 4-1, 4-2 p.34 and 4-3…4-6 p.36 (cm, g/cm³, km/s):

    ``P∞ = 5.24 d^(19/18) BHN^(−1/4) (ρp/ρt)^β (V cos θ / C)^(2/3)`` with β = 1/2 for
    ρp/ρt < 1.5 and β = 2/3 for ρp/ρt ≥ 1.5 (the published discontinuity), failure when
    t < k·P∞, so

    ``d_c = [ t BHN^(1/4) (ρt/ρp)^β / (k · 5.24 · (V cos θ / C)^(2/3)) ]^(18/19)``

    with k = 1.8 (perforation), 2.2 (detached spall), 3.0 (incipient spall). MLI on the wall adds
    eq. 4-20 p.42 (`mli_on_wall_increment`).

    Validity: Handbook Table 4-1 p.36: aluminium alloys, 0° to > 85° (slightly over-predicts depth
    above 45°), tests below 8 km/s; BLAP Table 2 p.9: projectiles 0.05–1.27 cm of Al, glass,
    steel, Cu, k derived for 2024-T3 and used for other alloys, "expected conservative above
    8 km/s" (the range enforced here is the NASA application range, see `SPEED_RANGE`).

    Parameters
    ----------
    speed_m_s
        Impact speed [m s⁻¹].
    angle_rad
        Impact angle from the surface normal [rad].
    projectile_density_kg_m3
        Projectile density [kg m⁻³].
    thickness_m
        Wall thickness [m].
    target_density_kg_m3
        Wall density [kg m⁻³].
    brinell_hardness
        Wall Brinell hardness [HB].
    sound_speed_m_s
        Sound speed in the wall [m s⁻¹].
    criterion
        ``"perforation"``, ``"detached_spall"`` or ``"incipient_spall"``.
    mli_areal_density_kg_m2
        Areal density of MLI laid directly on the wall [kg m⁻²] (0: none).

    Returns
    -------
    Critical diameter [m]; NaN (with a `ValidityWarning`) outside the validity range.
    """
    k = _k(K_ALUMINIUM, criterion, "single_wall_cour_palais")
    t = to_cm(param("thickness_m", thickness_m))
    rt = g_cm3(param("target_density_kg_m3", target_density_kg_m3))
    bh = param("brinell_hardness", brinell_hardness)
    c = km_s(param("sound_speed_m_s", sound_speed_m_s))
    mli = param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
        # evaluated in logs (one exp instead of four powers; same equation)
        log_ratio = np.log(rt / rp)
        beta = np.where(log_ratio > -np.log(1.5), 0.5, 2.0 / 3.0)  # ρp/ρt < 1.5
        log_base = (
            np.log(t * bh**0.25 * c ** (2.0 / 3.0) / (k * 5.24))
            + beta * log_ratio
            - (2.0 / 3.0) * np.log(vn)
        )
        d_cm = np.exp((18.0 / 19.0) * log_base)
        if np.any(mli != 0):
            d_cm = d_cm + _mli_cm(speed_m_s, angle_rad, projectile_density_kg_m3, mli)
    return finish(
        "single_wall_cour_palais", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )


def single_wall_titanium(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    thickness_m: ArrayLike,
    target_density_kg_m3: ArrayLike,
    brinell_hardness: ArrayLike,
    sound_speed_m_s: ArrayLike,
    criterion: str = "perforation",
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a titanium single wall [m].

    Handbook TM-2009-214785 eqs 4-7…4-9 p.37; BLAP TM-2009-214789 eqs 8–12 p.9 (cm, g/cm³,
    km/s): the aluminium form without the 19/18 exponent on d,

    ``d_c = t BHN^(1/4) (ρt/ρp)^(1/2) / (k · 5.24 · (V cos θ / C)^(2/3))``,

    k = 1.8 (perforation), 2.4 (detached spall), 3.0 (incipient spall). MLI on the wall: eq. 4-20.

    Parameters are those of `single_wall_cour_palais` [SI]. Validity: as the aluminium form.
    """
    k = _k(K_TITANIUM, criterion, "single_wall_titanium")
    t = to_cm(param("thickness_m", thickness_m))
    rt = g_cm3(param("target_density_kg_m3", target_density_kg_m3))
    bh = param("brinell_hardness", brinell_hardness)
    c = km_s(param("sound_speed_m_s", sound_speed_m_s))
    mli = param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
        d_cm = t * bh**0.25 * (rt / rp) ** 0.5 / (k * 5.24 * (vn / c) ** (2.0 / 3.0))
        if np.any(mli != 0):
            d_cm = d_cm + _mli_cm(speed_m_s, angle_rad, projectile_density_kg_m3, mli)
    return finish(
        "single_wall_titanium", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )


def single_wall_steel(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    thickness_m: ArrayLike,
    target_density_kg_m3: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a stainless-steel single wall, perforation [m].

    Handbook TM-2009-214785 p.39 (cm, g/cm³, km/s), as transcribed in pyBLOSSUM
    ``BLE_singleWall.py`` (K = 0.345, no hardness or sound-speed term) — the form was not
    re-read in the Handbook for this project:

    ``d_c = [ t (ρt/ρp)^(1/2) / (1.8 · 0.345 · (V cos θ)^(2/3)) ]^(18/19)``.

    Parameters are those of `single_wall_cour_palais` [SI]; perforation is the only criterion.
    """
    t = to_cm(param("thickness_m", thickness_m))
    rt = g_cm3(param("target_density_kg_m3", target_density_kg_m3))
    mli = param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
        d_cm = (t * (rt / rp) ** 0.5 / (1.8 * 0.345 * vn ** (2.0 / 3.0))) ** (18.0 / 19.0)
        if np.any(mli != 0):
            d_cm = d_cm + _mli_cm(speed_m_s, angle_rad, projectile_density_kg_m3, mli)
    return finish(
        "single_wall_steel", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )


def single_wall_cfrp(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    thickness_m: ArrayLike,
    target_density_kg_m3: ArrayLike,
    criterion: str = "perforation",
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a CFRP single wall [m].

    Handbook TM-2009-214785 eqs 4-13…4-16 pp.39–40 (cm, g/cm³, g/cm², km/s):

    ``d_c = t_eff (ρt/ρp)^(1/2) / (k · K_CFRP · (V cos θ)^(2/3))``, K_CFRP = 0.52,
    k = 1.8 (perforation) or 3.0 (spall), with MLI on the wall as extra thickness
    ``t_eff = t + K2 · m_MLI / ρt``, K2 = 4.5.

    (pyBLOSSUM uses K = 0.62 after Schäfer et al., ESA SP-558 (2004); the Handbook value 0.52 is
    used here.) Validity: Handbook Table 4-3 p.41: normal incidence, 5.8–6.6 km/s, 3.8 mm
    quasi-isotropic laminate — enforced.

    Parameters are those of `single_wall_cour_palais` [SI]; criterion ``"perforation"`` or
    ``"spall"``.
    """
    k = _k(K_CFRP, criterion, "single_wall_cfrp")
    t = to_cm(param("thickness_m", thickness_m))
    rt = g_cm3(param("target_density_kg_m3", target_density_kg_m3))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
        t_eff = t + 4.5 * mli / rt
        d_cm = t_eff * (rt / rp) ** 0.5 / (k * 0.52 * vn ** (2.0 / 3.0))
    return finish(
        "single_wall_cfrp",
        d_cm,
        speed_m_s,
        angle_rad,
        projectile_density_kg_m3,
        CFRP_ANGLE_RANGE,
        {"speed_m_s": (speed_m_s, CFRP_SPEED_RANGE)},
    )
