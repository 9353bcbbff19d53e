"""The per-docking table the joint leak model reads, and the leaks of one part in the fleet record.

Table columns (the shared interface of the per-flight fleet risk, BRIEF): ``flight``, ``family``,
``port``, ``dock_utc``, ``undock_utc``, ``docked_days`` [d], ``region``, ``n_pen_mean``,
``n_pen_lo``, ``n_pen_hi`` (expected penetrations of the region over the docking, 90 % interval),
``n_imp_mean``. The risk engine's per-flight table (its port, its dates, the environment of those
dates) plugs in unchanged; until it is available `approximate_flight_table` builds one from a
single rate per docked day [d⁻¹] times each docking's days — the same port's rate for every
flight, an APPROXIMATION that the table carries in ``attrs["approximation"]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from breachkit._core.errors import InputError
from breachkit.fleet.db import FleetDB, aware_utc
from breachkit.fleet.exposure import flight_exposure

__all__ = [
    "FLIGHT_TABLE_COLUMNS",
    "PartLeak",
    "approximate_flight_table",
    "check_flight_table",
    "part_leaks",
    "record_as_of",
]

FLIGHT_TABLE_COLUMNS = ("flight", "family", "port", "dock_utc", "undock_utc", "docked_days",
                        "region", "n_pen_mean", "n_pen_lo", "n_pen_hi")  # fmt: skip


def record_as_of(db: FleetDB) -> datetime:
    """The last date the fleet record certifies: its latest recorded undocking or flight end."""
    latest: datetime | None = None
    for f in db.flights():
        for t in (f.undock, f.end, *(d.end for d in f.dockings)):
            t = aware_utc(t)
            if t is not None and (latest is None or t > latest):
                latest = t
    if latest is None:
        raise InputError("fleet record: no undocking date anywhere")
    return latest


def approximate_flight_table(
    db: FleetDB,
    rate_per_day: tuple[float, float, float],
    *,
    series: Sequence[str],
    region: str,
    since: datetime | None = None,
    until: datetime | None = None,
    rate_source: str = "",
) -> Any:
    """One row per docked flight of `series`: expected penetrations = rate [d⁻¹] × docked days.

    APPROXIMATION (labelled in ``attrs``): one port's rate for every flight, whatever its port,
    dates and environment. Returns a pandas DataFrame with `FLIGHT_TABLE_COLUMNS`.
    """
    import pandas as pd

    m, lo, hi = (float(x) for x in rate_per_day)
    if not (0 <= lo <= m <= hi):
        raise InputError(f"rate_per_day: need 0 <= lo <= mean <= hi, got {rate_per_day}")
    rows = []
    incomplete = []
    for f in db.flights():
        if f.vehicle.design_series not in series:
            continue
        fe = flight_exposure(f, since=since, until=until)
        if not fe.complete:
            incomplete.append(fe.vehicle)
        if fe.docked_days <= 0:
            continue
        d = fe.docked_days
        rows.append({
            "flight": fe.vehicle, "family": f.vehicle.design_series,
            "port": "+".join(sorted(fe.days_by_port())),
            "dock_utc": fe.intervals[0][1].isoformat(), "undock_utc": fe.intervals[-1][2].isoformat(),
            "docked_days": d, "region": region, "n_pen_mean": m * d, "n_pen_lo": lo * d,
            "n_pen_hi": hi * d, "n_imp_mean": float("nan"),
            "launch_utc": fe.launch.isoformat(),
        })  # fmt: skip
    if not rows:
        raise InputError(f"fleet record: no docked flight of {list(series)}")
    df = pd.DataFrame(rows).sort_values("launch_utc", kind="stable").reset_index(drop=True)
    df.attrs["approximation"] = (
        f"APPROXIMATION: every flight's penetrations = one rate {m:.3g} d⁻¹ ({lo:.3g}–{hi:.3g}) × "
        f"its docked days ({rate_source or 'rate of the case'}); not the risk engine per flight"
    )
    df.attrs["incomplete"] = incomplete
    return df


def check_flight_table(df: Any) -> None:
    """Raise `InputError` (one line) unless `df` has the per-flight columns with valid values."""
    missing = [c for c in ("flight", "docked_days", "n_pen_mean") if c not in df.columns]
    if missing:
        raise InputError(f"per-flight table: missing column {missing[0]!r}")
    for i, row in df.iterrows():
        if not (row["docked_days"] > 0) or not (row["n_pen_mean"] >= 0):
            raise InputError(
                f"per-flight table row {i} ({row['flight']}): need docked_days > 0 and "
                "n_pen_mean >= 0"
            )


def _part_terms(system: str) -> list[str]:
    """Default words naming a part: the parenthesised name in a system string, else all of it
    ("external thermal-control loop (PAO radiator)" → ["PAO radiator"])."""
    m = re.search(r"\(([^)]+)\)", system)
    return [m.group(1).strip()] if m else [system.strip()]


@dataclass(frozen=True)
class PartLeak:
    """A leak of the part from the fleet record: incident key, vehicle, time, finding."""

    key: str
    vehicle: str
    time: datetime
    system: str
    official_finding: str

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "vehicle": self.vehicle, "time_utc": self.time.isoformat(),
                "system": self.system, "official_finding": self.official_finding}  # fmt: skip


def part_leaks(
    db: FleetDB, *, system: str, keywords: Sequence[str] | None = None
) -> tuple[list[PartLeak], list[str]]:
    """The fleet record's incidents of one part (case-insensitive match of any keyword in the
    incident's system; default keywords from `system`). Returns the leaks and the keywords."""
    kws = list(keywords) if keywords else _part_terms(system)
    low = [k.lower() for k in kws]
    out = []
    for inc in db.incidents():
        if any(k in inc.system.lower() for k in low):
            t = aware_utc(inc.time)
            assert t is not None
            out.append(PartLeak(inc.key, inc.vehicle.name, t, inc.system, inc.official_finding))
    out.sort(key=lambda x: x.time)
    return out, kws
