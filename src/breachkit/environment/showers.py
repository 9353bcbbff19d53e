"""Meteor showers: activity (ZHR), flux above a mass, radiant direction, shielding, focusing.

Data: src/breachkit/data/showers.csv (10 major annual showers; every value's source in the file
and in MANIFEST.toml). Peak λ⊙, ZHR, r, V∞ and radiant of all ten rows come from IMO calendar
editions (2006, 2013, the GEM entry, 2026 Table 5); the profile slopes of eight rows from
Jenniskens (1994) Table 3b through a secondary transcription; the radiant drifts of all rows and
the SDA/DRA slopes are UNVERIFIED recollections, labelled so row by row. Models:

* `solar_longitude_deg` — low-precision solar coordinates of the *Astronomical Almanac*
  (section C, "Low-precision formulas for the Sun"; also Meeus, *Astronomical Algorithms*
  ch. 25 "low accuracy"), stated accuracy 0.01° for 1950–2050, reduced to the J2000 equinox
  with the general precession in longitude (1.39697° per Julian century).
* `zhr_profile` — Jenniskens (1994) A&A 287, 990: ZHR = ZHR_max·10^(−B|λ−λ_max|), B = B⁺
  before and B⁻ after the peak.
* `koschack_rendtel_flux` — Koschack & Rendtel (1990) WGN 18: flux of meteoroids producing
  meteors brighter than +6.5 mag, Q = ZHR (13.1 r − 16.5)(r − 1.3)^0.748 / 37 200 km² h
  (constant 16.5 as implemented by the Global Meteor Network RMS `Utils/Flux.py`).
* `mass_index` — s = 1 + 2.5 log10 r.
* `verniani_mass` — m[g] = 10^((11.59 − M − 8.75 log10 v[km/s]) / 2.25) (Verniani 1964
  luminous efficiency with the Jacchia et al. 1967 fit, as given by Peterson 1999 and the GMN
  RMS `massVerniani`).
* Shielding (radiant below the Earth+100 km limb → 0) and single-speed focusing
  G = 1 + v_esc²/v_g² (ECSS-E-ST-10-04C C.1.2) per shower, relative to the top of the
  atmosphere where ZHR is measured.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.frames import eci_to_lvlh
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import julian_date
from breachkit._core.units import DEG, GRAM, HOUR, KM, KM_S, MU_EARTH
from breachkit._core.validity import ValidityRange, apply_validity, register
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.meteoroids import (
    ATMOSPHERE_M,
    ECSS_EARTH_RADIUS_M,
    FloatOrArray,
    grun_flux,
    mean_focusing_factor,
    sphere_diameter,
    sphere_mass,
)

__all__ = [
    "DEFAULT_SHOWER_DENSITY_KG_M3",
    "SHOWER_MASS_RANGE",
    "Shower",
    "get_shower",
    "koschack_rendtel_flux",
    "load_showers",
    "lvlh_azimuth_elevation",
    "mass_index",
    "radiant_j2000",
    "radiant_lvlh",
    "radiant_track",
    "radiant_visible",
    "shower_flux_above_mass",
    "shower_focusing_factor",
    "shower_population",
    "shower_to_sporadic_ratio",
    "shower_zhr",
    "solar_longitude_deg",
    "verniani_mass",
    "zhr_profile",
]

#: Density used to turn shower masses into sizes unless told otherwise [kg m⁻³]: 1 g/cm³, the
#: value of the NASA Handbook SSP 30425B runs (TM-2009-214785 Table 2-2). A choice, not a
#: measurement: Geminids are denser (asteroidal parent).
DEFAULT_SHOWER_DENSITY_KG_M3: Final = 1000.0

SHOWER_MASS_RANGE: Final = register(
    "shower_flux_above_mass",
    ValidityRange(
        "mass_kg",
        1e-12,
        0.1,
        "kg",
        source=(
            "breachkit choice: the Koschack-Rendtel flux to +6.5 mag (~1e-7 kg) extended as a "
            "power law in mass with s = 1 + 2.5 log10 r, as in the NASA MEO shower forecast"
        ),
    ),
)[0]

_PRECESSION_DEG_PER_CENTURY: Final = 1.3969713  # general precession in longitude (IAU 1976)


def solar_longitude_deg(t: Any) -> FloatOrArray:
    """Solar longitude λ⊙ referred to the mean equinox J2000.0 [deg] of UTC time(s) `t`.

    Astronomical Almanac low-precision formula (accuracy 0.01° in 1950–2050), n = JD − 2451545::

        L = 280.460° + 0.9856474° n,   g = 357.528° + 0.9856003° n
        λ_date = L + 1.915° sin g + 0.020° sin 2g
        λ_J2000 = λ_date − 1.3969713° · n / 36525

    UTC is used for TT (69 s ≈ 0.0008°, below the stated accuracy).
    """
    n = np.asarray(julian_date(t), dtype=float) - 2451545.0
    big_l = 280.460 + 0.9856474 * n
    g = np.deg2rad(357.528 + 0.9856003 * n)
    lam = big_l + 1.915 * np.sin(g) + 0.020 * np.sin(2.0 * g)
    lam = lam - _PRECESSION_DEG_PER_CENTURY * n / 36525.0
    out = np.mod(lam, 360.0)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class Shower:
    """One annual meteor shower's parameters (units in the names; see data/showers.csv)."""

    code: str
    name: str
    lambda_max_deg: float
    zhr_max: float
    population_index: float
    v_inf_km_s: float
    ra_deg: float
    dec_deg: float
    dra_deg_per_deg: float
    ddec_deg_per_deg: float
    b_plus_per_deg: float
    b_minus_per_deg: float
    peak_source: str
    drift_source: str
    slope_source: str

    @property
    def v_inf_m_s(self) -> float:
        """Atmospheric entry speed (includes Earth's gravity) [m s⁻¹]."""
        return self.v_inf_km_s * KM_S

    @property
    def geocentric_speed_m_s(self) -> float:
        """Hyperbolic excess speed v_g = sqrt(V∞² − v_esc(R_E + 100 km)²) [m s⁻¹]."""
        v_esc2 = 2.0 * MU_EARTH / (ECSS_EARTH_RADIUS_M + ATMOSPHERE_M)
        return float(np.sqrt(self.v_inf_m_s**2 - v_esc2))

    @property
    def mass_index(self) -> float:
        """s = 1 + 2.5 log10 r [-]."""
        return float(mass_index(self.population_index))

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_NUMERIC = (
    "lambda_max_deg",
    "zhr_max",
    "population_index",
    "v_inf_km_s",
    "ra_deg",
    "dec_deg",
    "dra_deg_per_deg",
    "ddec_deg_per_deg",
    "b_plus_per_deg",
    "b_minus_per_deg",
)

