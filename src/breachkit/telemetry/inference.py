"""Leak inference: onset (Bayesian change point), hole area, sudden vs growing, no-leak evidence.

The method (details and justification in docs/telemetry.md):

1. **Decimation.** The series is averaged into at most ``max_bins`` equal-width time bins (bin
   mean and count). Bin means are sufficient for any model that is smooth on the bin scale, so no
   information about a decay slower than a bin is lost; noise between bins is then *estimated*
   from the residual scatter, which absorbs correlated (thermal, quantisation) noise.
2. **Models** on bin times u ∈ [0, 1] (record-normalised):
   * null (no leak): a straight line, or a line with one break in slope (thermal drift, a control
     change, normal consumption);
   * sudden leak: y = (a + b (u − u0))·R(λ (u − u0)₊), R the vessel's pressure ratio of the leak
     coordinate (`breachkit.telemetry.leak`), λ = κ·Cd·A·T the dimensionless leak rate;
   * growing leak: the same with Cd·A(t) growing linearly or exponentially from the onset.
   a, b enter linearly and are solved exactly (variable projection).
3. **Likelihood.** Gaussian with unknown variance profiled out: ℓ = −(n_eff/2)·ln RSS, where
   n_eff = N(1 − ρ)/(1 + ρ) corrects for the lag-1 autocorrelation ρ of the best model's
   residuals (an AR(1) effective sample size), so that correlated drift is not taken for evidence.
4. **Onset.** A uniform prior on the onset over [−T, T) (before and inside the record) on a grid;
   the posterior over the onset and ln λ is computed on a joint grid (λ profiled, then marginalised on
   a fine grid around its mode). The onset interval is the 2.5–97.5 % posterior quantiles.
5. **Evidence.** ln p(y | M) = ln Σ_grid prior·exp(ℓ) − (k/2)·ln n_eff (exact sum over the
   change point, BIC/Laplace for the k continuous parameters). Bayes factors are ratios of these.
   A leak is declared only when BF(leak : no leak) exceeds ``leak_threshold`` (default 100,
   "decisive" on Jeffreys' scale) *and* the fitted leak drop inside the record exceeds three
   residual standard deviations and two quantisation steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from breachkit.telemetry.vessels import Vessel

__all__ = ["BinnedSeries", "LeakFit", "bin_series", "fit_leak", "weighted_quantile"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class BinnedSeries:
    """Bin means ``y`` [SI] at mean times ``t`` [s since record start] with sample counts ``w``."""

    t: F64
    y: F64
    w: F64
    n_raw: int
    lo: F64 | None = None
    hi: F64 | None = None


def bin_series(t_s: NDArray[Any], values: NDArray[Any], max_bins: int = 2000) -> BinnedSeries:
    """Average a series into ≤ `max_bins` equal-width time bins (empty bins dropped)."""
    n = int(t_s.size)
    if n <= max_bins:
        return BinnedSeries(
            np.asarray(t_s, dtype=float), np.asarray(values, dtype=float), np.ones(n), n
        )
    t0, span = float(t_s[0]), float(t_s[-1] - t_s[0])
    width = span / max_bins if span > 0 else 1.0
    idx = np.minimum(((t_s - t0) * (1.0 / width)).astype(np.int64), max_bins - 1)
    cnt = np.bincount(idx, minlength=max_bins).astype(float)
    sy = np.bincount(idx, weights=values, minlength=max_bins)
    st = np.bincount(idx, weights=t_s - t0, minlength=max_bins)
    keep = cnt > 0
    # first and last sample time of each bin (samples are sorted, so bins are contiguous runs)
    ends = np.cumsum(cnt.astype(np.int64))
    starts = ends - cnt.astype(np.int64)
    lo = np.asarray(t_s[np.minimum(starts, n - 1)], dtype=float)
    hi = np.asarray(t_s[np.maximum(ends - 1, 0)], dtype=float)
    return BinnedSeries(
        st[keep] / cnt[keep] + t0, sy[keep] / cnt[keep], cnt[keep], n, lo[keep], hi[keep]
    )


def weighted_quantile(x: F64, w: F64, q: F64 | list[float]) -> F64:
    """Quantiles of a discrete distribution (values `x`, weights `w`), linear between points."""
    o = np.argsort(x)
    xs, ws = x[o], w[o]
    c = np.cumsum(ws)
    c = (c - 0.5 * ws) / c[-1]
    return np.interp(np.asarray(q, dtype=float), c, xs)


@dataclass
class LeakFit:
    """Raw result of `fit_leak` (times in seconds since the record start, SI values)."""

    leak: bool
    ln_bf_leak: float
    ln_bf_growing: float
    signature: Literal["sudden", "growing", "none"]
    n_eff: float
    rho: float
    sigma: float
    onset_s: float
    onset_ci_s: tuple[float, float]
    onset_before_record: bool
    p_before_record: float
    cd_area_m2: float
    cd_area_ci_m2: tuple[float, float]
    p0: float
    drift: float
    growth_law: str
    growth_rate_s: float
    cd_area_end_m2: float
    cd_area_end_ci_m2: tuple[float, float]
    depletion_s: float
    depletion_ci_s: tuple[float, float]
    trend_slope: float
    trend_slope_se: float
    leak_drop: float
    curves: dict[str, F64] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sudden_params: dict[str, float] = field(default_factory=dict)

    def sudden_model(self, t_s: F64, onset_s: float | None = None) -> F64:
        """The fitted sudden-leak pressure [SI] at times `t_s` [s], optionally with another onset."""
        q = self.sudden_params
        u = (np.asarray(t_s, dtype=float) - q["t_first"]) / q["T"]
        u0 = q["u0"] if onset_s is None else (onset_s - q["t_first"]) / q["T"]
        base = q["a"] + q["b"] * (u - u0)
        x = q["lam"] * np.maximum(u - u0, 0.0)
        return np.asarray(base * self._ratio(x) * q["scale"], dtype=float)

    _ratio: Any = None


def _ols3(
    cols: list[F64], y: F64, w: F64, ridge: float = 1e-12
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Weighted least squares for stacked designs: cols are (G, N) arrays; returns (beta, rss)."""
    k = len(cols)
    g = cols[0].shape[0]
    a = np.empty((g, k, k))
    r = np.empty((g, k))
    for i in range(k):
        wi = cols[i] * w
        r[:, i] = wi @ y
        for j in range(i, k):
            a[:, i, j] = a[:, j, i] = np.einsum("gn,gn->g", wi, cols[j])
    a += ridge * np.eye(k) * np.maximum(np.trace(a, axis1=1, axis2=2)[:, None, None], 1e-300)
    beta = np.linalg.solve(a, r[..., None])[..., 0]
    rss = float(np.sum(w * y * y)) - np.einsum("gk,gk->g", beta, r)
    return np.asarray(beta, dtype=float), np.asarray(np.maximum(rss, 1e-300), dtype=float)


