"""Time: every instant in breachkit is UTC.

Public functions accept ISO 8601 strings (``2022-12-15T00:45:00Z``), timezone-aware `datetime`
objects, or `numpy.datetime64` values, and return timezone-aware UTC `datetime` or
``datetime64[ns]`` arrays. A naive datetime is taken as UTC; a string with an offset is converted.
Leap seconds are ignored (they are far below the resolution of any model here).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError

__all__ = ["J2000", "decimal_year", "julian_centuries_tt", "julian_date", "parse_utc", "to_utc"]

J2000 = datetime(2000, 1, 1, 12, 0, 0, tzinfo=UTC)


def parse_utc(text: str, *, field: str = "time") -> datetime:
    """Parse an ISO 8601 string into an aware UTC datetime; `InputError` naming `field` if bad."""
    s = text.strip()
    if s.endswith(("Z", "z")):
        s = s[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(s)
    except ValueError:
        raise InputError(f"{field}: cannot parse {text!r} as an ISO 8601 UTC time") from None
    return to_utc(value)


def to_utc(value: Any) -> datetime:
    """Convert a datetime, ISO string or numpy.datetime64 to an aware UTC datetime."""
    if isinstance(value, str):
        return parse_utc(value)
    if isinstance(value, np.datetime64):
        ns = int(value.astype("datetime64[ns]").astype(np.int64))
        return datetime.fromtimestamp(ns / 1e9, tz=UTC)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    raise InputError(f"cannot interpret {value!r} as a UTC time")


def _as_datetime64(t: Any) -> NDArray[np.datetime64]:
    if isinstance(t, datetime | str):
        t = to_utc(t).replace(tzinfo=None)
        return np.asarray(np.datetime64(t, "ns"))
    arr = np.asarray(t)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ns]")
    if arr.dtype == object:
        return np.asarray(
            [np.datetime64(to_utc(x).replace(tzinfo=None), "ns") for x in arr.ravel()]
        ).reshape(arr.shape)
    raise InputError(f"cannot interpret values of dtype {arr.dtype} as UTC times")


def julian_date(t: Any) -> NDArray[np.float64] | float:
    """Julian date (UTC used as TT; the 69 s difference is below every model's resolution) [d]."""
    t64 = _as_datetime64(t)
    j2000 = np.datetime64("2000-01-01T12:00:00", "ns")
    days = (t64 - j2000).astype("timedelta64[ns]").astype(np.float64) / 86400e9
    jd = 2451545.0 + days
    return float(jd) if np.ndim(jd) == 0 else jd


def julian_centuries_tt(t: Any) -> NDArray[np.float64] | float:
    """Julian centuries since J2000.0 [-]."""
    jd = np.asarray(julian_date(t))
    out = (jd - 2451545.0) / 36525.0
    return float(out) if out.ndim == 0 else out


def decimal_year(t: Any) -> NDArray[np.float64] | float:
    """Calendar year with fraction, e.g. 2022.953 for 2022-12-15 [a]."""
    t64 = _as_datetime64(t)
    years = t64.astype("datetime64[Y]")
    start = years.astype("datetime64[ns]")
    end = (years + 1).astype("datetime64[ns]")
    frac = (t64 - start).astype(np.float64) / (end - start).astype(np.float64)
    out = years.astype(np.int64) + 1970 + frac
    return float(out) if np.ndim(out) == 0 else out
