"""The shield interface the risk engine needs, written as a structural `typing.Protocol`.

Any object with these attributes works: the presets of `breachkit.damage.get_shield` do, and so does
a small class in a test. The risk layer does not import `breachkit.damage` for typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Shield", "scattered_size_fraction"]


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


#: Gauss–Hermite nodes of the scatter integral (probabilists' form, weights sum to 1). 24 nodes
#: integrate e^(−ασz) to < 1e-12 relative for ασ ≤ 3.
_GH_Z, _GH_W = np.polynomial.hermite_e.hermegauss(24)
_GH_W = _GH_W / _GH_W.sum()


def scattered_size_fraction(
    size_fraction: Callable[[NDArray[np.float64]], ArrayLike],
    critical_m: ArrayLike,
    mu: ArrayLike,
    sigma: float,
    d_range: tuple[float, float],
) -> tuple[NDArray[np.float64], bool]:
    """Expected failing fraction with a scattered ballistic limit, and whether it was clipped.

    With P(fail | d) = Φ((ln(d/d_c) − μ)/σ) and S the cumulative size fraction,

        ∫ −S'(d) Φ((ln(d/d_c) − μ)/σ) dd = E_z[S(d_c e^(μ + σz))],  z ~ N(0, 1),

    evaluated by 24-node Gauss–Hermite quadrature. For a power law S ∝ d^(−α) this is
    S(d_c e^μ) · exp(α²σ²/2) (a test); σ → 0 gives back the step S(d_c e^μ). Diameters [m];
    quadrature diameters outside `d_range` (the size table) are clipped to it (flag returned).
    """
    dc = np.asarray(critical_m, dtype=float)
    m = np.broadcast_to(np.asarray(mu, dtype=float), dc.shape)
    if sigma == 0.0:
        d = dc * np.exp(m)
        dcl = np.clip(d, *d_range)
        return np.asarray(size_fraction(dcl), dtype=float), bool(np.any(dcl != d))
    out = np.zeros(dc.shape)
    clipped = False
    for z, w in zip(_GH_Z, _GH_W, strict=True):
        d = dc * np.exp(m + sigma * z)
        dcl = np.clip(d, *d_range)
        clipped |= bool(w > 1e-9 and np.any(dcl != d))
        out += w * np.asarray(size_fraction(dcl), dtype=float)
    return out, clipped
