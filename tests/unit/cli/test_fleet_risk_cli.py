"""`breachkit fleet risk` end to end (serial engine, tiny settings) and its bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from breachkit.cli.main import main

pytest.importorskip("pyarrow")
pytest.importorskip("trimesh")

COLUMNS = ["flight", "family", "port", "dock_utc", "undock_utc", "docked_days", "region",
           "n_pen_mean", "n_pen_lo", "n_pen_hi", "n_imp_mean"]  # fmt: skip


def test_table_written_with_intervals_and_draws(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "out"
    rc = main(["fleet", "risk", "--engine", "serial", "--flights", "Soyuz MS-22,Progress MS-21",
               "--n-directions", "100", "--min-faces", "100", "--draws", "8", "--block", "8",
               "--out", str(out), "--no-progress", "--json"])  # fmt: skip
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    df = pd.read_parquet(out / "fleet_risk.parquet")
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    assert len(df) == 2 * 2  # two dockings x two regions
    rad = df[df.region == "pao_radiator"]
    assert (rad.n_pen_lo <= rad.n_pen_mean).all() and (rad.n_pen_mean <= rad.n_pen_hi).all()
    draws = np.load(out / "fleet_risk_draws.npz")
    assert draws["pao_radiator"].shape == (2, 16)
    assert list(draws["flights"]) == list(rad.flight)
    assert summary["dockings"] == 2 and summary["sobol_ms22_radiator"]
    meta = json.loads((out / "fleet_risk.json").read_text())
    assert all(v["source"] for v in meta["monte_carlo"]["inputs"].values())


def test_unknown_port_exit_2_nothing_written(tmp_path, capsys):
    csv = tmp_path / "flights.csv"
    csv.write_text(
        "vehicle,family,serial,launch_date,dock_date,dock_port,undock_date,end_date,crewed,"
        "anomaly,source\nSoyuz MS-22,Soyuz MS,751,2022-09-21,2022-09-21,Unity,2023-03-28,"
        "2023-03-28,yes,,test\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    rc = main(["fleet", "risk", "--fleet", str(csv), "--engine", "serial", "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "row 1 (Soyuz MS-22)" in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_bad_distribution_file_exit_2(tmp_path, capsys):
    toml = tmp_path / "inputs.toml"
    toml.write_text('[inputs.face_thickness_m]\nkind = "uniform"\na = 2e-3\nb = 1e-3\n'
                    'source = "test"\n', encoding="utf-8")  # fmt: skip
    rc = main(["fleet", "risk", "--inputs", str(toml), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "[inputs.face_thickness_m]" in err and "invalid parameters" in err
