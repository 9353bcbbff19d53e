"""Readers: formats, units, time bases, repairs reported, bad input named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from breachkit._core.errors import InputError
from breachkit._core.units import MMHG
from breachkit.telemetry import read_telemetry
from breachkit.telemetry.io import estimate_quantum

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "telemetry"


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_iso_times_with_offset_are_converted_to_utc_and_units_to_si(tmp_path):
    p = _csv(
        tmp_path,
        "time,p\n2022-12-14T19:45:00-05:00,1.0\n2022-12-14T19:45:10-05:00,0.9\n"
        "2022-12-14T19:45:20-05:00,0.8\n",
    )
    s = read_telemetry(p, "p", "atm")
    assert s.start.isoformat() == "2022-12-15T00:45:00+00:00"
    assert np.allclose(s.values, [101325.0, 91192.5, 81060.0])
    assert np.allclose(s.t_s, [0, 10, 20])


def test_epoch_seconds_and_celsius(tmp_path):
    p = _csv(tmp_path, "epoch,T\n1671065100,20\n1671065110,21\n1671065120,22\n")
    s = read_telemetry(p, "T", "degC", time_column="epoch")
    assert s.start.isoformat() == "2022-12-15T00:45:00+00:00"
    assert s.quantity == "temperature" and s.values[0] == pytest.approx(293.15)


def test_unsorted_duplicates_and_dropouts_are_repaired_and_reported(tmp_path):
    p = _csv(
        tmp_path,
        "time,p\n0,10\n20,12\n10,11\n10,13\n30,\n40,14\n50,15\n",
    )
    s = read_telemetry(p, "p", "kPa")
    assert s.n_unsorted == 1 and s.n_duplicates == 1 and s.n_dropouts == 1
    assert np.all(np.diff(s.t_s) > 0)
    assert s.values[1] == pytest.approx(12e3)  # mean of the two values at t = 10
    text = " ".join(s.actions)
    assert "sorted" in text and "duplicate" in text and "dropout" in text


def test_report_by_exception_is_detected_and_held(tmp_path):
    rng = np.random.default_rng(3)
    t = np.cumsum(rng.integers(1, 60, 300)).astype(float)
    v = 700.0 + np.cumsum(rng.choice([-0.1, 0.1], 300))
    pd.DataFrame({"time": t, "p": v}).to_csv(tmp_path / "r.csv", index=False)
    s = read_telemetry(tmp_path / "r.csv", "p", "mmHg")
    assert s.sampling == "report-by-exception"
    assert any("held the last value" in a for a in s.actions)
    # held values: every resampled value is one of the reported values
    assert np.isin(np.round(s.values / MMHG, 6), np.round(v, 6)).all()


def test_gap_is_reported_not_filled(tmp_path):
    t = np.concatenate([np.arange(0, 100.0), np.arange(5000, 5100.0)])
    pd.DataFrame({"time": t, "p": np.linspace(1, 2, t.size)}).to_csv(
        tmp_path / "g.csv", index=False
    )
    s = read_telemetry(tmp_path / "g.csv", "p", "bar")
    assert len(s.gaps) == 1 and s.gaps[0] == (99.0, 5000.0)
    assert any("gap" in a for a in s.actions)


def test_quantum_estimated_and_floor_censored(tmp_path):
    t = np.arange(200.0)
    v = np.round(np.maximum(100.0 * np.exp(-t / 30.0), 0.5) / 0.5) * 0.5
    pd.DataFrame({"time": t, "p": v}).to_csv(tmp_path / "q.csv", index=False)
    s = read_telemetry(tmp_path / "q.csv", "p", "kPa")
    assert s.quantum == pytest.approx(500.0, rel=1e-6)
    assert s.floor == pytest.approx(500.0) and s.n_floor > 50
    assert any("sensor floor" in a for a in s.actions)
    assert estimate_quantum(np.random.default_rng(0).normal(size=1000)) == 0.0


def test_parquet_round_trip(tmp_path):
    df = pd.DataFrame(
        {"time_utc": pd.date_range("2022-12-15", periods=50, freq="10s", tz="UTC"), "p": 1.0}
    )
    df.to_parquet(tmp_path / "x.parquet")
    s = read_telemetry(tmp_path / "x.parquet", "p", "psi")
    assert len(s) == 50 and s.values[0] == pytest.approx(6894.757293168361)


def test_mimic_fixture_time_base():
    # README of the data: iss_hours 6844.9875 h = 2018-10-12 04:59:15 UTC (checked against GPS).
    s = read_telemetry(
        FIX / "USLAB000058.txt",
        "USLAB000058",
        "mmHg",
        fmt="mimic",
        mimic_epoch_utc="2017-12-31T00:00:00Z",
    )
    assert s.start.isoformat().startswith("2018-10-12T05:03:59")
    assert s.sampling == "report-by-exception"
    assert s.quantum / MMHG == pytest.approx(0.101, abs=0.002)


@pytest.mark.parametrize(
    ("text", "channel", "unit", "match"),
    [
        ("", "p", "Pa", "empty"),
        ("time,p\n", "p", "Pa", "no data rows"),
        ("time,p\n0,1\n1,2\n", "q", "Pa", "unknown channel 'q'"),
        ("time,p\n0,1\n1,abc\n2,3\n", "p", "Pa", "row 3: value 'abc' is not a number"),
        ("time,p\n0,\n1,\n2,\n", "p", "Pa", "no numeric value"),
        ("time,p\n0,1\n1,2\n2,3\n", "p", "", "no unit"),
        ("time,p\n0,1\n1,2\n2,3\n", "p", "furlong", "unknown unit"),
        ("time,p\n2022-12-15T00:00:00Z,1\nyesterday,2\n", "p", "Pa", "row 3: cannot parse time"),
    ],
)
def test_bad_input_names_file_column_or_row(tmp_path, text, channel, unit, match):
    p = _csv(tmp_path, text)
    with pytest.raises(InputError, match=match) as ei:
        read_telemetry(p, channel, unit)
    assert "\n" not in str(ei.value)
