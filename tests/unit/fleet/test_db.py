"""The fleet database: migrations from empty, bundled import, validation, transactions,
concurrent writers, analyses and the exposure cache."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from breachkit._core.errors import InputError
from breachkit.fleet import bundled_path, open_db
from breachkit.fleet.db import FleetDB
from breachkit.fleet.exposure import RateExposureModel, fleet_exposures, flight_exposure
from breachkit.fleet.records import IncidentRow, normalise_port, read_flights_csv

HEADER = (
    "vehicle,family,serial,launch_date,dock_date,dock_port,undock_date,end_date,crewed,anomaly,"
    "source\n"
)


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> FleetDB:
    url = f"sqlite:///{tmp_path_factory.mktemp('fleet') / 'fleet.sqlite'}"
    return open_db(url, bundled=True)


def test_migration_from_empty_creates_every_table(tmp_path: Path) -> None:
    db = FleetDB(f"sqlite:///{tmp_path / 'a.sqlite'}")
    assert db.schema_revision() is None
    db.migrate()
    assert db.schema_revision() == "0002"
    tables = set(inspect(db.engine).get_table_names())
    assert {"vehicles", "flights", "dockings", "incidents", "analyses", "exposure_cache"} <= tables
    cols = {c["name"] for c in inspect(db.engine).get_columns("dockings")}
    assert {"source", "date_quality"} <= cols
    db.migrate()  # idempotent
    assert db.schema_revision() == "0002"


def test_upgrade_from_0001_keeps_rows_and_adds_the_provenance_columns(tmp_path: Path) -> None:
    from sqlalchemy import text

    db = FleetDB(f"sqlite:///{tmp_path / 'old.sqlite'}")
    db.migrate("0001")
    with db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO vehicles VALUES (1, 'Soyuz MS-98', 'Soyuz', 'Soyuz MS', NULL, 's')")
        )
        conn.execute(
            text(
                "INSERT INTO flights VALUES (1, 1, '2019-01-10 00:00:00', "
                "'2019-01-12 00:00:00', 'poisk_zenith', 'Poisk', '2019-03-11 00:00:00', "
                "NULL, 1, '', 's')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO dockings VALUES (1, 1, 'poisk_zenith', "
                "'2019-01-12 00:00:00', '2019-03-11 00:00:00')"
            )
        )
    db.migrate()
    assert db.schema_revision() == "0002"
    (f,) = db.flights()
    assert f.status == "undocked" and f.as_of is None
    assert f.dockings[0].source == "" and f.dockings[0].port == "poisk_zenith"


def test_default_url_is_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    from breachkit.fleet import default_url

    assert default_url().startswith("sqlite:///")
    assert default_url().endswith("fleet.sqlite")
    assert str(Path(platformdirs.user_data_dir("breachkit"))) in default_url()


def test_bundled_import_has_every_flight_and_incident(bundled_db: FleetDB) -> None:
    flights = bundled_db.flights()
    assert len(flights) == 110  # the 110 flights (120 rows, one per docking) of fleet.csv
    keys = {i.key for i in bundled_db.incidents()}
    assert {"soyuz-ms22-coolant", "progress-ms21-coolant", "nauka-backup-radiator",
            "soyuz-ms09-hull-hole"} <= keys  # fmt: skip
    v = bundled_db.vehicle("Soyuz MS-22")
    assert v.serial == "751" and v.design_series == "Soyuz MS"
    f = v.flights[0]
    assert f.port == "rassvet_nadir" and f.crewed
    assert "RussianSpaceWeb" in f.source
    assert v.incidents[0].official_finding == "impact"
    assert v.incidents[0].label == "confirmed"


def test_reimport_changes_nothing(bundled_db: FleetDB) -> None:
    s = bundled_db.import_flights(bundled_path("fleet.csv"))
    assert (s.flights_added, s.vehicles_added, s.flights_updated) == (0, 0, 110)
    assert len(bundled_db.flights()) == 110


def test_relocation_starts_a_new_docked_interval(bundled_db: FleetDB) -> None:
    f = bundled_db.vehicle("Soyuz MS-17").flights[0]
    assert [d.port for d in f.dockings] == ["rassvet_nadir", "poisk_zenith"]
    # undocked from Rassvet 16:38 GMT, docked at Poisk 17:12 GMT (Spaceflight Now 2021-03-19)
    assert f.dockings[0].end == datetime(2021, 3, 19, 16, 38)
    assert f.dockings[1].start == datetime(2021, 3, 19, 17, 12)
    assert "spaceflightnow.com/2021/03/19" in f.dockings[1].source
    fe = flight_exposure(f)
    # 2020-10-14 00:00 → 2021-03-19 16:38 at Rassvet, 2021-03-19 17:12 → 2021-04-17 at Poisk
    rassvet = 156 + (16 * 60 + 38) / 1440
    poisk = 29 - (17 * 60 + 12) / 1440
    assert fe.docked_days == pytest.approx(rassvet + poisk)
    assert fe.days_by_port() == pytest.approx({"rassvet_nadir": rassvet, "poisk_zenith": poisk})


def test_gap_filled_rows_carry_their_source(bundled_db: FleetDB) -> None:
    f = bundled_db.vehicle("Soyuz TMA-05M").flights[0]
    assert f.undock == datetime(2012, 11, 18)
    assert "gap filled by breachkit" in f.source and "NASASpaceflight" in f.source


@pytest.mark.parametrize(
    ("text", "port"),
    [
        ("Rassvet", "rassvet_nadir"),
        ("Poisk zenith; relocated to Nauka nadir 2021-10-22", "poisk_zenith"),
        ("Pirs nadir", "pirs_nadir"),
        ("Zvezda aft (planned)", "zvezda_aft"),
        ("", None),
    ],
)
def test_normalise_port(text: str, port: str | None) -> None:
    assert normalise_port(text) == port


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-01-11,2020-01-20,yes,,src",
         r"bad\.csv: row 2 \(Soyuz MS-99\): undock_date 2020-01-11 is before dock_date"),
        ("Soyuz MS-99,Soyuz XX,,2020-01-10,2020-01-12,Poisk,2020-03-11,2020-03-11,yes,,src",
         r"bad\.csv: row 2 \(Soyuz MS-99\): unknown vehicle family 'Soyuz XX'"),
        ("Dragon C206,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-03-11,2020-03-11,yes,,src",
         r"bad\.csv: row 2 \(Dragon C206\): unknown vehicle 'Dragon C206'"),
        ("Soyuz MS-99,Soyuz MS,,2020-13-45,,,,,yes,,src",
         r"bad\.csv: row 2 \(Soyuz MS-99\): launch_date: '2020-13-45' is not a valid date"),
        ("Soyuz MS-99,Soyuz MS,,10/01/2020,,,,,yes,,src",
         r"bad\.csv: row 2 \(Soyuz MS-99\): launch_date: '10/01/2020' is not a date"),
        ("Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-03-11,2020-03-11,maybe,,src",
         r"row 2 \(Soyuz MS-99\): crewed must be yes or no"),
    ],
)  # fmt: skip
def test_bad_rows_name_file_and_row(tmp_path: Path, row: str, message: str) -> None:
    good = "Soyuz MS-98,Soyuz MS,,2019-01-10,2019-01-12,Poisk,2019-03-11,2019-03-11,yes,,src\n"
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + good + row + "\n")
    with pytest.raises(InputError, match=message):
        read_flights_csv(p)


def test_a_bad_row_writes_nothing(tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{tmp_path / 'b.sqlite'}")
    p = tmp_path / "bad.csv"
    p.write_text(
        HEADER
        + "Soyuz MS-98,Soyuz MS,,2019-01-10,2019-01-12,Poisk,2019-03-11,2019-03-11,yes,,src\n"
        + "Soyuz MS-99,Soyuz MS,,2020-01-10,2020-01-12,Poisk,2020-01-11,2020-01-20,yes,,src\n"
    )
    with pytest.raises(InputError):
        db.import_flights(p)
    assert db.flights() == []


def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{tmp_path / 'c.sqlite'}")
    db.import_flights(bundled_path("fleet.csv"))
    good = IncidentRow(0, "k1", datetime(2020, 1, 1, tzinfo=UTC), "Soyuz MS-22", "s", "d", "",
                       "unknown", "confirmed", "src")  # fmt: skip
    bad = IncidentRow(0, "k2", datetime(2020, 1, 1, tzinfo=UTC), "Soyuz MS-99", "s", "d", "",
                      "unknown", "confirmed", "src")  # fmt: skip

    def both(session):  # type: ignore[no-untyped-def]
        db._put_incident(session, good, where="k1")
        db._put_incident(session, bad, where="k2")

    with pytest.raises(InputError, match="unknown vehicle 'Soyuz MS-99'"):
        db.write(both)
    assert db.incidents() == []


def test_unknown_vehicle_in_incidents_csv(tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{tmp_path / 'd.sqlite'}")
    p = tmp_path / "inc.csv"
    p.write_text(
        "key,time_utc,vehicle,system,description,evidence,official_finding,label,source\n"
        "x,2020-01-01T00:00:00Z,Soyuz MS-77,loop,leak,,unknown,confirmed,src\n"
    )
    with pytest.raises(InputError, match=r"inc\.csv: row 1 \(x\): unknown vehicle 'Soyuz MS-77'"):
        db.import_incidents(p)


def _writer(url: str, tag: str, n: int) -> None:
    db = FleetDB(url, busy_timeout_s=0.05, retries=200)  # short timeout: exercise the retry path
    for i in range(n):
        db.record_analysis("concurrency", {"writer": tag, "i": i}, {"ok": True})


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    open_db(url)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(url, tag, 40)) for tag in ("a", "b", "c")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    rows = open_db(url).analyses("concurrency")
    assert len(rows) == 120
    assert {(r.inputs["writer"], r.inputs["i"]) for r in rows} == {
        (t, i) for t in "abc" for i in range(40)
    }


def test_record_analysis_keeps_inputs_outputs_version(tmp_path: Path) -> None:
    import numpy as np

    from breachkit import __version__

    db = open_db(f"sqlite:///{tmp_path / 'f.sqlite'}")
    aid = db.record_analysis("attribution", {"x": np.float64(0.5)}, {"p": np.array([0.1, 0.9])})
    (a,) = db.analyses("attribution")
    assert a.id == aid and a.inputs == {"x": 0.5} and a.outputs == {"p": [0.1, 0.9]}
    assert a.breachkit_version == __version__


class _Counting:
    """An ExposureModel that counts its calls (to test the cache)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.calls = 0

    def __call__(self, flight):  # type: ignore[no-untyped-def]
        self.calls += 1
        d = flight.docked_days
        return (self.rate * d, 0.5 * self.rate * d, 2 * self.rate * d)

    def fingerprint(self) -> dict[str, float]:
        return {"rate": self.rate}


