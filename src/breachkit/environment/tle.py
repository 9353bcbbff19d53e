"""A circular orbit from a NORAD two-line element set (for shower directions at a known time).

The TLE's mean elements give the node Ω, inclination i and argument of latitude u = ω + M
(near-circular orbits, e < 0.01) at the TLE epoch, and the J2 nodal rate
dΩ/dt = −1.5 n J2 (R_E/a)² cos i. Mean elements are in the TEME frame of date; breachkit uses them
as J2000 (precession since 2000 moves the node by ~0.3°, below the resolution of a shower
direction). The optional `sgp4` package parses the lines (`pip install breachkit[orbit]`).

Bundled element sets (`bundled_tle_path`, data/tle/, sources in data/MANIFEST.toml):

* ``iss_25544_2022-12-17.tle`` — ISS (ZARYA), epoch 2022-12-17 21:35:44 UTC (22351.89982037),
  a CelesTrak general-perturbations element set copied from a public test file
  (GitHub gavineadie/Sgp4PropLib, Tests/Sgp4PropLibTests/TleTests.swift, the "brightest"
  catalogue string). It is the checked element set nearest after the Soyuz MS-22 leak
  (2022-12-15 00:45 UTC, 2.87 days earlier) found in public text; see docs/environment.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import julian_date, to_utc
from breachkit._core.units import MU_EARTH, R_EARTH_EQUATORIAL
from breachkit._core.validity import ValidityRange, apply_validity, register

__all__ = [
    "BUNDLED_TLES",
    "J2",
    "bundled_tle_path",
    "j2_node_rate",
    "orbit_from_tle",
    "read_tle_file",
    "sgp4_state",
    "tle_checksum_ok",
]

#: Element sets shipped in breachkit/data/tle (file names; provenance in data/MANIFEST.toml).
BUNDLED_TLES = ("iss_25544_2022-12-17.tle",)

#: Earth's J2 (WGS-84 / EGM-96 value, 1.08263e-3) [-].
J2 = 1.08263e-3


_J2_ALTITUDE_RANGE = register(
    "j2_node_rate",
    ValidityRange(
        "altitude_m",
        100e3,
        np.inf,
        "m",
        low_inclusive=False,
        source="a circular orbit above the 100-km atmosphere (the secular J2 rate needs no drag)",
    ),
)[0]


def j2_node_rate(altitude_m: Any, inclination_rad: Any) -> Any:
    """Secular J2 precession rate of the node of a circular orbit, dΩ/dt [rad s⁻¹].

    dΩ/dt = −1.5 n J2 (R_E / a)² cos i with a = R_E + h, n = sqrt(μ / a³) (e = 0 form of
    Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. 2013, eq. 9-41; the same
    first-order secular rate SGP4 uses). R_E = 6378.137 km, J2 = 1.08263e-3. ISS (h ≈ 417 km,
    i = 51.64°): ≈ −5.0° per day. Valid for h > 100 km (`altitude_m` [m]); `inclination_rad`
    [rad]. Broadcasts.
    """
    h = np.asarray(altitude_m, dtype=float)
    a = R_EARTH_EQUATORIAL + h
    n = np.sqrt(MU_EARTH / a**3)
    raw = -1.5 * n * J2 * (R_EARTH_EQUATORIAL / a) ** 2 * np.cos(np.asarray(inclination_rad))
    return apply_validity("j2_node_rate", raw, {"altitude_m": (h, _J2_ALTITUDE_RANGE)})


def orbit_with_node(
    altitude_m: float,
    inclination_rad: float,
    raan_rad: float,
    epoch: Any,
    argument_of_latitude_rad: float = 0.0,
) -> CircularOrbit:
    """A `CircularOrbit` whose node Ω(`epoch`) = `raan_rad` is known and regresses at the J2 rate
    (`j2_node_rate`): the orbit of a case that gives its node without a TLE. `epoch` is a UTC
    time; `argument_of_latitude_rad` is the vehicle's position at `epoch` (0 when unknown)."""
    return CircularOrbit(
        altitude_m=float(altitude_m),
        inclination_rad=float(inclination_rad),
        raan_rad=float(raan_rad),
        argument_of_latitude_rad=float(argument_of_latitude_rad),
        epoch=to_utc(epoch),
        raan_rate_rad_s=float(j2_node_rate(altitude_m, inclination_rad)),
    )


