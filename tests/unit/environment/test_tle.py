"""orbit_from_tle with a SYNTHETIC element set (invented elements, valid checksums; not a real TLE)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.cli.main import main
from breachkit.environment.tle import orbit_from_tle, tle_checksum_ok

pytest.importorskip("sgp4")


def _fix(line: str) -> str:
    s = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return line[:68] + str(s % 10)


# epoch 2022 day 348.5 = 2022-12-14T12:00Z; i 51.64°, Ω 100°, e 0.0005, ω 90°, M 0°, 15.5 rev/day
L1 = _fix("1 99999U 22999A   22348.50000000  .00010000  00000-0  18000-3 0  9990")
L2 = _fix("2 99999  51.6400 100.0000 0005000  90.0000   0.0000 15.50000000100000")


def test_checksums():
    assert tle_checksum_ok(L1) and tle_checksum_ok(L2)
    bad = L2[:68] + str((int(L2[68]) + 1) % 10)
    assert not tle_checksum_ok(bad)
    with pytest.raises(InputError, match="checksum"):
        orbit_from_tle(L1, bad)


def test_mean_elements_at_epoch():
    o = orbit_from_tle(L1, L2)
    assert np.degrees(o.inclination_rad) == pytest.approx(51.64)
    assert np.degrees(o.raan_rad) == pytest.approx(100.0)
    assert np.degrees(o.argument_of_latitude_rad) == pytest.approx(90.0)
    # 15.5 rev/day → a = 6796 km → h ≈ 418 km
    assert o.altitude_m == pytest.approx(418e3, abs=3e3)
    # J2 regression of the node for the ISS-like orbit: about −5°/day
    assert np.degrees(o.raan_rate_rad_s) * 86400 == pytest.approx(-5.0, abs=0.3)


def test_propagated_state_matches_sgp4_position():
    from sgp4.api import Satrec, jday

    o = orbit_from_tle(L1, L2, at="2022-12-15T00:45:00Z")
    sat = Satrec.twoline2rv(L1, L2)
    jd, fr = jday(2022, 12, 15, 0, 45, 0)
    _, r_km, _ = sat.sgp4(jd, fr)
    r, _ = o.state_at_latitude_argument(o.argument_of_latitude_rad)
    # same direction to 0.1° (circular fit of a near-circular osculating state)
    cosang = np.dot(r, r_km) / (np.linalg.norm(r) * np.linalg.norm(r_km))
    assert np.degrees(np.arccos(min(1.0, cosang))) < 0.1


def test_eccentric_rejected():
    l2 = _fix("2 99999  51.6400 100.0000 0500000  90.0000   0.0000 15.50000000100000")
    with pytest.raises(InputError, match="eccentricity"):
        orbit_from_tle(L1, l2)


def test_cli_with_tle_file(tmp_path, capsys):
    f = tmp_path / "synthetic.tle"
    f.write_text(f"SYNTHETIC\n{L1}\n{L2}\n", encoding="utf-8")
    argv = ["env", "--at", "2022-12-15T00:45:00Z", "--tle-file", str(f), "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["radiant_tracks"]["GEM"]
    assert rows[0]["now"] and len(rows) == 13
    assert out["altitude_km"] == pytest.approx(418, abs=3)
    f.write_text("garbage\n", encoding="utf-8")
    assert main(argv) == 2
    assert "--tle-file" in capsys.readouterr().err
