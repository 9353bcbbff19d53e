"""Shared pieces of the ballistic limit equations: unit handling, parameter checks, validity ranges.

Every BLE works internally in the units it was published in (cm, g/cm³, km/s, ksi, g/cm²) and
converts at its boundary; the factors come from `breachkit._core.units`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import CM, DEG, G_PER_CM2, G_PER_CM3, KM_S, KSI
from breachkit._core.validity import ValidityRange, apply_validity

Array = NDArray[np.float64]

__all__ = [
    "ANGLE_CAP_65",
    "ANGLE_OPEN",
    "DENSITY_RANGE",
    "SPEED_RANGE",
    "Array",
    "finish",
    "g_cm2",
    "g_cm3",
    "km_s",
    "ksi",
    "param",
    "to_cm",
]

#: Projectile speed range. NASA's BLEs are fitted to light-gas-gun data (≤ 8 km/s, Handbook
#: TM-2009-214785 Table 4-1 p.36) and are applied by NASA to the whole debris (1–15 km/s) and
#: meteoroid (11–72 km/s, Handbook §2.6.1 p.15) speed range, the hypervelocity branch being the
#: published extrapolation (BLAP TM-2009-214789 Table 2 p.9: "expected conservative above 8 km/s").
SPEED_RANGE = ValidityRange(
    "speed_m_s",
    0.0,
    72.0e3,
    "m s⁻¹",
    low_inclusive=False,
    source="Handbook TM-2009-214785 §2.6 p.15 (1–72 km/s); BLAP TM-2009-214789 Table 2 p.9",
)

#: Projectile density range: 0.5 g/cm³ (meteoroid design density, SN3-91-42 p.2) to 8.96 g/cm³
#: (copper, the densest projectile in the single-wall test base, BLAP Table 2 p.9).
DENSITY_RANGE = ValidityRange(
    "projectile_density_kg_m3",
    500.0,
    8960.0,
    "kg m⁻³",
    source="SN3-91-42 p.2 (0.5 g/cm³ meteoroids); BLAP TM-2009-214789 Table 2 p.9 (Cu projectiles)",
)

#: Angle from the normal for equations without an obliquity cap: grazing incidence (90°) is
#: outside (cos θ = 0 makes the normal component vanish).
ANGLE_OPEN = ValidityRange(
    "angle_rad",
    0.0,
    90.0 * DEG,
    "rad",
    high_inclusive=False,
    source="equation form (V cos θ); Handbook Table 4-1 p.36: single wall 0° to > 85°",
)

#: Angle range for equations with the 65° cap (Handbook eq. 4-26): any angle up to grazing.
ANGLE_CAP_65 = ValidityRange(
    "angle_rad",
    0.0,
    90.0 * DEG,
    "rad",
    source="Handbook TM-2009-214785 eq. 4-26 p.47: d_c(θ > 65°) = d_c(65°)",
)


def to_cm(x: ArrayLike) -> Array:
    """Metres → centimetres."""
    return np.asarray(x, dtype=float) / CM


def g_cm3(x: ArrayLike) -> Array:
    """kg m⁻³ → g cm⁻³."""
    return np.asarray(x, dtype=float) / G_PER_CM3


def g_cm2(x: ArrayLike) -> Array:
    """kg m⁻² → g cm⁻²."""
    return np.asarray(x, dtype=float) / G_PER_CM2


def km_s(x: ArrayLike) -> Array:
    """m s⁻¹ → km s⁻¹."""
    return np.asarray(x, dtype=float) / KM_S


def ksi(x: ArrayLike) -> Array:
    """Pa → ksi."""
    return np.asarray(x, dtype=float) / KSI


def param(name: str, value: ArrayLike, *, positive: bool = True, allow_zero: bool = False) -> Array:
    """A shield parameter as an array; `InputError` naming it if it is impossible.

    NaN is let through (it propagates); a negative value (or zero, unless `allow_zero`) is an
    impossible shield.
    """
    x = np.asarray(value, dtype=float)
    if positive:
        with np.errstate(invalid="ignore"):
            bad = (x < 0) | (x == 0) if not allow_zero else x < 0
        if np.any(bad):
            first = float(x[bad].flat[0]) if x.ndim else float(x)
            need = ">= 0" if allow_zero else "> 0"
            raise InputError(f"{name}: {first:g} is impossible (must be {need})")
    if np.any(np.isinf(x)):
        raise InputError(f"{name}: must be finite")
    return x


def finish(
    model: str,
    d_cm: ArrayLike,
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    angle_range: ValidityRange,
    extra: Mapping[str, tuple[ArrayLike, ValidityRange]] | None = None,
) -> NDArray[np.float64] | float:
    """Convert a critical diameter in cm to m and apply the validity policy."""
    checks: dict[str, tuple[ArrayLike, ValidityRange]] = {
        "speed_m_s": (speed_m_s, SPEED_RANGE),
        "angle_rad": (angle_rad, angle_range),
        "projectile_density_kg_m3": (projectile_density_kg_m3, DENSITY_RANGE),
    }
    if extra:
        checks.update(extra)
    return apply_validity(model, np.asarray(d_cm, dtype=float) * CM, checks)


def three_regime(
    log_v: Array,
    v: Array,
    log_low: Array,
    p: float,
    log_high: Array,
    q: float,
    log_v_lv: Array,
    log_v_hv: Array,
) -> Array:
    """The common ballistic / shatter / hypervelocity pattern of the JSC-style BLEs, in logs.

    ``d_low(V) = exp(log_low) · V^(−p)`` for V ≤ V_LV, ``d_high(V) = exp(log_high) · V^(−q)`` for
    V ≥ V_HV (V_LV tested first, as published), and the straight line in V between
    ``d_low(V_LV)`` and ``d_high(V_HV)`` in between. `log_low`/`log_high` hold everything but the
    speed term; speeds in km/s, transitions given as ln V_LV and ln V_HV. A few exponentials per
    element instead of many powers.
    """
    v_lv = np.exp(log_v_lv)
    v_hv = np.exp(log_v_hv)
    d_low = np.exp(log_low - p * log_v)
    d_high = np.exp(log_high - q * log_v)
    lo = np.exp(log_low - p * log_v_lv)
    hi = np.exp(log_high - q * log_v_hv)
    mid = lo + (hi - lo) * (v - v_lv) / (v_hv - v_lv)
    return np.where(v <= v_lv, d_low, np.where(v >= v_hv, d_high, mid))
