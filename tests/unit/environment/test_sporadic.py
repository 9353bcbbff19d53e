"""The directional sporadic model against the omnidirectional (ECSS) model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.units import MU_EARTH
from breachkit.environment.meteoroids import (
    METEOROID_MODELS,
    earth_shielding_factor,
    grun_flux,
    mean_focusing_factor,
)
from breachkit.environment.sporadic import (
    ecss_orbit_flux,
    igloo_grid,
    igloo_index,
    sporadic_population,
)

H = 400e3
R = 6378e3 + H


def test_igloo_grid_is_equal_area_and_indexes_its_centres():
    g = igloo_grid(9, 18)
    assert g.solid_angle_sr.sum() == pytest.approx(4 * np.pi)
    np.testing.assert_array_equal(igloo_index(g.vectors, 9, 18), np.arange(len(g)))


def test_at_rest_unshielded_equals_four_times_grun_times_gbar():
    p = sporadic_population(H, vehicle_speed_m_s=0.0, shielding=False, model="grun-1.0")
    expect = 4 * float(grun_flux(1000.0 * np.pi * 1e-12 / 6)) * mean_focusing_factor(R)
    assert p.flux.sum() == pytest.approx(expect, rel=1e-9)


def test_at_rest_shielded_matches_ecss_shielding_factor():
    p = sporadic_population(H, vehicle_speed_m_s=0.0, n_source_directions=40000)
    omni = ecss_orbit_flux(1e-3, H, vehicle_speed_m_s=0.0)
    # lattice quantisation of the Earth cone: ~1/N relative
    assert p.random_plate_flux(1e-3) == pytest.approx(omni, rel=2e-4)
    base = float(METEOROID_MODELS["grun-ssp30425"].flux_above_diameter(1e-4))
    assert p.flux.sum() / 4 / (base * mean_focusing_factor(R)) == pytest.approx(
        float(earth_shielding_factor(H)), rel=2e-4
    )


@settings(max_examples=8, deadline=None)
@given(st.floats(0.0, 11e3))
def test_moving_unshielded_matches_closed_form_motion_factor(big_v):
    p = sporadic_population(H, vehicle_speed_m_s=big_v, shielding=False, n_directions=128)
    assert p.random_plate_flux(1e-3) == pytest.approx(
        ecss_orbit_flux(1e-3, H, vehicle_speed_m_s=big_v, shielding=False), rel=1e-3
    )


def test_full_model_close_to_separable_ecss_form():
    # ECSS C-15 multiplies Ḡ, sf and K as if independent; the directional model does not
    # separate them. The difference must stay below 1 %.
    p = sporadic_population(H)
    assert p.random_plate_flux(1e-3) == pytest.approx(ecss_orbit_flux(1e-3, H), rel=1e-2)


def test_ram_sees_more_and_faster_than_wake():
    p = sporadic_population(H)
    assert p.plate_flux([1, 0, 0], 1e-3) > 5 * p.plate_flux([-1, 0, 0], 1e-3)
    # zenith open, nadir mostly behind the Earth
    assert p.plate_flux([0, 0, -1], 1e-3) > 5 * p.plate_flux([0, 0, 1], 1e-3)
    ram = p.directions.vectors[:, 0] > 0.9
    wake = p.directions.vectors[:, 0] < -0.9
    mean = lambda m: (p.flux[m] * p.speed_m_s).sum() / p.flux[m].sum()  # noqa: E731
    assert mean(ram) > mean(wake) + 5e3


def test_mean_speed_increases_with_vehicle_motion():
    still = sporadic_population(H, vehicle_speed_m_s=0.0, n_directions=128)
    moving = sporadic_population(H, n_directions=128)
    assert moving.mean_speed_m_s() > still.mean_speed_m_s()
    assert np.sqrt(MU_EARTH / R) > 7e3


def test_size_fraction_falls():
    p = sporadic_population(H, n_directions=64)
    f = np.array([p.cumulative_flux(d).sum() for d in np.geomspace(1e-5, 1e-2, 50)])
    assert np.all(np.diff(f) < 0)


def test_population_speed_distribution(rng):
    from breachkit.environment.sporadic import population_speed_distribution

    p = sporadic_population(H, n_directions=128)
    dist = population_speed_distribution(p)
    assert dist.probabilities.sum() == pytest.approx(1.0)
    # binning at 1 km/s moves the mean by at most half a bin
    assert dist.mean() == pytest.approx(p.mean_speed_m_s(), abs=500.0)
    s = dist.sample(50_000, rng)
    assert s.min() >= 0 and s.max() <= dist.edges_m_s[-1]
