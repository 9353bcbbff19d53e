"""Opt-in sporadic source structure (helion, antihelion, apex, toroidal) mapped to LVLH.

Source table: Jones & Brown (1993), MNRAS 265, 524, as transcribed in WesternMeteorPyLib
(GitHub wmpg/WesternMeteorPyLib, `initSporadicModel`) — an UNVERIFIED secondary transcription
(docs/environment.md). The tests check the transcription, conservation and the frames.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import UTC, datetime, timedelta
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.frames import eci_to_lvlh
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit.environment.builder import build_environment
from breachkit.environment.showers import solar_longitude_deg
from breachkit.environment.sporadic import (
    OBLIQUITY_J2000_RAD,
    SPORADIC_SOURCES_FILE,
    SporadicSource,
    earth_apex_direction_eci,
    eci_to_sun_centred_ecliptic,
    fibonacci_directions,
    get_sporadic_directional_model,
    load_sporadic_sources,
    sporadic_population,
    sporadic_source_density,
    sporadic_sources_population,
)

T = "2022-12-15T00:45:00Z"
ISS_T = CircularOrbit(420e3, 51.6 * DEG, epoch="2022-12-15T00:00:00Z")


def test_source_table_is_the_wmpl_transcription_of_jones_brown_1993():
    """WMPL initSporadicModel (citing Jones & Brown 1993): (λ−λ⊙, σλ, β, σβ, relative flux)."""
    s = {x.name: x for x in load_sporadic_sources()}
    expect = {  # deg, deg, deg, deg, -
        "helion": (340, 5, 0, 5, 0.35),
        "antihelion": (200, 5, 0, 5, 0.58),  # WMPL active line 160 corrected, see the CSV note
        "north_apex": (270, 5, 15, 5, 0.46),
        "south_apex": (270, 5, -15, 5, 0.46),
        "north_toroidal": (270, 10, 60, 5, 1.0),
        "south_toroidal": (270, 10, -60, 5, 1.0),
    }
    assert set(s) == set(expect)
    for name, (lam, slam, bet, sbet, flux) in expect.items():
        x = s[name]
        got = np.degrees(
            [
                x.sun_centred_longitude_rad,
                x.sigma_longitude_rad,
                x.latitude_rad,
                x.sigma_latitude_rad,
            ]
        )
        np.testing.assert_allclose(got, [lam, slam, bet, sbet], atol=1e-12)
        assert x.relative_strength == flux
    # helion and antihelion mirror each other about the apex (270°): 270 ± 70°
    assert np.degrees(s["helion"].sun_centred_longitude_rad) - 270 == pytest.approx(70)
    assert 270 - np.degrees(s["antihelion"].sun_centred_longitude_rad) == pytest.approx(70)


def test_source_table_manifest_entry():
    data = resources.files("breachkit.data")
    manifest = tomllib.loads(data.joinpath("MANIFEST.toml").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["file"] if f["file"] == SPORADIC_SOURCES_FILE)
    digest = hashlib.sha256(data.joinpath(SPORADIC_SOURCES_FILE).read_bytes()).hexdigest()
    assert entry["sha256"] == digest and entry["status"].startswith("unverified")


def test_obliquity_iau1976():
    """ε₀ = 84381.448″ = 23°26′21.448″ (IAU 1976, Astronomical Almanac)."""
    assert np.degrees(OBLIQUITY_J2000_RAD) == pytest.approx(23.4392911, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(
    lam=st.floats(0.0, 360.0),
    bet=st.floats(-80.0, 80.0),
    s_lam=st.floats(3.0, 15.0),
    s_bet=st.floats(3.0, 15.0),
)
def test_source_density_integrates_to_one(lam, bet, s_lam, s_bet):
    """Widths up to 15° (the table has 5–10°); at σ_β = 25° the von Mises latitude leaks
    ~0.1 % beyond ±90° (found by hypothesis), which is why the model normalises numerically."""
    src = (SporadicSource("x", *np.radians([lam, bet, s_lam, s_bet]), 1.0),)
    u = fibonacci_directions(40000)
    p = sporadic_source_density(np.arctan2(u[:, 1], u[:, 0]), np.arcsin(u[:, 2]), src)
    # lattice quadrature of a peak ≥ 3° wide on 40 000 points (spacing 1.0°): 1e-3
    assert np.sum(p) * 4.0 * np.pi / u.shape[0] == pytest.approx(1.0, rel=1e-3)


def test_density_peaks_at_the_sources_and_is_north_south_symmetric():
    lam = np.radians([340.0, 200.0, 270.0, 270.0, 90.0, 0.0])
    bet = np.radians([0.0, 0.0, 15.0, 60.0, 0.0, 45.0])
    p = sporadic_source_density(lam, bet)
    assert min(p[:4]) > 100 * max(p[4:])  # source centres vs antapex / between sources
    assert sporadic_source_density(lam, bet) == pytest.approx(sporadic_source_density(lam, -bet))


def test_apex_is_the_direction_of_the_earths_orbital_motion():
    """The Earth's heliocentric velocity is −d(ŝ)/dt (ŝ the Sun's geocentric direction)."""
    t = datetime(2022, 12, 15, 0, 45, tzinfo=UTC)
    ce, se = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)

    def sun(tt: datetime) -> np.ndarray:
        lam = np.radians(float(solar_longitude_deg(tt)))
        return np.array([np.cos(lam), ce * np.sin(lam), se * np.sin(lam)])

    h = timedelta(hours=6)
    motion = -(sun(t + h) - sun(t - h))
    motion /= np.linalg.norm(motion)
    apex = earth_apex_direction_eci(t)
    # the apex of a circular orbit vs the true motion: ≤ e = 0.0167 rad ≈ 1° apart
    assert np.degrees(np.arccos(np.clip(apex @ motion, -1, 1))) < 1.1
    lam, bet = eci_to_sun_centred_ecliptic(apex, np.radians(float(solar_longitude_deg(t))))
    assert np.degrees(lam) == pytest.approx(270.0, abs=1e-9)
    assert np.degrees(bet) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=8, deadline=None)
@given(
    day=st.floats(0.0, 3650.0),
    u_deg=st.floats(0.0, 360.0),
    raan_deg=st.floats(0.0, 360.0),
)
def test_conservation_direction_integrated_flux_equals_isotropic(day, u_deg, raan_deg):
    """At rest and unshielded the direction-integrated flux is 4·Grün·Ḡ for any time/position."""
    t = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(days=day)
    kw = {"vehicle_speed_m_s": 0.0, "shielding": False, "n_source_directions": 3000}
    a = sporadic_sources_population(
        ISS_T, t, latitude_arguments_rad=[np.radians(u_deg)], raan_rad=np.radians(raan_deg), **kw
    )
    b = sporadic_population(420e3, **kw)
    assert a.flux.sum() == pytest.approx(b.flux.sum(), rel=1e-12)
    assert a.random_plate_flux(1e-3) == pytest.approx(b.random_plate_flux(1e-3), rel=1e-12)


def test_a_narrow_source_lands_in_the_right_lvlh_cell():
    """One 3°-wide source at the apex, 15° north: at rest its flux peak is where eci_to_lvlh
    puts the centre (to the igloo cell size, ~7° for 800 cells)."""
    src = (SporadicSource("apex15", np.radians(270.0), np.radians(15.0), 0.05, 0.05, 1.0),)
    pop = sporadic_sources_population(
        ISS_T, T, sources=src, vehicle_speed_m_s=0.0, shielding=False, n_directions=800
    )
    lam_sun = np.radians(float(solar_longitude_deg(T)))
    lam, bet = lam_sun + np.radians(270.0), np.radians(15.0)
    ce, se = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
    xe, ye, ze = np.cos(bet) * np.cos(lam), np.cos(bet) * np.sin(lam), np.sin(bet)
    centre_eci = np.array([xe, ce * ye - se * ze, se * ye + ce * ze])
    r, v = ISS_T.state(T)
    expect = eci_to_lvlh(centre_eci, r, v)
    peak = pop.directions.vectors[np.argmax(pop.flux.sum(axis=1))]
    assert np.degrees(np.arccos(np.clip(peak @ expect, -1, 1))) < 8.0


def test_ram_sees_the_apex_enhanced_by_motion():
    """Moving at 7.66 km/s, shielded: flux on a ram plate ≫ wake plate (as the isotropic model)."""
    pop = sporadic_sources_population(ISS_T, T, n_source_directions=5000)
    assert pop.plate_flux([1, 0, 0], 1e-3) > 3.0 * pop.plate_flux([-1, 0, 0], 1e-3)
    assert pop.plate_flux([0, 0, 1], 1e-3) < 0.05 * pop.plate_flux([0, 0, -1], 1e-3)  # Earth


def test_registry_and_builder():
    assert get_sporadic_directional_model("sources") is sporadic_sources_population
    with pytest.raises(InputError, match="sporadic model"):
        get_sporadic_directional_model("divine")
    env = build_environment(
        CircularOrbit(420e3, 51.6 * DEG),
        T,
        populations=("sporadic",),
        sporadic_model="sources",
        n_positions=4,
        n_raan=2,
        n_directions=200,
    )
    assert "sporadic sources" in env["sporadic"].source
    assert "8 position sample(s)" in env["sporadic"].source


def test_position_needed_without_epoch():
    with pytest.raises(InputError, match="no epoch"):
        sporadic_sources_population(CircularOrbit(420e3, 51.6 * DEG), T)
