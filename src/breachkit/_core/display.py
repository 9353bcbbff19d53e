"""Numbers for people: a few significant digits, huge and tiny ones as ``1.01×10³⁰⁴``.

Presentation only (tables, one-line summaries); results.json keeps the full float.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["format_bayes_factor", "format_number"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(exp: int) -> str:
    return "10" + str(exp).translate(_SUPERSCRIPT)


def format_number(value: Any, digits: int = 3) -> str:
    """`value` to `digits` significant digits; outside [10⁻³, 10⁶) as ``m×10ⁿ``; None → n/a."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    x = float(value)
    if not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    if isinstance(value, int) and abs(value) < 10**7:
        return str(value)
    if x == 0 or 1e-3 <= abs(x) < 1e6:
        return f"{x:.{digits}g}"
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    return f"{float(mant):g}×{_power_of_ten(int(exp))}"


def format_bayes_factor(value: Any) -> str:
    """A Bayes factor: plain between 10⁻³ and 10⁶, else its order of magnitude (``≈ 10³⁰⁴``).

    Beyond 10⁶ (or below 10⁻⁶) the digits say nothing more (decisive on any scale, Kass and
    Raftery 1995 Table: 2 ln B > 10 above B ≈ 150), so only the power of ten is shown.
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return format_number(value)
    x = float(value)
    if not math.isfinite(x) or x <= 0:
        return format_number(x)
    if 1e-6 <= x < 1e6:
        return format_number(x)
    return f"≈ {_power_of_ten(round(math.log10(x)))}"
