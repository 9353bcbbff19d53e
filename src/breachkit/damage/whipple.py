"""Whipple and stuffed-Whipple ballistic limit equations (NASA JSC).

Sources
-------
* E.L. Christiansen, "Design and performance equations for advanced meteoroid and debris
  shields", Int. J. Impact Eng. 14 (1993) 145–156; memo SN3-91-42 (1991) eqs 18–20 p.7;
  Handbook NASA/TM-2009-214785 eqs 4-21…4-26 pp.46–47 (sizing and performance), 4-27…4-34
  pp.49–50 (thin bumpers), 4-35/4-36 p.51 (MLI).
* S. Ryan, E.L. Christiansen, "A ballistic limit analysis programme for shielding against
  micrometeoroids and orbital debris", Acta Astronautica 69 (2011) 245–257, and NASA/TM-2009-214789
  (BLAP): low-velocity transition from Piekutowski's fragmentation threshold, bumper-adequacy rule
  and de-rating factor F2* for thin bumpers, MLI handling.
* E.L. Christiansen, J.H. Kerr, "Ballistic limit equations for spacecraft shielding", Int. J.
  Impact Eng. 26 (2001) 93–104; Handbook eqs 4-45…4-50 pp.58–62 (stuffed Whipple).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.units import DEG
from breachkit._core.validity import ValidityRange, register
from breachkit.damage._common import (
    ANGLE_CAP_65,
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

__all__ = [
    "adequate_bumper_ratio",
    "christiansen_kerr_stuffed_whipple",
    "christiansen_whipple",
    "christiansen_whipple_sizing",
    "ryan_christiansen_whipple",
]

_CAP = 65.0 * DEG
#: Reference density for turning MLI areal density into bumper thickness (BLAP: Al 2.78 g/cm³).
_RHO_REF = 2.78

#: t_b/d_c over the adequate-bumper ratio must be ≥ 1 for the Christiansen (1993) equations to hold
#: (Handbook p.47: thinner bumpers make the equations over-predict performance).
ADEQUATE_BUMPER = ValidityRange(
    "bumper_thickness_over_adequate",
    1.0,
    np.inf,
    "-",
    source="Handbook TM-2009-214785 p.47 and eqs 4-21, 4-31 pp.46/49 (t_b/d ≥ c_b ρp/ρb)",
)
register("christiansen_whipple", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE, ADEQUATE_BUMPER)
register("ryan_christiansen_whipple", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE)
register("christiansen_kerr_stuffed_whipple", SPEED_RANGE, ANGLE_OPEN, DENSITY_RANGE)


def adequate_bumper_ratio(
    standoff_over_diameter: ArrayLike, projectile_over_bumper_density: ArrayLike
) -> Array:
    """Adequate bumper thickness over projectile diameter, (t_b/d)_crit [-].

    Handbook TM-2009-214785 eq. 4-21 p.46 and eq. 4-31 p.49: 0.25 ρp/ρb for S/d < 30 and
    0.20 ρp/ρb for S/d ≥ 30 (SN3-91-42 p.3: c_b raised from 0.20 to 0.25 at small S/d).
    """
    sd = np.asarray(standoff_over_diameter, dtype=float)
    return np.where(sd < 30.0, 0.25, 0.20) * np.asarray(projectile_over_bumper_density, dtype=float)


def christiansen_whipple_sizing(
    diameter_m: ArrayLike,
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_density_kg_m3: ArrayLike,
    standoff_m: ArrayLike,
    wall_yield_pa: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Whipple sizing: bumper and rear-wall thickness that just stop a projectile [m].

    Handbook TM-2009-214785 eqs 4-21, 4-22 p.46 (cm, g, g/cm³, km/s, ksi), valid for
    V cos θ ≥ 7 km/s:

    ``t_b = c_b d ρp/ρb`` (c_b = 0.25 for S/d < 30, 0.20 for S/d ≥ 30),
    ``t_w = 0.16 d^(1/2) (ρp ρb)^(1/6) M_p^(1/3) V_n / S^(1/2) (70/σ)^(1/2)``
    with M_p = π d³ ρp / 6 [g] and S the overall spacing.

    Returns
    -------
    (t_b, t_w) [m].
    """
    d = to_cm(diameter_m)
    rp = g_cm3(projectile_density_kg_m3)
    rb = g_cm3(bumper_density_kg_m3)
    s = to_cm(standoff_m)
    sig = ksi(wall_yield_pa)
    vn = km_s(speed_m_s) * np.cos(np.asarray(angle_rad, dtype=float))
    tb = adequate_bumper_ratio(s / d, rp / rb) * d
    mp = np.pi * d**3 * rp / 6.0
    tw = 0.16 * d**0.5 * (rp * rb) ** (1 / 6) * mp ** (1 / 3) * vn / s**0.5 * (70.0 / sig) ** 0.5
    return np.asarray(tb * 1e-2), np.asarray(tw * 1e-2)


