"""The fleet database: open (and migrate) it, import flights and incidents, query, record analyses.

* Default location: ``fleet.sqlite`` in the user data directory (`platformdirs.user_data_dir`);
  any SQLAlchemy URL (``postgresql+psycopg://...``) by argument.
* The schema is created and upgraded by the Alembic migrations shipped in
  ``breachkit/fleet/migrations``, run programmatically on open.
* Every write runs in one transaction (`FleetDB.write`). On SQLite the connection uses WAL
  journaling, a busy timeout and ``BEGIN IMMEDIATE`` for each transaction, and a write that still
  meets ``database is locked`` is retried with back-off, so two processes writing at once lose
  nothing. A failed write rolls back completely.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from breachkit import __version__
from breachkit._core.errors import InputError
from breachkit._core.jsonable import jsonable
from breachkit.fleet.models import Analysis, Docking, Flight, Incident, Vehicle
from breachkit.fleet.records import (
    FlightRow,
    IncidentRow,
    VehicleRow,
    read_flights_csv,
    read_incidents_csv,
    read_vehicles_csv,
)

__all__ = [
    "FleetDB",
    "ImportSummary",
    "bundled_path",
    "default_url",
    "naive_utc",
    "open_db",
]

T = TypeVar("T")


def default_url() -> str:
    """``sqlite:///<user data dir>/fleet.sqlite`` (the folder is created when the DB is opened)."""
    import platformdirs

    return f"sqlite:///{Path(platformdirs.user_data_dir('breachkit')) / 'fleet.sqlite'}"


def bundled_path(name: str) -> Path:
    """Path of a bundled data file in ``breachkit/data`` (``fleet.csv``, ``incidents.csv``...)."""
    return Path(str(resources.files("breachkit") / "data" / name))


def naive_utc(t: datetime | None) -> datetime | None:
    """Aware datetime → naive UTC (how the database stores instants)."""
    if t is None:
        return None
    if t.tzinfo is None:
        return t
    return t.astimezone(UTC).replace(tzinfo=None)


