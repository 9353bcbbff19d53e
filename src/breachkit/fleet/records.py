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
    "DATE_QUALITIES",
    "DESIGN_SERIES",
    "PORT_DEFAULT_SIDE",
    "DockedInterval",
    "FlightRow",
    "IncidentRow",
    "VehicleRow",
    "normalise_port",
    "parse_date",
    "parse_status",
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
_AS_OF_RE = re.compile(r"^docked as of (\d{4}-\d{2}-\d{2})\b")
#: Allowed first words of a ``date_quality`` cell.
DATE_QUALITIES = ("exact", "day", "approximate", "conflict", "unverified")
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
    found = [(first.find(m), m) for m in PORT_DEFAULT_SIDE if m in first]
    if not found:
        return None
    module = min(found)[1]  # the module named first ("Zvezda aft (first attempt at Poisk...)")
    for s in ("nadir", "zenith", "aft", "forward"):
        if re.search(rf"{module}\s+{s}\b", first):
            return f"{module}_{s}"
    return f"{module}_{PORT_DEFAULT_SIDE[module]}"


@dataclass(frozen=True)
class DockedInterval:
    """One docked interval at one port [UTC]; ``end`` None when not known."""

    port: str
    start: datetime
    end: datetime | None
    source: str = ""
    date_quality: str = ""


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
    status: str = "undocked"  # undocked | docked (as of `as_of`) | not_docked
    as_of: datetime | None = None  # the record covers a still-docked flight up to this date
    rows: tuple[int, ...] = ()  # the CSV rows (one per docking) of this flight


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
    """Legacy relocation syntax: ``"Poisk zenith; relocated to Nauka nadir 2021-10-22"`` in one
    row's ``dock_port`` cell (the bundled record gives each docking its own row instead)."""
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


def parse_status(text: str, *, where: str) -> tuple[str, datetime | None]:
    """A ``status`` cell → (kind, as-of date). Kinds: ``undocked`` (the default when empty),
    ``relocated`` (a docking followed by another at a different port), ``docked as of
    YYYY-MM-DD`` (no undocking yet: the record covers the flight up to that date), ``not docked:
    <why>`` (launch failure, launch abort, lost before docking)."""
    s = text.strip()
    low = s.lower()
    if not s or low == "undocked":
        return "undocked", None
    if low == "relocated":
        return "relocated", None
    m = _AS_OF_RE.match(low)
    if m:
        return "docked", parse_date(m.group(1), where=f"{where}: status")
    if low.startswith("not docked"):
        return "not_docked", None
    raise InputError(
        f"{where}: status {text!r}: give 'undocked', 'relocated', 'docked as of YYYY-MM-DD' or "
        "'not docked: <reason>'"
    )


def _check_quality(text: str, where: str) -> str:
    s = text.strip()
    if s and s.split(":")[0].split()[0].lower() not in DATE_QUALITIES:
        raise InputError(
            f"{where}: date_quality {text!r} must start with one of {', '.join(DATE_QUALITIES)}"
        )
    return s


@dataclass(frozen=True)
class _Docking:
    """One validated CSV row (one docking, or a flight that never docked)."""

    row: int
    where: str
    vehicle: VehicleRow
    launch: datetime
    dock: datetime | None
    port_text: str
    undock: datetime | None
    end: datetime | None
    crewed: bool
    status: str
    as_of: datetime | None
    quality: str
    anomaly: str
    source: str


