"""The `breachkit env` command: table, JSON, plot, case file, one-line errors."""

from __future__ import annotations

import itertools
import json

import pytest

from breachkit.cli.main import main

ARGS = ["env", "--altitude-km", "420", "--inclination-deg", "51.6", "--at", "2022-12-15T00:45:00Z"]


def test_json_output(capsys):
    assert main([*ARGS, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["flux_per_m2_per_year"]) == {"sporadic", "GEM", "debris", "total"}
    assert [s["code"] for s in out["showers_this_week"]] == ["GEM"]
    gem = out["flux_per_m2_per_year"]["GEM"]
    assert all(a > b for a, b in itertools.pairwise(gem))


def test_table_and_plot(tmp_path, capsys):
    png = tmp_path / "flux.png"
    assert main([*ARGS, "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    assert "sporadic" in text and "Geminids" in text
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--altitude-km", "-5"], "--altitude-km"),
        (["--altitude-km", "nan"], "--altitude-km"),
        (["--altitude-km", "5000"], "--altitude-km"),
        (["--inclination-deg", "170"], "--inclination-deg"),
        (["--at", "yesterday"], "--at"),
        (["--at", "1970-01-01T00:00:00Z"], "--at"),
        (["--f107", "-3"], "--f107"),
        (["--meteoroid-model", "x"], "--meteoroid-model"),
    ],
)
def test_bad_options_one_line_exit_2(args, option, capsys):
    base = dict(zip(ARGS[1::2], ARGS[2::2], strict=False))
    for k, v in zip(args[::2], args[1::2], strict=False):
        base[k] = v
    argv = ["env"] + [x for kv in base.items() for x in kv]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and option in err and "\n" not in err


def test_case_folder(tmp_path, capsys):
    (tmp_path / "case.toml").write_text(
        "[orbit]\naltitude_km = 420\ninclination_deg = 51.6  # ISS\n\n"
        '[incident]\ntime_utc = "2022-12-15T00:45:00Z"\n\n'
        '[environment]\nf107_sfu = 90.0\npopulations = ["sporadic", "debris"]\n',
        encoding="utf-8",
    )
    assert main(["env", "--case", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["f107_sfu"] == 90.0 and "GEM" not in out["flux_per_m2_per_year"]


def test_case_folder_bad_section(tmp_path, capsys):
    (tmp_path / "case.toml").write_text(
        '[orbit]\naltitude_km = -1\ninclination_deg = 51.6\n[incident]\ntime_utc = "2022-12-15"\n',
        encoding="utf-8",
    )
    assert main(["env", "--case", str(tmp_path)]) == 2
    assert "[orbit] altitude_km" in capsys.readouterr().err


def test_radiant_track_with_node(capsys):
    assert main([*ARGS, "--raan-deg", "0", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["radiant_tracks"]["GEM"]
    assert (
        len(rows) == 12 and any(r["visible"] for r in rows) and not all(r["visible"] for r in rows)
    )
