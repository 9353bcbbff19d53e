"""Directional sporadic meteoroid model in LVLH: Grün flux, ECSS focusing and shielding, motion.

Model (all choices documented in docs/environment.md):

1. **Baseline**: an isotropic field of meteoroids in the Earth-centred inertial frame at the
   vehicle's position (ECSS-E-ST-10-04C Annex C assumes isotropy). This is the default model
   ("isotropic"). The opt-in "sources" model (`sporadic_sources_population`) replaces only this
   step by the helion/antihelion/apex/toroidal source structure, whose parameters are an
   UNVERIFIED transcription of Jones & Brown (1993) — see the end of this module and the docs.
2. **Flux level**: the Grün (1985) random-plate flux above the mass of a sphere of diameter d
   (density law of the chosen `MeteoroidModel`), × 4 for the cross-section convention,
   × Ḡ(r) (speed-averaged gravitational focusing, ECSS C.1.2) .
3. **Speeds**: the (candidate, UNVERIFIED) ECSS Table C-1 distribution re-binned to the orbit
   radius (v = sqrt(v∞² + v_esc²), weights n·G / Ḡ).
4. **Earth shielding**: geocentric arrival directions inside the cone of half-angle η around
   nadir (sin η = (R_E + 100 km)/r) are removed — the directional form of ECSS C.1.3.
5. **Vehicle motion**: each geocentric velocity w (direction, speed) is seen from the vehicle as
   w − V (V = circular orbit velocity along +x); the flux in that cell is multiplied by
   |w − V|/|w| (number density × relative speed). The result is binned on an equal-area
   "igloo" grid in LVLH and in 1 km/s relative-speed bins.

Because the baseline is isotropic in the inertial frame, the LVLH table does not depend on the
position along a circular orbit, only on its radius.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import to_utc
from breachkit._core.units import KM_S, MU_EARTH
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.meteoroids import (
    ATMOSPHERE_M,
    ECSS_EARTH_RADIUS_M,
    FloatOrArray,
    MeteoroidModel,
    TabulatedSpeedDistribution,
    earth_shielding_factor,
    get_meteoroid_model,
    orbit_speed_distribution,
    spacecraft_motion_factor,
)

__all__ = [
    "DEFAULT_SPORADIC_DIAMETERS_M",
    "OBLIQUITY_J2000_RAD",
    "SPORADIC_DIRECTIONAL_MODELS",
    "SporadicSource",
    "earth_apex_direction_eci",
    "eci_to_sun_centred_ecliptic",
    "ecss_orbit_flux",
    "fibonacci_directions",
    "get_sporadic_directional_model",
    "igloo_grid",
    "load_sporadic_sources",
    "population_speed_distribution",
    "sporadic_population",
    "sporadic_source_density",
    "sporadic_sources_population",
]

#: Size table of the sporadic population [m]: 1 µm … 4 cm (inside Grün's 0.1 kg limit for every
#: registered density law: 4 cm at 2.5 g/cm³ is 0.084 kg).
DEFAULT_SPORADIC_DIAMETERS_M: Final = np.geomspace(1e-6, 4e-2, 121)


def fibonacci_directions(n: int) -> NDArray[np.float64]:
    """(n, 3) equal-area Fibonacci lattice of unit vectors (the same as DirectionGrid.fibonacci)."""
    return DirectionGrid.fibonacci(n).vectors


def igloo_grid(n_elevation: int, n_azimuth: int, frame: str = "lvlh") -> DirectionGrid:
    """An equal-area grid: `n_elevation` bands equal in z, each cut into `n_azimuth` sectors.

    Cell (i, j) spans z ∈ [1 − 2(i+1)/n_el, 1 − 2i/n_el] and azimuth φ ∈ [2πj/n_az, 2π(j+1)/n_az]
    (φ measured from +x towards +y); each cell is 4π/(n_el·n_az) sr; its vector is the cell
    centre. Row-major order (i slowest). Use `igloo_index` to bin vectors.
    """
    if n_elevation < 1 or n_azimuth < 1:
        raise InputError("igloo_grid: n_elevation and n_azimuth must be >= 1")
    z = 1.0 - (2.0 * np.arange(n_elevation) + 1.0) / n_elevation
    phi = 2.0 * np.pi * (np.arange(n_azimuth) + 0.5) / n_azimuth
    zz, pp = np.meshgrid(z, phi, indexing="ij")
    s = np.sqrt(np.clip(1.0 - zz**2, 0.0, None))
    v = np.stack([s * np.cos(pp), s * np.sin(pp), zz], axis=-1).reshape(-1, 3)
    n = n_elevation * n_azimuth
    return DirectionGrid(v, np.full(n, 4.0 * np.pi / n), frame)


def igloo_index(vectors: ArrayLike, n_elevation: int, n_azimuth: int) -> NDArray[np.intp]:
    """Cell index of each unit vector (…, 3) in `igloo_grid(n_elevation, n_azimuth)`."""
    u = np.asarray(vectors, dtype=float)
    iz = np.clip(np.floor((1.0 - u[..., 2]) / 2.0 * n_elevation), 0, n_elevation - 1)
    phi = np.mod(np.arctan2(u[..., 1], u[..., 0]), 2.0 * np.pi)
    ia = np.clip(np.floor(phi / (2.0 * np.pi) * n_azimuth), 0, n_azimuth - 1)
    return np.asarray(iz * n_azimuth + ia, dtype=np.intp)


def _grid_shape(n_directions: int) -> tuple[int, int]:
    n_el = max(2, round(np.sqrt(n_directions / 2.0)))
    return n_el, 2 * n_el


def ecss_orbit_flux(
    diameter_m: ArrayLike,
    altitude_m: float,
    *,
    model: str | MeteoroidModel = "grun-ssp30425",
    vehicle_speed_m_s: float | None = None,
    shielding: bool = True,
    distribution: TabulatedSpeedDistribution | None = None,
) -> FloatOrArray:
    """Omnidirectional sporadic flux on a randomly tumbling plate in orbit [m⁻² s⁻¹].

    ECSS-E-ST-10-04C eq. (C-15): F = Ḡ · sf · K · F_Grün(≥m(d)), with Ḡ the speed-averaged
    focusing (C.1.2), sf the Earth-shielding factor (C.1.3) and K the flux enhancement by the
    vehicle's motion, here the isotropic closed form averaged over the re-binned speed
    distribution, K = Σ w_k (1 + V²/(3 v_k²)) (C.1.3.2). `diameter_m` [m], `altitude_m` above
    6378 km [m], `vehicle_speed_m_s` [m s⁻¹] (default: circular speed; 0 for a body at rest
    relative to the Earth's centre). Set `shielding=False` to leave the Earth out (sf = 1).
    """
    m = get_meteoroid_model(model)
    r = ECSS_EARTH_RADIUS_M + float(altitude_m)
    osd = orbit_speed_distribution(r, distribution)
    big_v = np.sqrt(MU_EARTH / r) if vehicle_speed_m_s is None else float(vehicle_speed_m_s)
    k = float((osd.weights * np.asarray(spacecraft_motion_factor(osd.speeds_m_s, big_v))).sum())
    sf = float(earth_shielding_factor(altitude_m)) if shielding else 1.0
    base = np.asarray(m.flux_above_diameter(diameter_m), dtype=float)
    out = base * osd.mean_focusing * sf * k
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class _SporadicLevel:
    """What both directional sporadic models share: the flux model, the orbit radius and speed,
    the orbit speed distribution, the size table and the unshielded cross-section flux."""

    model: MeteoroidModel
    radius_m: float
    vehicle_speed_m_s: float
    speeds: Any
    d_grid: NDArray[np.float64]
    f_ref: float
    f_grid: NDArray[np.float64]
    cross_section: float


def _sporadic_level(
    who: str,
    altitude_m: float,
    model: str | MeteoroidModel,
    vehicle_speed_m_s: float | None,
    distribution: TabulatedSpeedDistribution | None,
    diameter_grid_m: ArrayLike | None,
    reference_diameter_m: float,
) -> _SporadicLevel:
    m = get_meteoroid_model(model)
    if not np.isfinite(altitude_m) or altitude_m <= ATMOSPHERE_M:
        raise InputError(f"{who} altitude_m: {altitude_m!r} must be > 100 km")
    r = ECSS_EARTH_RADIUS_M + float(altitude_m)
    big_v = np.sqrt(MU_EARTH / r) if vehicle_speed_m_s is None else float(vehicle_speed_m_s)
    osd = orbit_speed_distribution(r, distribution)
    d_grid = (
        DEFAULT_SPORADIC_DIAMETERS_M
        if diameter_grid_m is None
        else np.asarray(diameter_grid_m, dtype=float)
    )
    f_ref = float(m.flux_above_diameter(reference_diameter_m))
    f_grid = np.asarray(m.flux_above_diameter(d_grid), dtype=float)
    if not np.isfinite(f_ref) or not np.all(np.isfinite(f_grid)):
        raise InputError(f"{who}: size table outside the flux model's mass range")
    # [m⁻² s⁻¹], Earth frame, unshielded
    cross_section = 4.0 * f_ref * osd.mean_focusing
    return _SporadicLevel(m, r, float(big_v), osd, d_grid, f_ref, f_grid, float(cross_section))


def sporadic_population(
    altitude_m: float,
    *,
    model: str | MeteoroidModel = "grun-ssp30425",
    vehicle_speed_m_s: float | None = None,
    shielding: bool = True,
    n_directions: int = 648,
    n_source_directions: int = 20000,
    speed_bin_m_s: float = 1.0 * KM_S,
    reference_diameter_m: float = 1e-4,
    diameter_grid_m: ArrayLike | None = None,
    distribution: TabulatedSpeedDistribution | None = None,
    name: str = "sporadic",
) -> Population:
    """Directional sporadic meteoroid flux in LVLH for a circular orbit (see module docstring).

    Parameters
    ----------
    altitude_m
        Orbit altitude above 6378 km (the ECSS Earth radius) [m].
    model
        Meteoroid flux+density pairing (`METEOROID_MODELS` name or object).
    vehicle_speed_m_s
        Vehicle speed along +x [m s⁻¹]; default the circular speed sqrt(μ/r).
    shielding
        Remove the Earth + 100 km cone (default True).
    n_directions
        Approximate number of LVLH direction cells of the output igloo grid.
    n_source_directions
        Number of geocentric arrival directions sampled (Fibonacci lattice).
    speed_bin_m_s
        Width of the relative-speed bins [m s⁻¹].
    reference_diameter_m, diameter_grid_m
        Size table of the `Population` [m].

    Returns
    -------
    Population (kind "meteoroid", frame "lvlh"), flux per cell in the cross-section convention
    [m⁻² s⁻¹] for diameters ≥ `reference_diameter_m`; density = the model's density at the
    reference diameter.
    """
    lv = _sporadic_level(
        "sporadic_population",
        altitude_m,
        model,
        vehicle_speed_m_s,
        distribution,
        diameter_grid_m,
        reference_diameter_m,
    )
    m, r, big_v, osd, d_grid = lv.model, lv.radius_m, lv.vehicle_speed_m_s, lv.speeds, lv.d_grid
    f_ref, f_grid, cross_section = lv.f_ref, lv.f_grid, lv.cross_section

    u_geo = fibonacci_directions(n_source_directions)  # towards the source, LVLH axes
    if shielding:
        cos_eta = np.sqrt(1.0 - ((ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / r) ** 2)
        keep = u_geo[:, 2] < cos_eta  # +z is nadir: drop the Earth's cone
        u_geo = u_geo[keep]
    w_dir = 1.0 / n_source_directions

    v = osd.speeds_m_s  # (n_v,)
    # particle velocity w = -v u ; relative velocity w - V x̂ ; direction towards source -(w-V)
    w_rel = -(u_geo[:, None, :] * v[None, :, None])
    w_rel[..., 0] -= big_v
    v_rel = np.linalg.norm(w_rel, axis=-1)
    u_rel = -w_rel / v_rel[..., None]
    weight = cross_section * w_dir * osd.weights[None, :] * (v_rel / v[None, :])

    n_el, n_az = _grid_shape(n_directions)
    grid = igloo_grid(n_el, n_az)
    cell = igloo_index(u_rel, n_el, n_az).ravel()
    n_bins = int(np.ceil((float(v_rel.max()) + 1.0) / speed_bin_m_s))
    sbin = np.minimum((v_rel.ravel() / speed_bin_m_s).astype(np.intp), n_bins - 1)
    flux = np.zeros((len(grid), n_bins))
    np.add.at(flux, (cell, sbin), weight.ravel())
    speed_sum = np.zeros(n_bins)
    np.add.at(speed_sum, sbin, (weight * v_rel).ravel())
    used = flux.sum(axis=0) > 0
    speeds = np.where(used, speed_sum / np.where(used, flux.sum(axis=0), 1.0), 0.0)
    flux, speeds = flux[:, used], speeds[used]
    ref_density = float(m.density_at_diameter(reference_diameter_m))
    return Population(
        name=name,
        kind="meteoroid",
        directions=grid,
        speed_m_s=speeds,
        flux=flux,
        reference_diameter_m=float(reference_diameter_m),
        diameter_grid_m=d_grid,
        cumulative_fraction=f_grid / f_ref,
        density_kg_m3=ref_density,
        source=(
            f"{m.source}; ECSS-E-ST-10-04C C.1 focusing (Ḡ={osd.mean_focusing:.4f}) "
            f"{'and Earth+100 km shielding ' if shielding else ''}with the candidate "
            f"(UNVERIFIED) Table C-1 speeds; isotropic inertial baseline; vehicle {big_v:.0f} m/s"
        ),
    )


def population_speed_distribution(
    pop: Population, bin_m_s: float = 1.0 * KM_S
) -> TabulatedSpeedDistribution:
    """Impact-speed distribution of a population (flux-weighted over all cells), binned [m s⁻¹].

    Per-impact convention: the weight of a speed bin is the cross-section flux in it. Useful to
    sample impact speeds (`.sample(n, rng)`) or quote the mean seen by the moving vehicle.
    """
    w = pop.flux.sum(axis=0)
    if w.sum() <= 0:
        raise InputError(f"population {pop.name}: zero flux, no speed distribution")
    n_b = int(np.ceil((float(pop.speed_m_s.max()) + 1.0) / bin_m_s))
    edges = np.asarray(np.arange(n_b + 1) * bin_m_s, dtype=np.float64)
    p = np.zeros(n_b)
    np.add.at(p, np.minimum((pop.speed_m_s / bin_m_s).astype(np.intp), n_b - 1), w)
    return TabulatedSpeedDistribution(
        edges,
        p,
        name=f"{pop.name} impact speeds",
        source=pop.source,
        convention="per-impact",
    )


# ---------------------------------------------------------------------------------------------
# Opt-in directional structure: the sporadic sources (helion, antihelion, apex, toroidal)
# ---------------------------------------------------------------------------------------------

#: Mean obliquity of the ecliptic at J2000.0, ε₀ = 84381.448″ = 23.4392911° (IAU 1976;
#: Astronomical Almanac) [rad].
OBLIQUITY_J2000_RAD: Final = float(np.radians(84381.448 / 3600.0))

#: The bundled source table (data/MANIFEST.toml): UNVERIFIED transcription, see docs.
SPORADIC_SOURCES_FILE: Final = "sporadic_sources_jones_brown1993_candidate.csv"


@dataclass(frozen=True)
class SporadicSource:
    """One sporadic radiant source in Sun-centred ecliptic coordinates (geocentric radiants).

    `sun_centred_longitude_rad` is λ − λ⊙ (λ⊙ the solar longitude; the Earth's apex is at
    λ − λ⊙ = 270°), `latitude_rad` the ecliptic latitude β of the centre; `sigma_*` the angular
    widths (von Mises concentration 1/σ²) along and across the ecliptic; `relative_strength`
    the source's share of all meteoroids (any positive scale: only ratios matter).
    """

    name: str
    sun_centred_longitude_rad: float
    latitude_rad: float
    sigma_longitude_rad: float
    sigma_latitude_rad: float
    relative_strength: float


def load_sporadic_sources(name: str = SPORADIC_SOURCES_FILE) -> tuple[SporadicSource, ...]:
    """The source table shipped in breachkit/data (degrees converted to radians)."""
    text = (resources.files("breachkit") / "data" / name).read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append(
            SporadicSource(
                name=row["source"],
                sun_centred_longitude_rad=float(np.radians(float(row["lambda_minus_sun_deg"]))),
                latitude_rad=float(np.radians(float(row["beta_deg"]))),
                sigma_longitude_rad=float(np.radians(float(row["sigma_lambda_deg"]))),
                sigma_latitude_rad=float(np.radians(float(row["sigma_beta_deg"]))),
                relative_strength=float(row["relative_flux"]),
            )
        )
    return tuple(out)


def _von_mises(x: NDArray[np.float64], sigma_rad: float) -> NDArray[np.float64]:
    """Normalised von Mises density on the circle, concentration κ = 1/σ² [rad⁻¹]."""
    kappa = 1.0 / sigma_rad**2
    # exp(κ cos x) / (2π I0(κ)), written with exp(−κ) factored out to avoid overflow
    return np.asarray(
        np.exp(kappa * (np.cos(x) - 1.0)) / (2.0 * np.pi * np.i0(kappa) * np.exp(-kappa))
    )


def sporadic_source_density(
    sun_centred_longitude_rad: ArrayLike,
    latitude_rad: ArrayLike,
    sources: tuple[SporadicSource, ...] | None = None,
) -> FloatOrArray:
    """Radiant density of the sporadic sources per steradian [sr⁻¹] at (λ − λ⊙, β).

    p(u) = Σ_s S_s p_s(u) / Σ_s S_s, each source a product of von Mises densities in its own
    frame (the source centre rotated to (0, 0): longitude l′ and latitude b′ of u there),
    p_s = VM(l′; 1/σ_λ²) · VM(b′; 1/σ_β²) / cos b′ — the density of the construction in
    WesternMeteorPyLib's sporadic model (von Mises draws of (l′, b′) rotated to the centre),
    whose source parameters are from Jones & Brown (1993), MNRAS 265, 524 (UNVERIFIED
    transcription, docs/environment.md). ∫ p dΩ = 1 to 1e-3 for σ ≤ 15° (at σ = 25° the
    latitude density leaks ~0.1 % past ±90°); the population normalises on its lattice. Directions are geocentric
    radiants (towards the source). Angles in [rad].
    """
    srcs = load_sporadic_sources() if sources is None else sources
    lam = np.asarray(sun_centred_longitude_rad, dtype=float)
    bet = np.asarray(latitude_rad, dtype=float)
    u = np.stack(
        np.broadcast_arrays(np.cos(bet) * np.cos(lam), np.cos(bet) * np.sin(lam), np.sin(bet)),
        axis=-1,
    )
    total = sum(s.relative_strength for s in srcs)
    out = np.zeros(u.shape[:-1])
    for s in srcs:
        cl, sl = np.cos(s.sun_centred_longitude_rad), np.sin(s.sun_centred_longitude_rad)
        cb, sb = np.cos(s.latitude_rad), np.sin(s.latitude_rad)
        # R = Ry(β_c) Rz(−λ_c): the centre → (1, 0, 0), ecliptic north stays "up"
        x1 = cl * u[..., 0] + sl * u[..., 1]
        y1 = -sl * u[..., 0] + cl * u[..., 1]
        z1 = u[..., 2]
        x2 = cb * x1 + sb * z1
        z2 = -sb * x1 + cb * z1
        lp = np.arctan2(y1, x2)
        bp = np.arcsin(np.clip(z2, -1.0, 1.0))
        dens = (
            _von_mises(lp, s.sigma_longitude_rad)
            * _von_mises(bp, s.sigma_latitude_rad)
            / np.maximum(np.cos(bp), 1e-12)
        )
        out = out + s.relative_strength / total * dens
    return float(out) if out.ndim == 0 else out


def eci_to_sun_centred_ecliptic(
    u_eci: ArrayLike, solar_longitude_rad: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(λ − λ⊙, β) [rad] of unit vectors (…, 3) in J2000 equatorial axes (mean obliquity ε₀)."""
    u = np.asarray(u_eci, dtype=float)
    ce, se = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
    y = ce * u[..., 1] + se * u[..., 2]
    z = -se * u[..., 1] + ce * u[..., 2]
    lam = np.mod(np.arctan2(y, u[..., 0]) - solar_longitude_rad, 2.0 * np.pi)
    return lam, np.arcsin(np.clip(z, -1.0, 1.0))


def earth_apex_direction_eci(t: Any) -> NDArray[np.float64]:
    """Unit vector (J2000 equatorial) of the Earth's apex at UTC `t`: ecliptic longitude λ⊙ − 90°.

    The direction of the Earth's heliocentric orbital motion for a circular orbit (the apex
    drifts by up to ±1° with the orbit's eccentricity e = 0.0167, not modelled).
    """
    from breachkit.environment.showers import solar_longitude_deg

    lam = np.radians(float(solar_longitude_deg(t)) - 90.0)
    ce, se = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
    return np.array([np.cos(lam), ce * np.sin(lam), se * np.sin(lam)])


def _samples(
    orbit: CircularOrbit, times: list[Any], u: ArrayLike | None, raan: ArrayLike | None
) -> list[tuple[Any, NDArray[np.float64], NDArray[np.float64]]]:
    """(t, r (P, 3), v (P, 3)) vehicle states for every time × node (P positions each)."""
    out: list[tuple[Any, NDArray[np.float64], NDArray[np.float64]]] = []
    for t in times:
        if u is None:
            if orbit.epoch is None:
                raise InputError(
                    "sporadic_sources_population: the orbit has no epoch, so its position at "
                    "t is unknown; give latitude_arguments_rad (and raan_rad)"
                )
            r, v = orbit.state(t)
            out.append((t, np.atleast_2d(r), np.atleast_2d(v)))
            continue
        uu = np.atleast_1d(np.asarray(u, dtype=float))
        if raan is not None:
            nodes = [float(x) for x in np.atleast_1d(np.asarray(raan, dtype=float))]
        elif orbit.epoch is not None:  # the orbit's node, propagated to t
            dt = (to_utc(t) - to_utc(orbit.epoch)).total_seconds()
            nodes = [orbit.raan_rad + orbit.raan_rate_rad_s * dt]
        else:
            nodes = [orbit.raan_rad]
        for om in nodes:
            r, v = orbit.state_at_latitude_argument(uu, om)
            out.append((t, np.atleast_2d(r), np.atleast_2d(v)))
    return out


def sporadic_sources_population(
    orbit: CircularOrbit,
    t: Any,
    *,
    latitude_arguments_rad: ArrayLike | None = None,
    raan_rad: ArrayLike | None = None,
    model: str | MeteoroidModel = "grun-ssp30425",
    vehicle_speed_m_s: float | None = None,
    shielding: bool = True,
    n_directions: int = 648,
    n_source_directions: int = 20000,
    speed_bin_m_s: float = 1.0 * KM_S,
    reference_diameter_m: float = 1e-4,
    diameter_grid_m: ArrayLike | None = None,
    distribution: TabulatedSpeedDistribution | None = None,
    sources: tuple[SporadicSource, ...] | None = None,
    name: str = "sporadic",
) -> Population:
    """Directional sporadic flux in LVLH with the sporadic source structure (opt-in model).

    Identical to `sporadic_population` (same Grün level × Ḡ, same speed distribution, same
    Earth + 100 km shielding and vehicle-motion transformation) except step 1: geocentric arrival
    directions are weighted by `sporadic_source_density` instead of uniformly. The weights are
    normalised over the whole sphere, so the direction-integrated flux before shielding equals
    the isotropic model's (conservation). The Sun-centred frame is fixed by the solar longitude
    of `t`; the LVLH frame by the vehicle state:

    * position(s): `orbit.state(t)` when `latitude_arguments_rad` is None (needs `orbit.epoch`),
      else the given arguments of latitude with node `raan_rad` (an array of nodes, or None: the
      orbit's node, propagated to each t with `raan_rate_rad_s` when `orbit.epoch` is set), each
      sample weighted equally;
    * `t` a time or a sequence of UTC times (averaged with equal weights).

    Speeds are independent of direction (the ECSS distribution for every source): the
    direction–speed correlation of the real sources (fast apex, slow helion/antihelion) is NOT
    modelled. See docs/environment.md for the status of the source parameters (UNVERIFIED).
    """
    from breachkit._core.frames import lvlh_basis
    from breachkit.environment.showers import solar_longitude_deg

    srcs = load_sporadic_sources() if sources is None else tuple(sources)
    if not srcs or any(s.relative_strength < 0 for s in srcs):
        raise InputError("sporadic_sources_population sources: need >= 1 source, strengths >= 0")
    times = list(t) if isinstance(t, list | tuple) else [t]
    samples = _samples(orbit, times, latitude_arguments_rad, raan_rad)
    n_samples = sum(r.shape[0] for _, r, _ in samples)

    lv = _sporadic_level(
        "sporadic_sources_population",
        float(orbit.altitude_m),
        model,
        vehicle_speed_m_s,
        distribution,
        diameter_grid_m,
        reference_diameter_m,
    )
    m, r_mag, big_v, osd, d_grid = lv.model, lv.radius_m, lv.vehicle_speed_m_s, lv.speeds, lv.d_grid
    f_ref, f_grid, cross_section = lv.f_ref, lv.f_grid, lv.cross_section

    lattice = fibonacci_directions(n_source_directions)  # towards the source, LVLH axes
    cos_eta = np.sqrt(1.0 - ((ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / r_mag) ** 2)
    keep = lattice[:, 2] < cos_eta if shielding else np.ones(len(lattice), dtype=bool)
    u_geo = lattice[keep]
    v = osd.speeds_m_s
    w_rel = -(u_geo[:, None, :] * v[None, :, None])
    w_rel[..., 0] -= big_v
    v_rel = np.linalg.norm(w_rel, axis=-1)
    u_rel = -w_rel / v_rel[..., None]
    motion = osd.weights[None, :] * (v_rel / v[None, :])

    n_el, n_az = _grid_shape(n_directions)
    grid = igloo_grid(n_el, n_az)
    cell = igloo_index(u_rel, n_el, n_az).ravel()
    n_bins = int(np.ceil((float(v_rel.max()) + 1.0) / speed_bin_m_s))
    sbin = np.minimum((v_rel.ravel() / speed_bin_m_s).astype(np.intp), n_bins - 1)
    w_dir = np.zeros(len(u_geo))
    for when, rs, vs in samples:
        lam_sun = float(np.radians(float(solar_longitude_deg(when))))
        basis = lvlh_basis(rs, vs)  # (P, 3, 3), rows = LVLH axes in ECI
        u_eci = np.einsum("pji,nj->pni", basis, lattice)  # (P, N, 3)
        lam, bet = eci_to_sun_centred_ecliptic(u_eci, lam_sun)
        p = np.asarray(sporadic_source_density(lam, bet, srcs))  # (P, N)
        w_dir += (p / p.sum(axis=1, keepdims=True))[:, keep].sum(axis=0) / n_samples
    weight = cross_section * w_dir[:, None] * motion
    flux = np.zeros((len(grid), n_bins))
    np.add.at(flux, (cell, sbin), weight.ravel())
    speed_sum = np.zeros(n_bins)
    np.add.at(speed_sum, sbin, (weight * v_rel).ravel())
    used = flux.sum(axis=0) > 0
    speeds = np.where(used, speed_sum / np.where(used, flux.sum(axis=0), 1.0), 0.0)
    return Population(
        name=name,
        kind="meteoroid",
        directions=grid,
        speed_m_s=speeds[used],
        flux=flux[:, used],
        reference_diameter_m=float(reference_diameter_m),
        diameter_grid_m=d_grid,
        cumulative_fraction=f_grid / f_ref,
        density_kg_m3=float(m.density_at_diameter(reference_diameter_m)),
        source=(
            f"{m.source}; ECSS-E-ST-10-04C C.1 focusing (Ḡ={osd.mean_focusing:.4f}) "
            f"{'and Earth+100 km shielding ' if shielding else ''}with the candidate "
            "(UNVERIFIED) Table C-1 speeds; sporadic sources (helion, antihelion, N/S apex, "
            "N/S toroidal) after Jones & Brown 1993 as transcribed in WesternMeteorPyLib "
            f"(UNVERIFIED); {n_samples} position sample(s); vehicle {big_v:.0f} m/s"
        ),
    )


def _isotropic_model(orbit: CircularOrbit, t: Any, **kw: Any) -> Population:
    kw.pop("latitude_arguments_rad", None)
    kw.pop("raan_rad", None)
    kw.pop("sources", None)
    return sporadic_population(orbit.altitude_m, **kw)


#: Directional sporadic models, called as ``model(orbit, t, **options)``: "isotropic" (default,
#: ECSS assumption, independent of t and position) and "sources" (opt-in source structure).
SPORADIC_DIRECTIONAL_MODELS: Final[dict[str, Callable[..., Population]]] = {
    "isotropic": _isotropic_model,
    "sources": sporadic_sources_population,
}


def get_sporadic_directional_model(
    model: str | Callable[..., Population],
) -> Callable[..., Population]:
    """A directional sporadic model by name (`SPORADIC_DIRECTIONAL_MODELS`) or the callable."""
    if callable(model):
        return model
    try:
        return SPORADIC_DIRECTIONAL_MODELS[model]
    except KeyError:
        raise InputError(
            f"sporadic model: {model!r} is not one of {sorted(SPORADIC_DIRECTIONAL_MODELS)}"
        ) from None
