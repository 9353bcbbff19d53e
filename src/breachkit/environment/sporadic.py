"""Directional sporadic meteoroid model in LVLH: Grün flux, ECSS focusing and shielding, motion.

Model (all choices documented in docs/environment.md):

1. **Baseline**: an isotropic field of meteoroids in the Earth-centred inertial frame at the
   vehicle's position (ECSS-E-ST-10-04C Annex C assumes isotropy; no apex/helion/antihelion
   structure is added because no published parameters for it were verified — see the docs).
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

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
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
    "ecss_orbit_flux",
    "fibonacci_directions",
    "igloo_grid",
    "population_speed_distribution",
    "sporadic_population",
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
    m = get_meteoroid_model(model)
    if not np.isfinite(altitude_m) or altitude_m <= ATMOSPHERE_M:
        raise InputError(f"sporadic_population altitude_m: {altitude_m!r} must be > 100 km")
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
        raise InputError("sporadic_population: size table outside the flux model's mass range")
    cross_section = 4.0 * f_ref * osd.mean_focusing  # [m⁻² s⁻¹], Earth frame, unshielded

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
