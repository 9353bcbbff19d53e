"""Sandwich-panel ballistic limit equations: honeycomb core and open-cell metal-foam core.

Sources
-------
* S. Ryan, F. Schäfer, R. Destefanis, M. Lambert, "A ballistic limit equation for hypervelocity
  impacts on composite honeycomb sandwich panel satellite structures", Advances in Space Research
  41 (2008) 1152–1166 (doi:10.1016/j.asr.2007.02.032), and F. Schäfer, S. Ryan, M. Lambert,
  R. Putzar, "Ballistic limit equation for equipment placed behind satellite structure walls",
  IJIE 35 (2008) 1784–1791 (the SRL equation; its double-wall form is the honeycomb BLE).
* S. Ryan, E. Ordonez, E.L. Christiansen, D.M. Lear, "Hypervelocity impact performance of open cell
  foam core sandwich panel structures", Hypervelocity Impact Symposium, Freiburg (2009); S. Ryan,
  E.L. Christiansen, *Hypervelocity impact testing of aluminum foam core sandwich panels*,
  NASA/TM-2015-218593 (2015).

Neither primary paper was available to this project in full text; the equation forms and
constants below were cross-checked against the implementation by the papers' first author
(pyBLOSSUM ``BLE_SRL.py`` and ``BLE_foamSP.py``, MIT licence) and are written independently here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import DEG
from breachkit._core.validity import register
from breachkit.damage._common import (
    ANGLE_OPEN,
    DENSITY_RANGE,
    SPEED_RANGE,
    Array,
    finish,
    g_cm2,
    g_cm3,
    km_s,
    ksi,
    param,
    three_regime,
    to_cm,
)

__all__ = ["ryan_foam_sandwich", "ryan_honeycomb_sandwich"]

register("ryan_honeycomb_sandwich", SPEED_RANGE, ANGLE_OPEN, DENSITY_RANGE)
register("ryan_foam_sandwich", SPEED_RANGE, ANGLE_OPEN, DENSITY_RANGE)

_RHO_REF = 2.78  # g/cm³, Al 2024-T81 reference (Ryan et al. 2008)
_SIG_REF = 59.5  # ksi, Al 2024-T81 reference yield (Ryan et al. 2008)


def ryan_honeycomb_sandwich(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    front_thickness_m: ArrayLike,
    front_density_kg_m3: ArrayLike,
    core_thickness_m: ArrayLike,
    rear_thickness_m: ArrayLike,
    rear_density_kg_m3: ArrayLike,
    rear_yield_pa: ArrayLike,
    face_sheets: str = "aluminium",
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a honeycomb-core sandwich panel [m].

    Ryan, Schäfer, Destefanis & Lambert, ASR 41 (2008); double-wall form of Schäfer et al.,
    IJIE 35 (2008) (cm, g/cm³, km/s, ksi). A modified Christiansen Whipple equation with the
    honeycomb core as the standoff S, channelling factors K3S (ballistic) and K3D (hypervelocity):

    * V ≤ V_LV: ``d_c = [(t_w/K3S (σ/40)^(1/2) + t_b) / (0.6 cos^δ θ ρp^(1/2) V^(2/3))]^(18/19)``
    * V ≥ V_HV: ``d_c = 1.155 S^(1/3) t_w^(2/3) (σ/70)^(1/3) / (K3D^(2/3) ρp^(1/3) ρb^(1/9) V^(2/3) cos^δ θ)``
    * between: linear in V.

    Aluminium face sheets: K3S = 1.4, V_LV = 3/cos θ, V_HV = 7/cos θ, δ = 4/3 for θ ≤ 45° or
    θ ≥ 65° and 5/4 between (a published discontinuity at 45° and 65°). CFRP face sheets:
    K3S = 1.1, V_LV = 4.2/cos θ, V_HV = 8.4/cos θ, δ = 4/3, and the face sheets are replaced by
    Al 2024-T81 of equal areal density (ρ = 2.78 g/cm³, σ = 59.5 ksi). K3D = 0.4. MLI on the front
    adds 3 m_MLI/2.78 to t_b. No obliquity cap.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    front_thickness_m, front_density_kg_m3
        Front face sheet [m], [kg m⁻³].
    core_thickness_m
        Honeycomb core thickness (the standoff) [m].
    rear_thickness_m, rear_density_kg_m3, rear_yield_pa
        Rear face sheet [m], [kg m⁻³], [Pa] (the yield is ignored for CFRP).
    face_sheets
        ``"aluminium"`` (metallic) or ``"cfrp"``.
    mli_areal_density_kg_m2
        MLI on the front face sheet [kg m⁻²].
    """
    if face_sheets not in ("aluminium", "cfrp"):
        raise InputError(f"face_sheets: {face_sheets!r} is not 'aluminium' or 'cfrp'")
    tb = to_cm(param("front_thickness_m", front_thickness_m))
    rb = g_cm3(param("front_density_kg_m3", front_density_kg_m3))
    s = to_cm(param("core_thickness_m", core_thickness_m))
    tw = to_cm(param("rear_thickness_m", rear_thickness_m))
    rw = g_cm3(param("rear_density_kg_m3", rear_density_kg_m3))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        th = np.asarray(angle_rad, dtype=float)
        c = np.cos(th)
        if face_sheets == "cfrp":
            sig: Array | float = _SIG_REF
            tb = tb * rb / _RHO_REF
            tw = tw * rw / _RHO_REF
            rb = np.asarray(_RHO_REF)
            log_v_lv0, log_v_hv0 = np.log(4.2), np.log(8.4)  # ln V_LV, ln V_HV at θ = 0
            delta: Array | float = 4 / 3
            k3s = 1.1
        else:
            sig = ksi(param("rear_yield_pa", rear_yield_pa))
            log_v_lv0, log_v_hv0 = np.log(3.0), np.log(7.0)
            delta = np.where((th <= 45 * DEG) | (th >= 65 * DEG), 4 / 3, 5 / 4)
            k3s = 1.4
        tb_tot = tb + 3.0 * mli / _RHO_REF
        k3d = 0.4

        lc, lrp = np.log(c), np.log(rp)
        num = tw / k3s * (sig / 40.0) ** 0.5 + tb_tot
        log_low = (18 / 19) * (np.log(num / 0.6) - delta * lc - 0.5 * lrp)
        log_high = (
            np.log(1.155 * s ** (1 / 3) * tw ** (2 / 3) * (sig / 70.0) ** (1 / 3) / k3d ** (2 / 3))
            - lrp / 3
            - np.log(rb) / 9
            - delta * lc
        )
        d_cm = three_regime(
            np.log(v), v, log_low, 12 / 19, log_high, 2 / 3, log_v_lv0 - lc, log_v_hv0 - lc
        )
    return finish(
        "ryan_honeycomb_sandwich", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )


