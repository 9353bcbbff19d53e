"""Reading and validating fleet CSV files (flights, incidents, ISS elements).

Every bad row raises `InputError` naming the file, the row number (1 = first data row after the
header, i.e. line ``row + 1`` of the file) and what is wrong: a bad date, an undocking before the
docking, an unknown vehicle family or vehicle.

Ports are normalised to ``<module>_<side>`` names (``rassvet_nadir``, ``poisk_zenith``,
``zvezda_aft``, ``pirs_nadir``, ``prichal_nadir``, ``nauka_nadir``); the free text is kept. A
relocation written ``"...; relocated to Nauka nadir 2021-10-22"`` starts a new docked interval.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from breachkit._core.errors import InputError

__all__ = [
    "DESIGN_SERIES",
    "PORT_DEFAULT_SIDE",
    "DockedInterval",
    "FlightRow",
    "IncidentRow",
    "VehicleRow",
    "normalise_port",
    "parse_date",
    "read_flights_csv",
    "read_incidents_csv",
    "read_vehicles_csv",
]

#: Known design series → family. A flight row whose ``family`` is not here is refused.
DESIGN_SERIES: dict[str, str] = {
    "Soyuz TMA": "Soyuz",
    "Soyuz TMA-M": "Soyuz",
    "Soyuz MS": "Soyuz",
    "Progress M": "Progress",
    "Progress MS": "Progress",
    "ISS module": "ISS",
    "ISS truss": "ISS",
    "ISS robotic arm": "ISS",
}

#: The side of each Russian-segment docking module's port when the text names only the module.
#: Sources: NASA ISS reference guide configuration (Pirs and Rassvet nadir, Poisk zenith, Prichal
#: nadir for Soyuz/Progress, Zvezda aft, Nauka nadir).
PORT_DEFAULT_SIDE: dict[str, str] = {
    "pirs": "nadir",
    "poisk": "zenith",
    "rassvet": "nadir",
    "prichal": "nadir",
    "zvezda": "aft",
    "nauka": "nadir",
}

#: How a vehicle of each series is named (a flight row whose name does not match is refused).
_NAME_PATTERN: dict[str, re.Pattern[str]] = {
    "Soyuz TMA": re.compile(r"^Soyuz TMA-\d+$"),
    "Soyuz TMA-M": re.compile(r"^Soyuz TMA-\d+M$"),
    "Soyuz MS": re.compile(r"^Soyuz MS-\d+$"),
    "Progress M": re.compile(r"^Progress M-\d+M?$"),
    "Progress MS": re.compile(r"^Progress MS-\d+$"),
}

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?$")
_RELOC_RE = re.compile(r"relocated to ([A-Za-z]+)(?: ([a-z]+))? (\d{4}-\d{2}-\d{2})")


def parse_date(text: str, *, where: str) -> datetime | None:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO 8601 UTC time → aware datetime; '' → None."""
    s = text.strip()
    if not s:
        return None
    if not _DATE_RE.match(s):
        raise InputError(f"{where}: {text!r} is not a date (YYYY-MM-DD or ISO 8601 UTC)")
    try:
        value = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a valid date") from None
    if not 1957 <= value.year <= 2200:
        raise InputError(f"{where}: {text!r} is outside the space age (years 1957–2200)")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalise_port(text: str) -> str | None:
    """The first port named in free text as ``module_side`` (``"Rassvet"`` → ``rassvet_nadir``).

    Returns None when no known module is named (e.g. an empty cell or a launch failure).
    """
    first = text.split(";")[0].lower()
    for module, side in PORT_DEFAULT_SIDE.items():
        if module in first:
            for s in ("nadir", "zenith", "aft", "forward"):
                if re.search(rf"{module}\s+{s}\b", first):
                    return f"{module}_{s}"
            return f"{module}_{side}"
    return None


@dataclass(frozen=True)
class DockedInterval:
    """One docked interval at one port [UTC]; ``end`` None when not known."""

    port: str
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class VehicleRow:
    """A vehicle named in a CSV."""

    name: str
    family: str
    design_series: str
    serial: str | None
    source: str


@dataclass(frozen=True)
class FlightRow:
    """A validated row of a flights CSV."""

    row: int
    vehicle: VehicleRow
    launch: datetime
    dock: datetime | None
    port: str | None
    port_text: str
    undock: datetime | None
    end: datetime | None
    crewed: bool
    anomaly: str
    source: str
    intervals: tuple[DockedInterval, ...] = field(default=())


@dataclass(frozen=True)
class IncidentRow:
    """A validated row of an incidents CSV."""

    row: int
    key: str
    time: datetime
    vehicle: str
    system: str
    description: str
    evidence: str
    official_finding: str
    label: str
    source: str


FLIGHT_COLUMNS = (
    "vehicle",
    "family",
    "serial",
    "launch_date",
    "dock_date",
    "dock_port",
    "undock_date",
    "end_date",
    "crewed",
    "anomaly",
    "source",
)
INCIDENT_COLUMNS = (
    "key",
    "time_utc",
    "vehicle",
    "system",
    "description",
    "evidence",
    "official_finding",
    "label",
    "source",
)
FINDINGS = ("impact", "defect", "not_impact", "unknown")
LABELS = ("confirmed", "single-source", "UNVERIFIED")


