"""JSON-safe conversion (numpy, datetimes, NaN → None) for the database, the CLI's --json and the
investigation's results."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of `value`: numpy → Python, NaN/inf → None, datetimes → ISO 8601 UTC,
    dates → ISO 8601, paths → str, mappings → dicts with str keys, sequences and sets → lists,
    objects with ``to_dict()`` → their dict; anything else → ``str(value)``."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