def test_exposure_cache_skips_unchanged_flights(tmp_path: Path) -> None:
    db = open_db(f"sqlite:///{tmp_path / 'g.sqlite'}", bundled=True)
    m = _Counting(1e-4)
    first = fleet_exposures(db, m)
    n = m.calls
    assert n == len(first) > 60 and not any(r.cached for r in first)
    second = fleet_exposures(db, m)
    assert m.calls == n and all(r.cached for r in second)
    assert [r.mean for r in second] == [r.mean for r in first]
    m2 = _Counting(2e-4)  # another fingerprint → recomputed
    third = fleet_exposures(db, m2)
    assert m2.calls == n
    assert third[0].mean == pytest.approx(2 * first[0].mean)


def test_rate_exposure_model_by_hand(bundled_db: FleetDB) -> None:
    f = bundled_db.vehicle("Soyuz MS-17").flights[0]
    m = RateExposureModel((1e-4, 5e-5, 2e-4), port_factors={"poisk_zenith": 0.5})
    mean, lo, hi = m(flight_exposure(f))
    # 156.693 d at Rassvet × 1 + 28.283 d at Poisk × 0.5 (relocation 16:38 → 17:12 GMT)
    eff = 156 + (16 * 60 + 38) / 1440 + 0.5 * (29 - (17 * 60 + 12) / 1440)
    assert (mean, lo, hi) == pytest.approx((eff * 1e-4, eff * 5e-5, eff * 2e-4))
    with pytest.raises(InputError, match="rate_per_day"):
        RateExposureModel((1e-4, 2e-4, 3e-4))


