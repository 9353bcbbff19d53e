"""The validity policy: one rule for every published model's range of validity.

Every physical model states the range of inputs over which its source supports it. breachkit never
extrapolates silently outside that range:

* by default an out-of-range element gives NaN in the result and one `ValidityWarning` per call
  naming the model, the argument, the offending value and the range;
* in strict mode (``with breachkit.strict():`` or ``set_strict(True)``) the same situation raises
  `OutOfValidityRangeError` instead, which names the argument, its value and the range.

NaN inputs are not out of range: they propagate to NaN outputs without a warning (missing data is
the caller's business, and the command-line program rejects NaN at its boundary).

Ranges are data: each model declares its `ValidityRange` objects next to its code and registers them
with `register`, so `registry()` lists every model's ranges (used by the docs and the CLI).
"""

from __future__ import annotations

import contextlib
import contextvars
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import BreachkitError

__all__ = [
    "OutOfValidityRangeError",
    "ValidityRange",
    "ValidityWarning",
    "apply_validity",
    "is_strict",
    "register",
    "registry",
    "set_strict",
    "strict",
]


class ValidityWarning(UserWarning):
    """An input lies outside a model's published range of validity; the result there is NaN."""


class OutOfValidityRangeError(BreachkitError, ValueError):
    """Strict mode: an input lies outside a model's published range of validity."""

    def __init__(self, model: str, argument: str, value: float, rng: ValidityRange) -> None:
        self.model = model
        self.argument = argument
        self.value = value
        self.range = rng
        super().__init__(
            f"{model}: {argument}={value:.6g} is outside the validity range {rng.describe()}"
        )


_STRICT: contextvars.ContextVar[bool] = contextvars.ContextVar("breachkit_strict", default=False)


def is_strict() -> bool:
    """Return True when out-of-range input raises instead of giving NaN."""
    return _STRICT.get()


def set_strict(value: bool) -> None:
    """Switch strict mode on or off for the current context (thread / task)."""
    _STRICT.set(bool(value))


@contextlib.contextmanager
def strict(value: bool = True) -> Iterator[None]:
    """Context manager: raise `OutOfValidityRangeError` on out-of-range input inside the block."""
    token = _STRICT.set(bool(value))
    try:
        yield
    finally:
        _STRICT.reset(token)


@dataclass(frozen=True)
class ValidityRange:
    """The closed (or half-open) interval over which a model's argument is supported.

    Parameters
    ----------
    argument
        Name of the argument as it appears in the function signature (with its unit suffix).
    low, high
        Bounds in the argument's unit (SI). Use ``-inf``/``inf`` for an open side.
    unit
        Unit of the bounds, written as in docstrings, e.g. ``"kg"`` or ``"m s⁻¹"``.
    low_inclusive, high_inclusive
        Whether the bounds themselves are valid.
    source
        Where the range comes from (paper, table, page).
    """

    argument: str
    low: float
    high: float
    unit: str = ""
    low_inclusive: bool = True
    high_inclusive: bool = True
    source: str = ""

    def contains(self, value: ArrayLike) -> NDArray[np.bool_]:
        """Boolean mask, True where `value` is inside the range or is NaN."""
        x = np.asarray(value, dtype=float)
        lo_ok = x >= self.low if self.low_inclusive else x > self.low
        hi_ok = x <= self.high if self.high_inclusive else x < self.high
        return np.asarray((lo_ok & hi_ok) | np.isnan(x))

    def describe(self) -> str:
        """Interval notation with unit, e.g. ``[1e-21, 0.1] kg``."""
        left = "[" if self.low_inclusive else "("
        right = "]" if self.high_inclusive else ")"
        unit = f" {self.unit}" if self.unit else ""
        return f"{left}{self.low:.6g}, {self.high:.6g}{right}{unit}"


_REGISTRY: dict[str, tuple[ValidityRange, ...]] = {}


def register(model: str, *ranges: ValidityRange) -> tuple[ValidityRange, ...]:
    """Record the validity ranges of `model` (a function's qualified name) and return them."""
    _REGISTRY[model] = tuple(ranges)
    return _REGISTRY[model]


def registry() -> Mapping[str, tuple[ValidityRange, ...]]:
    """Every registered model's validity ranges (read-only view)."""
    return dict(_REGISTRY)


def apply_validity(
    model: str,
    result: ArrayLike,
    checks: Mapping[str, tuple[ArrayLike, ValidityRange]],
) -> NDArray[np.float64] | float:
    """Apply the validity policy to a model's result.

    Parameters
    ----------
    model
        The model's name, used in messages (e.g. ``"grun_flux"``).
    result
        The model's raw result, broadcast to the common shape of its inputs.
    checks
        ``{argument: (value, range)}`` for every argument with a range.

    Returns
    -------
    The result with NaN where any argument was out of range; a Python float when every input was
    a scalar (0-d), an ndarray otherwise.

    Raises
    ------
    OutOfValidityRangeError
        In strict mode, for the first out-of-range element found.
    """
    out = np.array(result, dtype=float, copy=True)
    scalar = out.ndim == 0
    bad_total = np.zeros(out.shape, dtype=bool)
    messages: list[str] = []
    for argument, (value, rng) in checks.items():
        x = np.asarray(value, dtype=float)
        inside = rng.contains(x)
        if inside.all():
            continue
        bad = ~np.broadcast_to(inside, np.broadcast_shapes(inside.shape, out.shape))
        first = float(np.broadcast_to(x, bad.shape)[bad].flat[0])
        if is_strict():
            raise OutOfValidityRangeError(model, argument, first, rng)
        n_bad = int(np.count_nonzero(~inside))
        messages.append(
            f"{argument}={first:.6g} outside {rng.describe()}"
            + (f" ({n_bad} elements)" if n_bad > 1 else "")
        )
        bad_total |= bad
    if messages:
        warnings.warn(
            f"{model}: {'; '.join(messages)}; result set to NaN there",
            ValidityWarning,
            stacklevel=3,
        )
        out = np.where(bad_total, np.nan, out)
    if scalar:
        return float(out)
    return out