class _Problem:
    """Normalised data and the model evaluations shared by the fits."""

    def __init__(self, b: BinnedSeries, vessel: Vessel):
        self.T = max(float(b.t[-1] - b.t[0]), 1e-9)
        self.t_first = float(b.t[0])
        self.u = (b.t - b.t[0]) / self.T
        self.scale = float(np.max(np.abs(b.y))) or 1.0
        self.y = b.y / self.scale
        self.w = b.w / np.mean(b.w)
        self.N = self.u.size
        self.W = float(np.sum(self.w))
        self.vessel = vessel
        self.yy = float(np.sum(self.w * self.y * self.y))
        # sub-sample times inside each bin: the model of a bin mean is the bin average of the
        # model (a kink or a steep start inside a bin is not smeared into a wrong shape)
        per_bin = float(np.max(b.w))
        self.K = int(min(8, np.ceil(per_bin))) if b.lo is not None and per_bin > 1 else 1
        if self.K > 1 and b.lo is not None and b.hi is not None:
            frac = (np.arange(self.K) + 0.5) / self.K
            lo = (b.lo - b.t[0]) / self.T
            hi = (b.hi - b.t[0]) / self.T
            self.usub = lo[:, None] + frac[None, :] * (hi - lo)[:, None]
        else:
            self.usub = self.u[:, None]

    def shape(self, u0: F64, lam: F64, law: str = "constant", r: float = 0.0) -> F64:
        s = np.maximum(self.u[None, :] - u0[:, None], 0.0)
        if law == "constant":
            x = lam[:, None] * s
        elif law == "linear":
            x = lam[:, None] * (s + 0.5 * r * s * s)
        else:
            x = lam[:, None] * np.expm1(np.minimum(r * s, 700.0)) / r
        return self.vessel.ratio(x)

    def shape_exact(
        self, u0: F64, lam: F64, law: str = "constant", r: float = 0.0
    ) -> tuple[F64, F64]:
        """Bin averages of the shape f and of (u − u0)·f over the sub-sample times."""
        d = self.usub[None, :, :] - u0[:, None, None]
        s = np.maximum(d, 0.0)
        lam3 = lam[:, None, None]
        if law == "constant":
            x = lam3 * s
        elif law == "linear":
            x = lam3 * (s + 0.5 * r * s * s)
        else:
            x = lam3 * np.expm1(np.minimum(r * s, 700.0)) / r
        f = self.vessel.ratio(x)
        return f.mean(axis=2), (d * f).mean(axis=2)

    def pre_ok(self, u0: F64) -> NDArray[np.bool_]:
        """Whether enough data precede the onset to fit a drift (≥ 5 % of the weight)."""
        cw = np.concatenate(([0.0], np.cumsum(self.w))) / self.W
        i = np.searchsorted(self.u, u0, side="left")
        return cw[i] >= 0.05

    def leak_rss(
        self, u0: F64, lam: F64, law: str = "constant", r: float = 0.0, exact: bool = False
    ) -> tuple[F64, F64, NDArray[np.bool_]]:
        if exact and self.K > 1:
            f, g = self.shape_exact(u0, lam, law, r)
        else:
            f = self.shape(u0, lam, law, r)
            g = (self.u[None, :] - u0[:, None]) * f
        beta2, rss2 = _ols3([f, g], self.y, self.w)
        fw = f * self.w
        sff = np.einsum("gn,gn->g", fw, f)
        syf = fw @ self.y
        rss1 = np.maximum(self.yy - syf**2 / np.maximum(sff, 1e-300), 1e-300)
        ok = self.pre_ok(u0)
        rss = np.where(ok, rss2, rss1)
        a = np.where(ok, beta2[:, 0], syf / np.maximum(sff, 1e-300))
        bb = np.where(ok, beta2[:, 1], 0.0)
        return rss, np.stack([a, bb], axis=1), ok

    def null_rss(self, ub: F64) -> tuple[F64, NDArray[np.float64]]:
        one = np.ones((ub.size, self.N))
        uu = np.broadcast_to(self.u, (ub.size, self.N))
        h = np.maximum(uu - ub[:, None], 0.0)
        beta, rss = _ols3([one, np.array(uu), h], self.y, self.w)
        return rss, beta


