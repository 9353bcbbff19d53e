"""`breachkit risk CASE` on a small case: table, JSON, the output files, bad inputs (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("breachkit.geometry")
pytest.importorskip("breachkit.damage")

from breachkit.cli.main import main
from breachkit.risk.config import run_case

CASE = """
[vehicle]
model = "soyuz_ms"
[vehicle.shields.pao_radiator]
preset = "{preset}"
params = {{ critical_diameter_m = 0.0005 }}
[vehicle.shields.pao_coolant_line]
preset = "radiator_generic"

[orbit]
altitude_km = 420
inclination_deg = 51.64

[[exposure.windows]]
label = "month"
start = "2022-10-01T00:00:00Z"
end = "2022-10-31T00:00:00Z"

[environment]
populations = ["sporadic", "debris"]
f107_sfu = 82.0

[risk]
regions = {regions}
n_directions = 150
shadowing = "{shadowing}"
mc_samples = {mc}
seed = 3
hole_size_mm = [0.7, 0.9]
"""


def _write(tmp_path: Path, preset="constant", regions='["pao_radiator"]', shadowing="none", mc=0):
    (tmp_path / "case.toml").write_text(
        CASE.format(preset=preset, regions=regions, shadowing=shadowing, mc=mc)
    )
    return tmp_path


def test_run_case_constant_shield_matches_impacts_above_dc(tmp_path):
    """With a constant 0.5 mm shield, failures = impacts counted with d ≥ 0.5 mm (no shadowing)."""
    res = run_case(_write(tmp_path))
    w = res.windows[0]
    assert w.duration_s == pytest.approx(30 * 86400.0)
    assert 0 < res.expected_failures < res.expected_impacts
    assert res.pnp == pytest.approx(pytest.approx(__import__("math").exp(-res.expected_failures)))
    lo, hi = res.interval
    assert lo < res.expected_failures < hi


def test_cli_json_and_outputs(tmp_path, capsys):
    case = _write(
        tmp_path, regions='["pao_radiator", "pao_coolant_line"]', shadowing="numpy", mc=3000
    )
    out = tmp_path / "out"
    assert main(["risk", str(case), "--out", str(out), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("expected_failures", "pnp", "expected_impacts", "breakdown", "interval"):
        assert key in d
    assert set(d["breakdown"]["by_region"]) == {"pao_radiator", "pao_coolant_line"}
    assert d["monte_carlo"]["hole_size_probability"]["pao_radiator"]["d_lo_m"] == pytest.approx(
        7e-4
    )
    for name in ("faces.parquet", "faces.csv", "risk_map.html", "risk_map.png", "risk.json"):
        assert (out / name).stat().st_size > 0
    html = (out / "risk_map.html").read_text()
    assert "Mesh3d" in html or "mesh3d" in html
    assert '<script src="http' not in html  # self-contained: plotly.js inline, no network
    assert len(html) > 1_000_000  # the plotly.js bundle is inline
    assert not list(out.glob(".risk-*"))  # temp folder cleaned


def test_cli_table(tmp_path, capsys):
    assert main(["risk", str(_write(tmp_path)), "--out", str(tmp_path / "o")]) == 0
    text = capsys.readouterr().out
    assert "PNP" in text and "month" in text and "by population" in text


@pytest.mark.parametrize(
    ("preset", "regions", "message"),
    [
        ("no_such_shield", '["pao_radiator"]', "unknown shield 'no_such_shield'"),
        ("constant", '["orbital_module"]', "region 'orbital_module' has no shield"),
        ("constant", '["nope"]', "'nope' is not a region"),
    ],
)
def test_cli_bad_shields_exit_2(tmp_path, capsys, preset, regions, message):
    out = tmp_path / "o"
    assert (
        main(["risk", str(_write(tmp_path, preset=preset, regions=regions)), "--out", str(out)])
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error: case.toml: [")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_cli_bad_mesh_exit_2(tmp_path, capsys):
    """A mesh with a NaN vertex: one line, exit 2, nothing written."""
    (tmp_path / "bad.obj").write_text("v 0 0 0\nv 1 0 0\nv nan 1 0\nf 1 2 3\n")
    (tmp_path / "case.toml").write_text(
        CASE.format(preset="constant", regions='["pao_radiator"]', shadowing="none", mc=0).replace(
            'model = "soyuz_ms"', 'mesh = "bad.obj"\nlength_unit_m = 1.0'
        )
    )
    out = tmp_path / "o"
    assert main(["risk", str(tmp_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "nan" in err.lower()
    assert not out.exists()


def test_cli_zero_area_face_exit_2(tmp_path, capsys):
    """A closed tetrahedron plus one zero-area face: refused (repair is off by default)."""
    (tmp_path / "bad.obj").write_text(
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nv 2 0 0\nf 1 3 2\nf 1 2 4\nf 2 3 4\nf 1 4 3\nf 1 2 5\n"
    )
    (tmp_path / "case.toml").write_text(
        CASE.format(preset="constant", regions='["bad"]', shadowing="none", mc=0)
        .replace('model = "soyuz_ms"', 'mesh = "bad.obj"\nlength_unit_m = 1.0')
        .replace("[vehicle.shields.pao_radiator]", "[vehicle.shields.bad]")
    )
    out = tmp_path / "o"
    assert main(["risk", str(tmp_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "zero-area" in err
    assert not out.exists()
