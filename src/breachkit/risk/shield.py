"""The shield interface the risk engine needs, written as a structural `typing.Protocol`.

Any object with these attributes works: the presets of `breachkit.damage.get_shield` do, and so does
a small class in a test. The risk layer does not import `breachkit.damage` for typing.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Shield"]


@runtime_checkable
class Shield(Protocol):
    """What the risk engine asks of a shield.

    Attributes
    ----------
    name
        Preset name, e.g. ``"constant"``.
    source
        The ballistic-limit equation's publication (one line).
    assumptions
        Stated assumptions (list of sentences).
    failure_area_fraction
        Fraction (0, 1] of a face's area whose perforation is a failure [-].
    """

    name: str
    source: str
    assumptions: list[str]
    failure_area_fraction: float

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike, projectile_density_kg_m3: ArrayLike
    ) -> NDArray[np.float64] | float:
        """Smallest failing projectile diameter [m] at speed [m s⁻¹], angle [rad], density [kg m⁻³]."""
        ...