def _rho(res: F64) -> float:
    if res.size < 4:
        return 0.0
    r = res - res.mean()
    den = float(r @ r)
    return float(np.clip((r[1:] @ r[:-1]) / den, 0.0, 0.99)) if den > 0 else 0.0


def fit_leak(
    binned: BinnedSeries,
    vessel: Vessel,
    *,
    quantum: float = 0.0,
    leak_threshold: float = 100.0,
    growing_threshold: float = 10.0,
    depletion_threshold: float | None = None,
    n_onset: int = 200,
    n_rate: int = 48,
) -> LeakFit:
    """Fit no-leak, sudden-leak and growing-leak models to binned data; see the module docstring.

    `quantum` [SI] is the channel's quantisation step (a leak must drop more than two steps);
    `depletion_threshold` [SI] the level whose crossing is forecast (None: the vessel default for a
    leak — 10 % of the onset pressure for gas, all liquid lost for a loop — and 0 for a trend).
    """
    P = _Problem(binned, vessel)
    notes: list[str] = []
    N = P.N
    if N < 8:
        raise ValueError("fewer than 8 samples after binning: too few to fit a leak")
    # ---- candidate onset grid: uniform prior on [-1, 1) in record units
    n_in = min(n_onset, max(N - 3, 2))
    inside = np.linspace(0.0, P.u[-3], n_in)
    d_in = inside[1] - inside[0] if inside.size > 1 else 1.0
    pre = -np.arange(1, 21)[::-1] * 0.05
    u0 = np.concatenate([pre, inside])
    prior = np.concatenate([np.full(pre.size, 0.05), np.full(inside.size, d_in)])
    prior /= prior.sum()
    lam_hi = min(1e5, 30.0 * N)
    lam_grid = np.geomspace(1e-4, lam_hi, n_rate)
    dl_grid = float(np.log(lam_grid[1] / lam_grid[0]))
    # ---- coarse profile over (onset, rate)
    rss_grid = np.empty((u0.size, lam_grid.size))
    ok_grid = np.empty((u0.size, lam_grid.size), dtype=bool)
    for j, lam in enumerate(lam_grid):
        rss_grid[:, j], _, ok_grid[:, j] = P.leak_rss(u0, np.full(u0.size, lam))
    # null: line and broken line
    ub = inside[1:]
    rss_null_b, beta_null_b = P.null_rss(ub)
    one = np.ones((1, N))
    beta_lin, rss_lin = _ols3([one, P.u[None, :]], P.y, P.w)
    # ---- continuous refinement of the sudden model: start Nelder-Mead from the best onset
    # candidates (before the record, and the best inside it), λ from a parabola in ln λ
    lrss = np.log(rss_grid)
    jj = np.clip(np.argmin(lrss, axis=1), 1, lam_grid.size - 2)
    rows = np.arange(u0.size)
    y0, y1, y2 = lrss[rows, jj - 1], lrss[rows, jj], lrss[rows, jj + 1]
    den = y0 - 2 * y1 + y2
    shift = np.where(den > 0, 0.5 * (y0 - y2) / np.where(den > 0, den, 1.0), 0.0)
    shift = np.clip(shift, -1.0, 1.0)
    lnl_row = np.log(lam_grid[jj]) + shift * dl_grid
    prof = y1 - 0.25 * (y0 - y2) * shift
    starts = [int(np.argmin(np.where(u0 < 0, prof, np.inf)))]
    order = np.argsort(np.where(u0 >= 0, prof, np.inf))
    starts += [int(i) for i in order[:2]]
    gi, hj = np.unravel_index(np.argmin(rss_grid), rss_grid.shape)
    u_opt, llam_opt = float(u0[gi]), float(np.log(lam_grid[hj]))
    best_leak = float(np.exp(_grow_obj(P, np.array([u_opt, llam_opt, 0.0]), "constant")))
    for g in starts:
        res_nm = optimize.minimize(
            lambda p: _grow_obj(P, np.array([p[0], p[1], 0.0]), "constant"),
            np.array([u0[g], lnl_row[g]]),
            method="Nelder-Mead",
            options={"xatol": 1e-6, "fatol": 1e-12, "maxiter": 800},
        )
        if np.exp(res_nm.fun) < best_leak:
            u_opt, llam_opt = float(res_nm.x[0]), float(res_nm.x[1])
            best_leak = float(np.exp(res_nm.fun))
    best_null = float(min(rss_null_b.min(), rss_lin[0]))
    _, coef_b, _ = P.leak_rss(np.array([u_opt]), np.array([np.exp(llam_opt)]), exact=True)
    f_b = P.shape(np.array([u_opt]), np.array([np.exp(llam_opt)]))[0]
    fit_b = (coef_b[0, 0] + coef_b[0, 1] * (P.u - u_opt)) * f_b
    # ---- residual autocorrelation of the best model → effective n
    if best_leak <= best_null:
        res = P.y - fit_b
    else:
        k = int(np.argmin(rss_null_b))
        if rss_lin[0] <= rss_null_b[k]:
            res = P.y - (beta_lin[0, 0] + beta_lin[0, 1] * P.u)
        else:
            bn = beta_null_b[k]
            res = P.y - (bn[0] + bn[1] * P.u + bn[2] * np.maximum(P.u - ub[k], 0.0))
    rho = _rho(res)
    n_eff = float(np.clip(N * (1 - rho) / (1 + rho), min(N, 10), N))
    sigma = float(np.sqrt(np.sum(P.w * res * res) / P.W)) * P.scale
    if rho > 0.3:
        notes.append(
            f"residuals are autocorrelated (lag-1 ρ = {rho:.2f}): evidence computed with "
            f"n_eff = {n_eff:.0f} of {N} points"
        )
    ln_n = np.log(n_eff)

    def ell(rss: F64 | float) -> F64:
        return np.asarray(-0.5 * n_eff * np.log(np.asarray(rss) / P.W))

    # ---- evidences. Null: exact sum over the break, BIC for the linear coefficients.
    prior_b = np.full(ub.size, 1.0 / ub.size)
    ln_z_broken = float(special.logsumexp(ell(rss_null_b) - 1.5 * ln_n, b=prior_b))
    ln_z_line = float(ell(rss_lin[0]) - 1.0 * ln_n)
    ln_z_null = float(np.logaddexp(ln_z_line, ln_z_broken) - np.log(2.0))
    # Sudden leak: uniform prior on the onset over [-1, 1), log-uniform prior on λ over the
    # coarse grid's range; the integral over (onset, λ) is a sum on the grids, BIC for (a, b).
    ln_range = float(np.log(lam_grid[-1] / lam_grid[0]))
    k_lin = np.where(ok_grid, 2.0, 1.0)
    dl_c = ln_range / (lam_grid.size - 1)
    ln_z_coarse = float(
        special.logsumexp(
            ell(rss_grid) - 0.5 * k_lin * ln_n + np.log(prior)[:, None] + np.log(dl_c / ln_range)
        )
    )
    l_leak_prof = np.max(ell(rss_grid) - 0.5 * k_lin * ln_n, axis=1)
    # fine joint grid around the mode (width from the local curvature)
    post_coarse = l_leak_prof + np.log(prior)
    post_coarse -= post_coarse.max()
    keep = np.argsort(post_coarse)[::-1][:150]
    keep = keep[post_coarse[keep] > -14.0]
    cov2 = _laplace_cov2(P, np.array([u_opt, llam_opt]), n_eff)
    su = float(np.sqrt(cov2[0, 0])) if cov2 is not None else 3 * d_in
    sl = float(np.sqrt(cov2[1, 1])) if cov2 is not None else 0.5
    half_u = max(6.0 * su, 3.0 * float(np.median(np.diff(P.u))))
    half_l = float(np.clip(6.0 * sl, 0.02, 3.0))
    fine_on = np.linspace(u_opt - half_u, u_opt + half_u, 81)
    fine_on = fine_on[(fine_on >= -1.0) & (fine_on <= P.u[-3])]
    cand = np.unique(np.concatenate([u0[keep], fine_on, [u_opt]]))
    # prior mass of each onset candidate: its local spacing × the uniform density 1/2 on [-1, 1)
    pri = 0.5 * (np.gradient(cand) if cand.size > 1 else np.ones(1))
    lam_f = np.exp(np.linspace(llam_opt - half_l, llam_opt + half_l, 61))
    dl_f = 2.0 * half_l / (lam_f.size - 1)
    rss_f = np.empty((cand.size, lam_f.size))
    ok_f = np.empty((cand.size, lam_f.size), dtype=bool)
    for j, lam in enumerate(lam_f):
        rss_f[:, j], _, ok_f[:, j] = P.leak_rss(cand, np.full(cand.size, lam), exact=True)
    lp = ell(rss_f) - 0.5 * np.where(ok_f, 2.0, 1.0) * ln_n + np.log(pri)[:, None]
    ln_z_fine = float(special.logsumexp(lp) + np.log(dl_f / ln_range))
    ln_z_sudden = max(ln_z_fine, ln_z_coarse)
    lp -= lp.max()
    post = np.exp(lp)
    post /= post.sum()
    pu = post.sum(axis=1)
    pl = post.sum(axis=0)
    # ---- growing hole: linear and exponential area growth (BIC: t0, λ0, r, a, b)
    u_map, lam_map = u_opt, float(np.exp(llam_opt))
    ok_s = bool(P.pre_ok(np.array([u_map]))[0])
    l_sudden = float(ell(best_leak) - 0.5 * (4.0 if ok_s else 3.0) * ln_n)
    ln_bf_grow = float("-inf")
    grow_law: str = "constant"
    grow_res: Any = None
    for law in ("linear", "exponential"):
        best = None
        for lnr in (0.5, 3.0):
            for du in (0.0, -0.15):
                x0 = np.array([u_map + du, np.log(lam_map) - lnr / 2, lnr])
                r = optimize.minimize(
                    lambda p, law=law: _grow_obj(P, p, law),
                    x0,
                    method="Nelder-Mead",
                    options={"xatol": 1e-4, "fatol": 1e-10, "maxiter": 600},
                )
                if best is None or r.fun < best.fun:
                    best = r
        assert best is not None
        ok = bool(P.pre_ok(np.array([best.x[0]]))[0])
        l_g = float(-0.5 * n_eff * (best.fun - np.log(P.W)) - 0.5 * (5.0 if ok else 4.0) * ln_n)
        if l_g - l_sudden > ln_bf_grow:
            ln_bf_grow = l_g - l_sudden
            grow_law, grow_res = law, best
    ln_z_grow = l_sudden + ln_bf_grow
    ln_z_leak = float(np.logaddexp(ln_z_sudden, ln_z_grow) - np.log(2.0))
    ln_bf_leak = ln_z_leak - ln_z_null
    a_map, b_map = coef_b[0]
    onset_s = P.t_first + u_map * P.T
    p0 = float(a_map) * P.scale
    kappa = vessel.kappa(max(p0, 1e-300))
    to_cda = 1.0 / (P.T * kappa)
    cda = lam_map * to_cda
    f_map = P.shape(np.array([u_map]), np.array([lam_map]))[0]
    fit_sudden = (a_map + b_map * (P.u - u_map)) * f_map
    base = a_map + b_map * (P.u - u_map)
    leak_drop = float(np.max(base - fit_sudden)) * P.scale
    if ln_bf_grow > 0 and grow_res is not None:
        ug, llam, lnr = grow_res.x
        _, cg, _ = P.leak_rss(
            np.array([ug]), np.array([np.exp(llam)]), grow_law, np.exp(lnr), exact=True
        )
        fg = P.shape(np.array([ug]), np.array([np.exp(llam)]), grow_law, float(np.exp(lnr)))[0]
        bg = cg[0, 0] + cg[0, 1] * (P.u - ug)
        leak_drop = max(leak_drop, float(np.max(bg - bg * fg)) * P.scale)
    # ---- decision
    resolved = leak_drop > max(3.0 * sigma, 2.0 * quantum)
    is_leak = bool(ln_bf_leak > np.log(leak_threshold) and resolved)
    if ln_bf_leak > np.log(leak_threshold) and not resolved:
        notes.append(
            "the leak model is preferred but its drop inside the record is below 3σ or 2 "
            "quantisation steps: not reported as a leak"
        )
    p_before = float(pu[cand < 0].sum())
    q_on = weighted_quantile(cand, pu, [0.025, 0.975]) * P.T + P.t_first
    q_lam = weighted_quantile(lam_f, pl, [0.025, 0.975])
    cda_ci = (float(q_lam[0] * to_cda), float(q_lam[1] * to_cda))
    signature: Literal["sudden", "growing", "none"] = "none"
    curves: dict[str, F64] = {"t_s": P.t_first + P.u * P.T, "y": P.y * P.scale}
    depl, depl_ci = float("nan"), (float("nan"), float("nan"))
    cda_end, cda_end_ci = float("nan"), (float("nan"), float("nan"))
    growth_rate = 0.0
    drift = float(b_map) * P.scale / P.T
    if is_leak:
        signature = "growing" if ln_bf_grow > np.log(growing_threshold) else "sudden"
        curves["fit"] = fit_sudden * P.scale
        x_thr = vessel.depletion_coordinate(p0, depletion_threshold)
        # depletion posterior on the joint grid (sudden model)
        tdep = P.t_first + (cand[:, None] + x_thr / lam_f[None, :]) * P.T
        dq = weighted_quantile(tdep.ravel(), post.ravel(), [0.025, 0.5, 0.975])
        depl, depl_ci = float(P.t_first + (u_map + x_thr / lam_map) * P.T), (dq[0], dq[2])
        cda_end, cda_end_ci = cda, cda_ci
        if signature == "growing" and grow_res is not None:
            ug, llam, lnr = grow_res.x
            rr = float(np.exp(lnr))
            lam0 = float(np.exp(llam))
            fg = P.shape(np.array([ug]), np.array([lam0]), grow_law, rr)[0]
            _, coef_g, _ = P.leak_rss(np.array([ug]), np.array([lam0]), grow_law, rr, exact=True)
            curves["fit"] = (coef_g[0, 0] + coef_g[0, 1] * (P.u - ug)) * fg * P.scale
            p0 = float(coef_g[0, 0]) * P.scale
            onset_s = P.t_first + ug * P.T
            growth_rate = rr / P.T
            s_end = 1.0 - ug
            gfac = (
                (1.0 + rr * s_end) if grow_law == "linear" else float(np.exp(min(rr * s_end, 700)))
            )
            to_cda = 1.0 / (P.T * vessel.kappa(max(p0, 1e-300)))
            cda = lam0 * to_cda
            cda_end = cda * gfac
            # Laplace interval on the growing fit
            cov = _laplace_cov(P, grow_res.x, grow_law, n_eff)
            se = np.sqrt(np.clip(np.diag(cov), 0, None)) if cov is not None else np.full(3, np.nan)
            on_lo, on_hi = onset_s - 1.96 * se[0] * P.T, onset_s + 1.96 * se[0] * P.T
            q_on = np.array([on_lo, on_hi])
            cda_ci = (cda * np.exp(-1.96 * se[1]), cda * np.exp(1.96 * se[1]))
            se_end = float(
                np.hypot(se[1], se[2] * (rr * s_end / gfac if grow_law == "linear" else rr * s_end))
            )
            cda_end_ci = (cda_end * np.exp(-1.96 * se_end), cda_end * np.exp(1.96 * se_end))
            s_dep = _grow_solve(x_thr / lam0, rr, grow_law)
            depl = P.t_first + (ug + s_dep) * P.T
            d_lo = _grow_solve(
                x_thr / (lam0 * np.exp(1.96 * se[1])), rr * np.exp(1.96 * se[2]), grow_law
            )
            d_hi = _grow_solve(
                x_thr / (lam0 * np.exp(-1.96 * se[1])), rr * np.exp(-1.96 * se[2]), grow_law
            )
            depl_ci = (P.t_first + (ug + d_lo) * P.T, P.t_first + (ug + d_hi) * P.T)
            grow_out = grow_law
        else:
            grow_out = "constant"
    else:
        grow_out = "constant"
    # ---- trend (no-leak) depletion: the null model's last segment
    k = int(np.argmin(rss_null_b))
    # the broken line only when decisively better (BF > 100): tank use is stepwise, and the
    # whole-record slope is the better long-term rate otherwise
    use_break = float(ell(rss_null_b[k]) - 1.5 * ln_n) > float(ell(rss_lin[0]) - ln_n) + np.log(
        100.0
    )
    if use_break:
        ub_k = float(ub[k])
        m = P.u >= ub_k
    else:
        m = np.ones(N, dtype=bool)
    uu, yy, ww = P.u[m], P.y[m], P.w[m]
    slope, se_slope, y_end = _line(uu, yy, ww, n_eff * m.sum() / N)
    trend_slope = slope * P.scale / P.T
    trend_se = se_slope * P.scale / P.T
    curves["trend"] = np.where(m, y_end + slope * (P.u - 1.0), np.nan) * P.scale
    if not is_leak:
        thr = 0.0 if depletion_threshold is None else depletion_threshold / P.scale
        if slope < 0 and abs(slope) > 2.0 * se_slope and y_end > thr:
            t_end = P.t_first + P.T
            depl = t_end + (thr - y_end) / slope * P.T
            lo_s, hi_s = slope - 1.96 * se_slope, slope + 1.96 * se_slope
            d_lo = t_end + (thr - y_end) / lo_s * P.T
            d_hi = t_end + (thr - y_end) / hi_s * P.T if hi_s < 0 else float("inf")
            depl_ci = (d_lo, d_hi)
            notes.append("no leak: depletion forecast by extrapolating the recent linear trend")
    out = LeakFit(
        leak=is_leak,
        ln_bf_leak=float(ln_bf_leak),
        ln_bf_growing=float(ln_bf_grow),
        signature=signature,
        n_eff=n_eff,
        rho=rho,
        sigma=sigma,
        onset_s=float(onset_s),
        onset_ci_s=(float(q_on[0]), float(q_on[-1])),
        onset_before_record=bool(p_before > 0.5),
        p_before_record=p_before,
        cd_area_m2=float(cda),
        cd_area_ci_m2=(float(cda_ci[0]), float(cda_ci[1])),
        p0=float(p0),
        drift=drift,
        growth_law=grow_out,
        growth_rate_s=float(growth_rate),
        cd_area_end_m2=float(cda_end),
        cd_area_end_ci_m2=(float(cda_end_ci[0]), float(cda_end_ci[1])),
        depletion_s=float(depl),
        depletion_ci_s=(float(depl_ci[0]), float(depl_ci[1])),
        trend_slope=float(trend_slope),
        trend_slope_se=float(trend_se),
        leak_drop=leak_drop,
        curves=curves,
        notes=notes,
        sudden_params={
            "a": float(a_map),
            "b": float(b_map),
            "lam": float(lam_map),
            "u0": float(u_map),
            "T": float(P.T),
            "t_first": float(P.t_first),
            "scale": float(P.scale),
        },
    )
    out._ratio = vessel.ratio
    return out


