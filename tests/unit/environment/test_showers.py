"""Unit and property tests of breachkit.environment.showers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit._core.validity import ValidityWarning
from breachkit.environment.showers import (
    active_showers,
    get_shower,
    koschack_rendtel_flux,
    load_showers,
    mass_index,
    peak_time,
    radiant_j2000,
    radiant_lvlh,
    radiant_visible,
    shower_flux_above_mass,
    shower_focusing_factor,
    shower_population,
    shower_to_sporadic_ratio,
    shower_zhr,
    solar_longitude_deg,
    verniani_mass,
    zhr_profile,
)

T = "2022-12-15T00:45:00Z"
ISS = CircularOrbit(420e3, 51.6 * DEG)


def test_table_has_the_required_showers_and_sources():
    table = load_showers()
    for code in ("QUA", "LYR", "ETA", "SDA", "PER", "DRA", "ORI", "LEO", "GEM", "URS"):
        s = table[code]
        assert s.peak_source and s.drift_source and s.slope_source
        assert s.population_index > 1.3 and s.v_inf_km_s > 11.2


def test_unknown_shower():
    with pytest.raises(InputError, match="unknown"):
        get_shower("XYZ")


def test_profile_peak_and_asymmetry():
    assert zhr_profile(262.2, 120, 262.2, 0.39, 0.72) == pytest.approx(120)
    before = zhr_profile(261.2, 120, 262.2, 0.39, 0.72)
    after = zhr_profile(263.2, 120, 262.2, 0.39, 0.72)
    assert before == pytest.approx(120 * 10**-0.39) and after == pytest.approx(120 * 10**-0.72)


def test_profile_wraps_solar_longitude():
    assert zhr_profile(0.5, 100, 359.5, 1.0, 1.0) == pytest.approx(10.0)


def test_koschack_rendtel_calc_regression():
    """REGRESSION ([calc] constants-2 §5 with the GMN-RMS constant 16.5): GEM r=2.6, ZHR 120."""
    q = koschack_rendtel_flux(120, 2.6) * 1e6 * 3600  # → km⁻² h⁻¹
    assert q == pytest.approx(0.0689, abs=5e-5)


def test_verniani_mass_calc_regression():
    """REGRESSION ([calc] constants-2 §6): m_6.5(35 km/s) = 1.81e-4 g, m_6.5(15) = 4.88e-3 g."""
    assert verniani_mass(6.5, 35e3) == pytest.approx(1.81e-7, rel=3e-3)
    assert verniani_mass(6.5, 15e3) == pytest.approx(4.88e-6, rel=3e-3)


def test_mass_index():
    assert mass_index(2.6) == pytest.approx(1 + 2.5 * np.log10(2.6))


@settings(max_examples=50, deadline=None)
@given(st.floats(-11.9, -2.0), st.floats(0.01, 1.0))
def test_shower_flux_falls_with_mass(log_m, step):
    a = shower_flux_above_mass("GEM", 10**log_m, zhr=100)
    b = shower_flux_above_mass("GEM", 10 ** (log_m + step), zhr=100)
    assert b < a


def test_shower_flux_at_m65_is_koschack_rendtel():
    m65 = verniani_mass(6.5, 35e3)
    assert shower_flux_above_mass("GEM", m65, zhr=120) == pytest.approx(
        koschack_rendtel_flux(120, 2.6)
    )


def test_shower_flux_validity():
    with pytest.warns(ValidityWarning):
        assert np.isnan(shower_flux_above_mass("GEM", 10.0, zhr=100))
    with pytest.raises(InputError):
        shower_flux_above_mass("GEM", 1e-6)


def test_radiant_unit_and_drift():
    u = radiant_j2000("GEM", T)
    assert np.linalg.norm(u) == pytest.approx(1.0)
    ra = np.degrees(np.arctan2(u[1], u[0]))
    lam = solar_longitude_deg(T)
    assert ra == pytest.approx(112 + 1.0 * (lam - 262.2), abs=1e-6)


def test_radiant_lvlh_rotation_preserves_angle_to_orbit_normal():
    u = np.linspace(0, 2 * np.pi, 13)
    r, v = ISS.state_at_latitude_argument(u)
    rl = radiant_lvlh("GEM", T, r, v)
    np.testing.assert_allclose(np.linalg.norm(rl, axis=1), 1.0)
    # y (starboard = −orbit normal) is constant along the orbit
    assert np.ptp(rl[:, 1]) < 1e-12


def test_radiant_below_limb_is_blocked():
    r = np.array([6798e3, 0.0, 0.0])
    assert not radiant_visible(np.array([-1.0, 0.0, 0.0]), r)
    assert radiant_visible(np.array([1.0, 0.0, 0.0]), r)
    assert radiant_visible(np.array([0.0, 1.0, 0.0]), r)


def test_focusing_less_in_orbit_than_at_atmosphere():
    assert 0.9 < shower_focusing_factor("GEM", 6798e3) < 1.0
    assert shower_focusing_factor("GEM", 6478e3) == pytest.approx(1.0)


def test_population_single_position_is_one_beam_from_moving_frame():
    p = shower_population("GEM", ISS, T, latitude_arguments_rad=[0.3])
    assert len(p.directions) == 1 and p.flux.shape == (1, 1)
    r, v = ISS.state_at_latitude_argument(0.3)
    geo = radiant_lvlh("GEM", T, r, v)
    # aberration tilts the beam towards ram (+x)
    assert p.directions.vectors[0, 0] > geo[0]


def test_population_blocked_positions_have_zero_flux():
    p = shower_population("GEM", ISS, T, n_positions=72)
    r, _v = ISS.state_at_latitude_argument(2 * np.pi * (np.arange(72) + 0.5) / 72)
    vis = radiant_visible(np.broadcast_to(radiant_j2000("GEM", T), r.shape), r)
    assert np.all(np.diag(p.flux)[~vis] == 0) and np.all(np.diag(p.flux)[vis] > 0)
    assert 0 < vis.mean() < 1


def test_geminids_active_that_week_and_ratio():
    assert "GEM" in active_showers(T)
    assert 0 < shower_to_sporadic_ratio("GEM", 1e-6, T, 420e3) < 1
    assert shower_zhr("GEM", T) < shower_zhr("GEM", peak_time("GEM", 2022))


def test_peak_time_hits_lambda_max():
    t = peak_time("PER", 2022)
    assert solar_longitude_deg(t) == pytest.approx(140.0, abs=1e-4)


def test_radiant_track_beta_constant_and_aberration_towards_ram():
    from breachkit.environment.showers import radiant_track

    tr = radiant_track("GEM", ISS, T, np.linspace(0, 2 * np.pi, 25), 0.0)
    assert np.ptp(tr["beta_rad"]) < 1e-12
    assert np.all(tr["relative_lvlh"][:, 0] >= tr["geocentric_lvlh"][:, 0] - 1e-12)
    assert np.all((tr["relative_speed_m_s"] > 25e3) & (tr["relative_speed_m_s"] < 45e3))
