"""Fleet statistics: is the cluster of coolant-loop leaks surprising for impacts, and has the
production of the vehicles changed?

Cluster significance (impact-only hypothesis: penetrations are a Poisson process whose intensity is
the sum of the flights' expected penetrations):

* `count_pvalue`: P(N ≥ k) for N ~ Poisson(μ), or, with an uncertain rate scale
  θ ~ Gamma (fitted to an interval by `gamma_from_interval`), the Gamma–Poisson (negative
  binomial) tail.
* `scan_pvalue`: the probability that some window of length w holds ≥ k events (a scan
  statistic), by Monte Carlo over a piecewise-constant intensity with an explicit ``rng``; and
  `scan_pvalue_k2_uniform`, the exact answer for k = 2 and a constant intensity (spacings of
  uniform points: P(all gaps > w | n) = (1 − (n−1) w / T)₊ⁿ; e.g. David & Barton 1962,
  *Combinatorial Chance*; Naus 1982, JASA 77:177).

Production change (`ProductionChangePoint`): Poisson counts of vehicle-level defect events with
exposures in production order, conjugate Gamma(a, b) rates, closed-form marginal likelihoods

    p(y | a, b) = Π tᵢ^yᵢ / yᵢ! · bᵃ Γ(a + Y) / (Γ(a) (b + T)^(a+Y)),  Y = Σ yᵢ, T = Σ tᵢ

for "one rate" versus "the rate changed before item τ" (uniform prior over τ) and versus "one rate
per design series" (the Progress M → MS covariate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats

from breachkit._core.errors import InputError

__all__ = [
    "ProductionChangePoint",
    "count_pvalue",
    "gamma_from_interval",
    "log_marginal_poisson_gamma",
    "scan_pvalue",
    "scan_pvalue_k2_uniform",
]


# --------------------------------------------------------------------------------------------
# Gamma priors from an interval
# --------------------------------------------------------------------------------------------
def gamma_from_interval(
    mean: float, lo: float, hi: float, *, level: float = 0.90
) -> tuple[float, float]:
    """Gamma (shape, rate) with the given mean whose central `level` interval best matches
    [lo, hi] (in the log ratio hi/lo, which depends only on the shape).

    lo = hi = mean gives a very sharp Gamma (shape 1e6). Returns (shape a, rate b), mean a / b.
    """
    if not (0 < lo <= mean <= hi) or not np.all(np.isfinite([mean, lo, hi])):
        raise InputError(f"interval: need 0 < lo <= mean <= hi, got ({mean}, {lo}, {hi})")
    if hi / lo < 1.0 + 1e-9:
        return 1e6, 1e6 / mean
    target = np.log(hi / lo)
    q = (1.0 - level) / 2.0

    def width(log_a: float) -> float:
        a = np.exp(log_a)
        q_lo, q_hi = stats.gamma.ppf(q, a), stats.gamma.ppf(1 - q, a)
        if not q_lo > 0:  # underflow: the interval is wider than any double ratio
            return float("inf")
        return float(np.log(q_hi / q_lo) - target)

    lo_a, hi_a = np.log(1e-3), np.log(1e6)
    if width(hi_a) > 0:
        a = 1e6
    elif width(lo_a) < 0:
        a = 1e-3
    else:
        a = float(np.exp(optimize.brentq(width, lo_a, hi_a, xtol=1e-10)))
    return a, a / mean


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------
def count_pvalue(
    k: int, mean: float, lo: float | None = None, hi: float | None = None, *, level: float = 0.9
) -> float:
    """P(N ≥ k) for the fleet's penetration count under the impact-only hypothesis.

    With only `mean` = μ: N ~ Poisson(μ). With (lo, hi): μ is uncertain, μ ~ Gamma(a, b) fitted
    by `gamma_from_interval`, and N is negative binomial (n = a, p = b / (b + 1)).
    """
    if k < 0:
        raise InputError(f"k: {k} must be >= 0")
    if k == 0:
        return 1.0
    if lo is None or hi is None:
        return float(stats.poisson.sf(k - 1, mean))
    a, b = gamma_from_interval(mean, lo, hi, level=level)
    return float(stats.nbinom.sf(k - 1, a, b / (b + 1.0)))


def scan_pvalue_k2_uniform(mu: float, span: float, window: float) -> float:
    """Exact P(two events within `window` of each other) for a Poisson(μ) number of events spread
    uniformly over [0, span] (same time unit for span and window).

    Given n uniform points, P(all n−1 gaps > w) = (1 − (n−1) w / T)₊ⁿ (David & Barton 1962);
    summed over n ~ Poisson(μ).
    """
    if not (span > 0 and window >= 0 and mu >= 0):
        raise InputError("scan_pvalue_k2_uniform: need span > 0, window >= 0, mu >= 0")
    n_max = int(min(span / window + 1 if window > 0 else 10_000, stats.poisson.isf(1e-16, mu) + 2))
    n = np.arange(0, max(n_max, 1) + 1)
    clear = np.clip(1.0 - (n - 1) * window / span, 0.0, None) ** n
    clear[:2] = 1.0
    return float(1.0 - np.sum(stats.poisson.pmf(n, mu) * clear))


def scan_pvalue(
    edges: ArrayLike,
    intensity: ArrayLike,
    window: float,
    k: int,
    *,
    rng: np.random.Generator,
    n_sim: int = 100_000,
    n_events: int | None = None,
) -> float:
    """Monte Carlo P(some window of length `window` holds ≥ k events).

    Parameters
    ----------
    edges
        (m+1,) increasing times bounding m intervals (e.g. days since an epoch).
    intensity
        (m,) expected events per unit time in each interval (e.g. the fleet's summed expected
        penetrations per day on those days).
    window
        Scan window length (same unit as `edges`).
    k
        Events required in one window (≥ 2).
    rng
        Explicit random generator.
    n_sim
        Simulated histories.
    n_events
        Condition on exactly this many events (None: N ~ Poisson(∫ intensity)).
    """
    e = np.asarray(edges, dtype=float)
    lam = np.asarray(intensity, dtype=float)
    if e.ndim != 1 or lam.shape != (e.size - 1,) or np.any(np.diff(e) <= 0):
        raise InputError("scan_pvalue: edges must increase and have one more entry than intensity")
    if np.any(lam < 0) or not np.all(np.isfinite(lam)):
        raise InputError("scan_pvalue: intensity must be finite and >= 0")
    if k < 2:
        raise InputError(f"scan_pvalue: k = {k} must be >= 2")
    cum = np.concatenate([[0.0], np.cumsum(lam * np.diff(e))])
    mu = float(cum[-1])
    if mu <= 0:
        return 0.0
    counts = (
        np.full(n_sim, n_events, dtype=np.int64)
        if n_events is not None
        else rng.poisson(mu, size=n_sim)
    )
    keep = counts >= k
    counts = counts[keep]
    if counts.size == 0:
        return 0.0
    n_max = int(counts.max())
    u = rng.random((counts.size, n_max)) * mu
    t = np.interp(u, cum, e)  # inverse of the cumulative intensity (piecewise linear)
    t[np.arange(n_max)[None, :] >= counts[:, None]] = np.inf
    t.sort(axis=1)
    with np.errstate(invalid="ignore"):  # inf - inf in the padding → NaN, never <= window
        spans = t[:, k - 1 :] - t[:, : n_max - k + 1]
        hit = np.any(spans <= window, axis=1)
    return float(hit.sum() / n_sim)


# --------------------------------------------------------------------------------------------
# Production change point
# --------------------------------------------------------------------------------------------
def log_marginal_poisson_gamma(
    counts: ArrayLike, exposure: ArrayLike, shape: float, rate: float
) -> float:
    """log p(y | a, b) of Poisson counts yᵢ with exposures tᵢ sharing one rate λ ~ Gamma(a, b):

    log p = Σ [yᵢ log tᵢ − log yᵢ!] + a log b − log Γ(a) + log Γ(a + Y) − (a + Y) log(b + T)
    """
    y = np.asarray(counts, dtype=float)
    t = np.asarray(exposure, dtype=float)
    big_y, big_t = y.sum(), t.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogt = np.where(y > 0, y * np.log(np.where(t > 0, t, 1.0)), 0.0)
    return float(
        np.sum(ylogt - special.gammaln(y + 1))
        + shape * np.log(rate)
        - special.gammaln(shape)
        + special.gammaln(shape + big_y)
        - (shape + big_y) * np.log(rate + big_t)
    )


@dataclass
class ProductionChangePoint:
    """Bayesian change point in the defect rate over the production sequence.

    Models (each rate λ ~ Gamma(prior_shape, prior_rate), integrated out in closed form):

    * M0: one rate for every vehicle;
    * M1(τ): rate λ₁ for items before τ and λ₂ from τ on, τ uniform over 1..n−1 (0-based index of
      the first item after the change), prior P(M1) = `p_change`;
    * M_design (only when ``groups`` are given to `fit`): one rate per design series.

    Parameters
    ----------
    prior_shape, prior_rate
        Gamma prior of each rate [shape, exposure unit]; prior_rate None → the unit-information
        choice prior_rate = prior_shape · T / max(Y, 1) (prior mean = pooled rate), fixed at fit.
    p_change
        Prior probability that the rate changed somewhere.

    Fitted attributes
    -----------------
    log_evidence_none_, log_evidence_change_ (n−1,), posterior_change_ (float),
    change_point_posterior_ (n−1,) P(τ = i | y, change), map_change_index_,
    rate_before_, rate_after_ (posterior means at the MAP τ), design_bayes_factor_ (or None),
    prior_rate_used_.
    """

    prior_shape: float = 1.0
    prior_rate: float | None = None
    p_change: float = 0.5

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"prior_shape": self.prior_shape, "prior_rate": self.prior_rate,
                "p_change": self.p_change}  # fmt: skip

    def set_params(self, **params: Any) -> ProductionChangePoint:
        for k, v in params.items():
            if k not in self.get_params():
                raise InputError(f"ProductionChangePoint: unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    def fit(
        self,
        exposure: ArrayLike,
        counts: ArrayLike,
        groups: Sequence[str] | None = None,
    ) -> ProductionChangePoint:
        """Fit to exposures tᵢ (> 0, e.g. docked days) and defect counts yᵢ in production order."""
        t = np.asarray(exposure, dtype=float)
        y = np.asarray(counts, dtype=float)
        if t.ndim != 1 or y.shape != t.shape or t.size < 2:
            raise InputError(
                "ProductionChangePoint.fit: need >= 2 items, exposure and counts alike"
            )
        if np.any(t <= 0) or not np.all(np.isfinite(t)):
            raise InputError("ProductionChangePoint.fit: every exposure must be finite and > 0")
        if np.any(y < 0) or np.any(y != np.round(y)):
            raise InputError("ProductionChangePoint.fit: counts must be integers >= 0")
        if not (0.0 < self.p_change < 1.0):
            raise InputError(f"p_change: {self.p_change} must be in (0, 1)")
        a = float(self.prior_shape)
        b = (
            float(self.prior_rate)
            if self.prior_rate is not None
            else a * t.sum() / max(y.sum(), 1.0)
        )
        if a <= 0 or b <= 0:
            raise InputError("prior_shape and prior_rate must be > 0")
        self.prior_rate_used_ = float(b)
        n = t.size
        self.log_evidence_none_ = log_marginal_poisson_gamma(y, t, a, b)
        lev = np.empty(n - 1)
        for tau in range(1, n):
            lev[tau - 1] = log_marginal_poisson_gamma(
                y[:tau], t[:tau], a, b
            ) + log_marginal_poisson_gamma(y[tau:], t[tau:], a, b)
        self.log_evidence_change_ = lev
        log_m1 = special.logsumexp(lev) - np.log(n - 1)
        log_post1 = np.log(self.p_change) + log_m1
        log_post0 = np.log1p(-self.p_change) + self.log_evidence_none_
        self.posterior_change_ = float(np.exp(log_post1 - np.logaddexp(log_post0, log_post1)))
        self.change_point_posterior_ = np.exp(lev - special.logsumexp(lev))
        tau = int(np.argmax(lev)) + 1
        self.map_change_index_ = tau
        self.rate_before_ = float((a + y[:tau].sum()) / (b + t[:tau].sum()))
        self.rate_after_ = float((a + y[tau:].sum()) / (b + t[tau:].sum()))
        self.design_bayes_factor_: float | None = None
        if groups is not None:
            g = np.asarray(list(groups))
            if g.shape != t.shape:
                raise InputError("ProductionChangePoint.fit: groups must have one label per item")
            lg = sum(
                log_marginal_poisson_gamma(y[g == lab], t[g == lab], a, b) for lab in np.unique(g)
            )
            self.design_bayes_factor_ = float(np.exp(lg - self.log_evidence_none_))
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "posterior_change": self.posterior_change_,
            "map_change_index": self.map_change_index_,
            "rate_before": self.rate_before_,
            "rate_after": self.rate_after_,
            "design_bayes_factor": self.design_bayes_factor_,
            "prior_shape": self.prior_shape,
            "prior_rate": self.prior_rate_used_,
            "p_change": self.p_change,
        }


def _as_array(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=float)