def _grow_obj(P: _Problem, p: F64, law: str) -> float:
    u0, llam, lnr = float(p[0]), float(p[1]), float(p[2])
    if not (-1.0 <= u0 <= P.u[-3]) or not (-12 < llam < 14) or not (-7 < lnr < 9):
        return 1e3
    rss, _, _ = P.leak_rss(
        np.array([u0]), np.array([np.exp(llam)]), law, float(np.exp(lnr)), exact=True
    )
    return float(np.log(rss[0]))


def _laplace_cov(P: _Problem, x: F64, law: str, n_eff: float) -> F64 | None:
    """Covariance of (u0, ln λ0, ln r) from the finite-difference Hessian of ℓ = −n_eff/2·ln RSS."""
    h = np.array([1e-3, 1e-2, 1e-2])
    f0 = _grow_obj(P, x, law)
    H = np.empty((3, 3))
    for i in range(3):
        for j in range(i, 3):
            ei, ej = np.eye(3)[i] * h[i], np.eye(3)[j] * h[j]
            fpp = _grow_obj(P, x + ei + ej, law)
            fpm = _grow_obj(P, x + ei - ej, law)
            fmp = _grow_obj(P, x - ei + ej, law)
            fmm = _grow_obj(P, x - ei - ej, law)
            H[i, j] = H[j, i] = (fpp - fpm - fmp + fmm) / (4 * h[i] * h[j])
    if not np.isfinite(f0) or not np.all(np.isfinite(H)):
        return None
    try:
        cov = np.linalg.inv(0.5 * n_eff * H)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(cov, dtype=float) if np.all(np.diag(cov) > 0) else None