def _read(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(f"{p.name}: missing column(s) {', '.join(missing)}")
            rows = []
            for row in reader:
                if None in row:
                    raise InputError(
                        f"{p.name}: row {reader.line_num - 1}: more cells than header columns"
                    )
                rows.append({k: (v or "").strip() for k, v in row.items()})
            return rows
    except UnicodeDecodeError:
        raise InputError(f"{p.name}: not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"{p.name}: not a valid CSV file: {exc}") from None


def _intervals(
    port_text: str, dock: datetime | None, undock: datetime | None, where: str
) -> tuple[DockedInterval, ...]:
    port = normalise_port(port_text)
    if dock is None or port is None:
        return ()
    out: list[DockedInterval] = []
    start, current = dock, port
    for m in _RELOC_RE.finditer(port_text):
        module, side, day = m.group(1).lower(), m.group(2), m.group(3)
        if module not in PORT_DEFAULT_SIDE:
            raise InputError(f"{where}: dock_port: unknown module {m.group(1)!r} in relocation")
        when = parse_date(day, where=f"{where}: dock_port relocation date")
        assert when is not None
        if when < start or (undock is not None and when > undock):
            raise InputError(
                f"{where}: dock_port: relocation on {day} is outside the docked period"
            )
        out.append(DockedInterval(current, start, when))
        start, current = when, f"{module}_{side or PORT_DEFAULT_SIDE[module]}"
    out.append(DockedInterval(current, start, undock))
    return tuple(out)


def read_flights_csv(path: str | Path) -> list[FlightRow]:
    """Read and validate a flights CSV (the columns of the bundled ``fleet.csv``)."""
    p = Path(path)
    rows = _read(p, FLIGHT_COLUMNS)
    out: list[FlightRow] = []
    for i, r in enumerate(rows, start=1):
        where = f"{p.name}: row {i} ({r['vehicle'] or 'no vehicle'})"
        if not r["vehicle"]:
            raise InputError(f"{where}: vehicle is empty")
        series = r["family"]
        if series not in DESIGN_SERIES:
            raise InputError(
                f"{where}: unknown vehicle family {series!r} (known: {', '.join(DESIGN_SERIES)})"
            )
        if series in _NAME_PATTERN and not _NAME_PATTERN[series].match(r["vehicle"]):
            raise InputError(f"{where}: unknown vehicle {r['vehicle']!r} for family {series!r}")
        launch = parse_date(r["launch_date"], where=f"{where}: launch_date")
        if launch is None:
            raise InputError(f"{where}: launch_date is empty")
        dock = parse_date(r["dock_date"], where=f"{where}: dock_date")
        undock = parse_date(r["undock_date"], where=f"{where}: undock_date")
        end = parse_date(r["end_date"], where=f"{where}: end_date")
        if dock is not None and dock.date() < launch.date():
            raise InputError(f"{where}: dock_date {r['dock_date']} is before launch_date")
        if undock is not None and dock is None:
            raise InputError(f"{where}: undock_date given without a dock_date")
        if undock is not None and dock is not None and undock < dock:
            raise InputError(
                f"{where}: undock_date {r['undock_date']} is before dock_date {r['dock_date']}"
            )
        last = undock or dock or launch
        if end is not None and end.date() < last.date():
            raise InputError(f"{where}: end_date {r['end_date']} is before the previous event")
        crewed_text = r["crewed"].lower()
        if crewed_text not in ("yes", "no", "true", "false", "1", "0"):
            raise InputError(f"{where}: crewed must be yes or no, not {r['crewed']!r}")
        vehicle = VehicleRow(
            name=r["vehicle"],
            family=DESIGN_SERIES[series],
            design_series=series,
            serial=r["serial"] or None,
            source=r["source"],
        )
        out.append(
            FlightRow(
                row=i,
                vehicle=vehicle,
                launch=launch,
                dock=dock,
                port=normalise_port(r["dock_port"]) if dock is not None else None,
                port_text=r["dock_port"],
                undock=undock,
                end=end,
                crewed=crewed_text in ("yes", "true", "1"),
                anomaly=r["anomaly"],
                source=r["source"],
                intervals=_intervals(r["dock_port"], dock, undock, where),
            )
        )
    return out


def read_vehicles_csv(path: str | Path) -> list[VehicleRow]:
    """Read a vehicles CSV (``name,design_series,serial,source``) such as ``iss_elements.csv``."""
    p = Path(path)
    rows = _read(p, ("name", "design_series", "serial", "source"))
    out = []
    for i, r in enumerate(rows, start=1):
        where = f"{p.name}: row {i}"
        if r["design_series"] not in DESIGN_SERIES:
            raise InputError(f"{where}: unknown design series {r['design_series']!r}")
        if not r["name"]:
            raise InputError(f"{where}: name is empty")
        out.append(
            VehicleRow(
                r["name"],
                DESIGN_SERIES[r["design_series"]],
                r["design_series"],
                r["serial"] or None,
                r["source"],
            )
        )
    return out


def read_incidents_csv(path: str | Path) -> list[IncidentRow]:
    """Read and validate an incidents CSV (the columns of the bundled ``incidents.csv``)."""
    p = Path(path)
    rows = _read(p, INCIDENT_COLUMNS)
    out = []
    for i, r in enumerate(rows, start=1):
        where = f"{p.name}: row {i} ({r['key'] or 'no key'})"
        for col in ("key", "vehicle", "system", "description", "source"):
            if not r[col]:
                raise InputError(f"{where}: {col} is empty")
        t = parse_date(r["time_utc"], where=f"{where}: time_utc")
        if t is None:
            raise InputError(f"{where}: time_utc is empty")
        if r["official_finding"] not in FINDINGS:
            raise InputError(
                f"{where}: official_finding must be one of {', '.join(FINDINGS)}, "
                f"not {r['official_finding']!r}"
            )
        if r["label"] not in LABELS:
            raise InputError(f"{where}: label must be one of {', '.join(LABELS)}")
        out.append(
            IncidentRow(
                i,
                r["key"],
                t,
                r["vehicle"],
                r["system"],
                r["description"],
                r["evidence"],
                r["official_finding"],
                r["label"],
                r["source"],
            )
        )
    return out
