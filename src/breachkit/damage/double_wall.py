"""More Whipple (double-wall) ballistic limit equations: modified NNO, Reimerdes, JSC 2024.

Sources
-------
* E.L. Christiansen, J.H. Kerr, "Ballistic limit equations for spacecraft shielding", Int. J.
  Impact Eng. 26 (2001) 93–104, eqs 1–3 p.97 (the "modified NNO" generalised Whipple BLE; read in
  the paper's text).
* H.-G. Reimerdes, D. Nölke, F.K. Schäfer, "Modified Cour-Palais/Christiansen damage equations
  for double-wall structures", Int. J. Impact Eng. 33 (2006) 645–654, eqs 10–15 and Table 1
  (read in the paper's text).
* S. Ryan, W.P. Schonberg, "A review of Whipple shield ballistic limit equations", Int. J. Impact
  Eng. 187 (2024) 104899 — the modified JSC Whipple. The paper was **not** readable here; its three
  modifications of the 2011 form are as stated in the first author's implementation (pyBLOSSUM
  ``BLE_JSCwhipple_mod.py``, MIT), written independently: (t_b/d)_crit interpolated linearly
  between S/d = 15 and 30, (t_b/d)_crit carrying ρp/ρb, and r_S/D of F2* evaluated at the impact
  speed instead of V_HV (after Squire et al., NASA/TM-2015-218780).

Units in the formulas: cm, g/cm³, km/s, ksi, g (projectile mass m = π d³ ρp / 6).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.units import DEG
from breachkit._core.validity import register
from breachkit.damage._common import (
    ANGLE_CAP_65,
    DENSITY_RANGE,
    SPEED_RANGE,
    Array,
    finish,
    g_cm2,
    g_cm3,
    km_s,
    ksi,
    param,
    to_cm,
)
from breachkit.damage.whipple import _RHO_REF, _hv_classic, _low_velocity_transition

__all__ = ["christiansen_kerr_modified_nno", "reimerdes_whipple", "ryan_schonberg_whipple"]

_CAP = 65.0 * DEG
register("christiansen_kerr_modified_nno", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE)
register("reimerdes_whipple", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE)
register("ryan_schonberg_whipple", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE)


def _solve_log(h: Callable[[Array], Array], lo: Array, hi: Array, n: int = 60) -> Array:
    """Root of the increasing h(u) in [lo, hi] by vectorised bisection (n halvings)."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        pos = h(mid) > 0
        hi = np.where(pos, mid, hi)
        lo = np.where(pos, lo, mid)
    return 0.5 * (lo + hi)


def _interp_shatter(d_lo: Array, d_hi: Array, v: Array, v_lv: Array, v_hv: Array) -> Array:
    span = v_hv - v_lv
    frac = np.where(span > 0, (v - v_lv) / np.where(span > 0, span, 1.0), 1.0)
    return d_lo + (d_hi - d_lo) * np.clip(frac, 0.0, 1.0)


