"""Physical plausibility of case-file values: a number no spacecraft case can hold is an error.

`check_plausible` walks one section's raw TOML values before its pydantic model sees them and
raises `InputError` naming the file, section and field for the first value outside any
spacecraft's range. The rules go by the SI-suffixed field names of the case format (house rule
2: ``_deg``, ``_km_s``, ``_kg_m3`` …), so every section of every part is covered without each
model repeating them. The limits are generous envelopes, not design limits: they catch typos,
unit slips and hostile input (``n_directions = 1.2e19``, ``pitch_deg = 1e30``, a negative
absolute pressure), never a real case.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Any

from breachkit._core.errors import InputError

__all__ = ["check_plausible", "plausibility_problem"]

#: Largest integer accepted for a count or index (2⁵³: exact in a float, far above any mesh).
MAX_EXACT_INT = 2**53
YEAR_RANGE = (1900, 2200)
#: Largest magnitude of any other number in a case file (SI units: nothing in a case is bigger).
MAX_PLAIN_FLOAT = 1e15

_Rule = tuple[Callable[[str], bool], float, float, str]

# (matches key, low, high, what) — low/high inclusive; the first matching rule applies
_RULES: tuple[_Rule, ...] = (
    (lambda k: k == "seed" or k.endswith("_seed"), 0, 2**63 - 1, "a random seed"),
    (
        lambda k: k.startswith("p_") or k.endswith(("_probability", "_fraction")),
        0.0,
        1.0,
        "a probability or fraction",
    ),
    (lambda k: k == "altitude_km", 100.0, 100_000.0, "an orbit altitude [km]"),
    (lambda k: k in ("altitude_m", "alt_m"), 1e5, 1e8, "an orbit altitude [m]"),
    (lambda k: k == "inclination_deg", 0.0, 180.0, "an inclination [deg]"),
    (lambda k: k.endswith("_deg"), -720.0, 720.0, "an angle [deg]"),
    (lambda k: k.endswith("_km_s"), 0.0, 300.0, "a speed [km/s]"),
    (lambda k: k.endswith("_m_s"), 0.0, 3e5, "a speed [m/s]"),
    (lambda k: k.endswith("kg_m3"), 1e-6, 25_000.0, "a density [kg/m³]"),
    (lambda k: k.endswith("thickness_m"), 0.0, 10.0, "a wall thickness [m]"),
    (lambda k: k.endswith("thickness_mm"), 0.0, 10_000.0, "a wall thickness [mm]"),
    (lambda k: k.endswith("_mm"), 0.0, 1e5, "a length [mm]"),
    (lambda k: k.endswith("_pa") or "pressure" in k, 0.0, 1e9, "an absolute pressure [Pa]"),
    (lambda k: k.endswith("_k") or k.endswith("temperature_k"), 1e-3, 1e4, "a temperature [K]"),
    (lambda k: k.endswith("_c"), -273.15, 1e4, "a temperature [°C]"),
    (lambda k: k.endswith("_m3"), 0.0, 1e6, "a volume [m³]"),
    (lambda k: k.endswith(("_days", "_d")), -1e5, 1e5, "a duration [d]"),
    (lambda k: k.endswith(("_s", "_seconds")), -1e10, 1e10, "a time [s]"),
    (lambda k: k.endswith("_per_day"), 0.0, 1e6, "a rate [d⁻¹]"),
    (lambda k: k in ("shower_times", "shower_positions", "shower_raan"), 1, 10_000, "a count"),
    (lambda k: k == "n_directions", 6, 1_000_000, "a number of directions"),
    (lambda k: k == "n_cos_bins", 2, 100_000, "a number of table nodes"),
    (lambda k: k == "min_faces", 0, 20_000_000, "a number of faces"),
    (lambda k: k == "mc_samples", 0, 1_000_000_000, "a number of samples"),
    (lambda k: k.startswith("n_") or k.endswith("_count"), 0, 1_000_000_000, "a count"),
)

_YEAR = re.compile(r"^\s*([+-]?\d{4,})-")


def _date_problem(key: str, value: Any) -> str | None:
    year: int | None = None
    if isinstance(value, _dt.datetime | _dt.date):
        year = value.year
    elif isinstance(value, str) and (key.endswith(("_utc", "date", "_time")) or key == "time"):
        m = _YEAR.match(value)
        if m is not None:
            year = int(m.group(1))
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return (
            f"{value!s} is not a plausible date for a spacecraft case "
            f"(years {YEAR_RANGE[0]}–{YEAR_RANGE[1]})"
        )
    return None


def _number_problem(key: str, value: float | int, generic_only: bool = False) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a finite number"
    k = key.lower()
    for match, lo, hi, what in () if generic_only else _RULES:
        if match(k):
            if not lo <= value <= hi:
                return f"{value!r} is not plausible as {what} (expected {lo:g} to {hi:g})"
            return None
    if isinstance(value, int) and abs(value) > MAX_EXACT_INT:
        return f"{value!r} is absurdly large (more than 2⁵³)"
    if isinstance(value, float) and abs(value) > MAX_PLAIN_FLOAT:
        return f"{value!r} is absurdly large (more than 10¹⁵ in SI)"
    return None


def plausibility_problem(key: str, value: Any, *, generic_only: bool = False) -> str | None:
    """Why `value` of field `key` is implausible, or None.

    With `generic_only` only the checks that need no field name apply (not finite, beyond
    2⁵³ or 10¹⁵, a date outside the years of spaceflight).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _number_problem(key, value, generic_only)
    return _date_problem(key, value)


def _walk(node: Any, path: str, generic_only: bool) -> tuple[str, str] | None:
    if isinstance(node, dict):
        for k, v in node.items():
            found = _walk(v, f"{path}.{k}" if path else str(k), generic_only)
            if found:
                return found
        return None
    if isinstance(node, list):
        for i, v in enumerate(node):
            found = _walk(v, f"{path}[{i}]", generic_only)
            if found:
                return found
        return None
    key = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    problem = plausibility_problem(key, node, generic_only=generic_only)
    return (path, problem) if problem else None


def check_plausible(file: str, section: str, data: Any, *, generic_only: bool = False) -> None:
    """Raise `InputError` ``file: [section] field: why`` for the first implausible value."""
    found = _walk(data, "", generic_only)
    if found is not None:
        where, why = found
        raise InputError(f"{file}: [{section}] {where}: {why}")
