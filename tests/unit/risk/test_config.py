"""Risk case-file sections: one-line errors naming file, key and problem; CLI exit 2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.risk.config import load_risk_case

REPO = Path(__file__).resolve().parents[3]

BASE = """
[vehicle]
model = "soyuz_ms"
[vehicle.shields.pao_radiator]
preset = "constant"
params = {{ critical_diameter_m = 0.0005 }}

[orbit]
{orbit}

[[exposure.windows]]
label = "w"
start = "{start}"
end = "{end}"

[risk]
regions = ["pao_radiator"]
n_directions = 200
shadowing = "none"
"""


def _case(
    tmp_path: Path,
    *,
    orbit="altitude_km = 420\ninclination_deg = 51.64",
    start="2022-09-21T17:06:00Z",
    end="2022-12-15T00:45:00Z",
    extra="",
) -> Path:
    p = tmp_path / "case.toml"
    p.write_text(BASE.format(orbit=orbit, start=start, end=end) + extra)
    return tmp_path


def test_valid_case_loads(tmp_path):
    rc = load_risk_case(_case(tmp_path))
    assert rc.orbit.circular()[0] == pytest.approx(420e3)
    assert rc.exposure.windows[0].end_utc > rc.exposure.windows[0].start_utc


def test_bundled_ms22_case_validates():
    rc = load_risk_case(REPO / "cases" / "soyuz-ms22")
    labels = [w.label for w in rc.exposure.windows]
    assert labels == ["docked", "hour-before-leak"]
    assert rc.exposure.windows[0].start == "2022-09-21T17:06:00Z"
    assert rc.docking is not None and rc.docking.port == "rassvet_nadir"


def test_window_ending_before_start(tmp_path):
    with pytest.raises(InputError) as e:
        load_risk_case(_case(tmp_path, start="2022-12-15T00:00:00Z", end="2022-12-14T00:00:00Z"))
    msg = str(e.value)
    assert msg.startswith("case.toml: [exposure] windows.0")
    assert "before it starts" in msg
    assert "\n" not in msg


def test_orbit_below_atmosphere(tmp_path):
    with pytest.raises(
        InputError, match=r"case.toml: \[orbit\] altitude_km: .*below the atmosphere"
    ):
        load_risk_case(_case(tmp_path, orbit="altitude_km = 90\ninclination_deg = 51.6"))


def test_orbit_needs_one_form(tmp_path):
    with pytest.raises(InputError, match=r"\[orbit\]: .*altitude_km and inclination_deg"):
        load_risk_case(_case(tmp_path, orbit="altitude_km = 400"))


def test_tle_orbit_through_sgp4(tmp_path):
    pytest.importorskip("sgp4")
    # ISS (ZARYA) TLE, epoch 2022-12-14 (public element set format; mean motion 15.50 rev/day)
    tle = (
        'tle = ["1 25544U 98067A   22348.50000000  .00010000  00000-0  18000-3 0  9990",'
        ' "2 25544  51.6430 200.0000 0004000 100.0000 260.0000 15.50000000 37000"]'
    )
    rc = load_risk_case(_case(tmp_path, orbit=tle))
    alt, inc = rc.orbit.circular()
    # a = (μ/n²)^(1/3) with n = 15.5 rev/day gives ~415 km above the equatorial radius
    assert 400e3 < alt < 430e3
    assert inc == pytest.approx(0.90134, abs=1e-4)


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(InputError, match=r"\[risk\] n_dirs"):
        load_risk_case(_case(tmp_path, extra="n_dirs = 3\n"))


def test_cli_bad_window_exit_2_nothing_written(tmp_path, capsys):
    from breachkit.cli.main import main

    case = _case(tmp_path, start="2022-12-15T00:00:00Z", end="2022-12-14T00:00:00Z")
    out = tmp_path / "out"
    code = main(["risk", str(case), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: case.toml: [exposure]")
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_orbit_node_and_epoch_give_a_known_node(tmp_path):
    from breachkit.risk.config import build_orbit

    orbit = 'altitude_km = 417\ninclination_deg = 51.64\nraan_deg = 160.7\nepoch_utc = "2022-12-15T00:45:00Z"'
    o = build_orbit(load_risk_case(_case(tmp_path, orbit=orbit)))
    assert o.epoch is not None
    assert o.raan_rad == pytest.approx(np.radians(160.7))
    # J2 regression of the ISS node: about -5.0 deg/day (Vallado 2013 eq. 9-41)
    assert np.degrees(o.raan_rate_rad_s) * 86400.0 == pytest.approx(-4.95, abs=0.1)


def test_orbit_node_without_epoch_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"case.toml: \[orbit\].*raan_deg and epoch_utc"):
        load_risk_case(
            _case(tmp_path, orbit="altitude_km = 417\ninclination_deg = 51.64\nraan_deg = 10")
        )


def test_orbit_bad_epoch_is_named(tmp_path):
    orbit = 'altitude_km = 417\ninclination_deg = 51.64\nraan_deg = 10\nepoch_utc = "yesterday"'
    with pytest.raises(InputError, match=r"\[orbit\] epoch_utc: .*not an ISO 8601"):
        load_risk_case(_case(tmp_path, orbit=orbit))


def test_tle_orbit_keeps_its_node(tmp_path):
    pytest.importorskip("sgp4")
    from breachkit.environment.tle import bundled_tle_path, read_tle_file
    from breachkit.risk.config import build_orbit

    l1, l2 = read_tle_file(bundled_tle_path())
    o = build_orbit(load_risk_case(_case(tmp_path, orbit=f'tle = ["{l1}", "{l2}"]')))
    assert o.epoch is not None  # the TLE's epoch: the node is known, not averaged over
    assert np.degrees(o.inclination_rad) == pytest.approx(51.64, abs=0.05)


def test_argument_of_latitude_needs_the_node(tmp_path):
    orbit = "altitude_km = 417\ninclination_deg = 51.64\nargument_of_latitude_deg = 10"
    with pytest.raises(InputError, match=r"\[orbit\].*argument_of_latitude_deg needs raan_deg"):
        load_risk_case(_case(tmp_path, orbit=orbit))


def test_bundled_ms22_case_knows_the_position():
    rc = load_risk_case(REPO / "cases" / "soyuz-ms22")
    assert rc.orbit.position_known
    o = rc.orbit.orbit()
    assert np.degrees(o.argument_of_latitude_rad) == pytest.approx(344.25)


_TWO_GROUP_CUBE = """\
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
v 0 0 1
v 1 0 1
v 1 1 1
v 0 1 1
g bottom
f 1 3 2
f 1 4 3
g rest
f 5 6 7
f 5 7 8
f 1 2 6
f 1 6 5
f 2 3 7
f 2 7 6
f 3 4 8
f 3 8 7
f 4 1 5
f 4 5 8
"""


def test_vehicle_regions_groups_is_a_mode_not_a_path(tmp_path):
    """[vehicle] regions = "groups" means the mesh's groups, as `geometry --regions groups`."""
    from breachkit.risk.config import build_surface

    (tmp_path / "cube.obj").write_text(_TWO_GROUP_CUBE)
    case = tmp_path / "case.toml"
    case.write_text(
        BASE.format(
            orbit="altitude_km = 420\ninclination_deg = 51.64",
            start="2022-09-21T17:06:00Z",
            end="2022-12-15T00:45:00Z",
        )
        .replace('model = "soyuz_ms"\n', 'mesh = "cube.obj"\nregions = "groups"\n')
        .replace("pao_radiator", "bottom")
    )
    surface = build_surface(load_risk_case(tmp_path))
    assert sorted(surface.region_names) == ["bottom", "rest"]
