"""The bundled fleet record checks itself: complete series, one source per docking, time order,
no two vehicles at one port at once, contiguous relocations; and the one exposure denominator
(`docked_vehicle_days`) against hand sums."""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.fleet import bundled_path, open_db
from breachkit.fleet.db import FleetDB
from breachkit.fleet.exposure import DENOMINATOR, docked_vehicle_days, record_span
from breachkit.fleet.records import DATE_QUALITIES, FlightRow, read_flights_csv

HEADER = (
    "vehicle,family,serial,launch_date,dock_date,dock_port,undock_date,end_date,crewed,status,"
    "date_quality,anomaly,source\n"
)


@pytest.fixture(scope="module")
def flights() -> list[FlightRow]:
    return read_flights_csv(bundled_path("fleet.csv"))


@pytest.fixture(scope="module")
def db() -> FleetDB:
    return open_db("sqlite://", bundled=True)


@pytest.mark.parametrize(
    ("prefix", "suffix", "last"),
    [("Progress M-", "M", 29), ("Progress MS-", "", 33), ("Soyuz TMA-", "M", 20),
     ("Soyuz MS-", "", 28)],
)  # fmt: skip
def test_every_flight_of_each_series_is_there(
    flights: list[FlightRow], prefix: str, suffix: str, last: int
) -> None:
    names = {f.vehicle.name for f in flights}
    want = {f"{prefix}{k:02d}{suffix}" for k in range(1, last + 1)}
    assert want <= names, sorted(want - names)


