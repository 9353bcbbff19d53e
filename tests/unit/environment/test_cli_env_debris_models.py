"""`breachkit env --compare`, `--debris-model`, and flux files named in a case; exit 2 on bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from breachkit.cli.main import main

ARGS = ["env", "--altitude-km", "420", "--inclination-deg", "51.6", "--at", "2022-12-15T00:45:00Z"]

CASE = """
[orbit]
altitude_km = 420
inclination_deg = 51.6
[incident]
time_utc = "2022-12-15T00:45:00Z"
[environment]
f107_sfu = 82.0
populations = ["debris"]
{extra}
"""


def test_compare_json_rows(capsys):
    assert main([*ARGS, "--compare", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["debris_models"]
    assert [r["model"] for r in rows] == ["nasa91", "kessler"]
    for r in rows:
        assert np.all(np.diff(r["flux_per_m2_per_year"]) < 0)  # falls with size
        s = r["shares"]
        assert s["ram"] + 2 * s["side"] + s["wake"] + s["zenith"] + s["nadir"] == pytest.approx(1)
        assert 5.0 < r["mean_speed_km_s"] < 16.0
    # same NASA-91 level in both models (they differ in directions only)
    assert rows[0]["flux_per_m2_per_year"] == pytest.approx(rows[1]["flux_per_m2_per_year"])


def test_compare_table_text(capsys):
    assert main([*ARGS, "--compare"]) == 0
    out = capsys.readouterr().out
    assert "kessler" in out and "wake" in out


def test_debris_model_option_and_case_key(tmp_path, capsys):
    assert main([*ARGS, "--debris-model", "kessler", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "Kessler 1981" in out["sources"]["debris"]
    (tmp_path / "case.toml").write_text(CASE.format(extra='debris_model = "kessler"'))
    assert main(["env", "--case", str(tmp_path), "--json"]) == 0
    assert "Kessler 1981" in json.loads(capsys.readouterr().out)["sources"]["debris"]


def test_table_model_needs_a_debris_table(tmp_path, capsys):
    (tmp_path / "case.toml").write_text(CASE.format(extra='debris_model = "table"'))
    assert main(["env", "--case", str(tmp_path)]) == 2
    assert 'debris_model: "table" needs a debris flux table' in capsys.readouterr().err


def test_unknown_debris_model_exit_2(tmp_path, capsys):
    assert main([*ARGS, "--debris-model", "ordem"]) == 2
    assert "--debris-model" in capsys.readouterr().err
    (tmp_path / "case.toml").write_text(CASE.format(extra='debris_model = "ordem"'))
    assert main(["env", "--case", str(tmp_path)]) == 2
    assert "debris_model" in capsys.readouterr().err


def test_case_flux_file_with_undeclared_convention_exit_2(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    extra = (
        'debris_model = "table"\n[[environment.flux_files]]\nformat = "master-2009"\n'
        'path = "run"\nazimuth_zero = "ram"\n'
    )
    (tmp_path / "case.toml").write_text(CASE.format(extra=extra))
    assert main(["env", "--case", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "master_d.dia is missing" in err[0] or "is not declared" in err[0]
