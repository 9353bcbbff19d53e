"""Known-answer tests of the fleet statistics (worked by hand or exact formulas)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from breachkit._core.errors import InputError
from breachkit.fleet.stats import (
    ProductionChangePoint,
    count_pvalue,
    gamma_from_interval,
    log_marginal_poisson_gamma,
    scan_pvalue,
    scan_pvalue_k2_uniform,
)


def test_count_pvalue_poisson_by_hand() -> None:
    # P(N >= 2 | mu = 0.5) = 1 - e^-0.5 (1 + 0.5)
    assert count_pvalue(2, 0.5) == pytest.approx(1 - math.exp(-0.5) * 1.5, rel=1e-12)
    assert count_pvalue(0, 0.5) == 1.0


def test_count_pvalue_gamma_mixture_is_negative_binomial() -> None:
    # mu ~ Gamma(a, b): P(N = 0) = (b / (b + 1))^a, checked against numerical integration.
    mean, lo, hi = 1.0, 0.3, 2.5
    a, b = gamma_from_interval(mean, lo, hi)
    p0 = (b / (b + 1)) ** a
    p0_num = integrate.quad(lambda m: stats.gamma.pdf(m, a, scale=1 / b) * math.exp(-m), 0, 50)[0]
    assert p0 == pytest.approx(p0_num, rel=1e-6)
    assert count_pvalue(1, mean, lo, hi) == pytest.approx(1 - p0, rel=1e-9)


@given(
    mean=st.floats(1e-6, 1e3),
    f_lo=st.floats(1.2, 50.0),
    f_hi=st.floats(1.2, 50.0),
)
@settings(max_examples=40, deadline=None)
def test_gamma_from_interval_keeps_the_mean_and_matches_the_width(
    mean: float, f_lo: float, f_hi: float
) -> None:
    a, b = gamma_from_interval(mean, mean / f_lo, mean * f_hi)
    assert a / b == pytest.approx(mean, rel=1e-9)
    q05, q95 = stats.gamma.ppf([0.05, 0.95], a, scale=1 / b)
    if 1e-3 < a < 1e6:  # inside the solver's bracket the log-width matches exactly
        assert math.log(q95 / q05) == pytest.approx(math.log(f_lo * f_hi), rel=1e-6)


def test_gamma_from_interval_rejects_bad_order() -> None:
    with pytest.raises(InputError, match="lo <= mean <= hi"):
        gamma_from_interval(1.0, 2.0, 3.0)


def _k2_brute(mu: float, span: float, window: float, rng: np.random.Generator) -> float:
    n = rng.poisson(mu, size=200_000)
    hit = 0
    for k in np.unique(n[n >= 2]):
        m = int(np.sum(n == k))
        t = np.sort(rng.random((m, k)) * span, axis=1)
        hit += int(np.sum(np.any(np.diff(t, axis=1) <= window, axis=1)))
    return hit / n.size


def test_scan_k2_exact_formula_against_brute_force(rng: np.random.Generator) -> None:
    # The David–Barton spacing formula vs direct simulation of uniform points.
    exact = scan_pvalue_k2_uniform(3.0, 4500.0, 58.0)
    brute = _k2_brute(3.0, 4500.0, 58.0, rng)
    se = math.sqrt(exact * (1 - exact) / 200_000)
    assert abs(brute - exact) < 4 * se


def test_scan_k2_exact_for_two_points() -> None:
    # Two uniform points on [0, T]: P(|x - y| <= w) = 1 - (1 - w/T)^2 (hand result).
    # With N ~ Poisson(mu) the probability that N == 2 and they are close, plus N >= 3 terms;
    # for tiny mu the ratio to P(N = 2) tends to that hand result.
    mu, span, w = 1e-4, 100.0, 10.0
    p = scan_pvalue_k2_uniform(mu, span, w)
    assert p / stats.poisson.pmf(2, mu) == pytest.approx(1 - (1 - w / span) ** 2, rel=1e-3)


def test_scan_monte_carlo_matches_exact_k2(rng: np.random.Generator) -> None:
    exact = scan_pvalue_k2_uniform(2.0, 1000.0, 58.0)
    mc = scan_pvalue([0.0, 1000.0], [2.0 / 1000.0], 58.0, 2, rng=rng, n_sim=200_000)
    se = math.sqrt(exact * (1 - exact) / 200_000)
    assert abs(mc - exact) < 4 * se


def test_scan_given_n_equals_range_distribution_for_k3(rng: np.random.Generator) -> None:
    # Three uniform points all within w: the range R of n uniforms has
    # P(R <= r) = n r^(n-1) - (n-1) r^n with r = w / T (order statistics, hand result).
    r = 0.2
    exact = 3 * r**2 - 2 * r**3
    mc = scan_pvalue([0.0, 1.0], [1.0], r, 3, rng=rng, n_sim=200_000, n_events=3)
    assert mc == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 200_000))


def test_scan_respects_piecewise_intensity(rng: np.random.Generator) -> None:
    # Intensity only on [0, 100] of [0, 1000]: same as a uniform process on 100 days.
    mc = scan_pvalue([0.0, 100.0, 1000.0], [0.02, 0.0], 10.0, 2, rng=rng, n_sim=200_000)
    exact = scan_pvalue_k2_uniform(2.0, 100.0, 10.0)
    assert mc == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 200_000))


def test_scan_rejects_bad_input(rng: np.random.Generator) -> None:
    with pytest.raises(InputError, match="k = 1"):
        scan_pvalue([0, 1], [1.0], 0.1, 1, rng=rng)
    with pytest.raises(InputError, match="edges must increase"):
        scan_pvalue([1, 0], [1.0], 0.1, 2, rng=rng)


def test_marginal_likelihood_by_hand() -> None:
    # y = [0, 2], t = [1, 1], Gamma(1, 1): p = (1/2!) * Γ(3) / 3^3 = 1/27
    assert math.exp(log_marginal_poisson_gamma([0, 2], [1, 1], 1.0, 1.0)) == pytest.approx(1 / 27)


def test_marginal_likelihood_against_numerical_integration() -> None:
    y, t, a, b = np.array([1, 0, 3]), np.array([2.0, 0.5, 4.0]), 1.5, 0.7

    def integrand(lam: float) -> float:
        return float(np.prod(stats.poisson.pmf(y, lam * t)) * stats.gamma.pdf(lam, a, scale=1 / b))

    num = integrate.quad(integrand, 0, 50, limit=200)[0]
    assert math.exp(log_marginal_poisson_gamma(y, t, a, b)) == pytest.approx(num, rel=1e-7)


def test_change_point_known_answer_27_over_43() -> None:
    # Worked by hand: y = [0, 2], t = [1, 1], Gamma(1, 1) priors, P(change) = 1/2.
    # no change: 1/27; change before item 2: (Γ(1)/2) * (1/2! · Γ(3)/2^3) = 1/2 · 1/8 = 1/16.
    # P(change | y) = (1/16) / (1/16 + 1/27) = 27/43.
    est = ProductionChangePoint(prior_shape=1.0, prior_rate=1.0).fit([1, 1], [0, 2])
    assert est.posterior_change_ == pytest.approx(27 / 43, rel=1e-12)
    assert est.map_change_index_ == 1
    assert est.rate_before_ == pytest.approx(1 / 2)  # (1 + 0) / (1 + 1)
    assert est.rate_after_ == pytest.approx(3 / 2)  # (1 + 2) / (1 + 1)


def test_change_point_location_and_design_covariate() -> None:
    # 30 quiet items then 5 with 2 events each: the change is found at item 30.
    t = np.ones(35)
    y = np.r_[np.zeros(30), np.full(5, 2)]
    est = ProductionChangePoint(prior_shape=1.0, prior_rate=1.0).fit(
        t, y, groups=["old"] * 30 + ["new"] * 5
    )
    assert est.map_change_index_ == 30
    assert est.posterior_change_ > 0.99
    assert est.change_point_posterior_.sum() == pytest.approx(1.0)
    # The design split is the same partition as the change at 30: its Bayes factor equals the
    # change-at-30 evidence ratio.
    bf30 = math.exp(est.log_evidence_change_[29] - est.log_evidence_none_)
    assert est.design_bayes_factor_ == pytest.approx(bf30, rel=1e-9)


def test_no_change_when_rates_are_equal() -> None:
    est = ProductionChangePoint().fit(np.full(40, 100.0), np.ones(40))
    # equal rates: the data lower P(change) from its prior 0.5 (Occam factor of the extra rate)
    assert est.posterior_change_ < 0.35


def test_estimator_contract() -> None:
    est = ProductionChangePoint(prior_shape=2.0)
    assert est.get_params() == {"prior_shape": 2.0, "prior_rate": None, "p_change": 0.5}
    assert est.set_params(p_change=0.3) is est and est.p_change == 0.3
    assert not hasattr(est, "posterior_change_")
    assert est.fit([1.0, 2.0, 3.0], [0, 0, 1]) is est
    assert {"posterior_change_", "change_point_posterior_", "rate_before_"} <= set(vars(est))
    with pytest.raises(InputError, match="unknown parameter"):
        est.set_params(bogus=1)


def test_change_point_rejects_bad_input() -> None:
    with pytest.raises(InputError, match="exposure must be finite and > 0"):
        ProductionChangePoint().fit([1.0, 0.0], [0, 1])
    with pytest.raises(InputError, match="integers"):
        ProductionChangePoint().fit([1.0, 1.0], [0, 0.5])


def test_fleet_summary_keys_and_consistency(rng: np.random.Generator) -> None:
    from breachkit.fleet.analysis import fleet_summary

    s = fleet_summary((5e-5, 5e-6, 5e-4), rng=rng, n_sim=20_000)
    assert s["cluster"]["n_events"] == 2
    assert s["cluster_p_value"] == s["cluster"]["scan_pvalue_mean"]
    assert 0 < s["count_p_value"] < 1 and 0 < s["count_cdf"] <= 1
    assert s["production_change_probability"] == s["production_change"]["posterior_change"]
    with pytest.raises(InputError, match="one of them"):
        fleet_summary(rng=rng)
