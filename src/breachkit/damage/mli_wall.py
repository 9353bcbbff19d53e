"""MLI blanket stood off in front of a single wall: the Soyuz orbital-module BLE.

Source: E.L. Christiansen et al., *Handbook for Designing MMOD Protection*, NASA/TM-2009-214785
(2009) §6.2, eqs 6-2…6-4 and Table 6-1 p.101 (from Christiansen, NASA TP-2003-210788): MLI 1.5 cm in
front of a 0.19 cm AMg6 wall. Baseline MLI (0.188 g/cm²): K_L = 1.7, K_H = 2.9, transitions
2.5/cos θ and 6/cos^(1/2) θ km/s; the printed intermediate coefficients K_li = 0.923 =
1.7·2.5^(−2/3) and K_hi = 0.878 = 2.9·6^(−2/3) are the endpoints of the linear interpolation. These
reproduce the Table 6-1 baseline column exactly (0.152, 0.186, 0.198 cm). The toughened-MLI
coefficients printed with eqs 6-5…6-7 do **not** reproduce that table's toughened column, so no
toughened preset is offered.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.validity import register
from breachkit.damage._common import (
    ANGLE_OPEN,
    DENSITY_RANGE,
    SPEED_RANGE,
    finish,
    g_cm2,
    g_cm3,
    km_s,
    param,
    three_regime,
    to_cm,
)

__all__ = ["soyuz_mli_wall"]

register("soyuz_mli_wall", SPEED_RANGE, ANGLE_OPEN, DENSITY_RANGE)


def soyuz_mli_wall(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    wall_thickness_m: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike,
    k_low: float = 1.7,
    k_high: float = 2.9,
    v_low_m_s: float = 2.5e3,
    v_high_m_s: float = 6.0e3,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of MLI stood off 1.5 cm in front of an AMg6 wall [m].

    Handbook TM-2009-214785 eqs 6-2…6-4 p.101 (cm, g/cm², g/cm³, km/s):

    * V ≤ V_L/cos θ: ``d_c = K_L (t_w + 0.37 m_MLI) / (cos^(4/3) θ ρp^(1/2) V^(2/3))``
    * V ≥ V_H/cos^(1/2) θ: ``d_c = K_H t_w^(2/3) / (ρp^(1/3) (V cos θ)^(2/3))``
    * between: linear in V,

    with the baseline coefficients K_L = 1.7, K_H = 2.9, V_L = 2.5 km/s, V_H = 6 km/s. The equation
    is specific to the Soyuz orbital-module build-up (1.5 cm MLI gap, AMg6 wall); it has no
    wall-material term.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    wall_thickness_m
        AMg6 wall thickness [m].
    mli_areal_density_kg_m2
        MLI areal density [kg m⁻²] (baseline 1.88 kg m⁻²).
    k_low, k_high, v_low_m_s, v_high_m_s
        Coefficients and transition speeds [m s⁻¹] (defaults: the baseline MLI of Table 6-1).
    """
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.asarray(angle_rad, dtype=float))
        lc = np.log(c)
        log_v_lv = np.log(km_s(v_low_m_s)) - lc
        log_v_hv = np.log(km_s(v_high_m_s)) - 0.5 * lc
        log_low = np.log(k_low * (tw + 0.37 * mli)) - (4 / 3) * lc - 0.5 * np.log(rp)
        log_high = np.log(k_high * tw ** (2 / 3)) - np.log(rp) / 3 - (2 / 3) * lc
        d_cm = three_regime(np.log(v), v, log_low, 2 / 3, log_high, 2 / 3, log_v_lv, log_v_hv)
    return finish(
        "soyuz_mli_wall", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )
