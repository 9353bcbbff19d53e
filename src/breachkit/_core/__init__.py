"""Layer 1: units, the validity policy, errors, frames and time. Imports nothing above it."""

from breachkit._core.errors import BreachkitError, InputError
from breachkit._core.validity import (
    OutOfValidityRangeError,
    ValidityRange,
    ValidityWarning,
    apply_validity,
    is_strict,
    strict,
)

__all__ = [
    "BreachkitError",
    "InputError",
    "OutOfValidityRangeError",
    "ValidityRange",
    "ValidityWarning",
    "apply_validity",
    "is_strict",
    "strict",
]
