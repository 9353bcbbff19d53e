"""build_environment: composition, averaging and flux conservation."""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit.environment.builder import bin_beams, build_environment
from breachkit.environment.debris import nasa91_flux
from breachkit.environment.showers import shower_population
from breachkit.environment.sporadic import ecss_orbit_flux

ISS = CircularOrbit(420e3, 51.6 * DEG)
T = "2022-12-15T00:45:00Z"


def test_environment_at_the_ms22_leak():
    env = build_environment(ISS, T, f107_sfu=82.0, n_directions=200)
    assert list(env.names) == ["sporadic", "GEM", "debris"]
    assert {p.directions.frame for p in env} == {"lvlh"}
    assert env["sporadic"].random_plate_flux(1e-3) == pytest.approx(
        ecss_orbit_flux(1e-3, 420e3), rel=1e-2
    )
    assert env["debris"].random_plate_flux(1e-3) == pytest.approx(
        nasa91_flux(1e-3, 420e3, 51.6 * DEG, 2022.953, 82.0), rel=1e-3
    )


def test_bin_beams_conserves_flux_and_mean_speed():
    p = shower_population("GEM", ISS, T, n_positions=50)
    b = bin_beams(p, 128)
    assert b.flux.sum() == pytest.approx(p.flux.sum())
    assert b.mean_speed_m_s() == pytest.approx(p.mean_speed_m_s(), rel=1e-9)


def test_window_includes_more_showers_and_is_time_averaged():
    env = build_environment(
        ISS, "2022-12-10T00:00Z", "2022-12-24T00:00Z", populations=("showers",), n_times=14
    )
    assert {"GEM", "URS"} <= set(env.names)


def test_known_node_uses_one_plane():
    orbit = CircularOrbit(420e3, 51.6 * DEG, raan_rad=1.0, epoch=None)
    a = build_environment(orbit, T, populations=("showers",), n_raan=1)
    assert len(a) == 1 and np.isfinite(a["GEM"].flux).all()


def test_bad_requests():
    with pytest.raises(InputError, match="populations"):
        build_environment(ISS, T, populations=("comets",))
    with pytest.raises(InputError, match="f107"):
        build_environment(ISS, T, populations=("debris",))