def christiansen_kerr_modified_nno(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_thickness_m: ArrayLike,
    bumper_density_kg_m3: ArrayLike,
    standoff_m: ArrayLike,
    wall_thickness_m: ArrayLike,
    wall_density_kg_m3: ArrayLike,
    wall_yield_pa: ArrayLike,
    mli_areal_density_kg_m2: ArrayLike = 0.0,
    mli_standoff_m: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical diameter of a Whipple shield, Christiansen & Kerr (2001) "modified NNO" form [m].

    IJIE 26 (2001) 93–104, eqs 1–3 p.97 (cm, g/cm³, km/s; σ_h = σ/70 ksi, σ_L = σ/40 ksi;
    θ capped at 65°):

    * V ≥ V_H/cos θ (eq 1): ``d_c = k_h ρp^(−1/3) (V cos θ)^(−2/3) ρb^(−1/9) S^(1/2) (t_w ρ_w)^(2/3)
      σ_h^(1/3) + Δ_MLI``, V_H = 7 km/s, k_h = 1.35 unless β = t_b/(t_w^(2/3) S^(1/3)) < 0.126,
      then k_h = 7.451 β + 0.411 (continuous at 0.126); Δ_MLI = 1.4 m_MLI (S_MLI/S)^(1/2);
    * V ≤ V_L/cos^1.5 θ (eq 3): ``d_c = k_l (t_w σ_L^(1/2) + C_L t_b ρb) cos^(−11/6) θ ρp^(−1/2)
      V^(−2/3)``, k_l = 1.9, C_L = 0.37 cm³/g, V_L = 3 km/s (2 km/s with MLI);
    * between (eq 2): linear in V between the two ends.

    The paper's text gives "k_h = 1.35 unless β < 0.126": thin bumpers are de-rated. pyBLOSSUM
    ``BLE_modNNOwhipple.py`` applies the linear k_h when β ≥ 0.126 instead (the opposite branch);
    breachkit follows the paper (docs/damage.md). MLI on the bumper (``mli_standoff_m`` = 0) adds
    3 m_MLI/2.78 g/cm³ to t_b (BLAP convention). Validity: the paper's database, 0.02–1.9 cm
    projectiles, 2 to > 8 km/s, 0–75°, t_b/d 0.05 to > 1, S/d 3 to > 140; breachkit's common speed,
    angle and density ranges are enforced.
    """
    tb = to_cm(param("bumper_thickness_m", bumper_thickness_m))
    rb = g_cm3(param("bumper_density_kg_m3", bumper_density_kg_m3))
    s = to_cm(param("standoff_m", standoff_m))
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    rw = g_cm3(param("wall_density_kg_m3", wall_density_kg_m3))
    sig = ksi(param("wall_yield_pa", wall_yield_pa))
    mli = g_cm2(param("mli_areal_density_kg_m2", mli_areal_density_kg_m2, allow_zero=True))
    s_mli = to_cm(param("mli_standoff_m", mli_standoff_m, allow_zero=True))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.minimum(np.asarray(angle_rad, dtype=float), _CAP))
        internal = (s_mli > 0) & (mli > 0)
        tb_eff = np.where(internal, tb, tb + 3.0 * mli / _RHO_REF)
        delta = np.where(internal, 1.4 * mli * (s_mli / s) ** 0.5, 0.0)
        beta = tb_eff / (tw ** (2 / 3) * s ** (1 / 3))
        kh = np.where(beta < 0.126, 7.451 * beta + 0.411, 1.35)
        v_l = np.where(internal, 2.0, 3.0)
        v_lv = v_l / c**1.5
        v_hv = 7.0 / c
        high_core = kh * rp ** (-1 / 3) * rb ** (-1 / 9) * s**0.5 * (tw * rw) ** (2 / 3)
        high_core = high_core * (sig / 70.0) ** (1 / 3)
        low_core = 1.9 * (tw * (sig / 40.0) ** 0.5 + 0.37 * tb_eff * rb) * c ** (-11 / 6) * rp**-0.5

        def d_high(vel: Array) -> Array:
            return high_core * (vel * c) ** (-2 / 3) + delta

        def d_low(vel: Array) -> Array:
            return low_core * vel ** (-2 / 3)

        mid = _interp_shatter(d_low(v_lv), d_high(v_hv), v, v_lv, v_hv)
        d_cm = np.where(v <= v_lv, d_low(v), np.where(v >= v_hv, d_high(v), mid))
    return finish(
        "christiansen_kerr_modified_nno",
        d_cm,
        speed_m_s,
        angle_rad,
        projectile_density_kg_m3,
        ANGLE_CAP_65,
    )


#: Reimerdes et al. (2006): K∞ of aluminium targets (eq. 9, from their ref. [6]).
K_INF_AL = 0.42
#: Reimerdes et al. (2006) Table 1: k of t_w = k p∞ by failure mode (no perforation).
K_PERFORATION = 1.8


def _reimerdes_low(num: Array, rp: Array, vn: Array, k_inf: float) -> Array:
    """Eq. 10: d = [(t_w/k + t_s) / (0.796 K∞ ρp^0.518 v_n^(2/3))]^(18/19) [cm]."""
    return (num / (0.796 * k_inf * rp**0.518 * vn ** (2 / 3))) ** (18 / 19)


def reimerdes_whipple(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    bumper_thickness_m: ArrayLike,
    bumper_density_kg_m3: ArrayLike,
    standoff_m: ArrayLike,
    wall_thickness_m: ArrayLike,
    wall_yield_pa: ArrayLike,
    k: float = K_PERFORATION,
) -> NDArray[np.float64] | float:
    """Critical diameter of an aluminium double wall, Reimerdes, Nölke & Schäfer (2006) [m].

    IJIE 33 (2006) 645–654 (cm, g/cm³, km/s, ksi; v_n = V cos θ, θ capped at 65° as in the JSC
    equations the paper modifies, Handbook eq. 4-26):

    * v_n < v_lim (eq 10): ``d = [(t_w/k + t_s) / (0.796 K∞ ρp^0.518 v_n^(2/3))]^(18/19)``,
      K∞ = 0.42 (aluminium), k = 1.8 (no perforation; Table 1: 2.2 no detached spall, 3.0 no
      spallation);
    * v_lim from the onset of projectile fragmentation (eq 11): v_lim = 1.853 + 0.397
      (t_s/d)^(−0.565) km/s, intersected with eq. 10 (solved by bisection in v_n);
    * v_n ≥ 7 km/s (eq 15): ``d = 3.918 F2*^(−2/3) t_w^(2/3) ρp^(−1/3) ρs^(−1/9) v_n^(−2/3) S^(1/3)
      (σ/70)^(1/3)``, F2* = 1 + (r_S/D − 1)(1 − x)² for x = (t_s/d)/(t_s/d)_crit < 1 (eq 12),
      (t_s/d)_crit = 0.25 ρp/ρs (S/d < 30) or 0.20 ρp/ρs, r_S/D = k K∞ m^0.352 ρp^(1/6) v^(2/3) /
      (0.178 m^(1/2) ρs^(1/6) v S^(−1/2) (70/σ)^(1/2)) at v = 7 km/s (eqs 3, 8, 9, 13), m the
      sphere mass [g]; F2* depends on d, solved by bisection;
    * between v_lim and 7 km/s: linear in v_n (as the original equations, p.646).

    pyBLOSSUM ``BLE_reimerdeswhipple.py`` takes m = π(d/2)³ρp (3/4 of the sphere mass) in r_S/D;
    breachkit uses the sphere mass. Validity: aluminium projectiles on aluminium (p.649: eq 11 "not
    valid for other materials"); breachkit's common speed, angle and density ranges. No MLI term.
    """
    ts = to_cm(param("bumper_thickness_m", bumper_thickness_m))
    rs = g_cm3(param("bumper_density_kg_m3", bumper_density_kg_m3))
    s = to_cm(param("standoff_m", standoff_m))
    tw = to_cm(param("wall_thickness_m", wall_thickness_m))
    sig = ksi(param("wall_yield_pa", wall_yield_pa))
    kf = float(param("k", k))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rp = g_cm3(projectile_density_kg_m3)
        v = km_s(speed_m_s)
        c = np.cos(np.minimum(np.asarray(angle_rad, dtype=float), _CAP))
        vn = v * c
        shape = np.broadcast_shapes(*(np.shape(a) for a in (ts, rs, s, tw, sig, rp, vn)))
        ts, rs, s, tw, sig, rp, vn, c = (
            np.broadcast_to(np.asarray(a, dtype=float), shape)
            for a in (ts, rs, s, tw, sig, rp, vn, c)
        )
        num = tw / kf + ts

        def lim_gap(lv: Array) -> Array:  # v − v_lim(t_s/d(v)), increasing in v
            vv = np.exp(lv)
            d = _reimerdes_low(num, rp, vv, K_INF_AL)
            return vv - (1.853 + 0.397 * (ts / d) ** -0.565)

        v_lim = np.minimum(
            np.exp(
                _solve_log(lim_gap, np.full(shape, np.log(1.853)), np.full(shape, np.log(50.0)))
            ),
            7.0,
        )
        d_hv7 = _reimerdes_hv(ts, rs, s, tw, sig, rp, np.full(shape, 7.0), kf)
        d_hv = _reimerdes_hv(ts, rs, s, tw, sig, rp, np.maximum(vn, 7.0), kf)
        d_lo = _reimerdes_low(num, rp, np.minimum(vn, v_lim), K_INF_AL)
        mid = _interp_shatter(d_lo, d_hv7, vn, v_lim, np.full(shape, 7.0))
        d_cm = np.where(vn < v_lim, d_lo, np.where(vn >= 7.0, d_hv, mid))
    return finish(
        "reimerdes_whipple", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_CAP_65
    )


def _reimerdes_hv(
    ts: Array, rs: Array, s: Array, tw: Array, sig: Array, rp: Array, vn: Array, k: float
) -> Array:
    """Eqs 12–15: the de-rated hypervelocity branch at normal speed `vn` [cm]."""
    d0 = _hv_classic(tw, s, sig, rp, rs, vn)

    def f2(d: Array) -> Array:
        m = np.pi * d**3 * rp / 6.0
        t0 = k * K_INF_AL * m**0.352 * rp ** (1 / 6) * 7.0 ** (2 / 3)
        tc = 0.178 * m**0.5 * rs ** (1 / 6) * 7.0 * s**-0.5 * (70.0 / sig) ** 0.5
        crit = np.where(s / d < 30.0, 0.25, 0.20) * rp / rs
        x = (ts / d) / crit
        return np.where(x >= 1.0, 1.0, 1.0 + (t0 / tc - 1.0) * (1.0 - x) ** 2)

    ld0 = np.log(d0)
    u = _solve_log(lambda u: u + (2 / 3) * np.log(f2(np.exp(u))) - ld0, ld0 - 7.0, ld0 + 7.0)
    return np.exp(u)


def ryan_schonberg_whipple(
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
    """Critical diameter of a Whipple shield, modified JSC form of Ryan & Schonberg (2024) [m].

    `breachkit.damage.ryan_christiansen_whipple` (R&C 2011, Handbook eqs 4-23…4-36) with the three
    changes of IJIE 187 (2024) 104899 as stated by its first author's code (module docstring):

    * (t_b/d)_crit = ρp/ρb · {0.25 for S/d ≤ 15; 0.25 − 0.05 (S/d − 15)/15 for 15 < S/d < 30;
      0.20 for S/d ≥ 30} (continuous, no jump at S/d = 30);
    * in the hypervelocity branch r_S/D of F2* = 1 + (r_S/D − 1)(1 − x)² is evaluated at the
      impact speed V (Squire et al., NASA/TM-2015-218780), not at V_HV; the shatter line's upper
      end is the hypervelocity value at V_HV;
    * otherwise as 2011: V_LV from Piekutowski's threshold (2.6 km/s if t_b/d ≥ 0.16), V_HV =
      7/cos θ, 65° cap, MLI in the gap (Δd = 1.4 m_MLI (S_MLI/S)^(1/2), V_LV = 2/cos θ) or on the
      bumper (3 m_MLI/2.78 added to t_b).

    F2* depends on d: solved by bisection on ln d. Validity as `ryan_christiansen_whipple`;
    **unverified against the paper** (not readable here), scored against the Whipple shots in
    docs/validation/ble.md.
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
        delta = np.where(internal, 1.4 * mli * (s_mli / s) ** 0.5, 0.0)
        low_num = tw * (sig / 40.0) ** 0.5 + tb_eff
        a0 = (low_num / (0.6 * rp**0.5)) ** (18 / 19)
        v1 = np.where(internal, 2.0, _low_velocity_transition(a0, tb_eff))
        v_hv = 7.0 / c
        v_lv = np.minimum(v1 / c, v_hv)

        def d_low(vel: Array) -> Array:
            return (low_num / (0.6 * c ** (5 / 3) * rp**0.5 * vel ** (2 / 3))) ** (18 / 19)

        def d_high(vel: Array) -> Array:
            return _rs_hv(tb_eff, s, tw, sig, rp, rb, c, vel) + delta

        d_hv = d_high(np.maximum(v, v_hv))
        mid = _interp_shatter(d_low(v_lv), d_hv, v, v_lv, v_hv)
        d_cm = np.where(v <= v_lv, d_low(v), np.where(v >= v_hv, d_hv, mid))
    return finish(
        "ryan_schonberg_whipple", d_cm, speed_m_s, angle_rad, projectile_density_kg_m3, ANGLE_CAP_65
    )


def _rs_hv(
    tb: Array, s: Array, tw: Array, sig: Array, rp: Array, rb: Array, c: Array, v: Array
) -> Array:
    """The 2024 de-rated hypervelocity branch at speed `v` [km/s] (r_S/D at v) [cm]."""
    shape = np.broadcast_shapes(*(np.shape(a) for a in (tb, s, tw, sig, rp, rb, c, v)))
    tb, s, tw, sig, rp, rb, c, v = (
        np.broadcast_to(np.asarray(a, dtype=float), shape) for a in (tb, s, tw, sig, rp, rb, c, v)
    )
    d0 = _hv_classic(tw, s, sig, rp, rb, v * c)

    def f2(d: Array) -> Array:
        t0 = 0.6 * d ** (19 / 18) * c ** (5 / 3) * rp**0.5 * v ** (2 / 3) / (sig / 40.0) ** 0.5
        mp = np.pi * d**3 * rp / 6.0
        tc = 0.16 * d**0.5 * (rp * rb) ** (1 / 6) * mp ** (1 / 3) * v * c / s**0.5
        tc = tc * (70.0 / sig) ** 0.5
        sd = s / d
        cb = np.where(
            sd <= 15.0, 0.25, np.where(sd >= 30.0, 0.20, 0.25 - 0.05 * (sd - 15.0) / 15.0)
        )
        x = (tb / d) / (cb * rp / rb)
        return np.where(x >= 1.0, 1.0, 1.0 + (t0 / tc - 1.0) * (1.0 - x) ** 2)

    ld0 = np.log(d0)
    u = _solve_log(lambda u: u + (2 / 3) * np.log(f2(np.exp(u))) - ld0, ld0 - 7.0, ld0 + 7.0)
    return np.exp(u)
