"""A circular orbit: the minimal orbit description the environment and risk models need.

A TLE (through the optional `sgp4` extra) gives a better position; the flux models themselves only
need altitude, inclination and, for direction-dependent work, the state vector at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.timeutil import to_utc
from breachkit._core.units import MU_EARTH, R_EARTH_EQUATORIAL

__all__ = ["CircularOrbit"]


@dataclass(frozen=True)
class CircularOrbit:
    """A circular Keplerian orbit (no J2 precession unless `raan_rate_rad_s` is given).

    Parameters
    ----------
    altitude_m
        Height above the equatorial radius (6378.137 km) [m].
    inclination_rad
        Inclination [rad].
    raan_rad
        Right ascension of the ascending node at `epoch` [rad].
    argument_of_latitude_rad
        Angle from the ascending node to the vehicle at `epoch` [rad].
    epoch
        UTC instant of the two angles above (None: J2000).
    raan_rate_rad_s
        Nodal precession rate [rad s⁻¹] (e.g. from J2; 0 by default).
    """

    altitude_m: float
    inclination_rad: float
    raan_rad: float = 0.0
    argument_of_latitude_rad: float = 0.0
    epoch: datetime | None = None
    raan_rate_rad_s: float = 0.0

    def __post_init__(self) -> None:
        if not np.isfinite(self.altitude_m) or self.altitude_m <= 0:
            raise InputError(f"orbit altitude_m: {self.altitude_m!r} must be a positive number")
        if not (0.0 <= self.inclination_rad <= np.pi):
            raise InputError(
                f"orbit inclination_rad: {self.inclination_rad!r} must be within [0, pi]"
            )

    @property
    def radius_m(self) -> float:
        """Orbit radius from the Earth's centre [m]."""
        return R_EARTH_EQUATORIAL + self.altitude_m

    @property
    def speed_m_s(self) -> float:
        """Circular orbital speed sqrt(μ/r) [m s⁻¹]."""
        return float(np.sqrt(MU_EARTH / self.radius_m))

    @property
    def period_s(self) -> float:
        """Orbital period 2π sqrt(r³/μ) [s]."""
        return float(2.0 * np.pi * np.sqrt(self.radius_m**3 / MU_EARTH))

    def state_at_latitude_argument(
        self, u_rad: NDArray[np.float64] | float, raan_rad: float | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """ECI position [m] and velocity [m s⁻¹] at argument of latitude `u_rad` (…, 3 each)."""
        u = np.asarray(u_rad, dtype=float)
        om = self.raan_rad if raan_rad is None else raan_rad
        i = self.inclination_rad
        cu, su = np.cos(u), np.sin(u)
        co, so = np.cos(om), np.sin(om)
        ci, si = np.cos(i), np.sin(i)
        p_hat = np.stack([co * cu - so * su * ci, so * cu + co * su * ci, su * si], axis=-1)
        q_hat = np.stack([-co * su - so * cu * ci, -so * su + co * cu * ci, cu * si], axis=-1)
        return self.radius_m * p_hat, self.speed_m_s * q_hat

    def state(self, t: object) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """ECI position [m] and velocity [m s⁻¹] at UTC instant `t`."""
        when = to_utc(t)
        epoch = to_utc(self.epoch) if self.epoch is not None else to_utc("2000-01-01T12:00:00Z")
        dt = (when - epoch).total_seconds()
        n = 2.0 * np.pi / self.period_s
        u = self.argument_of_latitude_rad + n * dt
        om = self.raan_rad + self.raan_rate_rad_s * dt
        return self.state_at_latitude_argument(u, om)
