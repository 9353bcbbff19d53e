"""Solar activity by date: the F10.7 of the year before an instant, for the NASA-91 debris model.

NASA-91 (SSP 30425 Rev B) takes S, the F10.7 of the **previous** year (docs/environment.md). The
shipped table ``data/f107_annual_noaa_swpc.csv`` holds the annual mean of NOAA SWPC's monthly mean
observed F10.7 (MANIFEST.toml gives the source). A year outside the table is not extrapolated:
`f107_previous_year` raises `InputError` unless a fallback is asked for, and then says so in its
returned note.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from breachkit._core.errors import InputError

__all__ = ["F107_FILE", "F107Value", "f107_annual_table", "f107_previous_year"]

F107_FILE = "f107_annual_noaa_swpc.csv"
_SOURCE = "NOAA SWPC observed F10.7, annual mean of monthly means"


@dataclass(frozen=True)
class F107Value:
    """The F10.7 used for one date: value [sfu], the year it is the mean of, and its provenance."""

    f107_sfu: float
    year: int
    n_months: int
    note: str


@cache
def f107_annual_table() -> dict[int, tuple[float, int]]:
    """year → (annual mean F10.7 [sfu], number of months averaged) from the shipped table."""
    path = resources.files("breachkit.data").joinpath(F107_FILE)
    out: dict[int, tuple[float, int]] = {}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            out[int(row["year"])] = (float(row["f107_sfu"]), int(row["n_months"]))
    return out


def f107_previous_year(when: datetime, *, hold_last: bool = False) -> F107Value:
    """The annual F10.7 of the calendar year before `when` [sfu] (NASA-91's S).

    Parameters
    ----------
    when
        The instant (UTC).
    hold_last
        When the previous year is after the table's last year, use the last year's value (the
        note says so) instead of raising `InputError`.
    """
    table = f107_annual_table()
    year = when.year - 1
    if year in table:
        value, n = table[year]
        partial = "" if n == 12 else f" (partial year: {n} months)"
        return F107Value(value, year, n, f"{_SOURCE} {year}{partial}")
    last = max(table)
    if hold_last and year > last:
        value, n = table[last]
        return F107Value(
            value, last, n, f"{_SOURCE} {last} HELD for {year} (no later value in the table)"
        )
    raise InputError(f"F10.7: no annual value for {year} (table {min(table)}..{last}, {F107_FILE})")
