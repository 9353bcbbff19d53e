"""Unit and property tests of breachkit.environment.debris (NASA-91 and crossing orbits)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit._core.validity import OutOfValidityRangeError, ValidityWarning, strict
from breachkit.environment.debris import (
    crossing_orbit_table,
    debris_population,
    nasa91_density_continuous,
    nasa91_density_discontinuous,
    nasa91_flux,
    nasa91_inclination_factor,
)

YEAR = 3.15576e7


def test_nasa91_calc_regression_table():
    """REGRESSION ([calc] mmod.md §3.4 with Ψ=1, k=1, H on F1; not a published value)."""
    d = np.array([1e-4, 1e-3, 1e-2, 1e-1])
    psi = nasa91_inclination_factor(0.0)
    got = np.asarray(nasa91_flux(d, 400e3, 0.0, 1995.0, 70.0)) * YEAR / psi
    np.testing.assert_allclose(got, [7.0070e-1, 2.2173e-3, 9.5216e-6, 4.8838e-7], rtol=2e-4)
    got = np.asarray(nasa91_flux(d, 400e3, 0.0, 2022.0, 100.0)) * YEAR / psi
    np.testing.assert_allclose(got, [1.1227, 3.5527e-3, 1.5217e-5, 7.4584e-7], rtol=2e-4)


def test_nasa91_previous_year_solar_flux_lowers_flux():
    assert nasa91_flux(1e-3, 400e3, 0.9, 2022, 150) < nasa91_flux(1e-3, 400e3, 0.9, 2022, 70)


@settings(max_examples=60, deadline=None)
@given(st.floats(-4.9, 0.5), st.floats(0.01, 0.19), st.floats(250e3, 1900e3))
def test_nasa91_falls_with_size(log_d, step, h):
    assert nasa91_flux(10 ** (log_d + step), h, 0.9, 2020, 100) < nasa91_flux(
        10**log_d, h, 0.9, 2020, 100
    )


def test_nasa91_validity():
    with pytest.warns(ValidityWarning, match="altitude_m"):
        assert np.isnan(nasa91_flux(1e-3, 3000e3, 0.9, 2020, 100))
    with strict(), pytest.raises(OutOfValidityRangeError, match="year"):
        nasa91_flux(1e-3, 400e3, 0.9, 1980, 100)


def test_density_rules():
    assert nasa91_density_continuous(0.62e-2) == pytest.approx(4000)
    # 2.8·0.62^(−0.74) = 3.988 g/cm³: the rule is continuous to 0.3 %
    assert nasa91_density_continuous(0.6201e-2) == pytest.approx(4000, rel=5e-3)
    assert nasa91_density_discontinuous(0.6e-2) == 2800


def test_crossing_table_geometry_v_equals_2v_cos_alpha():
    orbit = CircularOrbit(400e3, 51.6 * DEG)
    az, sp, w = crossing_orbit_table(orbit, n_azimuth=360)
    assert w.sum() == pytest.approx(1.0)
    k, j = np.nonzero(w > 1e-6)
    predicted = 2 * orbit.speed_m_s * np.abs(np.cos(az[k]))
    # bins: 1° in azimuth, 0.5 km/s in speed
    assert np.all(np.abs(predicted - sp[j]) < 0.25e3 + 2 * orbit.speed_m_s * np.radians(0.5) + 1)
    # nothing comes from behind (|α| > 90°)
    assert np.all(np.cos(az[k]) > -1e-12)


def test_population_total_and_directions():
    orbit = CircularOrbit(400e3, 51.6 * DEG)
    p = debris_population(orbit, 2022.95, 82.0)
    assert p.random_plate_flux(1e-3) == pytest.approx(
        nasa91_flux(1e-3, 400e3, 51.6 * DEG, 2022.95, 82.0), rel=1e-9
    )
    assert np.allclose(p.directions.vectors[:, 2], 0.0)
    assert p.plate_flux([-1, 0, 0], 1e-3) == 0.0
    assert p.plate_flux([1, 0, 0], 1e-3) > p.plate_flux([0, 1, 0], 1e-3)
    # symmetric port/starboard
    assert p.plate_flux([0, 1, 0], 1e-3) == pytest.approx(p.plate_flux([0, -1, 0], 1e-3))


def test_bad_inclination_mix():
    with pytest.raises(InputError):
        crossing_orbit_table(CircularOrbit(400e3, 0.9), [])
    with pytest.raises(InputError, match="weights"):
        crossing_orbit_table(CircularOrbit(400e3, 0.9), [(10.0, -1.0)])