_SHOWERS: dict[str, Shower] | None = None


def load_showers() -> dict[str, Shower]:
    """The shipped shower table, keyed by IAU three-letter code."""
    global _SHOWERS
    if _SHOWERS is None:
        path = resources.files("breachkit.data").joinpath("showers.csv")
        out: dict[str, Shower] = {}
        with path.open("r", encoding="utf-8") as fh:
            rows = (line for line in fh if not line.startswith("#"))
            for row in csv.DictReader(rows):
                values: dict[str, Any] = dict(row)
                for k in _NUMERIC:
                    values[k] = float(row[k])
                out[row["code"]] = Shower(**values)
        _SHOWERS = out
    return dict(_SHOWERS)


def get_shower(code: str | Shower) -> Shower:
    """A shower by its three-letter code (e.g. ``"GEM"``), or pass one through."""
    if isinstance(code, Shower):
        return code
    table = load_showers()
    try:
        return table[code.upper()]
    except KeyError:
        raise InputError(f"shower {code!r} is unknown; choose one of {sorted(table)}") from None


def _delta_lambda(lam_deg: ArrayLike, lam_max_deg: float) -> NDArray[np.float64]:
    """Signed λ − λ_max wrapped into (−180°, 180°] [deg]."""
    d = np.asarray(lam_deg, dtype=float) - lam_max_deg
    return np.asarray(np.mod(d + 180.0, 360.0) - 180.0, dtype=float)