def _hv_classic(tw: Array, s: Array, sig: Array, rp: Array, rb: Array, vn: Array) -> Array:
    """Handbook eq. 4-23 in cm (published units)."""
    return (
        3.918
        * tw ** (2 / 3)
        * rp ** (-1 / 3)
        * rb ** (-1 / 9)
        * vn ** (-2 / 3)
        * s ** (1 / 3)
        * (sig / 70.0) ** (1 / 3)
    )


def christiansen_whipple(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_thickness_m: ArrayLike,
    bumper_density_kg_m3: ArrayLike,
    standoff_m: ArrayLike,
    wall_thickness_m: ArrayLike,
    wall_yield_pa: ArrayLike,
    check_bumper: bool = True,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of an aluminium Whipple shield, Christiansen (1993) [m].

    Handbook TM-2009-214785 eqs 4-23…4-26 pp.46–47 = IJIE 14 (1993) = SN3-91-42 eqs 18–20 p.7
    (cm, g/cm³, km/s, ksi; V_n = V cos θ, θ capped at 65°):

    * V_n ≥ 7 km/s (4-23): ``d_c = 3.918 t_w^(2/3) ρp^(−1/3) ρb^(−1/9) V_n^(−2/3) S^(1/3) (σ/70)^(1/3)``
    * V_n ≤ 3 km/s (4-24): ``d_c = [(t_w (σ/40)^(1/2) + t_b) / (0.6 cos^(5/3)θ ρp^(1/2) V^(2/3))]^(18/19)``
    * 3 < V_n < 7 (4-25): ``[(t_w (σ/40)^(1/2) + t_b)/(1.248 ρp^(1/2) cos θ)]^(18/19) (1.75 − V_n/4)
      + 1.071 t_w^(2/3) ρp^(−1/3) ρb^(−1/9) S^(1/3) (σ/70)^(1/3) (V_n/4 − 0.75)``
    * θ > 65° (4-26): d_c(θ) = d_c(65°).

    The three pieces join continuously at V_n = 3 and 7 km/s. S is the spacing from the back of the
    bumper to the front of the rear wall; σ the rear-wall yield strength. Failure = perforation or
    detached spall of the rear wall.

    Validity: the equations assume an adequate bumper, i.e. one sized by eq. 4-21 for the
    projectile stopped at V_n = 7 km/s (Handbook p.47). Where t_b/d_c(7 km/s, 0°) is below
    (t_b/d)_crit = 0.25 ρp/ρb (S/d < 30) or 0.20 ρp/ρb (S/d ≥ 30) for the projectile density given,
    the result is NaN with a `ValidityWarning` (use `ryan_christiansen_whipple`, which de-rates
    thin bumpers).
    `check_bumper=False` switches this check off (for plotting the published curve only).

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    bumper_thickness_m, bumper_density_kg_m3
        Bumper thickness [m] and density [kg m⁻³].
    standoff_m
        Bumper-to-rear-wall spacing [m].
    wall_thickness_m, wall_yield_pa
        Rear-wall thickness [m] and yield strength [Pa].
    """
    tb = to_cm(param("bumper_thickness_m", bumper_thickness_m))
    rb = g_cm3(param("bumper_density_kg_m3", bumper_density_kg_m3))
    s = to_cm(param("standoff_m", standoff_m))
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    sig = ksi(param("wall_yield_pa", wall_yield_pa))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        th = np.minimum(np.asarray(angle_rad, dtype=float), _CAP)
        c = np.cos(th)
        vn = v * c
        # evaluated in logs: ln V, ln cos θ and ln ρp once, then exponentials (same equations)
        lc, lrp, lv = np.log(c), np.log(rp), np.log(v)
        log_num = np.log(tw * (sig / 40.0) ** 0.5 + tb)
        d_low = np.exp(
            (18 / 19) * (log_num - np.log(0.6) - (5 / 3) * lc - 0.5 * lrp - (2 / 3) * lv)
        )
        log_h = (
            np.log(tw ** (2 / 3) * s ** (1 / 3) * (sig / 70.0) ** (1 / 3))
            - lrp / 3
            - np.log(rb) / 9
        )
        d_high = 3.918 * np.exp(log_h - (2 / 3) * (lv + lc))
        d_mid = np.exp((18 / 19) * (log_num - np.log(1.248) - 0.5 * lrp - lc)) * (
            1.75 - vn / 4.0
        ) + 1.071 * np.exp(log_h) * (vn / 4.0 - 0.75)
        d_cm = np.where(vn <= 3.0, d_low, np.where(vn >= 7.0, d_high, d_mid))
        extra = None
        if check_bumper:
            d7 = _hv_classic(tw, s, sig, rp, rb, np.asarray(7.0))
            ratio = (tb / d7) / adequate_bumper_ratio(s / d7, rp / rb)
            extra = {"bumper_thickness_over_adequate": (ratio, ADEQUATE_BUMPER)}
    return finish(
        "christiansen_whipple",
        d_cm,
        speed_m_s,
        angle_rad,
        projectile_density_kg_m3,
        ANGLE_CAP_65,
        extra,
    )


def _low_velocity_transition(a_cm: Array, tb: Array) -> Array:
    """Ryan & Christiansen (2011) low-velocity/shatter transition at normal incidence [km/s].

    The ballistic branch d(V) = a·V^(−12/19) is intersected with Piekutowski's fragmentation
    threshold V = 1.436 (t_b/d)^(−1/3): V^(69/19) = 1.436³ a / t_b, solved in closed form. If the
    bumper is thick enough to fragment the projectile already there (t_b/d ≥ 0.16) the transition
    is the fixed 2.6 km/s.
    """
    v_star = (1.436**3 * a_cm / tb) ** (19.0 / 69.0)
    d_star = a_cm * v_star ** (-12.0 / 19.0)
    return np.where(tb / d_star >= 0.16, 2.6, v_star)


def _f2_star(
    d: Array, tb: Array, s: Array, sig: Array, rp: Array, rb: Array, c: Array, v_ref: Array
) -> Array:
    """De-rating factor F2* for an inadequate bumper (BLAP TM-2009-214789; Handbook 4-27…4-34).

    ``F2* = 1 + (r_S/D − 1)(1 − x)²`` for x = (t_b/d)/(t_b/d)_crit < 1, else 1, where r_S/D is the
    rear-wall thickness the no-bumper ballistic equation needs over the one the sizing equation
    (4-22) needs, both at `v_ref` [km/s].
    """
    tw_nobumper = (
        0.6 * d ** (19 / 18) * c ** (5 / 3) * rp**0.5 * v_ref ** (2 / 3) / (sig / 40.0) ** 0.5
    )
    mp = np.pi * d**3 * rp / 6.0
    tw_sizing = (
        0.16
        * d**0.5
        * (rp * rb) ** (1 / 6)
        * mp ** (1 / 3)
        * v_ref
        * c
        / s**0.5
        * (70.0 / sig) ** 0.5
    )
    r_sd = tw_nobumper / tw_sizing
    x = (tb / d) / adequate_bumper_ratio(s / d, rp / rb)
    return np.where(x >= 1.0, 1.0, 1.0 + (r_sd - 1.0) * (1.0 - x) ** 2)


def _hv_derated(
    d0: Array, tb: Array, s: Array, sig: Array, rp: Array, rb: Array, c: Array, v_ref: Array
) -> Array:
    """Solve d = F2*(d)^(−2/3) · d0 for d (the de-rated hypervelocity branch), vectorised.

    Written as h(u) = u + (2/3) ln F2*(eᵘ) − ln d0 = 0 with u = ln d. Where the bumper is adequate
    at d0 (F2* = 1) the answer is d0 itself. Elsewhere: safeguarded Newton (analytic derivative,
    r_S/D ∝ d^(−4/9) and x ∝ 1/d) inside a bracket that bisection keeps valid; 60 iterations at
    most (each element stops when |Δu| < 1e-12). No per-row optimiser.
    """
    shape = np.broadcast_shapes(*(np.shape(a) for a in (d0, tb, s, sig, rp, rb, c, v_ref)))
    d0, tb, s, sig, rp, rb, c, v_ref = (
        np.atleast_1d(np.asarray(a, dtype=float))
        for a in np.broadcast_arrays(d0, tb, s, sig, rp, rb, c, v_ref)
    )
    out = d0.copy()
    ok = np.isfinite(d0) & (d0 > 0)
    need = ok & (_f2_star(d0, tb, s, sig, rp, rb, c, v_ref) != 1.0)
    if not np.any(need):
        return out.reshape(shape) if shape == () else out
    idx = np.nonzero(need)
    d0n, tbn, sn, sgn, rpn, rbn, cn, vn = (a[idx] for a in (d0, tb, s, sig, rp, rb, c, v_ref))
    log_d0 = np.log(d0n)

    mp_term = (np.pi * rpn / 6.0) ** (1 / 3)
    # r_S/D = a_r · d^(−4/9): the no-bumper rear wall (∝ d^(19/18)) over the sizing one (∝ d^(3/2))
    a_r = (0.6 * cn ** (5 / 3) * rpn**0.5 * vn ** (2 / 3) / (sgn / 40.0) ** 0.5) / (
        0.16 * (rpn * rbn) ** (1 / 6) * mp_term * vn * cn / sn**0.5 * (70.0 / sgn) ** 0.5
    )

    def h_and_slope(u: Array, k: NDArray[np.intp]) -> tuple[Array, Array]:
        d = np.exp(u)
        r = a_r[k] * d ** (-4.0 / 9.0)
        x = (tbn[k] / d) / adequate_bumper_ratio(sn[k] / d, rpn[k] / rbn[k])
        one_x = np.where(x < 1.0, 1.0 - x, 0.0)
        f = 1.0 + (r - 1.0) * one_x**2
        df = (-4.0 / 9.0) * r * one_x**2 + (r - 1.0) * 2.0 * one_x * x
        return u + (2.0 / 3.0) * np.log(f) - log_d0[k], 1.0 + (2.0 / 3.0) * df / f

    lo = log_d0 - np.log(1e3)
    hi = log_d0 + np.log(1e3)
    u = log_d0.copy()
    act = np.arange(u.size)
    for _it in range(60):
        h, dh = h_and_slope(u[act], act)
        pos = h > 0
        hi[act] = np.where(pos, u[act], hi[act])
        lo[act] = np.where(pos, lo[act], u[act])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = u[act] - h / dh
        bad = ~np.isfinite(step) | (step <= lo[act]) | (step >= hi[act])
        new = np.where(bad, 0.5 * (lo[act] + hi[act]), step)
        done = np.abs(new - u[act]) < 1e-12
        u[act] = new
        act = act[~done]
        if act.size == 0:
            break
    out[idx] = np.exp(u)
    return out.reshape(shape) if shape == () else out


def ryan_christiansen_whipple(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_thickness_m: ArrayLike,
    bumper_density_kg_m3: ArrayLike,
    standoff_m: ArrayLike,
    wall_thickness_m: ArrayLike,
    wall_yield_pa: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike = 0.0,
    mli_standoff_m: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a Whipple shield, Ryan & Christiansen (2011) form [m].

    The Christiansen (1993) equations (`christiansen_whipple`) with the modifications of Ryan &
    Christiansen, Acta Astronautica 69 (2011) 245–257 / NASA/TM-2009-214789 (BLAP):

    * obliquity capped at 65° (Handbook eq. 4-26);
    * hypervelocity transition V_HV = 7 km/s / cos θ;
    * low-velocity transition V_LV = v₁ / cos θ with v₁ = 2.6 km/s, or, where the projectile is not
      yet fragmented there (t_b/d < 0.16), the intersection of the ballistic branch with
      Piekutowski's fragmentation threshold V = 1.436 (t_b/d)^(−1/3) — solved here in closed form at
      normal incidence (see `_low_velocity_transition`); V_LV is capped at V_HV;
    * thin bumpers: in the hypervelocity branch ``d_c = F2*^(−2/3) · d_c(4-23)`` with the de-rating
      factor ``F2* = 1 + (r_S/D − 1)(1 − x)²``, x = (t_b/d)/(t_b/d)_crit, (t_b/d)_crit = 0.25 ρp/ρb
      (S/d < 30) or 0.20 ρp/ρb (S/d ≥ 30) (Handbook eqs 4-27…4-34 pp.49–50), evaluated at V_HV;
      F2* depends on d_c, so the equation is solved by vectorised bisection (no per-row optimiser);
    * MLI: inside the gap (``mli_standoff_m`` > 0 and m_MLI > 0), ``Δd_c = 1.4 m_MLI (S_MLI/S)^(1/2)`` added in the
      hypervelocity branch and V_LV = 2 km/s / cos θ (Handbook eqs 4-35, 4-36 p.51); on the bumper's
      front (``mli_standoff_m`` = 0), 3 m_MLI / 2.78 g/cm³ added to the bumper thickness (BLAP);
    * shatter regime: linear in V between d_c(V_LV) and d_c(V_HV).

    Validity: as `christiansen_whipple` but any bumper thickness (thin bumpers de-rated). The
    de-rated branch joins the ballistic branch through the linear shatter interpolation; there
    is no discontinuity.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    bumper_thickness_m, bumper_density_kg_m3, standoff_m, wall_thickness_m, wall_yield_pa
        As `christiansen_whipple` [m, kg m⁻³, m, m, Pa].
    mli_areal_density_kg_m2
        MLI areal density [kg m⁻²] (0: none).
    mli_standoff_m
        Gap from the back of the bumper to the MLI [m]; 0 = MLI on the bumper's front face.
    """
    tb = to_cm(param("bumper_thickness_m", bumper_thickness_m))
    rb = g_cm3(param("bumper_density_kg_m3", bumper_density_kg_m3))
    s = to_cm(param("standoff_m", standoff_m))
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    sig = ksi(param("wall_yield_pa", wall_yield_pa))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    s_mli = to_cm(param("mli_standoff_m", mli_standoff_m, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.minimum(np.asarray(angle_rad, dtype=float), _CAP))
        internal = (s_mli > 0) & (mli > 0)
        tb_eff = np.where(internal, tb, tb + 3.0 * mli / _RHO_REF)
        delta_hv = np.where(internal, 1.4 * mli * (s_mli / s) ** 0.5, 0.0)
        low_num = tw * (sig / 40.0) ** 0.5 + tb_eff

        def d_low(vel: Array) -> Array:
            return (low_num / (0.6 * c ** (5 / 3) * rp**0.5 * vel ** (2 / 3))) ** (18 / 19)

        a0 = (low_num / (0.6 * rp**0.5)) ** (18 / 19)  # ballistic branch at θ = 0, V = 1 km/s
        v1 = np.where(internal, 2.0, _low_velocity_transition(a0, tb_eff))
        v_hv = 7.0 / c
        v_lv = np.minimum(v1 / c, v_hv)

        def d_high(vel: Array) -> Array:
            d0 = _hv_classic(tw, s, sig, rp, rb, vel * c)
            return _hv_derated(d0, tb_eff, s, sig, rp, rb, c, v_hv) + delta_hv

        # one de-rated solve per element: at max(V, V_HV) it is d_c(V) in the hypervelocity
        # branch and d_c(V_HV), the shatter line's upper end, below it
        d_hv = d_high(np.maximum(v, v_hv))
        d_at_lv = d_low(v_lv)
        span = v_hv - v_lv
        frac = np.where(span > 0, (v - v_lv) / np.where(span > 0, span, 1.0), 1.0)
        d_mid = d_at_lv + (d_hv - d_at_lv) * frac
        d_cm = np.where(v <= v_lv, d_low(v), np.where(v >= v_hv, d_hv, d_mid))
    return finish(
        "ryan_christiansen_whipple",
        d_cm,
        speed_m_s,
        angle_rad,
        projectile_density_kg_m3,
        ANGLE_CAP_65,
    )


def christiansen_kerr_stuffed_whipple(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_thickness_m: ArrayLike,
    bumper_density_kg_m3: ArrayLike,
    stuffing_areal_density_kg_m2: ArrayLike,
    standoff_m: ArrayLike,
    wall_thickness_m: ArrayLike,
    wall_density_kg_m3: ArrayLike,
    wall_yield_pa: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike = 0.0,
    k_high: float | None = None,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter of a Nextel/Kevlar stuffed Whipple shield [m].

    Christiansen & Kerr, IJIE 26 (2001) 93–104; Handbook TM-2009-214785 eqs 4-45…4-50 pp.58–62
    (cm, g/cm², g/cm³, km/s, ksi; no 65° cap):

    * V ≤ V_LV = 2.6 / cos^(1/2) θ:
      ``d_c = K_L V^(−2/3) cos^(−4/3) θ ρp^(−1/2) (t_w (σ/40)^(1/2) + C_L m_b)``,
      K_L = 2.35, C_L = 0.37 cm³/g, m_b = bumper + Nextel/Kevlar areal density;
    * V ≥ V_HV = 6.5 / cos^(3/4) θ:
      ``d_c = K_H (t_w ρ_w)^(1/3) ρp^(−1/3) V^(−1/3) cos^(−1/2) θ S^(2/3) (σ/40)^(1/6)``,
      K_H = 0.6 when the Nextel/Kevlar layer is 25–35 % of the shield mass, 0.45 when 10–15 % (p.60);
      other fractions use 0.6 unless `k_high` is given;
    * between: linear in V (Handbook eq. 4-49; K_Li = 2.35·2.6^(−2/3) = 1.243 and
      K_Hi = 0.6·6.5^(−1/3) = 0.321 are those endpoints).

    MLI on the bumper is counted as extra bumper thickness 3 m_MLI / 2.78 g/cm³ (BLAP convention).
    S is the overall bumper-to-rear-wall spacing. Failure = perforation or detached spall.

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    bumper_thickness_m, bumper_density_kg_m3
        Outer aluminium bumper [m], [kg m⁻³].
    stuffing_areal_density_kg_m2
        Areal density of the Nextel/Kevlar intermediate layer [kg m⁻²].
    standoff_m
        Overall spacing, outer bumper to rear wall [m].
    wall_thickness_m, wall_density_kg_m3, wall_yield_pa
        Rear wall [m], [kg m⁻³], [Pa].
    mli_areal_density_kg_m2
        MLI areal density [kg m⁻²].
    k_high
        Override of K_H (0.6 or 0.45).
    """
    tb = to_cm(param("bumper_thickness_m", bumper_thickness_m))
    rb = g_cm3(param("bumper_density_kg_m3", bumper_density_kg_m3))
    m_nk = g_cm2(param("stuffing_areal_density_kg_m2", stuffing_areal_density_kg_m2))
    s = to_cm(param("standoff_m", standoff_m))
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    rw = g_cm3(param("wall_density_kg_m3", wall_density_kg_m3))
    sig = ksi(param("wall_yield_pa", wall_yield_pa))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.asarray(angle_rad, dtype=float))
        m_b = (tb + 3.0 * mli / _RHO_REF) * rb + m_nk
        m_total = m_b + tw * rw
        frac_nk = m_nk / m_total
        if k_high is None:
            kh = np.where((frac_nk >= 0.10) & (frac_nk <= 0.15), 0.45, 0.6)
        else:
            kh = np.asarray(param("k_high", k_high), dtype=float)
        lc, lrp = np.log(c), np.log(rp)
        log_v_lv = np.log(2.6) - 0.5 * lc
        log_v_hv = np.log(6.5) - 0.75 * lc
        log_low = np.log(2.35 * (tw * (sig / 40.0) ** 0.5 + 0.37 * m_b)) - (4 / 3) * lc - 0.5 * lrp
        log_high = (
            np.log(kh * (tw * rw) ** (1 / 3) * s ** (2 / 3) * (sig / 40.0) ** (1 / 6))
            - lrp / 3
            - 0.5 * lc
        )
        d_cm = three_regime(np.log(v), v, log_low, 2 / 3, log_high, 1 / 3, log_v_lv, log_v_hv)
    return finish(
        "christiansen_kerr_stuffed_whipple",
        d_cm,
        speed_m_s,
        angle_rad,
        projectile_density_kg_m3,
        ANGLE_OPEN,
    )
