"""Flux tables in other declared conventions, the writer's round trip, and the CLI/case hookup."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.cli.main import main
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.tabulated import (
    _to_breachkit_direction,
    read_tabulated_flux,
    write_tabulated_flux,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "flux_tables"
YEAR = 3.15576e7  # Julian year [s]
SIZES = np.array([1e-4, 3e-4, 1e-3, 3e-3, 1e-2])


def _cells(pop: Population) -> dict[tuple[float, float, float, float], float]:
    """(ux, uy, uz, speed km/s) rounded → flux per year at the reference diameter."""
    out = {}
    for j, u in enumerate(pop.directions.vectors):
        for k, v in enumerate(pop.speed_m_s):
            if pop.flux[j, k] > 0:
                key = (*np.round(u, 9), round(v / 1e3, 9))
                out[key] = pop.flux[j, k] * YEAR
    return out


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_fixture_in_other_conventions_gives_the_same_population():
    ref = read_tabulated_flux(FIXTURES / "example_cumulative.csv")
    alt = read_tabulated_flux(FIXTURES / "example_bins_port_nadir_motion.csv")
    assert alt.name == ref.name == "example-debris" and alt.density_kg_m3 == 2800
    # same size table (bins summed from above = the cumulative file), same cells
    np.testing.assert_allclose(
        alt.omnidirectional_flux(SIZES), ref.omnidirectional_flux(SIZES), rtol=1e-12
    )
    a, r = _cells(alt), _cells(ref)
    assert a.keys() == r.keys() and len(r) == 4
    for key, f in r.items():
        assert a[key] == pytest.approx(f, rel=1e-12)
    # hand values of example_cumulative.csv: total ≥ 0.1 mm = 3.75, ≥ 1 cm = 3.75 × 5e-5 per year
    assert ref.omnidirectional_flux(1e-4) * YEAR == pytest.approx(3.75)
    assert ref.omnidirectional_flux(1e-2) * YEAR == pytest.approx(3.75 * 5e-5)


def test_fixture_directions_are_lvlh_towards_the_source():
    ref = read_tabulated_flux(FIXTURES / "example_cumulative.csv")
    cells = _cells(ref)
    c30, s30 = np.cos(np.radians(30)), np.sin(np.radians(30))
    # az 0 el 0 = ram (+x); az +30 leans to starboard (+y); el +10 leans to zenith (−z)
    assert cells[(1.0, 0.0, 0.0, 14.5)] == pytest.approx(2.0)
    assert cells[(round(c30, 9), round(s30, 9), 0.0, 13.0)] == pytest.approx(1.0)
    z10 = [k for k in cells if k[3] == 10.5]
    assert len(z10) == 1 and z10[0][2] == pytest.approx(-np.sin(np.radians(10)), abs=1e-9)


@pytest.mark.parametrize(
    ("conv", "az_deg", "el_deg", "expected_az_deg", "expected_el_deg"),
    [
        # defaults: nothing changes
        ({}, 30.0, 10.0, 30.0, 10.0),
        # azimuth counted towards port: +30 port = −30 starboard
        ({"azimuth_positive": "port"}, 30.0, 0.0, -30.0, 0.0),
        # elevation counted towards nadir: +20 nadir = −20 (below the horizon)
        ({"elevation_positive": "nadir"}, 0.0, 20.0, 0.0, -20.0),
        # a particle moving towards wake (az 180) comes from ram (az 0)
        ({"direction": "motion"}, 180.0, 0.0, 0.0, 0.0),
        # a particle moving down towards nadir (el −90) comes from zenith (el +90)
        ({"direction": "motion"}, 0.0, -90.0, 180.0, 90.0),
        # motion + port + nadir: moving towards port-and-down → from starboard-and-up
        (
            {"direction": "motion", "azimuth_positive": "port", "elevation_positive": "nadir"},
            90.0,
            30.0,
            90.0,
            30.0,
        ),
    ],
)
def test_direction_mapping(conv, az_deg, el_deg, expected_az_deg, expected_el_deg):
    args = {
        "azimuth_positive": "starboard",
        "elevation_positive": "zenith",
        "direction": "source",
    } | conv
    az, el = _to_breachkit_direction(np.radians([az_deg]), np.radians([el_deg]), **args)
    u = [np.cos(el[0]) * np.cos(az[0]), np.cos(el[0]) * np.sin(az[0]), -np.sin(el[0])]
    ea, ee = np.radians(expected_az_deg), np.radians(expected_el_deg)
    expected = [np.cos(ee) * np.cos(ea), np.cos(ee) * np.sin(ea), -np.sin(ee)]
    np.testing.assert_allclose(u, expected, atol=1e-12)


def test_bins_equal_cumulative_and_units(tmp_path):
    head = "min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_s\n"
    cum = head + "1e-4,10,0,0,3e-6\n1e-3,10,0,0,1e-6\n"
    binned = "# size_mode = bin\n" + head + "1e-4,10,0,0,2e-6\n1e-3,10,0,0,1e-6\n"
    a = read_tabulated_flux(_write(tmp_path, cum, "c.csv"))
    b = read_tabulated_flux(_write(tmp_path, binned, "b.csv"))
    np.testing.assert_allclose(b.omnidirectional_flux(SIZES[:3]), a.omnidirectional_flux(SIZES[:3]))
    assert b.omnidirectional_flux(1e-4) == pytest.approx(3e-6)
    assert b.speed_m_s[0] == pytest.approx(10e3)


def test_azimuth_180_and_minus_180_are_one_cell(tmp_path):
    text = (
        "min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year\n"
        "1e-4,10,180,0,1\n1e-4,10,-180,0,1\n1e-3,10,180,0,0.1\n1e-3,10,-180,0,0.1\n"
    )
    with pytest.raises(InputError, match="duplicate cell"):
        read_tabulated_flux(_write(tmp_path, text))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# direction = towards", r"line 1: header direction = 'towards' is not one of"),
        ("# azimuth_positive = left", r"line 1: header azimuth_positive"),
        ("# elevation_positive = up", r"line 1: header elevation_positive"),
        ("# size_mode = differential", r"line 1: header size_mode"),
        ("# azimuth_postive = port", r"line 1: unknown header key 'azimuth_postive'"),
        ("# kind = debris\n# kind = debris", r"line 2: header key 'kind' repeats"),
    ],
)
def test_bad_convention_headers(tmp_path, header, message):
    text = (
        header + "\nmin_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year\n"
        "1e-4,10,0,0,1\n1e-3,10,0,0,0.1\n"
    )
    with pytest.raises(InputError, match=message) as exc:
        read_tabulated_flux(_write(tmp_path, text, "bad.csv"))
    assert str(exc.value).startswith("bad.csv: ") and "\n" not in str(exc.value)


def test_free_comments_and_empty_top_bin(tmp_path):
    head = "min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year\n"
    ok = "# Exported from a run; a note: F = m a is ignored (not an identifier key)\n" + head
    pop = read_tabulated_flux(_write(tmp_path, ok + "1e-4,10,0,0,1\n1e-3,10,0,0,0.1\n"))
    assert pop.omnidirectional_flux(1e-3) * YEAR == pytest.approx(0.1)
    empty_top = "# size_mode = bin\n" + head + "1e-4,10,0,0,1\n1e-3,10,0,0,0\n"
    with pytest.raises(InputError, match="drop empty top size bins"):
        read_tabulated_flux(_write(tmp_path, empty_top, "top.csv"))


def test_write_read_round_trip(tmp_path):
    ref = read_tabulated_flux(FIXTURES / "example_bins_port_nadir_motion.csv")
    out = write_tabulated_flux(ref, tmp_path / "out.csv")
    back = read_tabulated_flux(out)
    assert (back.name, back.kind, back.density_kg_m3) == (ref.name, ref.kind, ref.density_kg_m3)
    np.testing.assert_allclose(
        back.omnidirectional_flux(SIZES), ref.omnidirectional_flux(SIZES), rtol=1e-12
    )
    a, r = _cells(back), _cells(ref)
    assert a.keys() == r.keys()
    for key, f in r.items():
        assert a[key] == pytest.approx(f, rel=1e-12)


def test_write_round_trip_of_a_computed_population(tmp_path):
    """A population with a reference diameter above its grid start and a full speed table."""
    grid = DirectionGrid.fibonacci(12)
    rng = np.random.default_rng(7)
    pop = Population(
        name="synthetic",
        kind="meteoroid",
        directions=grid,
        speed_m_s=np.array([12e3, 20e3, 35e3]),
        flux=rng.uniform(0.0, 1e-6, size=(12, 3)),
        reference_diameter_m=1e-4,
        diameter_grid_m=np.array([5e-5, 1e-4, 1e-3, 1e-2]),
        cumulative_fraction=np.array([3.0, 1.0, 0.02, 1e-4]),
        density_kg_m3=1000.0,
        source="synthetic test population",
    )
    back = read_tabulated_flux(write_tabulated_flux(pop, tmp_path / "s.csv"))
    d = np.array([5e-5, 1e-4, 2e-4, 1e-3, 5e-3, 1e-2])
    np.testing.assert_allclose(back.omnidirectional_flux(d), pop.omnidirectional_flux(d), rtol=1e-9)
    normal = np.array([0.6, 0.0, 0.8])
    np.testing.assert_allclose(
        back.plate_flux(normal, 1e-3), pop.plate_flux(normal, 1e-3), rtol=1e-9
    )
    np.testing.assert_allclose(back.mean_speed_m_s(), pop.mean_speed_m_s(), rtol=1e-12)


def test_write_refuses_body_frame_and_missing_folder(tmp_path):
    pop = read_tabulated_flux(FIXTURES / "example_cumulative.csv")
    body = pop.rotated(np.eye(3), "body")
    with pytest.raises(InputError, match="only LVLH"):
        write_tabulated_flux(body, tmp_path / "b.csv")
    with pytest.raises(InputError, match="does not exist"):
        write_tabulated_flux(pop, tmp_path / "nope" / "b.csv")
    assert list(tmp_path.iterdir()) == []


ARGS = ["env", "--altitude-km", "420", "--inclination-deg", "51.6", "--at", "2022-12-15T00:45:00Z"]


def test_cli_flux_table_option(capsys):
    table = FIXTURES / "example_cumulative.csv"
    argv = [*ARGS, "--flux-table", str(table), "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    row = out["flux_per_m2_per_year"]["example-debris"]
    # random tumbling plate = ¼ of the cross-section total 3.75 (≥ 0.1 mm) per year
    assert row[0] == pytest.approx(3.75 / 4)
    assert out["sources"]["example-debris"].startswith("breachkit test fixture")
    # NASA-91 debris is still on by default: the report warns about double counting
    assert any("Both NASA-91 debris and a tabulated debris" in n for n in out["notes"])


def test_case_flux_tables_relative_to_case(tmp_path, capsys):
    (tmp_path / "tables").mkdir()
    src = (FIXTURES / "example_cumulative.csv").read_text(encoding="utf-8")
    (tmp_path / "tables" / "d.csv").write_text(src, encoding="utf-8")
    (tmp_path / "case.toml").write_text(
        "[orbit]\naltitude_km = 420\ninclination_deg = 51.6\n\n"
        '[incident]\ntime_utc = "2022-12-15T00:45:00Z"\n\n'
        '[environment]\npopulations = ["sporadic"]\nflux_tables = ["tables/d.csv"]\n',
        encoding="utf-8",
    )
    assert main(["env", "--case", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["flux_per_m2_per_year"]) == {"sporadic", "example-debris", "total"}
    assert not any("Both NASA-91" in n for n in out["notes"])


def test_missing_flux_table_is_one_line_exit_2(tmp_path, capsys):
    assert main([*ARGS, "--flux-table", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --flux-table") and "\n" not in err
    (tmp_path / "case.toml").write_text(
        "[orbit]\naltitude_km = 420\ninclination_deg = 51.6\n\n"
        '[incident]\ntime_utc = "2022-12-15T00:45:00Z"\n\n'
        '[environment]\npopulations = ["sporadic"]\nflux_tables = ["none.csv"]\n',
        encoding="utf-8",
    )
    assert main(["env", "--case", str(tmp_path)]) == 2
    assert "[environment] flux_tables[0]" in capsys.readouterr().err


RISK_CASE = """
[vehicle]
model = "soyuz_ms"
[vehicle.shields.pao_radiator]
preset = "constant"
params = {{ critical_diameter_m = 0.0005 }}

