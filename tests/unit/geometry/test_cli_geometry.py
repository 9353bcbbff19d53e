"""`breachkit geometry`: JSON summary of a built-in model, bad input → one line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breachkit.cli.main import main


def test_geometry_json_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geometry", "soyuz_ms", "--json", "--directions", "20", "--backend", "numpy"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["faces"] > 500
    assert "pao_radiator" in out["region_areas_m2"]
    assert out["ports"][0]["name"] == "forward"
    assert out["visibility"]["rays_traced"] + out["visibility"]["rays_skipped"] == out["faces"] * 20


def test_geometry_bad_mesh_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.obj"
    bad.write_text("v 0 0 nan\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    assert main(["geometry", str(bad), "--json"]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert (
        err.err.startswith("error: ")
        and "NaN" in err.err
        and len(err.err.strip().splitlines()) == 1
    )
    assert main(["geometry", "nonsense"]) == 2
