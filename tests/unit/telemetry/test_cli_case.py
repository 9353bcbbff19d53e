"""The `breachkit telemetry` command and the MS-22 case's [telemetry] section."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from breachkit.cli.main import main
from breachkit.telemetry import LiquidLoop, analyze_case, simulate_leak

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def sim_csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("tel") / "sim.csv"
    sim = simulate_leak(
        LiquidLoop(44e-3, 1e-3, 1000.0),
        p0_pa=3e5,
        hole_diameter_m=0.8e-3,
        onset_s=3600.0,
        duration_s=8 * 3600.0,
        sample_interval_s=15.0,
        rng=np.random.default_rng(1),
        noise_sigma_pa=500.0,
        quantum_pa=1000.0,
    )
    sim.write_csv(p, channel="p_pa", header="SYNTHETIC")
    return p


def test_cli_json_liquid(sim_csv, capsys, tmp_path):
    png = tmp_path / "fit.png"
    rc = main(
        [
            "telemetry",
            str(sim_csv),
            "--channel",
            "p_pa",
            "--unit",
            "Pa",
            "--kind",
            "liquid",
            "--liquid-volume-m3",
            "0.044",
            "--gas-volume-m3",
            "0.001",
            "--density-kg-m3",
            "1000",
            "--plot",
            str(png),
            "--json",
        ]
    )
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert d["signature"] == "sudden"
    from breachkit._core.timeutil import parse_utc

    onset = parse_utc(d["onset_utc"])
    assert abs((onset - parse_utc("2022-12-14T19:00:00Z")).total_seconds()) < 60
    assert d["hole_diameter_m"] == pytest.approx(0.8e-3, rel=0.05)
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--channel", "nope", "--unit", "Pa"], "unknown channel"),
        (["--channel", "p_pa", "--unit", "parsec"], "unknown unit"),
        (["--channel", "p_pa", "--unit", "Pa", "--kind", "gas"], "--volume-m3"),
        (["--channel", "p_pa", "--unit", "Pa", "--discharge-coefficient", "1.5"], "≤ 1"),
    ],
)
def test_cli_bad_input_exit_2(sim_csv, capsys, args, match):
    rc = main(["telemetry", str(sim_csv), *args, "--json"])
    err = capsys.readouterr()
    assert rc == 2 and err.out == ""
    assert err.err.startswith("error: ") and match in err.err and err.err.count("\n") == 1


def test_ms22_synthetic_case():
    # SYNTHETIC record made with Cd = 0.30 and a 0.8 mm hole (make_synthetic_telemetry.py); the
    # case analyses it with Cd = 0.611, so the equivalent diameter is 0.8 mm·√(0.30/0.611).
    r = analyze_case(REPO / "cases" / "soyuz-ms22")
    assert r.leak and r.signature == "sudden"
    assert r.onset_utc is not None and r.onset_utc.isoformat().startswith("2022-12-15T00:4")
    lo, hi = r.onset_ci_utc
    assert lo <= r.onset_utc <= hi
    assert r.hole_diameter_m == pytest.approx(0.8e-3 * np.sqrt(0.30 / 0.611), rel=0.05)