[orbit]
altitude_km = 420
inclination_deg = 51.64

[[exposure.windows]]
label = "w"
start = "2022-12-14T00:45:00Z"
end = "2022-12-15T00:45:00Z"

[environment]
populations = []
flux_tables = [{tables}]

[risk]
regions = ["pao_radiator"]
n_directions = 200
shadowing = "none"
"""


def test_risk_case_reads_flux_tables(tmp_path):
    """The risk part's [environment] reader passes flux_tables (relative to the case) through."""
    from breachkit.risk.config import build_environment, load_risk_case

    src = (FIXTURES / "example_cumulative.csv").read_text(encoding="utf-8")
    (tmp_path / "d.csv").write_text(src, encoding="utf-8")
    (tmp_path / "case.toml").write_text(RISK_CASE.format(tables='"d.csv"'), encoding="utf-8")
    rc = load_risk_case(tmp_path)
    env = build_environment(rc, rc.exposure.windows[0])
    assert [p.name for p in env] == ["example-debris"]
    assert env.populations[0].omnidirectional_flux(1e-4) * YEAR == pytest.approx(3.75)
    (tmp_path / "case.toml").write_text(RISK_CASE.format(tables='"none.csv"'), encoding="utf-8")
    rc = load_risk_case(tmp_path)
    with pytest.raises(InputError, match=r"\[environment\] flux_tables\[0\]: file 'none.csv'"):
        build_environment(rc, rc.exposure.windows[0])
