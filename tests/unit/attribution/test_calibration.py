"""Simulation-based calibration: the scores, the generative model, and that a mis-specified
attribution scores measurably worse (breachkit.attribution.calibration)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.attribution.calibration import (
    BlindAttribution,
    CalibrationStudy,
    FleetFlights,
    IncidentSimulator,
    SyntheticIncidents,
    TelemetryBank,
    brier_score,
    ece_null,
    expected_calibration_error,
    incident_prior_share,
    reliability_table,
    roc_auc,
)
from breachkit.attribution.physical import LocationModel
from breachkit.attribution.verdict import RatePrior


# -- scores -------------------------------------------------------------------------------------
def test_oracle_is_calibrated_within_sampling_error() -> None:
    rng = np.random.default_rng(11)
    p = rng.random(20_000)
    y = (rng.random(p.size) < p).astype(float)
    ece = expected_calibration_error(p, y)
    # 10 bins of ~2000 outcomes each: |freq - mean p| ~ sqrt(0.25/2000) = 0.011 per bin
    assert ece < 0.02
    assert ece <= ece_null(p, rng=rng)["p95"] * 1.5


def test_miscalibrated_predictor_is_detected() -> None:
    rng = np.random.default_rng(12)
    p = rng.random(5_000)
    y = (rng.random(p.size) < p).astype(float)
    over = p**3  # systematically too low
    assert expected_calibration_error(over, y) > 3 * ece_null(over, rng=rng)["p95"]


def test_constant_predictor_auc_is_one_half_and_brier_a_quarter() -> None:
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1], dtype=float)
    assert roc_auc(np.full(8, 0.3), y) == pytest.approx(0.5)
    assert brier_score(np.full(8, 0.5), y) == pytest.approx(0.25)


def test_auc_by_hand() -> None:
    y = np.array([0, 0, 1, 1], dtype=float)
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 1.0
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), y) == 0.0
    # one positive (0.4) below one negative (0.6): 3 of 4 pairs ordered
    assert roc_auc(np.array([0.1, 0.6, 0.4, 0.9]), y) == pytest.approx(0.75)
    assert np.isnan(roc_auc(np.array([0.1, 0.2]), np.array([1.0, 1.0])))


def test_reliability_table_by_hand() -> None:
    t = reliability_table([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1], n_bins=2)
    assert list(t["count"]) == [2, 2]
    assert t["frequency"][0] == pytest.approx(0.5) and t["frequency"][1] == pytest.approx(1.0)
    assert expected_calibration_error([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1], 2) == (
        pytest.approx(0.5 * 0.45 + 0.5 * 0.05)
    )
    with pytest.raises(InputError, match="0 or 1"):
        brier_score([0.5], [2])
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        brier_score([1.5], [1])


# -- the generative model ---------------------------------------------------------------------
def _fleet(n: int = 20) -> FleetFlights:
    start = np.datetime64("2015-01-01T00:00:00") + (np.arange(n) * 200).astype("timedelta64[D]")
    return FleetFlights(tuple(f"f{i}" for i in range(n)), start, start + np.timedelta64(180, "D"))


LOC = LocationModel(("rad", "line"), (0.0255, 0.0642), (0.923, 0.615))


def test_cause_frequency_follows_the_rates() -> None:
    # nearly fixed rates: impact 3e-4 /d, defect 1e-4 /d -> 75 % of incidents are impacts
    imp = RatePrior(3e-4, 2.99e-4, 3.01e-4)
    dfc = RatePrior(1e-4, 0.999e-4, 1.001e-4)
    inc = IncidentSimulator(imp, dfc, _fleet(), LOC).sample(4000, rng=np.random.default_rng(3))
    f = inc.impact.mean()
    assert abs(f - 0.75) < 3 * np.sqrt(0.75 * 0.25 / 4000)  # 3σ binomial
    # location: impacts land in proportion to the risk map, defects to the susceptible area
    rad_i = np.mean(inc.part[inc.impact] == 0)
    rad_d = np.mean(inc.part[~inc.impact] == 0)
    assert abs(rad_i - LOC.p_impact(["rad"])) < 4 * np.sqrt(0.25 / inc.impact.sum())
    assert abs(rad_d - LOC.p_defect(["rad"])) < 4 * np.sqrt(0.25 / (~inc.impact).sum())


def test_sample_needs_a_generator() -> None:
    sim = IncidentSimulator(RatePrior(1e-4, 1e-5, 1e-3), RatePrior(1e-4, 1e-5, 1e-3), _fleet(), LOC)
    with pytest.raises(InputError, match="Generator"):
        sim.sample(10, rng=np.random.RandomState(1))  # type: ignore[arg-type]


def test_bank_takes_the_nearest_fit_of_the_same_signature() -> None:
    bank = TelemetryBank(
        np.array([True, True, False, False]),
        np.array([0.1e-3, 5e-3, 0.1e-3, 5e-3]),
        np.array([10.0, 1.0, 0.01, 1.0]),
    )
    n = 2
    inc = SyntheticIncidents(
        np.array([True, False]), np.zeros(n, int), np.ones(n), np.zeros(n, int),
        np.array([0.12e-3, 0.11e-3]), np.array([0.12e-3, 0.11e-3]), np.array([True, False]),
        np.array(["linear", "linear"]), np.zeros(n), np.zeros((n, 2)),
    )  # fmt: skip
    bf = bank.draw(inc, rng=np.random.default_rng(0), k=1)
    assert list(bf) == [10.0, 0.01]


# -- the study: well specified vs mis-specified ------------------------------------------------
@pytest.mark.slow
def test_misspecified_likelihoods_calibrate_measurably_worse() -> None:
    prior = RatePrior(5e-5, 5e-6, 5e-4)
    sim = IncidentSimulator(prior, prior, _fleet(), LOC)
    good = BlindAttribution(prior, prior, LOC, n_samples=1000)
    wrong_loc = LocationModel(("rad", "line"), (0.9, 0.1), (0.1, 0.9))  # the risk map inverted
    wrong = replace(good, location=wrong_loc)
    study = CalibrationStudy(n_incidents=400, telemetry="none")
    g = study.fit(sim, good, rng=np.random.default_rng(7))
    g_ece, g_floor, g_auc = g.ece_, g.ece_null_["p95"], g.auc_
    w = CalibrationStudy(n_incidents=400, telemetry="none").fit(
        sim, wrong, rng=np.random.default_rng(7)
    )
    assert g_ece <= 1.5 * g_floor  # consistent with calibration (sampling floor ~0.04)
    assert w.ece_ > 3 * w.ece_null_["p95"]  # miscalibration detected
    assert w.brier_ > g.brier_ + 0.05 and w.auc_ < g_auc - 0.05
    d = g.to_dict()
    assert d["n"] == 400 and 0 < d["brier"] < 0.25 and set(d["per_regime"]) >= {"impact"}


def test_incident_prior_share_matches_the_simulator() -> None:
    imp = RatePrior(1e-4, 0.99e-4, 1.01e-4)
    dfc = RatePrior.from_counts(0, 5000.0)  # Jeffreys: same mean 1e-4, very uncertain
    fleet = _fleet()
    inc = IncidentSimulator(imp, dfc, fleet, LOC).sample(8000, rng=np.random.default_rng(5))
    share = incident_prior_share(imp, dfc, fleet.docked_days, rng=np.random.default_rng(6))
    assert abs(inc.impact.mean() - share) < 3 * np.sqrt(0.25 / 8000)
    assert share == pytest.approx(0.5, abs=0.02)  # E[λ_I]/E[Λ] for small ΛT


@pytest.mark.xfail(
    strict=True,
    reason="known defect: Attribution's prior share E[λ_I/Λ] ignores that an incident happened "
    "(size-biased rates); with a known impact rate and a Jeffreys defect rate of the same mean "
    "it gives 0.66 where the incident frequency is 0.50 (docs/attribution.md, Calibration). "
    "Remove the xfail when the prior share is conditioned on the incident.",
)
def test_attribution_prior_share_is_incident_conditioned() -> None:
    from breachkit.attribution.verdict import Attribution

    imp = RatePrior(1e-4, 0.99e-4, 1.01e-4)
    dfc = RatePrior.from_counts(0, 5000.0)
    a = Attribution(n_samples=100_000).fit(
        {"impact": imp, "defect": dfc}, [], rng=np.random.default_rng(1)
    )
    share = incident_prior_share(imp, dfc, _fleet().docked_days, rng=np.random.default_rng(6))
    assert a.posterior_impact_ == pytest.approx(share, abs=0.03)
