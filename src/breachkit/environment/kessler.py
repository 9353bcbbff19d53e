"""Directional debris flux on a circular orbit from a population of eccentric debris orbits.

Method: Kessler, D. J. (1981), "Derivation of the collision probability between orbiting
objects: the lifetimes of Jupiter's outer moons", Icarus 48, 39–48. For objects on orbits
(a, e, i) whose node Ω and argument of perigee ω are uniformly random (differential precession),
the time-averaged spatial density at radius r and latitude φ separates (Kessler 1981 eq. 13–15)::

    S(r, φ) = 1 / (2 π³ r a √(a²e² − (r − a)²) √(sin² i − sin² φ))   [per object, m⁻³]

and the flux on a target is Σ S·|v_d − v_t| over the object's velocity branches at that point.
At (r, φ) a debris orbit has speed v_d² = μ(2/r − 1/a) (vis-viva), horizontal speed h/r with
h² = μ a(1 − e²), radial speed ±√(v_d² − h²/r²) (rising or falling), and heading sin A = cos i /
cos φ (northbound) or π − A (southbound): four branches of equal weight. Each branch gives the
relative velocity vector in the target's LVLH frame, so azimuth, elevation and speed come out
together, including arrivals from behind (objects near perigee moving faster than the target)
and from above and below the horizontal (radial motion).

Numerically, both square-root singularities are integrated exactly over small cells instead of
evaluated at a point: the radial factor over a shell [r − Δr/2, r + Δr/2] as the Keplerian time
fraction (M(E₂) − M(E₁))/π (M = E − e sin E, r = a(1 − e cos E)), and the latitude factor over
[φ − δ, φ + δ] as (asin(sin φ₂/sin i) − asin(sin φ₁/sin i))/π; density = count × fractions /
cell volume (2π r² Δr (sin φ₂ − sin φ₁)). The circular target is averaged over `n_positions`
evenly spaced arguments of latitude; the relative node is averaged by the uniform longitude.

Validity: target altitude 200–2000 km; debris orbits bound (0 ≤ e < 1, a > R_E); the
Keplerian orbit has no drag or J2 terms beyond the assumed uniform Ω, ω.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, KM, MU_EARTH, R_EARTH_EQUATORIAL

__all__ = [
    "DebrisOrbits",
    "KesslerEncounters",
    "inclined_latitude_time_fraction",
    "keplerian_radial_time_fraction",
    "kessler_encounters",
]

#: Default shell thickness Δr and latitude half-width δ of the integration cells.
DEFAULT_SHELL_M: Final = 20.0 * KM
DEFAULT_LATITUDE_HALF_WIDTH_RAD: Final = 0.25 * DEG


@dataclass(frozen=True)
class DebrisOrbits:
    """A population of debris orbits: semi-major axis `a_m` [m], eccentricity `e` [-],
    inclination `i_rad` [rad] and the number of objects each row stands for, `count` [-]."""

    a_m: NDArray[np.float64]
    e: NDArray[np.float64]
    i_rad: NDArray[np.float64]
    count: NDArray[np.float64]
    source: str = ""

    def __post_init__(self) -> None:
        arrs = [
            np.atleast_1d(np.asarray(x, float)) for x in (self.a_m, self.e, self.i_rad, self.count)
        ]
        if len({x.shape for x in arrs}) != 1 or arrs[0].ndim != 1:
            raise InputError("DebrisOrbits: a_m, e, i_rad and count must be 1-D of one length")
        a, e, i, c = arrs
        if arrs[0].size == 0:
            raise InputError("DebrisOrbits: no orbits")
        if np.any(~np.isfinite(np.stack(arrs))):
            raise InputError("DebrisOrbits: non-finite element")
        if np.any(e < 0) or np.any(e >= 1):
            raise InputError("DebrisOrbits: eccentricity must be in [0, 1)")
        if np.any(a * (1 - e) <= R_EARTH_EQUATORIAL * 0.5) or np.any(c < 0):
            raise InputError("DebrisOrbits: perigee inside the Earth or negative count")
        if np.any(i < 0) or np.any(i > np.pi):
            raise InputError("DebrisOrbits: inclination must be in [0, π]")
        for name, x in zip(("a_m", "e", "i_rad", "count"), arrs, strict=True):
            object.__setattr__(self, name, x)

    def __len__(self) -> int:
        return int(self.a_m.size)


@dataclass(frozen=True)
class KesslerEncounters:
    """Encounter branches at a target: `source_lvlh` (n, 3) unit vectors towards the source
    (LVLH: +x ram, +y starboard, +z nadir), `speed_m_s` (n,) relative speed [m s⁻¹], `flux`
    (n,) cross-section flux each contributes [m⁻² s⁻¹] (objects per unit area normal to the
    arrival direction per second, summed over the population's `count`)."""

    source_lvlh: NDArray[np.float64]
    speed_m_s: NDArray[np.float64]
    flux: NDArray[np.float64]

    @property
    def total_flux(self) -> float:
        """Σ flux [m⁻² s⁻¹]."""
        return float(self.flux.sum())

    def mean_speed_m_s(self) -> float:
        """Flux-weighted mean relative speed [m s⁻¹]."""
        return float((self.flux * self.speed_m_s).sum() / self.flux.sum())


def keplerian_radial_time_fraction(
    r1_m: ArrayLike, r2_m: ArrayLike, a_m: ArrayLike, e: ArrayLike
) -> NDArray[np.float64]:
    """Fraction of a Keplerian orbit's period spent at radius r ∈ [r1, r2] [-].

    With r = a(1 − e cos E) and M = E − e sin E: (M(E₂) − M(E₁))/π, E clipped to [0, π]
    (exact; the derivative is Kessler's (1981) radial density r/(π a √(a²e² − (r − a)²))).
    For e = 0 it is 1 when a ∈ [r1, r2), else 0. Radii [m], a [m] > 0, 0 ≤ e < 1.
    """
    r1 = np.asarray(r1_m, float)
    r2 = np.asarray(r2_m, float)
    a = np.asarray(a_m, float)
    ec = np.asarray(e, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        c1 = np.clip((1.0 - r1 / a) / ec, -1.0, 1.0)
        c2 = np.clip((1.0 - r2 / a) / ec, -1.0, 1.0)
        e1, e2 = np.arccos(c1), np.arccos(c2)
        frac = ((e2 - ec * np.sin(e2)) - (e1 - ec * np.sin(e1))) / np.pi
    circ = np.where((a >= r1) & (a < r2), 1.0, 0.0)
    return np.asarray(np.where(ec > 0, np.clip(frac, 0.0, 1.0), circ))


def inclined_latitude_time_fraction(
    phi1_rad: ArrayLike, phi2_rad: ArrayLike, i_rad: ArrayLike
) -> NDArray[np.float64]:
    """Fraction of time an orbit of inclination i with uniform argument of latitude spends at
    latitude φ ∈ [φ1, φ2] [-]: (asin(sin φ₂/sin i) − asin(sin φ₁/sin i))/π, ratios clipped to
    [−1, 1] (Kessler 1981's latitude density cos φ/(π √(sin² i − sin² φ)), integrated).
    Angles [rad]; an equatorial orbit (sin i = 0) spends all its time at φ = 0.
    """
    p1 = np.asarray(phi1_rad, float)
    p2 = np.asarray(phi2_rad, float)
    si = np.abs(np.sin(np.asarray(i_rad, float)))
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (
            np.arcsin(np.clip(np.sin(p2) / si, -1, 1)) - np.arcsin(np.clip(np.sin(p1) / si, -1, 1))
        ) / np.pi
    eq = np.where((p1 <= 0) & (p2 > 0), 1.0, 0.0)
    return np.asarray(np.where(si > 1e-12, f, eq))


def _target_track(radius_m: float, inc_rad: float, n: int) -> tuple[NDArray[np.float64], ...]:
    """Latitude and heading (from north towards east) at `n` evenly spaced arguments of latitude."""
    u = 2.0 * np.pi * (np.arange(n) + 0.5) / n
    lat = np.arcsin(np.sin(inc_rad) * np.sin(u))
    a_s = np.arcsin(np.clip(np.cos(inc_rad) / np.cos(lat), -1.0, 1.0))
    heading = np.where(np.cos(u) >= 0, a_s, np.pi - a_s)
    return lat, heading


def kessler_encounters(
    radius_m: float,
    inclination_rad: float,
    orbits: DebrisOrbits,
    *,
    n_positions: int = 360,
    shell_m: float = DEFAULT_SHELL_M,
    latitude_half_width_rad: float = DEFAULT_LATITUDE_HALF_WIDTH_RAD,
    chunk: int = 2000,
) -> KesslerEncounters:
    """Encounter branches of `orbits` with a circular target orbit (module docstring: Kessler 1981).

    `radius_m` [m] and `inclination_rad` [rad] of the target; every branch is averaged over
    `n_positions` target positions (each weighs 1/n_positions). Cells: shell `shell_m` [m],
    latitude ±`latitude_half_width_rad` [rad]. Returns the branches with non-zero flux.
    """
    if not (R_EARTH_EQUATORIAL + 150 * KM <= radius_m <= R_EARTH_EQUATORIAL + 40000 * KM):
        raise InputError(f"kessler_encounters: target radius {radius_m:g} m is not in orbit")
    if n_positions < 1 or shell_m <= 0 or latitude_half_width_rad <= 0:
        raise InputError("kessler_encounters: n_positions, shell_m, latitude width must be > 0")
    v_t = float(np.sqrt(MU_EARTH / radius_m))
    lat, head_t = _target_track(radius_m, inclination_rad, n_positions)
    p1 = np.clip(lat - latitude_half_width_rad, -np.pi / 2, np.pi / 2)
    p2 = np.clip(lat + latitude_half_width_rad, -np.pi / 2, np.pi / 2)
    volume = 2.0 * np.pi * radius_m**2 * shell_m * (np.sin(p2) - np.sin(p1))  # (n_u,)
    parts: list[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]] = []
    for lo in range(0, len(orbits), chunk):
        a = orbits.a_m[lo : lo + chunk]
        e = orbits.e[lo : lo + chunk]
        inc = orbits.i_rad[lo : lo + chunk]
        cnt = orbits.count[lo : lo + chunk]
        f_r = keplerian_radial_time_fraction(radius_m - shell_m / 2, radius_m + shell_m / 2, a, e)
        keep = (f_r > 0) & (cnt > 0)
        if not keep.any():
            continue
        a, e, inc, cnt, f_r = a[keep], e[keep], inc[keep], cnt[keep], f_r[keep]
        f_lat = inclined_latitude_time_fraction(p1[:, None], p2[:, None], inc[None, :])
        dens = cnt[None, :] * f_r[None, :] * f_lat / volume[:, None]  # (n_u, n_o) [m⁻³]
        v2 = MU_EARTH * (2.0 / radius_m - 1.0 / a)
        v_h = np.sqrt(MU_EARTH * a * (1.0 - e * e)) / radius_m
        v_r = np.sqrt(np.clip(v2 - v_h * v_h, 0.0, None))
        a_n = np.arcsin(np.clip(np.cos(inc)[None, :] / np.cos(lat)[:, None], -1.0, 1.0))
        for a_d in (a_n, np.pi - a_n):
            delta = a_d - head_t[:, None]
            for sign in (1.0, -1.0):
                rel = np.stack(
                    [
                        v_t - v_h[None, :] * np.cos(delta),
                        -v_h[None, :] * np.sin(delta),
                        np.broadcast_to(sign * v_r[None, :], delta.shape),
                    ],
                    axis=-1,
                )  # v_t − v_d in LVLH (z nadir: rising debris has v_z = −v_r, so −(−v_r))
                speed = np.linalg.norm(rel, axis=-1)
                flux = 0.25 * dens * speed / n_positions
                ok = (flux > 0) & (speed > 1.0)
                parts.append((rel[ok] / speed[ok][:, None], speed[ok], flux[ok]))
    if not parts:
        raise InputError("kessler_encounters: no debris orbit crosses the target's altitude")
    return KesslerEncounters(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def relative_speed_range_m_s(radius_m: float) -> tuple[float, float]:
    """Bounds of the relative speed of bound orbits at radius r [m s⁻¹]: 0 … v_c + v_esc."""
    v_c = float(np.sqrt(MU_EARTH / radius_m))
    return 0.0, v_c + float(np.sqrt(2.0 * MU_EARTH / radius_m))