def _parse_row(r: dict[str, str], i: int, fname: str) -> _Docking:
    where = f"{fname}: row {i} ({r['vehicle'] or 'no vehicle'})"
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
    status, as_of = parse_status(r.get("status", ""), where=where)
    if dock is not None and dock.date() < launch.date():
        raise InputError(f"{where}: dock_date {r['dock_date']} is before launch_date")
    if undock is not None and dock is None:
        raise InputError(f"{where}: undock_date given without a dock_date")
    if undock is not None and dock is not None and undock < dock:
        raise InputError(
            f"{where}: undock_date {r['undock_date']} is before dock_date {r['dock_date']}"
        )
    if dock is not None and undock is None and status != "docked":
        raise InputError(
            f"{where}: undock_date is empty: give it, or say why in status "
            "('docked as of YYYY-MM-DD')"
        )
    if dock is None and status != "not_docked":
        raise InputError(
            f"{where}: dock_date is empty: give it, or say why in status "
            "('not docked: <reason>', e.g. launch failure)"
        )
    if as_of is not None and dock is not None and as_of < dock:
        raise InputError(f"{where}: status: 'docked as of' date is before dock_date")
    last = undock or dock or launch
    if end is not None and end.date() < last.date():
        raise InputError(f"{where}: end_date {r['end_date']} is before the previous event")
    crewed_text = r["crewed"].lower()
    if crewed_text not in ("yes", "no", "true", "false", "1", "0"):
        raise InputError(f"{where}: crewed must be yes or no, not {r['crewed']!r}")
    vehicle = VehicleRow(r["vehicle"], DESIGN_SERIES[series], series, r["serial"] or None,
                         r["source"])  # fmt: skip
    return _Docking(
        i, where, vehicle, launch, dock, r["dock_port"], undock, end,
        crewed_text in ("yes", "true", "1"), status, as_of,
        _check_quality(r.get("date_quality", ""), where), r["anomaly"], r["source"],
    )  # fmt: skip


def _merge(parts: list[_Docking]) -> FlightRow:
    """The rows of one flight (same vehicle and launch) → a `FlightRow` with one docked interval
    per row; a later docking must start at or after the previous one's undocking."""
    first, last = parts[0], parts[-1]
    intervals: list[DockedInterval] = []
    for k, p in enumerate(parts):
        if p.vehicle.design_series != first.vehicle.design_series:
            raise InputError(f"{p.where}: family differs from row {first.row} of this flight")
        if k > 0:
            prev = parts[k - 1]
            if p.dock is None or prev.undock is None:
                raise InputError(
                    f"{p.where}: a later docking of this flight needs its own dock_date and the "
                    f"previous row ({prev.row}) an undock_date"
                )
            if p.dock < prev.undock:
                raise InputError(
                    f"{p.where}: dock_date is before the undocking of row {prev.row} of this flight"
                )
        if k < len(parts) - 1 and p.status not in ("relocated", "undocked"):
            raise InputError(f"{p.where}: status {p.status!r} on a docking followed by another")
        ivs = _intervals(p.port_text, p.dock, p.undock, p.where)
        if p.dock is not None and not ivs:
            raise InputError(f"{p.where}: dock_port {p.port_text!r} names no known port")
        intervals.extend(
            DockedInterval(iv.port, iv.start, iv.end, source=p.source, date_quality=p.quality)
            for iv in ivs
        )
    sources = list(dict.fromkeys(p.source for p in parts if p.source))
    return FlightRow(
        row=first.row,
        vehicle=first.vehicle,
        launch=first.launch,
        dock=first.dock,
        port=intervals[0].port if intervals else None,
        port_text="; ".join(p.port_text for p in parts if p.port_text),
        undock=last.undock,
        end=next((p.end for p in parts if p.end is not None), None),
        crewed=first.crewed,
        anomaly=next((p.anomaly for p in parts if p.anomaly), ""),
        source=" | ".join(sources),
        intervals=tuple(intervals),
        status=last.status,
        as_of=last.as_of,
        rows=tuple(p.row for p in parts),
    )


def read_flights_csv(path: str | Path) -> list[FlightRow]:
    """Read and validate a flights CSV (the columns of the bundled ``fleet.csv``).

    One row per docking: rows with the same vehicle and launch date are one flight, each row a
    docked interval at its port (a relocation is a second row). Optional columns ``status``
    (why a row has no undocking or no docking, see `parse_status`) and ``date_quality``
    (``exact``, ``day``, ``approximate``, ``conflict: ...``, ``unverified: ...``).
    """
    p = Path(path)
    rows = _read(p, FLIGHT_COLUMNS)
    groups: dict[tuple[str, str], list[_Docking]] = {}
    for i, r in enumerate(rows, start=1):
        d = _parse_row(r, i, p.name)
        groups.setdefault((d.vehicle.name, d.launch.date().isoformat()), []).append(d)
    out = []
    for parts in groups.values():
        parts.sort(key=lambda d: (d.dock is None, d.dock or d.launch))
        out.append(_merge(parts))
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