def _laplace_cov2(P: _Problem, x: F64, n_eff: float) -> F64 | None:
    """Covariance of (u0, ln λ) of the sudden model from the finite-difference Hessian."""
    h = np.array([2e-4, 2e-3])

    def f(p: F64) -> float:
        return _grow_obj(P, np.array([p[0], p[1], 0.0]), "constant")

    H = np.empty((2, 2))
    for i in range(2):
        for j in range(i, 2):
            ei, ej = np.eye(2)[i] * h[i], np.eye(2)[j] * h[j]
            H[i, j] = H[j, i] = (
                f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            ) / (4 * h[i] * h[j])
    if not np.all(np.isfinite(H)):
        return None
    try:
        cov = np.linalg.inv(0.5 * n_eff * H)
    except np.linalg.LinAlgError:
        return None
    return np.asarray(cov, dtype=float) if np.all(np.diag(cov) > 0) else None


def _grow_solve(x_over_lam0: float, r: float, law: str) -> float:
    """Time s (record units) at which ∫ A/A0 ds reaches `x_over_lam0` for the growth law."""
    if law == "linear":
        return float((-1.0 + np.sqrt(1.0 + 2.0 * r * x_over_lam0)) / r)
    return float(np.log1p(r * x_over_lam0) / r)


def _line(u: F64, y: F64, w: F64, n_eff: float) -> tuple[float, float, float]:
    """Weighted straight line: slope, its standard error (with n_eff), fitted value at u = 1."""
    W = w.sum()
    um = float(w @ u / W)
    ym = float(w @ y / W)
    suu = float(w @ (u - um) ** 2)
    if suu <= 0:
        return 0.0, float("inf"), ym
    slope = float(w @ ((u - um) * (y - ym)) / suu)
    res = y - ym - slope * (u - um)
    s2 = float(w @ res**2) / W * n_eff / max(n_eff - 2.0, 1.0)
    se = float(np.sqrt(s2 / suu * u.size / max(n_eff, 1.0)))
    return slope, se, ym + slope * (1.0 - um)
