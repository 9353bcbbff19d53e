"""Unit and property tests of breachkit.environment.meteoroids."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.units import KM, KM_S
from breachkit._core.validity import OutOfValidityRangeError, ValidityWarning, strict
from breachkit.environment.meteoroids import (
    METEOROID_MODELS,
    TabulatedSpeedDistribution,
    earth_escape_speed,
    earth_shielding_factor,
    ecss_speed_distribution,
    get_meteoroid_model,
    gravitational_focusing_ecss,
    grun_flux,
    orbit_speed_distribution,
    spacecraft_motion_factor,
    sphere_diameter,
    sphere_mass,
    ssp30425_density,
)

YEAR = 3.15576e7


def test_grun_regression_values_calc():
    """REGRESSION ([calc] in mmod.md §3.1, not published): F(≥m) per year at several masses."""
    m_g = np.array([1e-12, 1e-9, 1e-6, 1e-3, 1.0])
    calc = np.array([1.0879e3, 9.5064e1, 1.4880, 5.9675e-4, 7.0213e-8])
    got = np.asarray(grun_flux(m_g * 1e-3)) * YEAR
    np.testing.assert_allclose(got, calc, rtol=1e-4)


def test_grun_is_per_second_not_per_year():
    # the bracket at 1e-6 g is 4.7e-8 m⁻² s⁻¹; a per-year mislabel would give 1.49
    assert grun_flux(1e-9) == pytest.approx(1.4880 / YEAR, rel=1e-4)


def test_grun_scalar_and_array():
    assert isinstance(grun_flux(1e-6), float)
    assert np.asarray(grun_flux([1e-6, 1e-5])).shape == (2,)


def test_grun_out_of_range_nan_and_warning():
    with pytest.warns(ValidityWarning, match="grun_flux"):
        out = grun_flux(np.array([1e-6, 1.0]))
    assert np.isfinite(out[0]) and np.isnan(out[1])
    with strict(), pytest.raises(OutOfValidityRangeError, match="mass_kg"):
        grun_flux(1.0)


def test_grun_nan_propagates_silently():
    assert np.isnan(grun_flux(float("nan")))


@settings(max_examples=60, deadline=None)
@given(st.floats(-20.9, -4.0), st.floats(0.01, 3.0))
def test_grun_falls_with_mass(log_m, step):
    m = 10.0**log_m
    assert grun_flux(m * 10**step) < grun_flux(m)


def test_ssp30425_density_steps():
    # MEM user guide §1.1: 2 g/cm³ below 1e-6 g, 1 between 1e-6 and 0.01 g, 0.5 above
    np.testing.assert_array_equal(
        ssp30425_density([1e-10, 1e-9, 1e-7, 1e-5, 1e-4]), [2000, 1000, 1000, 1000, 500]
    )


@settings(max_examples=60, deadline=None)
@given(st.floats(-6.0, -1.5), st.floats(0.001, 1.0))
def test_step_law_mass_from_diameter_monotone_and_consistent(log_d, step):
    m = METEOROID_MODELS["grun-ssp30425"]
    d1, d2 = 10.0**log_d, 10.0 ** (log_d + step)
    m1, m2 = m.mass_from_diameter(d1), m.mass_from_diameter(d2)
    assert m2 >= m1
    # away from the plateaus the diameter of the mass with its own density is d
    rho = m.density(m1)
    if m1 not in (1e-9, 1e-5):
        assert sphere_diameter(m1, rho) == pytest.approx(d1, rel=1e-9)


def test_cumulative_flux_falls_with_size_every_model():
    d = np.geomspace(1e-6, 3e-2, 200)
    for model in METEOROID_MODELS.values():
        f = np.asarray(model.flux_above_diameter(d))
        assert np.all(np.diff(f) <= 0), model.name


def test_sphere_roundtrip():
    assert sphere_diameter(sphere_mass(1e-3, 1000.0), 1000.0) == pytest.approx(1e-3)


def test_unknown_model_is_input_error():
    with pytest.raises(ValueError, match="unknown"):
        get_meteoroid_model("nope")


def test_shielding_limits():
    assert earth_shielding_factor(1e9) == pytest.approx(1.0, abs=1e-4)
    assert earth_shielding_factor(100.0001 * KM) == pytest.approx(0.5, abs=1e-3)
    with pytest.warns(ValidityWarning):
        assert np.isnan(earth_shielding_factor(50 * KM))


def test_focusing_single_speed():
    r = 6778e3
    assert gravitational_focusing_ecss(20 * KM_S, r) == pytest.approx(
        1 + float(earth_escape_speed(r)) ** 2 / (20 * KM_S) ** 2
    )


def test_speed_distribution_integrates_to_one_and_cdf():
    dist = ecss_speed_distribution()
    v = np.linspace(0, 73e3, 73001)
    integral = np.trapezoid(np.asarray(dist.pdf(v)), v)
    assert integral == pytest.approx(1.0, abs=2e-3)
    c = np.asarray(dist.cdf(v))
    assert c[0] == 0.0 and c[-1] == pytest.approx(1.0) and np.all(np.diff(c) >= 0)


def test_speed_distribution_sampler_mean(rng):
    dist = ecss_speed_distribution()
    s = dist.sample(200_000, rng)
    # standard error of the mean ≈ 8.6 km/s / sqrt(2e5) = 19 m/s; allow 5σ
    assert s.mean() == pytest.approx(dist.mean(), abs=100.0)
    assert dist.mean() == pytest.approx(17.655e3, rel=1e-3)  # [calc] constants-2 §4: 17.66


def test_tabulated_distribution_rejects_bad_input():
    with pytest.raises(ValueError):
        TabulatedSpeedDistribution(np.array([1.0, 0.5]), np.array([1.0]))


def test_orbit_speed_distribution_normalised():
    osd = orbit_speed_distribution(6378e3 + 400e3)
    assert osd.weights.sum() == pytest.approx(1.0)
    assert np.all(osd.speeds_m_s >= float(earth_escape_speed(6778e3)))
    # [calc] constants-2 §4: Ḡ(400 km) = 2.40 and mean 16.8 km/s with the candidate table
    assert osd.mean_focusing == pytest.approx(2.40, abs=0.01)
    assert osd.mean() == pytest.approx(16.8e3, abs=100)


@settings(max_examples=40, deadline=None)
@given(st.floats(1e3, 80e3), st.floats(0.0, 12e3))
def test_motion_factor_matches_numeric_average(v, big_v):
    mu = np.linspace(-1, 1, 20001)
    rel = np.sqrt(v * v + big_v * big_v - 2 * v * big_v * mu) / v
    assert spacecraft_motion_factor(v, big_v) == pytest.approx(np.trapezoid(rel, mu) / 2, rel=1e-5)
