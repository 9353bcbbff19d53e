"""Helpers shared by the stages: reading part results and case values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DAY_S = 86400.0


def _as_dict(result: Any) -> dict[str, Any]:
    return dict(result.to_dict()) if hasattr(result, "to_dict") else dict(result)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, Mapping):
        lo = value.get("low", value.get("lo", value.get("lower")))
        hi = value.get("high", value.get("hi", value.get("upper")))
        if lo is not None or hi is not None:
            return lo, hi
    return None