def tle_checksum_ok(line: str) -> bool:
    """True when the modulo-10 checksum (digits, '-' counts 1) of a TLE line matches column 69."""
    s = line.rstrip()
    if len(s) != 69 or not s[68].isdigit():
        return False
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in s[:68])
    return total % 10 == int(s[68])


def bundled_tle_path(name: str = "iss_25544_2022-12-17.tle") -> Path:
    """Path of a bundled element-set file (one of `BUNDLED_TLES`)."""
    if name not in BUNDLED_TLES:
        raise InputError(f"TLE: {name!r} is not one of the bundled element sets {BUNDLED_TLES}")
    return Path(str(resources.files("breachkit") / "data" / "tle" / name))


def read_tle_file(path: str | Path) -> tuple[str, str]:
    """The first line pair ("1 ...", "2 ...") of a TLE/3LE text file (name lines are skipped).

    Raises `InputError` naming the file when it is missing or has no such pair; the lines are
    checked (checksums, length) by `orbit_from_tle`.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"TLE file {str(p)!r}: does not exist")
    lines = p.read_text(encoding="utf-8").splitlines()
    l1 = next((ln for ln in lines if ln.startswith("1 ")), None)
    l2 = next((ln for ln in lines if ln.startswith("2 ")), None)
    if l1 is None or l2 is None:
        raise InputError(f"TLE file {p.name}: no lines starting '1 ' and '2 '")
    return l1.rstrip(), l2.rstrip()


def _satrec(line1: str, line2: str) -> Any:
    """Checked `sgp4.api.Satrec` of a line pair (length, checksum, sgp4's own parse)."""
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
    return sat


def _propagate(sat: Any, when: datetime) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    jd = float(julian_date(when))
    jd0 = float(np.floor(jd - 0.5) + 0.5)
    err, r_km, v_km_s = sat.sgp4(jd0, jd - jd0)
    if err != 0:
        raise InputError(f"TLE: SGP4 propagation to {when.isoformat()} failed (error {err})")
    return np.asarray(r_km, dtype=float) * 1e3, np.asarray(v_km_s, dtype=float) * 1e3


def sgp4_state(line1: str, line2: str, at: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """SGP4 position [m] and velocity [m s⁻¹] at UTC `at`, in TEME of date (≈ J2000 to ~0.3°).

    SGP4 as in Vallado et al. (2006), "Revisiting Spacetrack Report #3", AIAA 2006-6753, via the
    `sgp4` package. Its error versus the true orbit grows by ~1–3 km per day from the epoch.
    """
    return _propagate(_satrec(line1, line2), to_utc(at))


def orbit_from_tle(line1: str, line2: str, at: Any | None = None) -> CircularOrbit:
    """`CircularOrbit` from a TLE: altitude from the mean motion, J2 node rate, and i, Ω, u.

    Without `at`: i, Ω and u = ω + M are the TLE's mean elements at its epoch. With `at` (a UTC
    time): the TLE is propagated with SGP4 to `at` and i, Ω, u are those of the osculating state
    (r × v) there, with `epoch = at` — use this for a direction at a known instant (SGP4's
    position error grows by ~1–3 km per day from the epoch).

    Raises `InputError` if a line is malformed, fails its checksum or the orbit is not
    near-circular (e ≥ 0.01).
    """
    sat = _satrec(line1, line2)
    if sat.ecco >= 0.01:
        raise InputError(f"TLE: eccentricity {sat.ecco:.4f} is not near-circular (< 0.01)")
    n = sat.no_kozai / 60.0  # [rad s⁻¹]
    a = (MU_EARTH / n**2) ** (1.0 / 3.0)
    epoch = datetime(2000, 1, 1, 12, tzinfo=UTC) + timedelta(
        days=(sat.jdsatepoch - 2451545.0) + sat.jdsatepochF
    )
    rate = j2_node_rate(a - R_EARTH_EQUATORIAL, sat.inclo)
    if at is not None:
        when = to_utc(at)
        r, v = _propagate(sat, when)
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