def aware_utc(t: datetime | None) -> datetime | None:
    """Naive UTC from the database → aware UTC datetime."""
    if t is None:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: rows read, vehicles and flights added or updated."""

    file: str
    rows: int
    vehicles_added: int
    flights_added: int
    flights_updated: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return "locked" in text or "busy" in text


class FleetDB:
    """A fleet database (open with `open_db`).

    Parameters
    ----------
    url
        SQLAlchemy URL; None → `default_url`.
    busy_timeout_s
        How long SQLite waits for a lock before reporting it [s].
    retries
        How many times a write that still meets a lock is retried (with jittered back-off).
    """

    def __init__(self, url: str | None = None, *, busy_timeout_s: float = 30.0, retries: int = 8):
        self.url = url or default_url()
        self.retries = retries
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = self.url.split("///", 1)[1] if "///" in self.url else ""
            if path and path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"timeout": busy_timeout_s, "isolation_level": None}
            )
            ms = int(busy_timeout_s * 1000)

            @event.listens_for(self.engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout = {ms}")
                if path and path != ":memory:":
                    cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA foreign_keys = ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _on_begin(conn: Any) -> None:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        else:
            self.engine = create_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- schema -------------------------------------------------------------------------------
    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to `revision` with the shipped Alembic migrations."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option(
            "script_location", str(resources.files("breachkit.fleet") / "migrations")
        )

        def run() -> None:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)

        self._retry(run)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None when never migrated)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- transactions -------------------------------------------------------------------------
    def _retry(self, fn: Callable[[], T]) -> T:
        delay = 0.02
        for attempt in range(self.retries + 1):
            try:
                return fn()
            except OperationalError as exc:
                if not (self.is_sqlite and _is_locked(exc)) or attempt == self.retries:
                    raise
                time.sleep(delay * (1.0 + random.random()))
                delay = min(delay * 2.0, 1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    def write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn(session)` in one transaction (commit on success, roll back on any error).

        Retried from the start when SQLite reports a lock, so `fn` must not have side effects
        outside the session.
        """

        def run() -> T:
            with self._sessions() as session, session.begin():
                return fn(session)

        return self._retry(run)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries (no commit)."""
        with self._sessions() as session:
            yield session

    # -- imports ------------------------------------------------------------------------------
    @staticmethod
    def _vehicle(session: Session, v: VehicleRow) -> tuple[Vehicle, bool]:
        found = session.scalar(select(Vehicle).where(Vehicle.name == v.name))
        if found is not None:
            if v.serial and not found.serial:
                found.serial = v.serial
            return found, False
        obj = Vehicle(
            name=v.name,
            family=v.family,
            design_series=v.design_series,
            serial=v.serial,
            source=v.source,
        )
        session.add(obj)
        session.flush()
        return obj, True

    def import_flights(self, path: str | Path) -> ImportSummary:
        """Validate a flights CSV completely, then add or update its vehicles and flights.

        A flight is identified by its vehicle and launch date; importing the same file twice
        changes nothing. Nothing is written when any row is bad (`InputError`).
        """
        rows = read_flights_csv(path)

        def apply(session: Session) -> ImportSummary:
            added_v = added_f = updated_f = 0
            for r in rows:
                veh, new = self._vehicle(session, r.vehicle)
                added_v += new
                flight = session.scalar(
                    select(Flight).where(
                        Flight.vehicle_id == veh.id, Flight.launch == naive_utc(r.launch)
                    )
                )
                if flight is None:
                    flight = Flight(vehicle=veh, launch=naive_utc(r.launch))
                    session.add(flight)
                    added_f += 1
                else:
                    updated_f += 1
                self._fill_flight(flight, r)
            return ImportSummary(str(path), len(rows), added_v, added_f, updated_f)

        return self.write(apply)

    @staticmethod
    def _fill_flight(flight: Flight, r: FlightRow) -> None:
        flight.dock = naive_utc(r.dock)
        flight.port = r.port
        flight.port_text = r.port_text
        flight.undock = naive_utc(r.undock)
        flight.end = naive_utc(r.end)
        flight.crewed = r.crewed
        flight.anomaly = r.anomaly
        flight.source = r.source
        flight.status = r.status
        flight.as_of = naive_utc(r.as_of)
        flight.dockings.clear()
        for iv in r.intervals:
            flight.dockings.append(
                Docking(
                    port=iv.port,
                    start=naive_utc(iv.start),
                    end=naive_utc(iv.end),
                    source=iv.source,
                    date_quality=iv.date_quality,
                )
            )

    def import_vehicles(self, path: str | Path) -> int:
        """Add the vehicles of a vehicles CSV (``name,design_series,serial,source``)."""
        rows = read_vehicles_csv(path)
        return self.write(lambda s: sum(self._vehicle(s, v)[1] for v in rows))

    def import_incidents(self, path: str | Path) -> int:
        """Add or update the incidents of an incidents CSV; every vehicle must already exist."""
        rows = read_incidents_csv(path)
        name = Path(path).name

        def apply(session: Session) -> int:
            n = 0
            for r in rows:
                self._put_incident(session, r, where=f"{name}: row {r.row} ({r.key})")
                n += 1
            return n

        return self.write(apply)

    @staticmethod
    def _put_incident(session: Session, r: IncidentRow, *, where: str) -> Incident:
        veh = session.scalar(select(Vehicle).where(Vehicle.name == r.vehicle))
        if veh is None:
            raise InputError(f"{where}: unknown vehicle {r.vehicle!r} (import its flights first)")
        inc = session.scalar(select(Incident).where(Incident.key == r.key))
        if inc is None:
            inc = Incident(key=r.key)
            session.add(inc)
        inc.time = naive_utc(r.time)  # type: ignore[assignment]
        inc.vehicle = veh
        inc.system = r.system
        inc.description = r.description
        inc.evidence = r.evidence
        inc.official_finding = r.official_finding
        inc.label = r.label
        inc.source = r.source
        return inc

    def add_incident(self, r: IncidentRow) -> None:
        """Add (or update, by key) one incident; `InputError` if its vehicle is unknown."""
        self.write(lambda s: self._put_incident(s, r, where=f"incident {r.key!r}"))

    def load_bundled(self) -> None:
        """Import the bundled fleet history, ISS elements and incidents (idempotent)."""
        self.import_flights(bundled_path("fleet.csv"))
        self.import_vehicles(bundled_path("iss_elements.csv"))
        self.import_incidents(bundled_path("incidents.csv"))

    # -- queries ------------------------------------------------------------------------------
    def vehicles(self) -> list[Vehicle]:
        with self.read() as s:
            return list(s.scalars(select(Vehicle).order_by(Vehicle.design_series, Vehicle.name)))

    def vehicle(self, name: str) -> Vehicle:
        """The vehicle with its flights (and their dockings) and incidents; `InputError` if
        unknown."""
        with self.read() as s:
            v = s.scalar(
                select(Vehicle)
                .where(Vehicle.name == name)
                .options(
                    selectinload(Vehicle.flights).selectinload(Flight.dockings),
                    selectinload(Vehicle.flights).selectinload(Flight.vehicle),
                    selectinload(Vehicle.incidents),
                )
            )
            if v is None:
                raise InputError(f"vehicle {name!r} is not in the fleet database")
            return v

    def flights(self) -> list[Flight]:
        """Every flight with its vehicle and docked intervals, in launch order."""
        with self.read() as s:
            return list(
                s.scalars(
                    select(Flight)
                    .options(selectinload(Flight.vehicle), selectinload(Flight.dockings))
                    .order_by(Flight.launch)
                )
            )

    def incidents(self) -> list[Incident]:
        with self.read() as s:
            return list(
                s.scalars(
                    select(Incident).options(selectinload(Incident.vehicle)).order_by(Incident.time)
                )
            )

    # -- analyses -----------------------------------------------------------------------------
    def record_analysis(self, kind: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> int:
        """Store one analysis (inputs, outputs, breachkit version); returns its id."""
        ins, outs = jsonable(inputs), jsonable(outputs)

        def apply(s: Session) -> int:
            a = Analysis(
                kind=kind,
                created=naive_utc(datetime.now(UTC)),
                inputs=ins,
                outputs=outs,
                breachkit_version=__version__,
            )
            s.add(a)
            s.flush()
            return a.id

        return self.write(apply)

    def analyses(self, kind: str | None = None) -> list[Analysis]:
        with self.read() as s:
            q = select(Analysis).order_by(Analysis.id)
            if kind is not None:
                q = q.where(Analysis.kind == kind)
            return list(s.scalars(q))

    @staticmethod
    def hash_inputs(value: Any) -> str:
        """sha256 of the canonical JSON of `value` (the key of cached results)."""
        text = json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def open_db(url: str | None = None, *, bundled: bool = False, **kwargs: Any) -> FleetDB:
    """Open (creating and migrating as needed) a fleet database.

    Parameters
    ----------
    url
        SQLAlchemy URL; None → ``fleet.sqlite`` in the user data directory.
    bundled
        Also import the bundled fleet history and incidents (idempotent).
    """
    db = FleetDB(url, **kwargs)
    db.migrate()
    if bundled:
        db.load_bundled()
    return db
