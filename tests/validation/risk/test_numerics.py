"""The engine's numerical choices: the cos-θ table error, and Monte Carlo against deterministic."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh
from hypothesis import given, settings
from hypothesis import strategies as st
from risk_testkit import ConstantShield, CosineShield, env, faces_from, isotropic

from breachkit.risk import ExposureWindow, FaceSet, compute_risk
from breachkit.risk.montecarlo import monte_carlo

DAY = 86400.0


def _sphere():
    m = trimesh.creation.icosphere(subdivisions=2, radius=1.0)
    v, f = np.asarray(m.vertices), np.asarray(m.faces)
    return faces_from(
        v, f, (np.asarray(m.triangles_center)[:, 2] > 0).astype(int), ("south", "north")
    )


def test_cos_table_error_is_second_order_and_small():
    """Linear interpolation of K(c) = c·G(c): error ∝ h², below 1e-3 at the default 65 nodes.

    The reference is the direct evaluation of d_c at every (face, direction, speed). Halving h
    must cut the error by about 4 (between 3 and 5 allows for the kink of the test BLE at 75°).
    """
    fs = _sphere()
    win = ExposureWindow("w", env(isotropic("iso", 300, 1e-4)), DAY)
    sh = {"south": CosineShield(2e-4), "north": CosineShield(4e-4)}
    exact = compute_risk(fs, win, sh, n_cos_bins=None).expected_failures
    errs = {}
    for n in (9, 17, 33, 65):
        errs[n] = abs(compute_risk(fs, win, sh, n_cos_bins=n).expected_failures / exact - 1)
    assert errs[65] < 1e-3
    assert 3.0 < errs[17] / errs[33] < 5.0
    assert errs[9] > errs[17] > errs[33] > errs[65]


def test_cos_table_exact_for_angle_independent_shield():
    fs = _sphere()
    win = ExposureWindow("w", env(isotropic("iso", 300, 1e-4)), DAY)
    sh = {"south": ConstantShield(2e-4), "north": ConstantShield(4e-4)}
    a = compute_risk(fs, win, sh, n_cos_bins=2).expected_failures
    b = compute_risk(fs, win, sh, n_cos_bins=None).expected_failures
    assert a == pytest.approx(b, rel=1e-12)


def test_monte_carlo_agrees_with_deterministic(rng):
    """MC estimate within 4 standard errors of the direct deterministic value (p ≈ 6e-5 to fail)."""
    fs = _sphere()
    win = ExposureWindow(
        "w",
        env(
            isotropic("deb", 300, 1e-4),
            isotropic("met", 200, 5e-5, kind="meteoroid", density=1000.0),
        ),
        DAY,
    )
    sh = {"south": CosineShield(2e-4, failure_area_fraction=0.5), "north": CosineShield(3e-4)}
    det = compute_risk(fs, win, sh, n_cos_bins=None)
    mc = monte_carlo(fs, win, sh, rng=rng, n_samples=60_000)
    assert abs(mc.expected_failures - det.expected_failures) < 4 * mc.standard_error
    assert mc.standard_error < 0.02 * det.expected_failures
    # per region too
    n_north, se = mc.expected_count(region="north")
    assert abs(n_north - det.region_failures("north")) < 4 * se


def test_monte_carlo_reproducible_with_seed():
    fs = _sphere()
    win = ExposureWindow("w", env(isotropic("deb", 100, 1e-4)), DAY)
    sh = {"south": CosineShield(2e-4), "north": CosineShield(3e-4)}
    a = monte_carlo(fs, win, sh, rng=np.random.default_rng(5), n_samples=2000)
    b = monte_carlo(fs, win, sh, rng=np.random.default_rng(5), n_samples=2000)
    np.testing.assert_array_equal(a.diameter_m, b.diameter_m)


def test_hole_size_probability_matches_power_law():
    """Plate facing a single-size-law flux: N(d1 ≤ d < d2) = N(≥d_min)·[(d1/d_min)^-s − (d2/d_min)^-s].

    Constant shield below d1 so every particle in the range fails; 200,000 samples give a
    relative standard error ~1 %; compared within 4 σ.
    """
    fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([2.0]), np.array([0]), ("rad",))
    win = ExposureWindow("w", env(isotropic("deb", 200, 1e-3)), 10 * DAY)
    sh = {"rad": ConstantShield(1e-4)}
    mc = monte_carlo(fs, win, sh, rng=np.random.default_rng(7), n_samples=200_000)
    total = mc.expected_impacts_by_population.sum()
    expected = total * ((7e-4 / 1e-4) ** -2.5 - (9e-4 / 1e-4) ** -2.5)
    out = mc.hole_size_probability("rad", 7e-4, 9e-4)
    assert abs(out["expected_number"] - expected) < 4 * out["standard_error"]
    assert out["probability"] == pytest.approx(1 - np.exp(-out["expected_number"]))


@settings(max_examples=25, deadline=None)
@given(
    d1=st.floats(1.1e-4, 5e-3),
    ratio=st.floats(1.01, 10.0),
    scale=st.floats(0.1, 10.0),
)
def test_property_monotone_in_critical_diameter_and_linear_in_flux(d1, ratio, scale):
    fs = FaceSet(
        np.array([[0, 0, 1.0], [1.0, 0, 0]]), np.array([1.0, 2.0]), np.array([0, 0]), ("r",)
    )
    pop = isotropic("iso", 50, 1e-4)
    win = ExposureWindow("w", env(pop), DAY)
    lo = compute_risk(fs, win, {"r": ConstantShield(d1)}).expected_failures
    hi = compute_risk(fs, win, {"r": ConstantShield(d1 * ratio)}).expected_failures
    assert hi < lo
    scaled = compute_risk(
        fs, ExposureWindow("w", env(pop.scaled(scale)), DAY), {"r": ConstantShield(d1)}
    )
    assert scaled.expected_failures == pytest.approx(scale * lo, rel=1e-10)


@settings(max_examples=20, deadline=None)
@given(area=st.floats(0.01, 100.0), days=st.floats(0.01, 1000.0))
def test_property_risk_proportional_to_area_times_time(area, days):
    """NASA TM-2009-214785 (Handbook) §1.2.1 p.3, eq. 2-1: N = F·A·t — doubling A or t doubles N."""
    pop = isotropic("iso", 50, 1e-4)
    sh = {"r": ConstantShield(3e-4)}

    def n(a, t):
        fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([a]), np.array([0]), ("r",))
        return compute_risk(fs, ExposureWindow("w", env(pop), t * DAY), sh).expected_failures

    base = n(area, days)
    assert n(2 * area, days) == pytest.approx(2 * base, rel=1e-12)
    assert n(area, 2 * days) == pytest.approx(2 * base, rel=1e-12)
