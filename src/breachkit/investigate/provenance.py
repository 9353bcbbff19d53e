"""Provenance of reported numbers: every number the investigation reports says where it came from.

The convention is deliberately tiny and JSON-native. A *reported quantity* is a dict::

    {"value": 0.93, "unit": "1", "source": "breachkit.attribution.attribute_case; case.toml [evidence]"}

with optional keys ``"interval"`` (``[low, high]`` in the same unit, and ``"level"`` its
probability content, e.g. 0.9), ``"note"`` (an assumption in one sentence) and ``"label"`` (how the
report names it). ``unit`` is an SI
unit string, ``"1"`` for a dimensionless number, or an I/O-edge unit named as such (``"UTC"`` for
an instant). ``source`` names the function that computed the value and the case.toml section(s) or
published reference it rests on. A table of numbers carries one ``source`` for all its cells.

The report writer shows every quantity's source as a numbered reference; `collect_sources` walks a
results tree and lists them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from breachkit._core.jsonable import jsonable

__all__ = [
    "collect_sources",
    "is_quantity",
    "iter_quantities",
    "jsonable",
    "quantity",
    "table",
]

_Q_KEYS = frozenset({"value", "unit", "source"})


def _clean(value: Any) -> Any:
    """Numpy scalars → Python; non-finite floats → None (JSON has no NaN); datetimes → ISO 8601
    UTC to the second."""
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict | str):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def quantity(
    value: Any,
    unit: str,
    source: str,
    *,
    interval: Sequence[Any] | None = None,
    level: float | None = None,
    note: str | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """A reported quantity ``{value, unit, source[, interval, level, note]}``.

    Parameters
    ----------
    value
        The number (or string, e.g. an ISO 8601 instant, or None when it does not exist).
    unit
        Its unit: an SI unit string, ``"1"`` if dimensionless, ``"UTC"`` for an instant.
    source
        What computed it and from what (function, case.toml section, publication). Never empty.
    interval
        Optional ``(low, high)`` in the same unit.
    level
        Probability content of `interval` (e.g. 0.9), if it is a credible/confidence interval.
    note
        Optional one-sentence assumption behind the number.
    label
        Optional human label for the report (default: the key it is stored under).
    """
    if not source or not str(source).strip():
        raise ValueError("a reported quantity needs a source")
    q: dict[str, Any] = {"value": _clean(value), "unit": unit, "source": str(source)}
    if interval is not None:
        lo, hi = interval
        q["interval"] = [_clean(lo), _clean(hi)]
        if level is not None:
            q["level"] = float(level)
    if note:
        q["note"] = note
    if label:
        q["label"] = label
    return q


def table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    source: str,
    *,
    note: str | None = None,
) -> dict[str, Any]:
    """A reported table: ``{title, columns, rows, source[, note]}``; one source for every cell."""
    if not source or not str(source).strip():
        raise ValueError("a reported table needs a source")
    out: dict[str, Any] = {
        "title": title,
        "columns": list(columns),
        "rows": [[_clean(c) for c in row] for row in rows],
        "source": source,
    }
    if note:
        out["note"] = note
    return out


def is_quantity(obj: Any) -> bool:
    """Whether `obj` follows the reported-quantity convention."""
    return isinstance(obj, Mapping) and _Q_KEYS <= obj.keys()


def iter_quantities(tree: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Yield ``(path, quantity)`` for every reported quantity inside a results tree."""
    if is_quantity(tree):
        yield path, tree
        return
    if isinstance(tree, Mapping):
        for k, v in tree.items():
            yield from iter_quantities(v, (*path, str(k)))
    elif isinstance(tree, list | tuple):
        for i, v in enumerate(tree):
            yield from iter_quantities(v, (*path, str(i)))


def collect_sources(tree: Any) -> list[str]:
    """Every distinct ``source`` string in a results tree, in order of first appearance."""
    seen: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            src = node.get("source")
            if isinstance(src, str) and ("value" in node or "rows" in node or "series" in node):
                seen.setdefault(src, None)
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(tree)
    return list(seen)
