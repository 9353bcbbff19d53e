"""The Ryan & Christiansen (2011) Whipple at table speed with error control.

`ryan_christiansen_whipple` solves the thin-bumper de-rating d = F2*(d)^(−2/3) d0 iteratively
(~6·10⁵ evaluations per second per core). `FastRyanChristiansenWhipple` binds one shield and one
projectile density and splits the equation along its own regime boundaries, which are closed-form
in the normal speed V_n = V cos θ_c (θ_c = min(θ, 65°)):

* ballistic, V_n ≤ v₁ (v₁ = the low-velocity transition at normal incidence, 2.6 km/s or the
  Piekutowski intersection, or 2 km/s with MLI in the gap; capped at 7): the closed form,
  evaluated exactly;
* shatter, v₁ < V_n < 7 km/s: the published straight line in V between d_c(V_LV) (closed form,
  exact) and d_c(V_HV), which is the hypervelocity value at V_n = 7;
* hypervelocity, V_n ≥ 7 km/s: ln d_c tabulated on a grid even in ln V_n ∈ [ln 7, ln 72] and in
  θ_c ∈ [0°, 65°] — the two coordinates in which the regime boundaries and the 65° cap are grid
  lines, so no kink of the equation falls inside a cell — and interpolated bilinearly.

Error control: when built, every cell is checked against the direct solve on a 5 × 5 sub-grid
(corners, edge points, centre and quarter points); a cell erring by more than `tolerance`
anywhere there (e.g. one crossed by the jump of (t_b/d)_crit at S/d = 30) is marked and queries
falling in it are evaluated directly. `max_relative_error_` is the largest error measured in the
cells kept. Same equations, sources and validity as `ryan_christiansen_whipple`.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import DEG
from breachkit._core.validity import ValidityWarning
from breachkit.damage._common import ANGLE_CAP_65, finish, g_cm2, g_cm3, km_s, ksi, to_cm
from breachkit.damage.whipple import (
    _RHO_REF,
    _hv_classic,
    _hv_derated,
    _low_velocity_transition,
    ryan_christiansen_whipple,
)

__all__ = ["FastRyanChristiansenWhipple"]

_CAP = 65.0 * DEG
_LN7 = float(np.log(7.0))
_LN72 = float(np.log(72.0))


class FastRyanChristiansenWhipple:
    """`ryan_christiansen_whipple` for one shield and one projectile density, fast (module doc).

    Parameters
    ----------
    projectile_density_kg_m3
        Projectile density [kg m⁻³] (one evaluator per density).
    tolerance
        Largest relative error accepted in a table cell [-] (default 1e-3 = 0.1 %).
    n_speed, n_angle
        Grid nodes in ln V_n over [7, 72] km/s and in θ over [0°, 65°].
    **shield
        The SI shield parameters of `ryan_christiansen_whipple` (``bumper_thickness_m``, ...).

    Attributes
    ----------
    max_relative_error_
        Largest |table/direct − 1| on the check sub-grid of the cells kept [-].
    n_direct_cells_
        Cells evaluated directly (their error exceeded `tolerance`).
    """

    def __init__(
        self,
        projectile_density_kg_m3: float,
        *,
        tolerance: float = 1e-3,
        n_speed: int = 96,
        n_angle: int = 66,
        **shield: Any,
    ) -> None:
        if not 0 < tolerance < 0.1:
            raise InputError(f"tolerance: {tolerance!r} must lie in (0, 0.1)")
        self.shield = dict(shield)
        self.rho = float(projectile_density_kg_m3)
        self.tolerance = tolerance
        rp = g_cm3(self.rho)
        tb = to_cm(shield["bumper_thickness_m"])
        tw = to_cm(shield["wall_thickness_m"])
        sig = ksi(shield["wall_yield_pa"])
        mli = g_cm2(shield.get("mli_areal_density_kg_m2", 0.0))
        s_mli = to_cm(shield.get("mli_standoff_m", 0.0))
        internal = bool(s_mli > 0 and mli > 0)
        tb_eff = tb if internal else tb + 3.0 * mli / _RHO_REF
        s = to_cm(shield["standoff_m"])
        rb = g_cm3(shield["bumper_density_kg_m3"])
        delta_hv = 1.4 * mli * (s_mli / s) ** 0.5 if internal else 0.0
        self._k: dict[str, NDArray[np.float64]] = {
            "tw": tw, "s": s, "sig": sig, "rp": rp, "rb": rb,
            "tb_eff": np.asarray(tb_eff, dtype=float),
            "delta_hv": np.asarray(delta_hv, dtype=float),
        }  # fmt: skip
        low_num = tw * (sig / 40.0) ** 0.5 + tb_eff
        a0 = (low_num / (0.6 * rp**0.5)) ** (18 / 19)
        v1 = 2.0 if internal else float(_low_velocity_transition(np.asarray(a0), tb_eff))
        self._v1 = min(v1, 7.0)
        #: ln d_low = base − (18/19)((5/3) ln c + (2/3) ln V), d in cm
        self._base = float((18 / 19) * (np.log(low_num) - np.log(0.6) - 0.5 * np.log(rp)))
        self._w = np.linspace(_LN7, _LN72, n_speed)
        self._th = np.linspace(0.0, _CAP, n_angle)
        self._inv_hw = (n_speed - 1) / (_LN72 - _LN7)
        self._inv_ht = (n_angle - 1) / _CAP
        self._nth = n_angle
        self._table = np.log(self._hv_direct(self._w[:, None], self._th[None, :]))
        # bilinear coefficients per cell (a, b − a, c − a, d − c − b + a), flat by cell index
        t = self._table
        pad = np.full_like(t, np.nan)
        a, b, cc, dd = t, pad.copy(), pad.copy(), pad.copy()
        b[:, :-1], cc[:-1, :], dd[:-1, :-1] = t[:, 1:], t[1:, :], t[1:, 1:]
        self._coef = tuple(
            np.ascontiguousarray(x.ravel()) for x in (a, b - a, cc - a, dd - cc - b + a)
        )
        self._check()

    def _hv_direct(self, log_vn: ArrayLike, theta: ArrayLike) -> NDArray[np.float64]:
        """Hypervelocity-branch d_c [cm] at ln V_n [ln km/s], θ ≤ 65°: the iterative solve of
        `ryan_christiansen_whipple` (it depends on V only through V_n = V cos θ)."""
        w, th = np.broadcast_arrays(np.asarray(log_vn, float), np.asarray(theta, float))
        c = np.cos(th)
        k = self._k
        d0 = _hv_classic(k["tw"], k["s"], k["sig"], k["rp"], k["rb"], np.exp(w))
        d = _hv_derated(d0, k["tb_eff"], k["s"], k["sig"], k["rp"], k["rb"], c, 7.0 / c)
        return np.asarray(d, dtype=float) + k["delta_hv"]

    def _check(self) -> None:
        k = 5
        f = np.linspace(0.0, 1.0, k)
        hw, ht = 1.0 / self._inv_hw, 1.0 / self._inv_ht
        w = self._w[:-1, None, None, None] + f[None, None, :, None] * hw
        th = self._th[None, :-1, None, None] + f[None, None, None, :] * ht
        exact = np.log(self._hv_direct(w, th))
        t00 = self._table[:-1, :-1, None, None]
        t01 = self._table[:-1, 1:, None, None]
        t10 = self._table[1:, :-1, None, None]
        t11 = self._table[1:, 1:, None, None]
        fw, ft = f[:, None], f[None, :]
        interp = (
            t00 * (1 - fw) * (1 - ft) + t01 * (1 - fw) * ft + t10 * fw * (1 - ft) + t11 * fw * ft
        )
        err = np.abs(np.expm1(interp - exact)).max(axis=(2, 3))
        err = np.where(np.isfinite(err), err, np.inf)
        bad = err > self.tolerance
        self._bad = np.zeros((self._w.size, self._nth), dtype=bool)
        self._bad[:-1, :-1] = bad
        self._bad_flat = self._bad.ravel()
        self._any_bad = bool(bad.any())
        kept = err[~bad]
        self.max_relative_error_ = float(kept.max()) if kept.size else 0.0
        self.n_direct_cells_ = int(bad.sum())

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike
    ) -> NDArray[np.float64] | float:
        """Critical diameter [m] at speed [m s⁻¹] and angle from the normal [rad]."""
        speed = np.asarray(speed_m_s, dtype=float)
        angle = np.asarray(angle_rad, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            th = np.minimum(angle, _CAP)
            # cos in single precision (SIMD, ~15× faster here; 1e-7 relative, far inside the
            # tolerance), everything else in double
            c = np.cos(th.astype(np.float32)).astype(float)
            v = km_s(speed)
            lv = np.log(v)
            lc = np.log(c)
            lvn = lv + lc
            # hypervelocity table at ln V_n ≥ ln 7 (at ln 7 it is d_c(V_HV), the shatter end)
            fi = (np.maximum(lvn, _LN7) - _LN7) * self._inv_hw
            fj = th * self._inv_ht
            i = np.minimum(fi.astype(np.intp), self._w.size - 2)
            j = np.minimum(fj.astype(np.intp), self._nth - 2)
            ti, tj = fi - i, fj - j
            cell = i * self._nth + j
            c0, c1, c2, c3 = (q[cell] for q in self._coef)
            d_h = np.exp(c0 + c1 * tj + (c2 + c3 * tj) * ti)
            # ballistic branch at min(V, V_LV): exact closed form
            lvb = np.minimum(lv, np.log(self._v1) - lc)
            d_l = np.exp(self._base - (18 / 19) * ((5 / 3) * lc + (2 / 3) * lvb))
            vn = v * c
            if self._v1 < 7.0:
                frac = np.clip((vn - self._v1) / (7.0 - self._v1), 0.0, 1.0)
            else:
                frac = (vn >= 7.0).astype(float)
            d_cm = d_l + (d_h - d_l) * frac
        if self._any_bad:
            need = np.asarray(self._bad_flat[cell] & (frac > 0) & np.isfinite(d_cm))
            if need.any():
                d_cm = np.array(d_cm, dtype=float, copy=True)
                sp, an = np.broadcast_arrays(speed, angle)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ValidityWarning)
                    exact = ryan_christiansen_whipple(sp[need], an[need], self.rho, **self.shield)
                d_cm[need] = np.asarray(exact) * 100.0
        return finish(
            "ryan_christiansen_whipple", d_cm, speed_m_s, angle_rad, self.rho, ANGLE_CAP_65
        )
