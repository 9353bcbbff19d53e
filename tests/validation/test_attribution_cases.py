"""The bundled cases: no verdict is confidently wrong from computed evidence alone.

The official findings are the comparison, never an input (the evidence issue): MS-22 external
impact (Roscosmos and NASA, 2023-01-11); MS-21 external impact (Roscosmos citing RKK Energia,
2023-02-21); MS-09 a drilled hole, not an impact (2018-09-04); Nauka's radiator: not published.
Evidence items that restate a finding are comparison-only in breachkit (they enter no class), so
these tests check what the data breachkit computes say, and that they never contradict a finding
with confidence (P(impact) ≤ 0.1 for an impact, ≥ 0.9 for a non-impact). That the computed
evidence alone decides none of the radiator cases is the honest result, asserted too: a change that
made them confident would have to come from new computed evidence, and this test would say so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from breachkit.attribution.fleet_verdict import case_verdict

CASES = Path(__file__).resolve().parents[2] / "cases"
FINDINGS = {  # the comparison: (case, official finding), never passed to the model
    "soyuz-ms22": "impact",
    "progress-ms21": "impact",
    "soyuz-ms09": "not_impact",
}


def _verdict(case: str):
    return case_verdict(CASES / case, rng=np.random.default_rng(20221215), n_samples=4000)


@pytest.mark.parametrize(("case", "finding"), sorted(FINDINGS.items()))
def test_no_verdict_is_confidently_wrong_from_computed_evidence(case: str, finding: str) -> None:
    p = _verdict(case).by_class["computed"]["posterior_impact"]
    if finding == "impact":
        assert p > 0.1, f"{case}: computed evidence says defect with confidence ({p:.3f})"
    else:
        assert p < 0.9, f"{case}: computed evidence says impact with confidence ({p:.3f})"


@pytest.mark.parametrize("case", ["soyuz-ms22", "progress-ms21", "nauka-radiator-2023"])
def test_computed_evidence_alone_does_not_decide_the_radiator_cases(case: str) -> None:
    v = _verdict(case)
    assert 0.1 < v.by_class["computed"]["posterior_impact"] < 0.9


def test_the_official_finding_is_a_comparison_not_evidence() -> None:
    v = _verdict("soyuz-ms22")
    assert v.official_finding["finding"] == "impact"
    used = {i for c in v.by_class.values() for i in c["items"]}
    assert not any("ground_test" in i or "official" in i for i in used), used


def test_classes_are_cumulative_and_probabilities() -> None:
    v = _verdict("soyuz-ms09")
    c = v.by_class
    assert set(c["computed"]["items"]) <= set(c["cited"]["items"]) <= set(c["judgement"]["items"])
    for row in c.values():
        assert 0.0 <= row["posterior_impact"] <= 1.0
