"""Each evidence item's likelihood ratio by hand, and its limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.attribution import (
    HARD_EVIDENCE_PRESETS,
    HardEvidence,
    HoleSize,
    Location,
    ShowerTiming,
    TelemetrySignature,
)


def test_telemetry_lr_by_hand() -> None:
    ev = TelemetrySignature(10.0, p_sudden_impact=0.95, p_sudden_defect=0.5)
    assert ev.likelihood_ratio() == pytest.approx((0.95 * 10 + 0.05) / (0.5 * 10 + 0.5))
    assert "sudden" in ev.explain() and "1.74" in ev.explain()


@given(bf=st.floats(1e-6, 1e6), pi=st.floats(0.01, 0.99), pd=st.floats(0.01, 0.99))
@settings(max_examples=60, deadline=None)
def test_telemetry_lr_is_bounded_and_monotone(bf: float, pi: float, pd: float) -> None:
    ev = TelemetrySignature(bf, p_sudden_impact=pi, p_sudden_defect=pd)
    lr = ev.likelihood_ratio()
    lo, hi = sorted([pi / pd, (1 - pi) / (1 - pd)])
    assert lo * (1 - 1e-9) <= lr <= hi * (1 + 1e-9)
    more = TelemetrySignature(bf * 2, p_sudden_impact=pi, p_sudden_defect=pd).likelihood_ratio()
    assert (more - lr) * (pi - pd) >= -1e-12  # a stronger 'sudden' signal helps impact iff pi > pd


def test_shower_lr_by_hand() -> None:
    wrong_direction = ShowerTiming("Geminids", flux_ratio=1.0, reach_fraction=0.0)
    assert wrong_direction.likelihood_ratio() == 1.0
    reachable = ShowerTiming("Geminids", flux_ratio=2.0, reach_fraction=0.5, mean_ratio=0.1)
    assert reachable.likelihood_ratio() == pytest.approx((1 + 2.0 * 0.5) / 1.1)
    with pytest.raises(InputError, match="reach_fraction"):
        ShowerTiming("x", 1.0, 1.5)


def test_hole_size_pareto_vs_log_uniform_by_hand() -> None:
    # With a tiny measurement error the LR is the ratio of the densities in ln d:
    # impact α (d_min/d)^α ; defect 1 / ln(d_max/d_min).
    d, dmin, a, lo, hi = 0.8e-3, 0.3e-3, 2.5, 0.05e-3, 10e-3
    ev = HoleSize(d, sigma_log=0.01, impact_min_m=dmin, impact_alpha=a,
                  defect_min_m=lo, defect_max_m=hi)  # fmt: skip
    expected = a * (dmin / d) ** a * math.log(hi / lo)
    assert ev.likelihood_ratio() == pytest.approx(expected, rel=1e-3)


def test_hole_size_below_impact_threshold_favours_defect() -> None:
    ev = HoleSize(0.1e-3, sigma_log=0.05, impact_min_m=0.3e-3)
    assert ev.likelihood_ratio() < 1e-3


def test_hole_size_from_monte_carlo_samples(rng: np.random.Generator) -> None:
    # Samples from the same Pareto give (nearly) the same LR as the analytic model.
    dmin, a = 0.3e-3, 2.5
    samples = dmin * (1 - rng.random(20_000)) ** (-1 / a)
    analytic = HoleSize(0.8e-3, sigma_log=0.3, impact_min_m=dmin, impact_alpha=a)
    sampled = HoleSize(0.8e-3, sigma_log=0.3, impact_samples_m=tuple(samples))
    assert sampled.likelihood_ratio() == pytest.approx(analytic.likelihood_ratio(), rel=0.1)


def test_location_lr() -> None:
    ev = Location("the ram-facing half", impact_fraction=0.8, area_fraction=0.5)
    assert ev.likelihood_ratio() == pytest.approx(1.6)
    assert "ram-facing" in ev.explain()


def test_hard_evidence_presets_and_others() -> None:
    for name in HARD_EVIDENCE_PRESETS:
        ev = HardEvidence.preset(name, source="test")
        assert ev.likelihood_ratio() == pytest.approx(ev.p_given_impact / ev.p_given_defect)
        assert ev.explain()
    drill = HardEvidence.preset("drill_marks")
    assert drill.likelihood_ratio() < 1e-3
    assert list(drill.likelihoods(["impact", "defect", "vent_hole"])) == pytest.approx(
        [drill.likelihood_ratio(), 1.0, 1.0]
    )
    own = HardEvidence("x", 0.2, 0.4, others={"vent_hole": 3.0})
    assert list(own.likelihoods(["impact", "defect", "vent_hole"])) == pytest.approx([0.5, 1, 3])
    with pytest.raises(InputError, match="unknown preset"):
        HardEvidence.preset("nope")
    with pytest.raises(InputError, match="p_given_defect"):
        HardEvidence("x", 0.5, 0.0)


def test_variants_cover_the_uncertain_inputs() -> None:
    names = [v.input for v in TelemetrySignature(5.0, bayes_factor_range=(1, 20)).variants()]
    assert names == ["telemetry Bayes factor", "P(sudden | impact)", "P(sudden | defect)"]
    assert {v.input for v in HoleSize(1e-3).variants()} == {
        "impact hole-size index",
        "smallest failing hole",
        "largest defect flaw",
    }


def test_impact_timing_lr_and_its_shower_special_case() -> None:
    from breachkit.attribution import ImpactTiming

    assert ImpactTiming(2e-4, 1e-4).likelihood_ratio() == pytest.approx(2.0)
    # ShowerTiming is λ(t)/λ̄ with λ(t) = λ_bg (1 + r f), λ̄ = λ_bg (1 + r̄)
    bg, r, f, rbar = 1e-4, 3.0, 0.25, 0.05
    shower = ShowerTiming("x", r, f, mean_ratio=rbar).likelihood_ratio()
    assert ImpactTiming(bg * (1 + r * f), bg * (1 + rbar)).likelihood_ratio() == pytest.approx(
        shower
    )
    with pytest.raises(InputError, match="mean_rate"):
        ImpactTiming(1.0, 0.0)
