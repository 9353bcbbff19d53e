"""Environment-model uncertainty as multiplicative flux factors per population kind or name.

The interval on the expected number of failures N is built from one factor range (low, high) per
population: N_low = Σ_p f_low,p · N_p and N_high = Σ_p f_high,p · N_p. Every population is moved
to its bound at the same time, so the interval is an envelope (not a confidence interval) that
covers any combination of the individual factors.

Default ranges — none of them is a published number; they are **assumptions** stated as such:

* meteoroids ×1/3 … ×3: the U.S. National Research Council (2011, *Limiting Future Collision
  Risk to Spacecraft*, NAP 13244, p. 39) finds "major uncertainties" remaining in the meteoroid
  environment (flux above 100 µm, speed distribution, density) without giving a factor; a factor of
  3 each way is our assumption.
* orbital debris ×1/2 … ×2: assumption (ORDEM and MASTER publish size-dependent uncertainty
  bounds, not retrieved here); a case file may override it per population.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from breachkit._core.errors import InputError

__all__ = ["DEFAULT_FACTORS", "UncertaintyFactor", "factor_for"]


@dataclass(frozen=True)
class UncertaintyFactor:
    """A multiplicative range (low ≤ 1 ≤ high) on a population's flux [-], with its source."""

    low: float
    high: float
    source: str

    def __post_init__(self) -> None:
        if not (0 < self.low <= 1.0 <= self.high) or not self.high < float("inf"):
            raise InputError(
                f"uncertainty factor: need 0 < low <= 1 <= high, got ({self.low}, {self.high})"
            )


DEFAULT_FACTORS: Mapping[str, UncertaintyFactor] = {
    "meteoroid": UncertaintyFactor(
        1 / 3,
        3.0,
        "assumption: factor 3 each way; NRC 2011 (NAP 13244 p.39) notes major meteoroid-model "
        "uncertainties without a number",
    ),
    "debris": UncertaintyFactor(
        0.5,
        2.0,
        "assumption: factor 2 each way (ORDEM/MASTER size-dependent bounds not retrieved)",
    ),
}


def factor_for(
    name: str, kind: str, factors: Mapping[str, UncertaintyFactor] | None = None
) -> UncertaintyFactor:
    """The factor for a population: by its name first, then by its kind, then the defaults."""
    table = dict(DEFAULT_FACTORS)
    if factors:
        table.update(factors)
    if name in table:
        return table[name]
    if kind in table:
        return table[kind]
    raise InputError(f"uncertainty: no factor for population {name!r} (kind {kind!r})")
