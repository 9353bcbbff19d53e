"""Reference frames and the convention for writing a direction.

Frames
------
* ``"j2000"``: Earth-centred inertial, mean equator and equinox of J2000.0 (axes as GCRF to the
  accuracy needed here).
* ``"lvlh"``: local vertical, local horizontal, ISS convention: +x ram (along the velocity of a
  circular orbit), +z nadir (towards the Earth's centre), +y = z × x, which is starboard (the
  negative orbit normal). Ram/wake = ±x, starboard/port = ±y, nadir/zenith = ±z.
* ``"body"``: a vehicle's own axes, placed in LVLH by an attitude (see `breachkit.geometry`).

Directions
----------
A flux direction is the unit vector *towards the source*: the direction a particle comes
**from**, seen from the vehicle (like a meteor radiant). A face with outward normal n is struck by
particles from direction u when n·u > 0, at impact angle θ = arccos(n·u) from its normal. A ram
face (n = +x) sees the flux from u = +x.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "LVLH_DIRECTIONS",
    "eci_to_lvlh",
    "lvlh_basis",
    "lvlh_to_eci",
    "unit",
]

LVLH_DIRECTIONS: Final[dict[str, tuple[float, float, float]]] = {
    "ram": (1.0, 0.0, 0.0),
    "wake": (-1.0, 0.0, 0.0),
    "starboard": (0.0, 1.0, 0.0),
    "port": (0.0, -1.0, 0.0),
    "nadir": (0.0, 0.0, 1.0),
    "zenith": (0.0, 0.0, -1.0),
}


def unit(v: ArrayLike) -> NDArray[np.float64]:
    """Normalise vectors along the last axis (zero vectors give NaN)."""
    a = np.asarray(v, dtype=float)
    n = np.linalg.norm(a, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return a / n


def lvlh_basis(r_eci_m: ArrayLike, v_eci_m_s: ArrayLike) -> NDArray[np.float64]:
    """Rotation matrix whose rows are the LVLH axes written in ECI.

    Parameters
    ----------
    r_eci_m : (..., 3) position [m]
    v_eci_m_s : (..., 3) velocity [m s⁻¹]

    Returns
    -------
    (..., 3, 3) matrix M with ``u_lvlh = M @ u_eci``.

    The x axis is the component of the velocity perpendicular to the radius (exactly the velocity
    for a circular orbit), z = -r̂ (nadir), y = z × x (starboard, the negative orbit normal).
    """
    r = np.asarray(r_eci_m, dtype=float)
    v = np.asarray(v_eci_m_s, dtype=float)
    z = -unit(r)
    h = np.cross(r, v)
    y = -unit(h)
    x = np.cross(y, z)
    return np.stack([x, y, z], axis=-2)


def eci_to_lvlh(u_eci: ArrayLike, r_eci_m: ArrayLike, v_eci_m_s: ArrayLike) -> NDArray[np.float64]:
    """Rotate vectors (..., 3) from ECI (J2000) into LVLH at the given state."""
    m = lvlh_basis(r_eci_m, v_eci_m_s)
    return np.einsum("...ij,...j->...i", m, np.asarray(u_eci, dtype=float))


def lvlh_to_eci(u_lvlh: ArrayLike, r_eci_m: ArrayLike, v_eci_m_s: ArrayLike) -> NDArray[np.float64]:
    """Rotate vectors (..., 3) from LVLH into ECI (J2000) at the given state."""
    m = lvlh_basis(r_eci_m, v_eci_m_s)
    return np.einsum("...ji,...j->...i", m, np.asarray(u_lvlh, dtype=float))