def test_every_row_has_a_source_and_a_date_quality() -> None:
    with bundled_path("fleet.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, r in enumerate(rows, start=1):
        assert r["source"].strip(), f"row {i} {r['vehicle']}: no source"
        first = re.split(r"[:\s]", r["date_quality"].strip())[0].lower()
        assert first in DATE_QUALITIES, (
            f"row {i} {r['vehicle']}: date_quality {r['date_quality']!r}"
        )


def test_time_order_launch_dock_undock(flights: list[FlightRow]) -> None:
    for f in flights:
        for iv in f.intervals:
            assert f.launch <= iv.start, f.vehicle.name
            assert iv.end is None or iv.start < iv.end, f.vehicle.name
        # only a flight still docked (with its 'docked as of' date) has an open interval
        open_ivs = [iv for iv in f.intervals if iv.end is None]
        assert not open_ivs or (f.status == "docked" and f.as_of is not None), f.vehicle.name
        assert f.intervals or f.status == "not_docked", f.vehicle.name


def test_no_two_vehicles_at_one_port_at_the_same_time(flights: list[FlightRow]) -> None:
    by_port: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for f in flights:
        for iv in f.intervals:
            end = iv.end or f.as_of
            assert end is not None
            by_port[iv.port].append((iv.start, end, f.vehicle.name))
    clashes = []
    for port, ivs in by_port.items():
        ivs.sort()
        for (_, b0, v0), (a1, _, v1) in itertools.pairwise(ivs):
            if a1 < b0:
                clashes.append(f"{port}: {v1} docked {a1:%Y-%m-%d %H:%M} before {v0} left {b0}")
    assert not clashes, clashes


def test_relocations_are_contiguous(flights: list[FlightRow]) -> None:
    """A flight's next docking starts after the previous undocking, within 10 days (the
    longest gap in the record is Progress M-15M's week of Kurs-NA tests, 2012-07-22 → 07-29)."""
    n_multi = 0
    for f in flights:
        for a, b in zip(f.intervals, f.intervals[1:], strict=False):
            n_multi += 1
            assert a.end is not None and b.start >= a.end, f.vehicle.name
            assert b.start - a.end <= timedelta(days=10), f.vehicle.name
    assert n_multi >= 9  # TMA-09M, TMA-16M, MS-13, MS-17, MS-18, MS-23, M-15M, M-21M, MS-01, MS-17


def test_progress_m01m_is_counted_only_while_docked(db: FleetDB) -> None:
    """Docked 2008-11-30 12:28 UTC (13:28 CET, Raumfahrer.net), undocked 2009-02-06 04:11 UTC
    (RIA Novosti: command 07:08 MSK, separation three minutes later): 67.66 d, not 2008→2023."""
    vd = docked_vehicle_days(db, series=("Progress M",))
    (m01,) = [d for v, _, _, d in vd.by_flight if v == "Progress M-01M"]
    want = (datetime(2009, 2, 6, 4, 11) - datetime(2008, 11, 30, 12, 28)).total_seconds() / 86400
    assert m01 == pytest.approx(want, abs=1e-9)


def test_denominator_sums_are_consistent(db: FleetDB) -> None:
    vd = docked_vehicle_days(db)
    assert vd.total == pytest.approx(sum(d for *_, d in vd.by_flight))
    assert vd.total == pytest.approx(sum(vd.by_family.values()))
    assert vd.by_family["Soyuz"] == pytest.approx(
        vd.by_series["Soyuz TMA-M"] + vd.by_series["Soyuz MS"]
    )
    assert (vd.since, vd.until) == record_span(db.flights())
    assert vd.to_dict()["definition"] == DENOMINATOR


def _tiny(tmp_path: Path) -> FleetDB:
    p = tmp_path / "tiny.csv"
    p.write_text(
        HEADER
        + "Soyuz MS-01,Soyuz MS,,2020-01-01,2020-01-02,Poisk,2020-01-12,,yes,relocated,day,,s\n"
        + "Soyuz MS-01,Soyuz MS,,2020-01-01,2020-01-12,Rassvet,2020-01-22,,yes,,day,,s\n"
        + "Progress MS-01,Progress MS,,2020-01-05,2020-01-06,Zvezda aft,,,no,"
        + "docked as of 2020-01-26,day,,s\n"
        + "Progress MS-02,Progress MS,,2020-01-07,,,,,no,not docked: launch failure,day,,s\n"
    )
    db = open_db(f"sqlite:///{tmp_path / 'tiny.sqlite'}")
    db.import_flights(p)
    return db


def test_denominator_by_hand(tmp_path: Path) -> None:
    db = _tiny(tmp_path)
    vd = docked_vehicle_days(db, series=("Soyuz MS", "Progress MS"))
    # Soyuz 10 + 10 days (relocation); Progress 01-06 → the 'docked as of' date 01-26 = 20 days
    assert vd.by_series == {"Soyuz MS": 20.0, "Progress MS": 20.0}
    assert vd.since == datetime(2020, 1, 2, tzinfo=UTC)
    assert vd.until == datetime(2020, 1, 26, tzinfo=UTC)
    clipped = docked_vehicle_days(
        db, series=("Soyuz MS", "Progress MS"), since=datetime(2020, 1, 10, tzinfo=UTC),
        until=datetime(2020, 1, 15, tzinfo=UTC),
    )  # fmt: skip
    assert clipped.by_family == {"Soyuz": 5.0, "Progress": 5.0}
    # beyond the record's last date nothing more is counted
    late = docked_vehicle_days(db, until=datetime(2030, 1, 1, tzinfo=UTC))
    assert late.until == datetime(2020, 1, 26, tzinfo=UTC) and late.total == vd.total


@settings(max_examples=40, deadline=None)
@given(a=st.integers(0, 30), b=st.integers(0, 30))
def test_denominator_is_monotone_in_the_window(tmp_path_factory: pytest.TempPathFactory, a: int,
                                               b: int) -> None:  # fmt: skip
    db = _TINY.get("db") or _TINY.setdefault("db", _tiny(tmp_path_factory.mktemp("m")))
    t0 = datetime(2020, 1, 1, tzinfo=UTC)
    lo, hi = sorted((a, b))
    inner = docked_vehicle_days(db, since=t0 + timedelta(lo), until=t0 + timedelta(hi)).total
    outer = docked_vehicle_days(db, since=t0, until=t0 + timedelta(30)).total
    assert 0.0 <= inner <= outer + 1e-12
    assert inner <= 2 * (hi - lo) + 1e-12  # at most two vehicles docked at once in this record


_TINY: dict[str, FleetDB] = {}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,,,yes,,day,,src\n",
         r"row 1 \(Soyuz MS-99\): undock_date is empty: give it, or say why"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,,,,,yes,,day,,src\n",
         r"row 1 \(Soyuz MS-99\): dock_date is empty: give it, or say why"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-01-20,,yes,,guessed,,src\n",
         r"row 1 \(Soyuz MS-99\): date_quality 'guessed' must start with one of"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-01-20,,yes,relocated,day,,s\n"
         "Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-19,Rassvet,2020-01-30,,yes,,day,,s\n",
         r"row 2 \(Soyuz MS-99\): dock_date is before the undocking of row 1"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,,,yes,docked as of 2020-01-01,day,,s\n",
         r"row 1 \(Soyuz MS-99\): status: 'docked as of' date is before dock_date"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-01-20,,yes,landed,day,,s\n",
         r"row 1 \(Soyuz MS-99\): status 'landed': give"),
    ],
)  # fmt: skip
def test_bad_records_name_the_row(tmp_path: Path, rows: str, message: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + rows)
    with pytest.raises(InputError, match=message):
        read_flights_csv(p)
