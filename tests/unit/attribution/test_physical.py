"""Computed location evidence and risk-based hole sizes (breachkit.attribution.physical)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.attribution.physical import (
    HOLE_SIZE_RELATION,
    LocationModel,
    hole_size_from_monte_carlo,
    impact_hole_samples,
    location_from_risk,
)

ROOT = Path(__file__).resolve().parents[3]


def test_location_lr_by_hand() -> None:
    # radiator: 0.0255 expected failures on 9.23 m² x 0.1 tube footprint; line: 0.0642 on 0.615 m²
    m = LocationModel(("rad", "line"), (0.0255, 0.0642), (0.923, 0.615))
    p_i = 0.0255 / (0.0255 + 0.0642)
    p_d = 0.923 / (0.923 + 0.615)
    assert m.p_impact(["rad"]) == pytest.approx(p_i)
    assert m.p_defect(["rad"]) == pytest.approx(p_d)
    assert m.likelihood_ratio(["rad"]) == pytest.approx(p_i / p_d)
    assert m.likelihood_ratio(["rad", "line"]) == pytest.approx(1.0)  # anywhere: no information
    ev = m.evidence(["line"])
    assert ev.likelihood_ratio() == pytest.approx((1 - p_i) / (1 - p_d))


def test_flaw_density_moves_the_defect_side_only() -> None:
    base = LocationModel(("a", "b"), (1.0, 1.0), (1.0, 1.0))
    dense = LocationModel(("a", "b"), (1.0, 1.0), (1.0, 1.0), flaw_density=(3.0, 1.0))
    assert base.likelihood_ratio(["a"]) == pytest.approx(1.0)
    assert dense.p_impact(["a"]) == pytest.approx(0.5)
    assert dense.p_defect(["a"]) == pytest.approx(0.75)  # joints three times denser on a
    assert dense.likelihood_ratio(["a"]) == pytest.approx(2 / 3)


@given(
    f=st.lists(st.floats(1e-6, 1e3), min_size=2, max_size=6),
    a=st.lists(st.floats(1e-6, 1e3), min_size=2, max_size=6),
)
@settings(max_examples=50, deadline=None)
def test_location_shares_are_probabilities(f: list[float], a: list[float]) -> None:
    n = min(len(f), len(a))
    parts = tuple(f"p{i}" for i in range(n))
    m = LocationModel(parts, tuple(f[:n]), tuple(a[:n]))
    pi = [m.p_impact([p]) for p in parts]
    pd = [m.p_defect([p]) for p in parts]
    assert sum(pi) == pytest.approx(1.0) and sum(pd) == pytest.approx(1.0)
    # the LR averaged over the defect distribution is 1 (E_D[p_I/p_D] = Σ p_I = 1)
    assert sum(d * m.likelihood_ratio([p]) for p, d in zip(parts, pd, strict=True)) == (
        pytest.approx(1.0)
    )


def test_location_bad_input_is_one_clear_line() -> None:
    m = LocationModel(("rad", "line"), (1.0, 1.0), (1.0, 1.0))
    with pytest.raises(InputError, match="must name parts"):
        m.p_impact(["hull"])
    with pytest.raises(InputError, match="no expected failures"):
        LocationModel(("rad",), (0.0,), (1.0,))
    with pytest.raises(InputError, match="need 2 finite"):
        LocationModel(("rad", "line"), (1.0,), (1.0, 1.0))


class _Result:
    def breakdown(self, window: str | None = None) -> dict[str, Any]:
        return {
            "by_region": {
                "v/rad": {"area_m2": 10.0, "expected_failures": 0.02,
                          "interval": {"low": 0.01, "high": 0.05}},
                "v/line": {"area_m2": 0.5, "expected_failures": 0.06,
                           "interval": {"low": 0.02, "high": 0.15}},
            }
        }  # fmt: skip


def test_location_from_risk_uses_the_tube_footprint() -> None:
    m = location_from_risk(_Result(), ["v/rad", "v/line"], {"v/rad": 0.1, "v/line": 1.0})
    assert m.susceptible_area_m2 == pytest.approx((1.0, 0.5))
    assert m.p_impact(["v/rad"]) == pytest.approx(0.25)
    assert m.p_defect(["v/rad"]) == pytest.approx(1.0 / 1.5)
    lo, hi = m.p_impact_range(["v/rad"]) or (0, 0)
    assert lo == pytest.approx(min(0.01 / 0.03, 0.05 / 0.2)) and hi == pytest.approx(1 / 3)
    with pytest.raises(InputError, match="not evaluated"):
        location_from_risk(_Result(), ["v/hull"], {"v/hull": 1.0})


class _MC:
    """The part of MonteCarloResult the hole sampler reads."""

    def __init__(self) -> None:
        self.diameter_m = np.array([0.2e-3] * 10 + [0.5e-3] * 10 + [9e-3] * 10)
        self.weight = np.array([1.0] * 10 + [0.0] * 10 + [1.0] * 10)
        self.fails = np.array([True] * 20 + [False] * 10)
        self.face = np.array([0] * 5 + [1] * 25)
        self.faces = SimpleNamespace(
            region_names=("v/rad", "v/line"), region_index=np.array([0, 1])
        )


def test_hole_samples_are_weighted_failing_impactors_times_the_ratio() -> None:
    s = impact_hole_samples(_MC(), rng=np.random.default_rng(1), ratio_lo=2.0, ratio_hi=2.0)
    # only failing particles with weight > 0 (the 0.2 mm ones) appear, doubled
    assert np.allclose(s, 0.4e-3)
    s = impact_hole_samples(_MC(), rng=np.random.default_rng(1), ratio_lo=1.0, ratio_hi=3.0)
    assert s.min() >= 0.2e-3 * (1 - 1e-12) and s.max() <= 0.6e-3 * (1 + 1e-12)
    with pytest.raises(InputError, match="only 5 failing"):  # 5 on the radiator: too few
        impact_hole_samples(_MC(), rng=np.random.default_rng(1), regions=["v/rad"])
    with pytest.raises(InputError, match="not in the Monte Carlo"):
        impact_hole_samples(_MC(), rng=np.random.default_rng(1), regions=["v/hull"])


def test_hole_item_is_judgement_and_says_why() -> None:
    h = hole_size_from_monte_carlo(_MC(), 0.5e-3, rng=np.random.default_rng(2))
    assert h.evidence_class == "judgement"
    assert HOLE_SIZE_RELATION["status"] == "not found"
    assert "JUDGEMENT" in h.item.source
    assert h.item.likelihood_ratio() > 1  # 0.5 mm sits in the 0.2-0.6 mm impact holes


@pytest.mark.slow
def test_ms22_location_is_computed_from_the_risk_run() -> None:
    from breachkit.attribution.physical import physical_evidence_for_case
    from breachkit.risk.config import run_case_full

    case = ROOT / "cases" / "soyuz-ms22"
    run = run_case_full(case)
    res = physical_evidence_for_case(case, case_run=run)
    loc = res["location"]
    r = run.result
    f_rad = r.region_failures("soyuz_ms22/pao_radiator")
    f_line = r.region_failures("soyuz_ms22/pao_coolant_line")
    assert loc["evidence_class"] == "computed"
    assert loc["p_impact"] == pytest.approx(f_rad / (f_rad + f_line))
    assert loc["item"].likelihood_ratio() == pytest.approx(loc["p_impact"] / loc["p_defect"])
    assert res["hole_size"]["evidence_class"] == "judgement"


class _FaceResult:
    """Four faces of one radiator along x, failures rising toward +x."""

    def per_face_table(self, window: str | None = None) -> dict[str, Any]:
        return {
            "region": np.array(["v/rad"] * 4, dtype=object),
            "area_m2": np.array([1.0, 1.0, 1.0, 1.0]),
            "centroid_x_m": np.array([0.5, 1.5, 2.5, 3.5]),
            "expected_failures": np.array([0.01, 0.01, 0.02, 0.06]),
        }


def test_bands_along_a_radiator() -> None:
    from breachkit.attribution.physical import Band, location_from_faces

    bands = [Band("aft", "v/rad", "x", 0.0, 2.0), Band("fwd", "v/rad", "x", 2.0, 4.0)]
    m = location_from_faces(_FaceResult(), bands, {"v/rad": 0.1})
    assert m.p_impact(["fwd"]) == pytest.approx(0.08 / 0.10)
    assert m.p_defect(["fwd"]) == pytest.approx(0.5)  # same tube footprint per band
    assert m.likelihood_ratio(["fwd"]) == pytest.approx(1.6)
    with pytest.raises(InputError, match="overlap"):
        location_from_faces(
            _FaceResult(), [bands[0], Band("mid", "v/rad", "x", 1.0, 3.0)], {"v/rad": 0.1}
        )
    with pytest.raises(InputError, match="no faces"):
        location_from_faces(_FaceResult(), [Band("far", "v/rad", "x", 9, 10)], {"v/rad": 0.1})