class _FakeWindow:
    def __init__(self, label: str, days: float, failures: float, interval: tuple[float, float]):
        self.label, self.duration_s = label, days * 86400.0
        self.expected_failures, self.interval = failures, interval


class _FakeRisk:
    """Duck-typed stand-in for breachkit.risk.RiskResult (two regions, one window)."""

    region_names = ("v/pao_radiator", "v/pao_coolant_line")
    windows = (_FakeWindow("docked", 100.0, 0.04, (0.02, 0.08)),)

    def region_failures(self, region: str, window: str | None = None) -> float:
        return {"v/pao_radiator": 0.01, "v/pao_coolant_line": 0.03}[region]


def test_rate_from_risk_result_by_hand() -> None:
    from breachkit.fleet.exposure import rate_from_risk_result

    # radiator only: 0.01 failures in 100 d = 1e-4 /d; its share 1/4 of the interval (0.02, 0.08)
    assert rate_from_risk_result(_FakeRisk(), ["v/pao_radiator"]) == pytest.approx(
        (1e-4, 0.005 / 100, 0.02 / 100)
    )
    both = rate_from_risk_result(_FakeRisk(), ["v/pao_radiator", "v/pao_coolant_line"])
    assert both == pytest.approx((4e-4, 2e-4, 8e-4))
    with pytest.raises(InputError, match="not an evaluated region"):
        rate_from_risk_result(_FakeRisk(), ["v/nope"])
