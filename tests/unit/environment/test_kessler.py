"""Kessler (1981) eccentric-orbit debris directions: limits, conservation, physics checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM, MU_EARTH, R_EARTH_EQUATORIAL
from breachkit.environment.debris import DEFAULT_DEBRIS_INCLINATIONS, debris_population, nasa91_flux
from breachkit.environment.kessler import (
    DebrisOrbits,
    inclined_latitude_time_fraction,
    keplerian_radial_time_fraction,
    kessler_encounters,
)
from breachkit.environment.kessler_debris import (
    assumed_debris_orbits,
    kessler_debris_population,
    read_satcat_orbits,
)

ISS = CircularOrbit(420 * KM, 51.6 * DEG)


@settings(max_examples=50, deadline=None)
@given(
    a_km=st.floats(6700, 12000),
    e=st.floats(0.001, 0.6),
    cuts=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6),
)
def test_radial_time_fractions_partition_to_one(a_km, e, cuts):
    a = a_km * KM
    q, big_q = a * (1 - e), a * (1 + e)
    edges = np.concatenate([[q * 0.99], q + np.sort(cuts) * (big_q - q), [big_q * 1.01]])
    f = keplerian_radial_time_fraction(edges[:-1], edges[1:], a, e)
    assert np.all(f >= 0)
    assert f.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(i_deg=st.floats(1.0, 179.0), cuts=st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=6))
def test_latitude_time_fractions_partition_to_one(i_deg, cuts):
    edges = np.concatenate([[-np.pi / 2], np.arcsin(np.sort(cuts)), [np.pi / 2]])
    f = inclined_latitude_time_fraction(edges[:-1], edges[1:], i_deg * DEG)
    assert np.all(f >= -1e-15)
    assert f.sum() == pytest.approx(1.0, abs=1e-12)


def test_radial_fraction_is_keplerian_time_not_uniform_in_radius():
    # e = 0.5, a = 10 000 km: time spent beyond the semi-latus... outer half (r > a) is
    # (π + e)/(2π) = 0.5796 of the period (M = E − e sin E at E = π/2), not 0.5
    a, e = 10000 * KM, 0.5
    f = keplerian_radial_time_fraction(a, a * (1 + e) + 1.0, a, e)
    assert float(f) == pytest.approx((np.pi / 2 + e) / np.pi, rel=1e-12)


def test_circular_limit_reproduces_the_crossing_circular_orbit_model():
    """e = 0 at the target radius: the independent crossing-orbit code (debris.py) gives the
    same mean speed and azimuth distribution (both are exact geometry of circular orbits)."""
    r = ISS.radius_m
    inc = np.array([x[0] for x in DEFAULT_DEBRIS_INCLINATIONS]) * DEG
    w = np.array([x[1] for x in DEFAULT_DEBRIS_INCLINATIONS])
    enc = kessler_encounters(
        r, ISS.inclination_rad, DebrisOrbits(np.full(7, r), np.zeros(7), inc, w), n_positions=720
    )
    circ = debris_population(ISS, 2022.5, 100.0)
    # 0.01 km/s: the two codes bin speeds differently (0.5 km/s bins vs exact branch speeds)
    assert enc.mean_speed_m_s() == pytest.approx(circ.mean_speed_m_s(), abs=10.0)
    az = np.degrees(np.arctan2(enc.source_lvlh[:, 1], enc.source_lvlh[:, 0]))
    u = circ.directions.vectors
    az_c = np.degrees(np.arctan2(u[:, 1], u[:, 0]))
    for lo in (0, 30, 60):  # share of flux with |az| in [lo, lo + 30): within 0.01
        a = enc.flux[(np.abs(az) >= lo) & (np.abs(az) < lo + 30)].sum() / enc.total_flux
        f = circ.flux.sum(axis=1)
        b = f[(np.abs(az_c) >= lo) & (np.abs(az_c) < lo + 30)].sum() / f.sum()
        assert a == pytest.approx(b, abs=0.01)
    assert np.max(np.abs(enc.source_lvlh[:, 2]) * enc.speed_m_s) < 0.01  # v_r [m/s]: rounding


def test_eccentric_coplanar_debris_arrives_from_behind_and_off_the_horizontal():
    """Debris in the target's plane near perigee moves faster than the target: it overtakes
    (source direction towards −x) and rises or falls (|z| > 0)."""
    r = ISS.radius_m
    e = 0.05
    a = r / (1 - e * np.cos(0.3))  # crossing shortly after perigee
    enc = kessler_encounters(
        r, ISS.inclination_rad, DebrisOrbits([a], [e], [ISS.inclination_rad], [1.0])
    )
    behind = enc.flux[enc.source_lvlh[:, 0] < 0].sum() / enc.total_flux
    assert behind > 0.05
    off = enc.flux[np.abs(enc.source_lvlh[:, 2]) > np.sin(1 * DEG)].sum() / enc.total_flux
    assert off > 0.2
    # radial speed of that orbit at r (vis-viva and angular momentum): elevation reaches it
    v2 = MU_EARTH * (2 / r - 1 / a)
    vr = np.sqrt(v2 - MU_EARTH * a * (1 - e * e) / r**2)
    assert np.max(np.abs(enc.source_lvlh[:, 2]) * enc.speed_m_s) == pytest.approx(vr, rel=1e-9)


def test_absolute_flux_of_one_object_matches_kessler_density_times_speed():
    """One circular object in a polar orbit seen by an equatorial target: the flux is
    S·V averaged over the target orbit; S at the equator = 1/(2π² r² Δr) · (1/π)·π/... computed
    here from the cell fractions, V = √2 v (perpendicular crossing)."""
    r = R_EARTH_EQUATORIAL + 500 * KM
    shell = 20 * KM
    enc = kessler_encounters(
        r, 0.0, DebrisOrbits([r], [0.0], [np.pi / 2], [1.0]), shell_m=shell, n_positions=1
    )
    v = np.sqrt(MU_EARTH / r)
    dphi = 0.25 * DEG
    frac = inclined_latitude_time_fraction(-dphi, dphi, np.pi / 2)
    dens = frac / (2 * np.pi * r**2 * shell * 2 * np.sin(dphi))
    assert enc.total_flux == pytest.approx(dens * np.sqrt(2) * v, rel=1e-9)
    assert enc.mean_speed_m_s() == pytest.approx(np.sqrt(2) * v, rel=1e-9)


def test_population_level_is_nasa91_and_sizes_follow_it():
    pop = kessler_debris_population(ISS, 2022.5, 100.0)
    f = float(nasa91_flux(1e-3, ISS.altitude_m, ISS.inclination_rad, 2022.5, 100.0))
    assert pop.random_plate_flux(1e-3) == pytest.approx(f, rel=1e-9)
    # plate fluxes on opposite faces sum (over ±x, ±y, ±z) to the sphere cross-section sum
    total = sum(pop.plate_flux(n, 1e-4) for n in np.vstack([np.eye(3), -np.eye(3)]))
    assert total >= pop.omnidirectional_flux(1e-4) * 0.999  # Σ |n·u| over axes >= 1


def test_assumed_orbits_cross_the_altitude_and_satcat_reader(tmp_path):
    orb = assumed_debris_orbits(420 * KM)
    r = R_EARTH_EQUATORIAL + 420 * KM
    assert np.all(orb.a_m * (1 - orb.e) <= r + 1) and np.all(orb.a_m * (1 + orb.e) >= r - 1)
    p = tmp_path / "satcat.csv"
    p.write_text(
        "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,"
        "LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,"
        "ORBIT_CENTER,ORBIT_TYPE\n"
        "A DEB,2000-001A,1,DEB,,X,2000-01-01,S,,92.9,51.6,430,410,0.1,,EA,ORB\n"
        "B DEB,2000-001B,2,DEB,D,X,2000-01-01,S,2010-01-01,92.9,51.6,430,410,0.1,,EA,IMP\n"
        "C DEB,2030-001B,3,DEB,,X,2030-01-01,S,,92.9,51.6,430,410,0.1,,EA,ORB\n"
        "D PAY,2000-002A,4,PAY,,X,2000-01-01,S,,,,,,,,EA,ORB\n"
    )
    from datetime import date

    got = read_satcat_orbits(p, date(2022, 12, 15))
    assert len(got) == 1
    assert got.e[0] == pytest.approx(10 * KM / (R_EARTH_EQUATORIAL + 420 * KM), rel=1e-12)
    p.write_text(p.read_text().replace("2000-01-01,S,,92.9", "20x0-01-01,S,,92.9", 1))
    with pytest.raises(InputError, match=r"satcat\.csv: line 2"):
        read_satcat_orbits(p, date(2022, 12, 15))
