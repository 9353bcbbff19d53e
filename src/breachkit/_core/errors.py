"""Errors shared by every layer.

`InputError` is the one exception type that the command-line program turns into a single line on
stderr and exit status 2. Its message must name the file, field, row or option and say what is
wrong; it must be readable without a traceback.
"""

from __future__ import annotations


class BreachkitError(Exception):
    """Base class of every error raised on purpose by breachkit."""


class InputError(BreachkitError, ValueError):
    """Bad user input: a file, a field, a row or an option that cannot be used.

    Parameters
    ----------
    message
        One line naming what is wrong, e.g. ``"case.toml: [orbit] altitude_km: -5 is not > 0"``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
