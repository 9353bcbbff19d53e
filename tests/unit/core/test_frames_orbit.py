import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.frames import eci_to_lvlh, lvlh_basis
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import decimal_year, julian_date, parse_utc


@given(
    u=st.floats(0, 2 * np.pi),
    inc=st.floats(0, np.pi),
    raan=st.floats(0, 2 * np.pi),
)
def test_lvlh_is_right_handed_and_ram_is_velocity(u, inc, raan):
    orbit = CircularOrbit(420e3, inc, raan)
    r, v = orbit.state_at_latitude_argument(u)
    m = lvlh_basis(r, v)
    assert np.allclose(m @ m.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(m) == pytest.approx(1.0)
    assert np.allclose(eci_to_lvlh(v / np.linalg.norm(v), r, v), [1, 0, 0], atol=1e-12)
    assert np.allclose(eci_to_lvlh(-r / np.linalg.norm(r), r, v), [0, 0, 1], atol=1e-12)


def test_iss_orbit_speed_and_period():
    # Two-body circular orbit (Vallado, Fundamentals of Astrodynamics, eqs 1-22 and 2-83) with
    # mu = 398600.4418 km3/s2 and r = 6378.137 + 420 km: v = 7.6573 km/s, T = 92.970 min.
    o = CircularOrbit(420e3, np.radians(51.64))
    assert o.speed_m_s == pytest.approx(7657.27, abs=0.05)
    assert o.period_s / 60 == pytest.approx(92.970, abs=0.001)


def test_orbit_rejects_negative_altitude():
    with pytest.raises(InputError, match="altitude_m"):
        CircularOrbit(-5.0, 0.5)


def test_time_helpers():
    t = parse_utc("2022-12-15T00:45:00Z")
    # JD of 2022-12-15 00:45 UTC (US Naval Observatory JD converter: 2459928.53125)
    assert julian_date(t) == pytest.approx(2459928.53125, abs=1e-6)
    assert decimal_year(t) == pytest.approx(2022 + (348 + 0.75 / 24) / 365, abs=1e-9)
    with pytest.raises(InputError, match="at"):
        parse_utc("yesterday", field="at")
