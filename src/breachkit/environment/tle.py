"""A circular orbit from a NORAD two-line element set (for shower directions at a known time).

The TLE's mean elements give the node Ω, inclination i and argument of latitude u = ω + M
(near-circular orbits, e < 0.01) at the TLE epoch, and the J2 nodal rate
dΩ/dt = −1.5 n J2 (R_E/a)² cos i. Mean elements are in the TEME frame of date; breachkit uses them
as J2000 (precession since 2000 moves the node by ~0.3°, below the resolution of a shower
direction). The optional `sgp4` package parses the lines (`pip install breachkit[orbit]`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import julian_date, to_utc
from breachkit._core.units import MU_EARTH, R_EARTH_EQUATORIAL

__all__ = ["J2", "orbit_from_tle", "tle_checksum_ok"]

#: Earth's J2 (WGS-84 / EGM-96 value, 1.08263e-3) [-].
J2 = 1.08263e-3


def tle_checksum_ok(line: str) -> bool:
    """True when the modulo-10 checksum (digits, '-' counts 1) of a TLE line matches column 69."""
    s = line.rstrip()
    if len(s) != 69 or not s[68].isdigit():
        return False
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in s[:68])
    return total % 10 == int(s[68])


def orbit_from_tle(line1: str, line2: str, at: Any | None = None) -> CircularOrbit:
    """`CircularOrbit` from a TLE: altitude from the mean motion, J2 node rate, and i, Ω, u.

    Without `at`: i, Ω and u = ω + M are the TLE's mean elements at its epoch. With `at` (a UTC
    time): the TLE is propagated with SGP4 to `at` and i, Ω, u are those of the osculating state
    (r × v) there, with `epoch = at` — use this for a direction at a known instant (SGP4's
    position error grows by ~1–3 km per day from the epoch).

    Raises `InputError` if a line is malformed, fails its checksum or the orbit is not
    near-circular (e ≥ 0.01).
    """
    for k, line in ((1, line1), (2, line2)):
        if not line.startswith(f"{k} "):
            raise InputError(f"TLE line {k}: does not start with '{k} '")
        if not tle_checksum_ok(line):
            raise InputError(f"TLE line {k}: checksum or length (69 characters) is wrong")
    try:
        from sgp4.api import Satrec
    except ImportError:  # pragma: no cover - sgp4 is in the [orbit] extra
        raise InputError(
            "TLE: the sgp4 package is missing (pip install breachkit[orbit])"
        ) from None
    sat = Satrec.twoline2rv(line1.rstrip(), line2.rstrip())
    if sat.error != 0:
        raise InputError(f"TLE: sgp4 could not read the element set (error {sat.error})")
    if sat.ecco >= 0.01:
        raise InputError(f"TLE: eccentricity {sat.ecco:.4f} is not near-circular (< 0.01)")
    n = sat.no_kozai / 60.0  # [rad s⁻¹]
    a = (MU_EARTH / n**2) ** (1.0 / 3.0)
    epoch = datetime(2000, 1, 1, 12, tzinfo=UTC) + timedelta(
        days=(sat.jdsatepoch - 2451545.0) + sat.jdsatepochF
    )
    rate = -1.5 * n * J2 * (R_EARTH_EQUATORIAL / a) ** 2 * np.cos(sat.inclo)
    if at is not None:
        when = to_utc(at)
        jd = float(julian_date(when))
        err, r_km, v_km_s = sat.sgp4(np.floor(jd - 0.5) + 0.5, jd - (np.floor(jd - 0.5) + 0.5))
        if err != 0:
            raise InputError(f"TLE: SGP4 propagation to {when.isoformat()} failed (error {err})")
        r = np.asarray(r_km) * 1e3
        v = np.asarray(v_km_s) * 1e3
        h = np.cross(r, v)
        inc = float(np.arccos(h[2] / np.linalg.norm(h)))
        node = np.cross([0.0, 0.0, 1.0], h)
        raan = float(np.mod(np.arctan2(node[1], node[0]), 2.0 * np.pi))
        nhat = node / np.linalg.norm(node)
        cos_u = float(np.dot(nhat, r) / np.linalg.norm(r))
        sin_u = float(np.dot(np.cross(nhat, r), h) / (np.linalg.norm(r) * np.linalg.norm(h)))
        return CircularOrbit(
            altitude_m=float(a - R_EARTH_EQUATORIAL),
            inclination_rad=inc,
            raan_rad=raan,
            argument_of_latitude_rad=float(np.mod(np.arctan2(sin_u, cos_u), 2.0 * np.pi)),
            epoch=when,
            raan_rate_rad_s=float(rate),
        )
    return CircularOrbit(
        altitude_m=float(a - R_EARTH_EQUATORIAL),
        inclination_rad=float(sat.inclo),
        raan_rad=float(sat.nodeo),
        argument_of_latitude_rad=float(np.mod(sat.argpo + sat.mo, 2.0 * np.pi)),
        epoch=epoch,
        raan_rate_rad_s=float(rate),
    )
