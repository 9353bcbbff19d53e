"""Known answers of the Bayesian combination, the estimator contract and the Verdict object."""

from __future__ import annotations

import json

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.attribution import Attribution, HardEvidence, RatePrior, TelemetrySignature


def _sharp(rate: float) -> RatePrior:
    return RatePrior(rate, rate, rate, source="test")


def test_sharp_rates_give_the_competing_risk_share(rng: np.random.Generator) -> None:
    # λ_I = 3e-5, λ_D = 1e-5 known exactly: prior P(impact) = 3/4.
    m = Attribution().fit({"impact": _sharp(3e-5), "defect": _sharp(1e-5)}, [], rng=rng)
    assert m.prior_["impact"] == pytest.approx(0.75, rel=1e-4)
    assert m.posterior_impact_ == pytest.approx(0.75, rel=1e-4)


def test_posterior_odds_are_prior_odds_times_lr(rng: np.random.Generator) -> None:
    # prior odds 3, LR 0.7/0.1 = 7: posterior odds 21, P = 21/22 (hand result).
    ev = HardEvidence("x", 0.7, 0.1)
    m = Attribution().fit({"impact": _sharp(3e-5), "defect": _sharp(1e-5)}, [ev], rng=rng)
    assert m.posterior_impact_ == pytest.approx(21 / 22, rel=1e-4)
    assert m.verdict_.label == "impact"


def test_gamma_rates_share_is_beta_mean(rng: np.random.Generator) -> None:
    # λ_I ~ Gamma(a1, b), λ_D ~ Gamma(a2, b) with the same rate b: λ_I/(λ_I+λ_D) ~ Beta(a1, a2),
    # mean a1/(a1+a2) (conjugate result). Build both from counts with the same exposure.
    imp = RatePrior.from_counts(2, 1000.0, prior_shape=0.5)  # Gamma(2.5, 1000)
    dfc = RatePrior.from_counts(0, 1000.0, prior_shape=0.5)  # Gamma(0.5, 1000)
    m = Attribution(n_samples=200_000).fit({"impact": imp, "defect": dfc}, [], rng=rng)
    assert m.prior_["impact"] == pytest.approx(2.5 / 3.0, abs=0.003)


def test_three_hypotheses_and_others(rng: np.random.Generator) -> None:
    # Equal sharp rates: prior 1/3 each; evidence likelihoods (impact 0.2, defect 1, vent 3)
    # give 0.2 : 1 : 3 → posterior 0.2/4.2, 1/4.2, 3/4.2.
    ev = HardEvidence("x", 0.1, 0.5, others={"vent_hole": 3.0})
    priors = {"impact": _sharp(1e-5), "defect": _sharp(1e-5), "vent_hole": _sharp(1e-5)}
    m = Attribution().fit(priors, [ev], rng=rng)
    # (shape-1e6 "sharp" Gammas leave a ~1e-5 Monte Carlo jitter)
    post = [m.posterior_[h] for h in priors]
    assert post == pytest.approx([0.2 / 4.2, 1 / 4.2, 3 / 4.2], rel=1e-4)
    assert m.verdict_.label == "vent_hole (not an impact)"


def test_sensitivity_moves_the_right_way(rng: np.random.Generator) -> None:
    priors = {"impact": RatePrior(5e-5, 5e-6, 5e-4), "defect": RatePrior(3e-5, 1e-7, 1e-4)}
    m = Attribution().fit(priors, [TelemetrySignature(10.0)], rng=rng)
    rows = {r.input: r for r in m.sensitivity_}
    assert rows["impact rate (d⁻¹)"].posterior_impact_low < m.posterior_impact_
    assert rows["impact rate (d⁻¹)"].posterior_impact_high > m.posterior_impact_
    assert rows["defect rate (d⁻¹)"].posterior_impact_high < m.posterior_impact_
    assert rows["P(sudden | defect)"].posterior_impact_high < m.posterior_impact_
    swings = [r.swing for r in m.sensitivity_]
    assert swings == sorted(swings, reverse=True)


def test_verdict_renders_and_serialises(rng: np.random.Generator) -> None:
    from rich.console import Console

    m = Attribution().fit(
        {"impact": RatePrior(5e-5, 5e-6, 5e-4), "defect": RatePrior(3e-5, 1e-7, 1e-4)},
        [TelemetrySignature(10.0), HardEvidence.preset("drill_marks")],
        rng=rng,
        case="demo",
    )
    v = m.verdict_
    d = v.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["posterior_impact"] + d["posterior_defect"] == pytest.approx(1.0)
    assert [e["name"] for e in d["evidence"]] == ["telemetry signature", "drill_marks"]
    assert all("likelihood_ratio" in e and e["explanation"] for e in d["evidence"])
    assert "<table>" in v._repr_html_() and "drill_marks" in v._repr_html_()
    console = Console(record=True, width=120)
    console.print(v)
    assert "drill_marks" in console.export_text()


def test_estimator_contract(rng: np.random.Generator) -> None:
    est = Attribution(n_samples=500)
    assert est.get_params() == {"n_samples": 500, "other_label": "defect"}
    assert not hasattr(est, "posterior_")
    priors = {"impact": _sharp(1e-5), "defect": _sharp(1e-5)}
    assert est.fit(priors, [], rng=rng) is est
    assert {"posterior_", "prior_", "verdict_", "sensitivity_", "likelihoods_"} <= set(vars(est))


def test_same_seed_same_answer() -> None:
    priors = {"impact": RatePrior(5e-5, 5e-6, 5e-4), "defect": RatePrior(3e-5, 1e-7, 1e-4)}
    a = Attribution().fit(priors, [], rng=np.random.default_rng(1)).posterior_impact_
    b = Attribution().fit(priors, [], rng=np.random.default_rng(1)).posterior_impact_
    assert a == b


def test_bad_input(rng: np.random.Generator) -> None:
    with pytest.raises(InputError, match="'impact' and 'defect'"):
        Attribution().fit({"impact": _sharp(1e-5)}, [], rng=rng)
    with pytest.raises(InputError, match="lo <= mean <= hi"):
        RatePrior(1e-5, 2e-5, 3e-5)