def ryan_foam_sandwich(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    front_thickness_m: ArrayLike,
    front_density_kg_m3: ArrayLike,
    core_thickness_m: ArrayLike,
    foam_density_kg_m3: ArrayLike,
    rear_thickness_m: ArrayLike,
    rear_density_kg_m3: ArrayLike,
    rear_yield_pa: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of an open-cell metal-foam-core sandwich panel [m].

    Ryan, Ordonez, Christiansen & Lear, HVIS 2009; Ryan & Christiansen, NASA/TM-2015-218593
    (cm, g/cm³, g/cm², km/s, ksi), in the form implemented by the first author in pyBLOSSUM
    ``BLE_foamSP.py`` (C1 = 1.83, C2 = 1.1, C3 = 0.89):

    * V ≤ V_LV = 2.25 / cos^(1/3) θ:
      ``d_c = C1 (t_b + t_w (σ/40)^(1/2) + S^C2 ρ_f/ρ_w) / (ρp^(1/2) V^(2/3) cos^(4/5) θ)^(18/19)``
    * V ≥ V_HV = 4.0 / cos^(1/3) θ:
      ``d_c = 2.152 C3 (t_w + 0.5 m_f/ρ_w)^(2/3) S^(9/20) (σ/70)^(1/3) / (ρp^(1/3) ρb^(1/9) V^(2/5) cos^(4/5) θ)``
    * between: linear in V.

    ρ_f is the foam's bulk density, m_f = ρ_f S its areal density, S the core thickness. MLI on the
    front adds 3 m_MLI/2.78 to t_b. The primary papers were not available in full text: the
    exponent placement (18/19 on the denominator only; V^(2/5) in the hypervelocity branch) follows
    that implementation and is flagged as unverified in docs/damage.md.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    front_thickness_m, front_density_kg_m3
        Front face sheet [m], [kg m⁻³].
    core_thickness_m, foam_density_kg_m3
        Foam core thickness [m] and bulk density (relative density × solid density) [kg m⁻³].
    rear_thickness_m, rear_density_kg_m3, rear_yield_pa
        Rear face sheet [m], [kg m⁻³], [Pa].
    mli_areal_density_kg_m2
        MLI on the front face sheet [kg m⁻²].
    """
    tb = to_cm(param("front_thickness_m", front_thickness_m))
    rb = g_cm3(param("front_density_kg_m3", front_density_kg_m3))
    s = to_cm(param("core_thickness_m", core_thickness_m))
    rf = g_cm3(param("foam_density_kg_m3", foam_density_kg_m3))
    tw = to_cm(param("rear_thickness_m", rear_thickness_m))
    rw = g_cm3(param("rear_density_kg_m3", rear_density_kg_m3))
    sig = ksi(param("rear_yield_pa", rear_yield_pa))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    c1, c2, c3 = 1.83, 1.1, 0.89
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.asarray(angle_rad, dtype=float))
        tb_tot = tb + 3.0 * mli / _RHO_REF
        m_f = rf * s

        lc, lrp = np.log(c), np.log(rp)
        num = tb_tot + tw * (sig / 40.0) ** 0.5 + s**c2 * (rf / rw)
        log_low = np.log(c1 * num) - (18 / 19) * (0.5 * lrp + 0.8 * lc)
        log_high = (
            np.log(
                2.152
                * c3
                * (tw + 0.5 * m_f / rw) ** (2 / 3)
                * s ** (9 / 20)
                * (sig / 70.0) ** (1 / 3)
            )
            - lrp / 3
            - np.log(rb) / 9
            - 0.8 * lc
        )
        d_cm = three_regime(
            np.log(v),
            v,
            log_low,
            12 / 19,
            log_high,
            2 / 5,
            np.log(2.25) - lc / 3,
            np.log(4.0) - lc / 3,
        )
    return finish(
        "ryan_foam_sandwich", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_OPEN
    )
