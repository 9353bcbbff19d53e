"""The bundled ISS element set and the Geminid direction in LVLH at the Soyuz MS-22 leak.

Element set: ISS (ZARYA) 25544, epoch 22351.89982037 (CelesTrak GP catalogue, copied from GitHub
gavineadie/Sgp4PropLib Tests/Sgp4PropLibTests/TleTests.swift; data/MANIFEST.toml). Leak time
2022-12-15 00:45 UTC (NASA/Roscosmos, ../shared/research/incidents.md §1).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from importlib import resources

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.units import MU_EARTH, R_EARTH_EQUATORIAL
from breachkit.cli.main import main
from breachkit.environment.showers import get_shower, radiant_j2000, radiant_track
from breachkit.environment.tle import (
    bundled_tle_path,
    orbit_from_tle,
    read_tle_file,
    sgp4_state,
    tle_checksum_ok,
)

pytest.importorskip("sgp4")

LEAK = "2022-12-15T00:45:00Z"
NAME = "iss_25544_2022-12-17.tle"
# A second, independent public copy of the CelesTrak ISS elements one day earlier (epoch
# 22350.92995838, rev 37352), quoted in a comment of another Swift test file by the same author
# (class Sgp4App2Tests). Used only to corroborate the bundled set.
C1 = "1 25544U 98067A   22350.92995838  .00012052  00000+0  21882-3 0  9998"
C2 = "2 25544  51.6430 151.3097 0003678 167.7951 338.1576 15.49996899373529"


def test_bundled_tle_is_in_the_manifest_with_its_sha256():
    data = resources.files("breachkit.data")
    manifest = tomllib.loads(data.joinpath("MANIFEST.toml").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["file"] if f["file"] == f"tle/{NAME}")
    assert hashlib.sha256(bundled_tle_path(NAME).read_bytes()).hexdigest() == entry["sha256"]
    assert "gavineadie/Sgp4PropLib" in entry["source"] and entry["licence"] and entry["units"]


def test_bundled_tle_lines_are_checked_iss_elements():
    l1, l2 = read_tle_file(bundled_tle_path())
    assert tle_checksum_ok(l1) and tle_checksum_ok(l2)
    assert l1.startswith("1 25544U 98067A   22351.89982037")
    o = orbit_from_tle(l1, l2)
    assert o.epoch.isoformat().startswith("2022-12-17T21:35:4")
    with pytest.raises(InputError, match="bundled"):
        bundled_tle_path("iss_1998.tle")


def test_two_independent_element_sets_agree_at_the_leak():
    """Two consecutive CelesTrak sets (0.97 d apart) back-propagated 1.9 d and 2.9 d to the leak.

    Consistency: revolution numbers 37352 → 37367 (15 revs in 0.970 d at 15.50 rev/day) and node
    151.3097° → 146.5036° (−4.81°, the J2 rate −4.95°/day × 0.970 d). SGP4 positions at the leak:
    measured 0.06 km apart; 2 km allows the ~1–3 km/day SGP4 drift over the 1-day gap.
    """
    l1, l2 = read_tle_file(bundled_tle_path())
    r_a, _ = sgp4_state(l1, l2, LEAK)
    r_b, _ = sgp4_state(C1, C2, LEAK)
    assert np.linalg.norm(r_a - r_b) < 2e3
    o = orbit_from_tle(l1, l2)
    dt_days = 22351.89982037 - 22350.92995838
    assert np.degrees(o.raan_rate_rad_s) * 86400 * dt_days == pytest.approx(
        146.5036 - 151.3097, abs=0.05
    )


def test_iss_orbit_at_the_leak():
    """ISS inclination 51.6° (NASA ISS facts, nasa.gov 'International Space Station Facts and
    Figures'); mean altitude from the TLE mean motion 15.50017524 rev/day: a = (μ/n²)^(1/3) =
    6794.9 km, h = a − 6378.137 km = 416.7 km [calc]; the SGP4 radius at the leak (6799.7 km)
    lies within the ±0.04 % eccentricity band of a (e = 0.00037)."""
    l1, l2 = read_tle_file(bundled_tle_path())
    o = orbit_from_tle(l1, l2, at=LEAK)
    assert np.degrees(o.inclination_rad) == pytest.approx(51.6, abs=0.1)
    n = 15.50017524 * 2.0 * np.pi / 86400.0
    a = (MU_EARTH / n**2) ** (1.0 / 3.0)
    assert o.altitude_m == pytest.approx(a - R_EARTH_EQUATORIAL, abs=1.0)
    assert o.altitude_m == pytest.approx(416.7e3, abs=0.5e3)
    r, _ = sgp4_state(l1, l2, LEAK)
    assert abs(np.linalg.norm(r) - a) < 2.5 * 0.0003657 * a + 5e3  # ±e·a plus SGP4 short-period


def _independent_lvlh_az_el(l1: str, l2: str) -> tuple[float, float, float]:
    """Arrival direction of the Geminids seen from the SGP4 state (no CircularOrbit fit)."""
    r, v = sgp4_state(l1, l2, LEAK)
    s = get_shower("GEM")
    rad = radiant_j2000(s, LEAK)
    v_r = np.sqrt(s.geocentric_speed_m_s**2 + 2.0 * MU_EARTH / np.linalg.norm(r))
    towards = v_r * rad + v  # minus the relative velocity (−v_r·rad − v)
    speed = float(np.linalg.norm(towards))
    u = towards / speed
    z = -r / np.linalg.norm(r)
    y = -np.cross(r, v) / np.linalg.norm(np.cross(r, v))
    x = np.cross(y, z)
    az = float(np.degrees(np.arctan2(u @ y, u @ x)) % 360.0)
    el = float(np.degrees(np.arcsin(-(u @ z))))
    return az, el, speed


def test_geminid_radiant_in_lvlh_at_the_leak():
    """Circular-orbit fit (what the CLI uses) versus the SGP4 state directly: same direction to
    0.5° (the fit drops e = 0.0004 and the 5 km radius difference: aberration changes by < 0.1°).
    Regression value [calc], this build: az 296.2°, el +29.7° (towards port and zenith, from
    ram), 37.1 km/s, radiant above the Earth + 100 km limb."""
    l1, l2 = read_tle_file(bundled_tle_path())
    o = orbit_from_tle(l1, l2, at=LEAK)
    tr = radiant_track("GEM", o, LEAK, [o.argument_of_latitude_rad])
    az = float(np.degrees(tr["relative_azimuth_rad"][0]) % 360.0)
    el = float(np.degrees(tr["relative_elevation_rad"][0]))
    az_i, el_i, speed_i = _independent_lvlh_az_el(l1, l2)
    assert az == pytest.approx(az_i, abs=0.5) and el == pytest.approx(el_i, abs=0.5)
    assert float(tr["relative_speed_m_s"][0]) == pytest.approx(speed_i, rel=2e-3)
    assert bool(tr["visible"][0])
    assert az == pytest.approx(296.2, abs=0.2) and el == pytest.approx(29.7, abs=0.2)


def test_cli_env_with_the_bundled_tle(capsys):
    argv = ["env", "--at", LEAK, "--tle-file", str(bundled_tle_path()), "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    now = out["radiant_tracks"]["GEM"][0]
    assert now["now"] and now["visible"]
    az_i, el_i, _ = _independent_lvlh_az_el(*read_tle_file(bundled_tle_path()))
    assert now["azimuth_deg"] % 360.0 == pytest.approx(az_i, abs=0.5)
    assert now["elevation_deg"] == pytest.approx(el_i, abs=0.5)
    assert out["inclination_deg"] == pytest.approx(51.66, abs=0.02)