def zhr_profile(
    solar_longitude_deg: ArrayLike,
    zhr_max: float,
    lambda_max_deg: float,
    b_plus_per_deg: float,
    b_minus_per_deg: float,
) -> FloatOrArray:
    """Jenniskens (1994) double-exponential activity profile, ZHR at solar longitude λ [h⁻¹].

    ZHR = ZHR_max · 10^(−B⁺ (λ_max − λ)) before the peak, ZHR_max · 10^(−B⁻ (λ − λ_max)) after
    (Jenniskens 1994, A&A 287, 990, eq. 5; slopes B in per degree of solar longitude).
    """
    dl = _delta_lambda(solar_longitude_deg, lambda_max_deg)
    b = np.where(dl < 0, b_plus_per_deg, b_minus_per_deg)
    out = zhr_max * 10.0 ** (-b * np.abs(dl))
    return float(out) if out.ndim == 0 else out


def shower_zhr(shower: str | Shower, t: Any) -> FloatOrArray:
    """Zenithal hourly rate of `shower` at UTC time(s) `t` [h⁻¹] (Jenniskens 1994 profile)."""
    s = get_shower(shower)
    return zhr_profile(
        solar_longitude_deg(t), s.zhr_max, s.lambda_max_deg, s.b_plus_per_deg, s.b_minus_per_deg
    )


def mass_index(population_index: ArrayLike) -> FloatOrArray:
    """Mass index s = 1 + 2.5 log10 r of a population index r [-] (GMN RMS; standard)."""
    out = 1.0 + 2.5 * np.log10(np.asarray(population_index, dtype=float))
    return float(out) if out.ndim == 0 else out


def koschack_rendtel_flux(zhr: ArrayLike, population_index: ArrayLike) -> FloatOrArray:
    """Flux of meteoroids producing meteors ≥ +6.5 mag [m⁻² s⁻¹] (area ⟂ radiant, at the top
    of the atmosphere).

    Koschack & Rendtel (1990, WGN 18), in the form implemented by the Global Meteor Network
    (RMS `Utils/Flux.py`, `calculateZHR`, "Rendtel & Koschack 1990, paper 2 method")::

        Q_6.5 = ZHR · (13.1 r − 16.5) · (r − 1.3)^0.748 / 37 200   [km⁻² h⁻¹]

    Valid for r > 1.3 (the formula's own domain); NaN otherwise.
    """
    z = np.asarray(zhr, dtype=float)
    r = np.asarray(population_index, dtype=float)
    with np.errstate(invalid="ignore"):
        q = z * (13.1 * r - 16.5) * np.where(r > 1.3, r - 1.3, np.nan) ** 0.748 / 37200.0
    out = q / (KM * KM) / HOUR
    return float(out) if out.ndim == 0 else out


def verniani_mass(magnitude: ArrayLike, speed_m_s: ArrayLike) -> FloatOrArray:
    """Mass of a meteoroid giving a meteor of absolute magnitude M at speed v [kg].

    m[g] = 10^((11.59 − M − 8.75 log10 v[km/s]) / 2.25): Verniani (1964) luminous efficiency
    with the Jacchia, Verniani & Briggs (1967) Super-Schmidt fit, as given by Peterson (1999)
    and implemented in GMN RMS `massVerniani` (research note constants-2.md §6).
    """
    mag = np.asarray(magnitude, dtype=float)
    v = np.asarray(speed_m_s, dtype=float) / KM_S
    out = 10.0 ** ((11.59 - mag - 8.75 * np.log10(v)) / 2.25) * GRAM
    return float(out) if out.ndim == 0 else out


def shower_flux_above_mass(
    shower: str | Shower, mass_kg: ArrayLike, t: Any | None = None, *, zhr: float | None = None
) -> FloatOrArray:
    """Flux of shower meteoroids of mass ≥ m at the top of the atmosphere [m⁻² s⁻¹, ⟂ radiant].

    F(≥m) = Q_6.5 · (m / m_6.5)^(1−s), with Q_6.5 from `koschack_rendtel_flux`, m_6.5 the mass
    of a +6.5 mag meteor at the shower's V∞ (`verniani_mass`) and s = 1 + 2.5 log10 r. The ZHR
    is the profile value at `t` unless `zhr` is given. Mass range `SHOWER_MASS_RANGE`.
    """
    s = get_shower(shower)
    if zhr is None:
        if t is None:
            raise InputError("shower_flux_above_mass: give a time t or a zhr")
        z = np.asarray(shower_zhr(s, t), dtype=float)
    else:
        z = np.asarray(float(zhr))
    m = np.asarray(mass_kg, dtype=float)
    q = np.asarray(koschack_rendtel_flux(z, s.population_index))
    m65 = float(verniani_mass(6.5, s.v_inf_m_s))
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = q * (np.where(m > 0, m, np.nan) / m65) ** (1.0 - s.mass_index)
    return apply_validity("shower_flux_above_mass", raw, {"mass_kg": (m, SHOWER_MASS_RANGE)})


