"""Helpers every command shares: JSON output, one-line errors, parsing of option values."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from breachkit._core.errors import InputError
from breachkit._core.jsonable import jsonable as to_jsonable

__all__ = ["dump_json", "parse_float_list", "require_finite", "to_jsonable"]


def dump_json(value: Any) -> str:
    """JSON text of `value` (via `to_jsonable`), strict: no NaN or Infinity literals."""
    return json.dumps(to_jsonable(value), indent=2, allow_nan=False)


def require_finite(option: str, value: float, *, positive: bool = False) -> float:
    """Return `value` or raise `InputError` naming `option` if it is NaN/inf (or not > 0)."""
    if not math.isfinite(value):
        raise InputError(f"{option}: {value!r} is not a finite number")
    if positive and value <= 0:
        raise InputError(f"{option}: {value!r} must be > 0")
    return value


def parse_float_list(option: str, text: str) -> Sequence[float]:
    """Parse ``"0,45,60"`` into floats; `InputError` naming `option` on a bad item."""
    out: list[float] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            x = float(item)
        except ValueError:
            raise InputError(f"{option}: {item!r} is not a number") from None
        out.append(require_finite(option, x))
    if not out:
        raise InputError(f"{option}: no values given")
    return out