def radiant_j2000(shower: str | Shower, t: Any) -> NDArray[np.float64]:
    """Unit vector(s) towards the radiant in J2000 at time(s) `t` [-], shape (…, 3).

    RA = RA_peak + ΔRA·(λ − λ_max), Dec = Dec_peak + ΔDec·(λ − λ_max) (linear drift).
    """
    s = get_shower(shower)
    dl = _delta_lambda(solar_longitude_deg(t), s.lambda_max_deg)
    ra = (s.ra_deg + s.dra_deg_per_deg * dl) * DEG
    dec = (s.dec_deg + s.ddec_deg_per_deg * dl) * DEG
    return np.stack(
        [np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], axis=-1
    ).astype(float)


def radiant_visible(u_radiant: ArrayLike, r_eci_m: ArrayLike) -> NDArray[np.bool_]:
    """True where the radiant lies outside the Earth + 100 km cone seen from position r.

    `u_radiant` (…, 3) unit vector towards the radiant, `r_eci_m` (…, 3) position [m]. A
    radiant within η of nadir (sin η = (R_E + 100 km)/|r|) is blocked: the stream cannot reach
    the vehicle through the Earth.
    """
    u = np.asarray(u_radiant, dtype=float)
    r = np.asarray(r_eci_m, dtype=float)
    rn = np.linalg.norm(r, axis=-1)
    cos_to_nadir = -np.sum(u * r, axis=-1) / rn
    cos_eta = np.sqrt(np.clip(1.0 - ((ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / rn) ** 2, 0.0, None))
    return np.asarray(cos_to_nadir < cos_eta)


def radiant_lvlh(
    shower: str | Shower, t: Any, r_eci_m: ArrayLike, v_eci_m_s: ArrayLike
) -> NDArray[np.float64]:
    """Radiant unit vector in LVLH (+x ram, +y starboard, +z nadir) for the state (r, v) [-].

    This is the geocentric radiant (the direction the meteoroids come from in the Earth frame);
    the direction seen from the moving vehicle is in `shower_population`.
    """
    return eci_to_lvlh(radiant_j2000(shower, t), r_eci_m, v_eci_m_s)


def shower_focusing_factor(shower: str | Shower, radius_m: ArrayLike) -> FloatOrArray:
    """Gravitational focusing at r relative to the top of the atmosphere (where ZHR is measured).

    G(r)/G(R_E + 100 km) with the single-speed ECSS form G = 1 + v_esc(r)²/v_g², v_g the
    shower's hyperbolic excess speed [-]. Below 1 in orbit (less focusing than at the ground).
    """
    s = get_shower(shower)
    vg2 = s.geocentric_speed_m_s**2
    r = np.asarray(radius_m, dtype=float)
    g_r = 1.0 + 2.0 * MU_EARTH / r / vg2
    g_a = 1.0 + 2.0 * MU_EARTH / (ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / vg2
    out = g_r / g_a
    return float(out) if out.ndim == 0 else out


def shower_to_sporadic_ratio(
    shower: str | Shower, mass_kg: ArrayLike, t: Any, altitude_m: float
) -> FloatOrArray:
    """Shower flux ÷ sporadic flux above the same mass at an altitude, both unshielded [-].

    Both in the cross-section convention in the Earth frame: the shower's ⟂-radiant flux × its
    focusing to the orbit, over 4 × Grün × Ḡ(r) (ECSS focusing of the sporadic background).
    Grün (1985) already contains the *average* stream flux, so the ratio is that of the shower
    to the annual-average total. `mass_kg` [kg], `altitude_m` above 6378 km [m].
    """
    r = ECSS_EARTH_RADIUS_M + float(altitude_m)
    sh = np.asarray(shower_flux_above_mass(shower, mass_kg, t)) * float(
        shower_focusing_factor(shower, r)
    )
    sp = 4.0 * np.asarray(grun_flux(mass_kg)) * mean_focusing_factor(r)
    out = sh / sp
    return float(out) if out.ndim == 0 else out


def shower_population(
    shower: str | Shower,
    orbit: CircularOrbit,
    t: Any,
    *,
    latitude_arguments_rad: ArrayLike | None = None,
    raan_rad: float | None = None,
    n_positions: int = 72,
    density_kg_m3: float = DEFAULT_SHOWER_DENSITY_KG_M3,
    reference_diameter_m: float = 1e-4,
    diameter_grid_m: ArrayLike | None = None,
    zhr: float | None = None,
) -> Population:
    """A shower as collimated beams in LVLH, one per orbit position, averaged over the positions.

    For each argument of latitude u (default: `n_positions` evenly spaced; pass one value for a
    single position) the vehicle state (r, V) of the circular orbit at the RAAN of `orbit` (or
    `raan_rad`) gives: the geocentric meteoroid velocity w = −v(r)·û_radiant with
    v(r) = sqrt(v_g² + v_esc(r)²) (straight-line approach: the bending of the trajectories by
    gravity is neglected); the relative velocity w − V, whose opposite is the beam direction in
    LVLH; the flux F(≥m)·(G(r)/G_atm)·|w − V|/|w|, and zero when the radiant is below the
    Earth + 100 km limb. Each position carries weight 1/n. Diameter ↔ mass with
    `density_kg_m3` (spheres).
    """
    s = get_shower(shower)
    if latitude_arguments_rad is None:
        u = 2.0 * np.pi * (np.arange(n_positions) + 0.5) / n_positions
    else:
        u = np.atleast_1d(np.asarray(latitude_arguments_rad, dtype=float))
    if u.size < 1:
        raise InputError("shower_population: no orbit positions")
    r_eci, v_eci = orbit.state_at_latitude_argument(u, raan_rad)
    rad = radiant_j2000(s, t)
    radius = orbit.radius_m
    v_r = float(np.sqrt(s.geocentric_speed_m_s**2 + 2.0 * MU_EARTH / radius))
    w = -v_r * np.broadcast_to(rad, r_eci.shape)
    w_rel = w - v_eci
    v_rel = np.linalg.norm(w_rel, axis=-1)
    u_rel_eci = -w_rel / v_rel[:, None]
    u_rel = eci_to_lvlh(u_rel_eci, r_eci, v_eci)
    visible = radiant_visible(np.broadcast_to(rad, r_eci.shape), r_eci)

    d_grid = (
        np.geomspace(2e-5, 3e-2, 81)
        if diameter_grid_m is None
        else np.asarray(diameter_grid_m, dtype=float)
    )
    m_ref = float(sphere_mass(reference_diameter_m, density_kg_m3))
    f_ref = float(shower_flux_above_mass(s, m_ref, t, zhr=zhr))
    m_grid = np.asarray(sphere_mass(d_grid, density_kg_m3))
    f_grid = np.asarray(shower_flux_above_mass(s, m_grid, t, zhr=zhr))
    if not np.all(np.isfinite(f_grid)) or not np.isfinite(f_ref):
        raise InputError(f"shower_population {s.code}: size table outside {SHOWER_MASS_RANGE}")
    g = float(shower_focusing_factor(s, radius))
    per_pos = f_ref * g * (v_rel / v_r) * visible / u.size
    n = u.size
    flux = np.zeros((n, n))
    flux[np.arange(n), np.arange(n)] = per_pos
    grid = DirectionGrid(u_rel, np.zeros(n), "lvlh")
    frac = f_grid / f_ref if f_ref > 0 else np.ones_like(f_grid)
    return Population(
        name=s.code,
        kind="meteoroid",
        directions=grid,
        speed_m_s=v_rel,
        flux=flux,
        reference_diameter_m=float(reference_diameter_m),
        diameter_grid_m=d_grid,
        cumulative_fraction=frac,
        density_kg_m3=float(density_kg_m3),
        source=(
            f"{s.name}: IMO peak ({s.peak_source}), Jenniskens 1994 profile ({s.slope_source}), "
            "Koschack & Rendtel 1990 flux to +6.5 mag, Verniani/Jacchia m_6.5, "
            f"s = 1 + 2.5 log10 r, ρ = {density_kg_m3:g} kg/m³, focusing ×{g:.4f}, "
            "Earth+100 km shielding per position"
        ),
    )


def shower_diameter_of_mass(mass_kg: ArrayLike, density_kg_m3: float) -> FloatOrArray:
    """Sphere diameter of a shower meteoroid of mass m [m] (alias of `sphere_diameter`)."""
    return sphere_diameter(mass_kg, density_kg_m3)


def active_showers(t: Any, *, window_days: float = 7.0, min_zhr: float = 2.0) -> list[str]:
    """Codes of the showers whose ZHR reaches `min_zhr` [h⁻¹] within ± window_days/2 of `t`."""
    from breachkit._core.timeutil import to_utc

    centre = to_utc(t)
    base = np.datetime64(centre.replace(tzinfo=None), "s")
    half = float(window_days) / 2.0
    steps = np.linspace(-half, half, int(max(4, window_days * 24)) + 1)
    times = base + (steps * 86400.0).astype("timedelta64[s]")
    out = []
    for code, s in load_showers().items():
        if float(np.max(np.asarray(shower_zhr(s, times)))) >= min_zhr:
            out.append(code)
    return out


def peak_time(shower: str | Shower, year: int) -> datetime:
    """UTC time in `year` when λ⊙ equals the shower's λ_max (Newton iteration on the formula)."""
    from datetime import UTC, timedelta

    s = get_shower(shower)
    t = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
        days=(s.lambda_max_deg - 280.0) % 360.0 / 0.9856
    )
    for _ in range(6):
        dl = float(_delta_lambda(solar_longitude_deg(t), s.lambda_max_deg))
        t = t - timedelta(days=dl / 0.98)
    return t


def lvlh_azimuth_elevation(u_lvlh: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Azimuth from ram towards starboard and elevation towards zenith of LVLH vectors [rad]."""
    u = np.asarray(u_lvlh, dtype=float)
    az = np.mod(np.arctan2(u[..., 1], u[..., 0]), 2.0 * np.pi)
    el = np.arcsin(np.clip(-u[..., 2], -1.0, 1.0))
    return np.asarray(az), np.asarray(el)


def radiant_track(
    shower: str | Shower,
    orbit: CircularOrbit,
    t: Any,
    latitude_arguments_rad: ArrayLike,
    raan_rad: float | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Where a shower comes from along a circular orbit, in LVLH, at time `t`.

    For each argument of latitude u [rad] (node `raan_rad`, default the orbit's): the geocentric
    radiant in LVLH (`geocentric_lvlh`), the direction the beam arrives from as seen by the
    moving vehicle (`relative_lvlh`), their azimuths (from ram towards starboard) and elevations
    (towards zenith) [rad], the relative speed [m s⁻¹] and whether the radiant is above the
    Earth + 100 km limb. Also `beta_rad`: the radiant's angle out of the orbit plane (positive
    towards the orbit normal, i.e. port), constant along the orbit.
    """
    s = get_shower(shower)
    u = np.atleast_1d(np.asarray(latitude_arguments_rad, dtype=float))
    r, v = orbit.state_at_latitude_argument(u, raan_rad)
    rad = np.broadcast_to(radiant_j2000(s, t), r.shape)
    geo = eci_to_lvlh(rad, r, v)
    v_r = float(np.sqrt(s.geocentric_speed_m_s**2 + 2.0 * MU_EARTH / orbit.radius_m))
    w_rel = -v_r * rad - v
    v_rel = np.linalg.norm(w_rel, axis=-1)
    rel = eci_to_lvlh(-w_rel / v_rel[:, None], r, v)
    gaz, gel = lvlh_azimuth_elevation(geo)
    raz, rel_el = lvlh_azimuth_elevation(rel)
    return {
        "latitude_argument_rad": u,
        "geocentric_lvlh": geo,
        "relative_lvlh": rel,
        "geocentric_azimuth_rad": gaz,
        "geocentric_elevation_rad": gel,
        "relative_azimuth_rad": raz,
        "relative_elevation_rad": rel_el,
        "relative_speed_m_s": v_rel,
        "visible": radiant_visible(rad, r).astype(float),
        "beta_rad": np.arcsin(np.clip(-geo[:, 1], -1.0, 1.0)),
    }
