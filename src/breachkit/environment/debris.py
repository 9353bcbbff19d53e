"""Orbital debris: the NASA-91 analytic flux model and a crossing-orbit directional population.

NASA-91 (Kessler et al.; as adopted in NASA SSP 30425 Rev B and NASA TM-4527, Anderson & Smith
1994; SPENVIS "NASA90" page lists the same inputs). In the model's own units (d cm, h km, i deg,
t years, S = F10.7 of the *previous* year in 10⁴ Jy), flux per m² per year::

    F(d,h,i,t,S) = k · Φ(h,S) · Ψ(i) · [ H(d) F1(d) g1(t) + F2(d) g2(t) ]
    H(d)   = { 10^[ exp( −(log10 d − 0.78)² / 0.637² ) ] }^(1/2)
    Φ(h,S) = Φ1/(Φ1 + 1),   Φ1 = 10^(h/200 − S/140 − 1.5)
    F1(d)  = 1.22e-5 d^(−2.5),   F2(d) = 8.1e10 (d + 700)^(−6)
    g1(t)  = (1+q)^(t−1988) for t < 2011,  (1+q)^23 (1+q')^(t−2011) for t ≥ 2011
    g2(t)  = 1 + p (t − 1988),   p = 0.05, q = 0.02, q' = 0.04

k = 1 gives the flux on a randomly tumbling plate (this function returns that, per second).

Decisions on the items the research notes flag (each explained in docs/environment.md §4).
None could be settled from a primary source. Searched in this pass (2026-11, 9 look-ups):
SPENVIS help pages "NASA90" (lists the inputs, no Ψ table) and "metdeb" background (equations
not in the readable text); the Aerospace Corp. report SMC-TR-95-9 (Meshishnek 1995, "Overview
of the Space Debris Environment", which reviews the Kessler model; only its front matter was
readable); AGI STK SEET help (a Kessler-type model, no equations); public code for an
implementation carrying the NASA-91 constants with a Ψ(i) table (none found besides the two
secondary versions already known). So:

* **H(d) multiplies F1 only** (UNVERIFIED: no primary text read). It is the fragment-population
  bump centred on 6 cm; at the sizes that matter for shields (< 1 cm) the choice changes the
  flux by < 1.5 %.
* **Ψ(i)**: two inconsistent secondary tables exist; both ship (`PSI_TABLES`), both UNVERIFIED;
  the default is the monotonic one attributed to the SPENVIS NASA90 background ("spenvis").
  At the ISS inclination they differ by 2 % (1.011 vs 1.031).
* **Density**: `debris_density_handbook` (2.8 g/cm³, NASA TM-2009-214785 §2.6.2 p.16, the
  value "typically assumed") is the default — the only density with a read source; the NASA-91
  rule 2.8·d^−0.74 above 0.62 cm is offered in its continuous form (4 g/cm³ below,
  `nasa91_density_continuous`) and its commonly printed discontinuous form
  (`nasa91_density_discontinuous`), both UNVERIFIED.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import CM, DEG, JULIAN_YEAR, KM, KM_S
from breachkit._core.validity import ValidityRange, apply_validity, register
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.meteoroids import FloatOrArray

__all__ = [
    "DEBRIS_DENSITY_LAWS",
    "DEFAULT_DEBRIS_INCLINATIONS",
    "NASA91_RANGES",
    "PSI_TABLES",
    "debris_density_handbook",
    "debris_population",
    "nasa91_density_continuous",
    "nasa91_density_discontinuous",
    "nasa91_flux",
    "nasa91_inclination_factor",
]

NASA91_RANGES: Final = register(
    "nasa91_flux",
    ValidityRange(
        "diameter_m", 1e-5, 5.0, "m", source="NASA-91: 0.001 cm to 500 cm (SSP 30425 Rev B)"
    ),
    ValidityRange(
        "altitude_m",
        200.0 * KM,
        2000.0 * KM,
        "m",
        source="NASA-91: h <= 2000 km; lower bound 200 km is a breachkit choice (none published)",
    ),
    ValidityRange(
        "year",
        1988.0,
        2100.0,
        "a",
        source="NASA-91 growth terms start in 1988; later years are the model's own projection",
    ),
    ValidityRange(
        "f107_sfu", 0.0, 400.0, "sfu", low_inclusive=False, source="F10.7 solar flux index"
    ),
    ValidityRange(
        "inclination_rad",
        0.0,
        120.0 * DEG,
        "rad",
        source="range of the Ψ(i) tables (0–120°)",
    ),
)

#: Ψ(i) tables (inclination [deg], factor [-]); both UNVERIFIED secondary versions.
PSI_TABLES: Final[dict[str, tuple[tuple[float, ...], tuple[float, ...]]]] = {
    # attributed to the SPENVIS NASA90 background; monotonic (research note mmod.md §2 table)
    "spenvis": (
        (0.0, 28.5, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 120.0),
        (0.91, 0.91, 1.0, 1.07, 1.2, 1.4, 1.6, 1.78, 1.78),
    ),
    # "commonly quoted" table of mmod.md §3.4 (note the 80°/90° inversion); 0–28.5° flat
    "commonly-quoted": (
        (0.0, 28.5, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 120.0),
        (0.91, 0.91, 0.92, 0.96, 1.02, 1.09, 1.26, 1.71, 1.37, 1.78, 1.18),
    ),
}


def nasa91_inclination_factor(inclination_rad: ArrayLike, table: str = "spenvis") -> FloatOrArray:
    """Ψ(i) of NASA-91, linear interpolation of a tabulated factor [-] (UNVERIFIED tables).

    `inclination_rad` [rad] in 0–120°; `table` a key of `PSI_TABLES`. For 120° in the
    "spenvis" table the 100° value is held (the source stops at 100°).
    """
    try:
        xs, ys = PSI_TABLES[table]
    except KeyError:
        raise InputError(
            f"Ψ(i) table {table!r} is unknown; choose one of {sorted(PSI_TABLES)}"
        ) from None
    i_deg = np.asarray(inclination_rad, dtype=float) / DEG
    out = np.interp(i_deg, xs, ys)
    out = np.where(np.isnan(i_deg), np.nan, out)
    return float(out) if out.ndim == 0 else out


def nasa91_flux(
    diameter_m: ArrayLike,
    altitude_m: ArrayLike,
    inclination_rad: ArrayLike,
    year: ArrayLike,
    f107_sfu: ArrayLike,
    *,
    psi_table: str = "spenvis",
) -> FloatOrArray:
    """NASA-91 cumulative orbital-debris flux on a randomly tumbling plate [m⁻² s⁻¹].

    See the module docstring for the equation (Kessler et al. 1991 as in NASA SSP 30425 Rev B /
    TM-4527; k = 1). Inputs (broadcast together):

    diameter_m
        Debris diameter d [m], valid 1e-5 … 5 m.
    altitude_m
        Circular-orbit altitude [m], valid 200 … 2000 km.
    inclination_rad
        Orbit inclination [rad], valid 0 … 120°.
    year
        Decimal year t [a], valid 1988 … 2100.
    f107_sfu
        13-month smoothed F10.7 solar flux of the year **before** t [10⁴ Jy = sfu].

    Returns the flux of particles with diameter ≥ d per m² per s (the per-year model value
    divided by the Julian year 3.15576e7 s).
    """
    d_m = np.asarray(diameter_m, dtype=float)
    h_m = np.asarray(altitude_m, dtype=float)
    inc = np.asarray(inclination_rad, dtype=float)
    t = np.asarray(year, dtype=float)
    s = np.asarray(f107_sfu, dtype=float)
    d = d_m / CM
    h = h_m / KM
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        d_pos = np.where(d > 0, d, np.nan)
        ln_d = np.log(d_pos)
        x = ln_d / np.log(10.0) - 0.78
        # H = sqrt(10^exp(−x²/0.637²)) = exp(ln10/2 · exp(−x²/0.637²))
        big_h = np.exp((0.5 * np.log(10.0)) * np.exp(-(x * x) / 0.637**2))
        phi1 = 10.0 ** (h / 200.0 - s / 140.0 - 1.5)
        phi = phi1 / (phi1 + 1.0)
        f1 = 1.22e-5 * np.exp(-2.5 * ln_d)
        inv = 1.0 / (d_pos + 700.0)
        inv3 = inv * inv * inv
        f2 = 8.1e10 * (inv3 * inv3)
        q, qp, p = 0.02, 0.04, 0.05
        g1 = np.where(
            t < 2011.0, (1.0 + q) ** (t - 1988.0), (1.0 + q) ** 23 * (1.0 + qp) ** (t - 2011.0)
        )
        g2 = 1.0 + p * (t - 1988.0)
        psi = np.asarray(nasa91_inclination_factor(inc, psi_table))
        per_year = phi * psi * (big_h * f1 * g1 + f2 * g2)
    raw = per_year / JULIAN_YEAR
    rd, rh, rt, rs, ri = NASA91_RANGES
    return apply_validity(
        "nasa91_flux",
        np.broadcast_to(raw, np.broadcast_shapes(d.shape, h.shape, inc.shape, t.shape, s.shape)),
        {
            "diameter_m": (d_m, rd),
            "altitude_m": (h_m, rh),
            "year": (t, rt),
            "f107_sfu": (s, rs),
            "inclination_rad": (inc, ri),
        },
    )


# ---------------------------------------------------------------------------------------------
# Density laws
# ---------------------------------------------------------------------------------------------


def debris_density_handbook(diameter_m: ArrayLike) -> FloatOrArray:
    """2.8 g/cm³ (aluminium) for every size [kg m⁻³]: NASA TM-2009-214785 §2.6.2 p.16 and
    Table 2-2 caption p.18 ("typically assumed"); Cour-Palais (1987) p.222 uses 2.78 for ≤ 1 cm."""
    d = np.asarray(diameter_m, dtype=float)
    out = np.where(np.isnan(d), np.nan, 2800.0)
    return float(out) if out.ndim == 0 else out


def nasa91_density_continuous(diameter_m: ArrayLike) -> FloatOrArray:
    """NASA-91 density, continuous reading [kg m⁻³] (UNVERIFIED).

    ρ = 2.8·d^(−0.74) g/cm³ (d in cm) for d > 0.62 cm and 4 g/cm³ (= 2.8·0.62^(−0.74)) below.
    """
    d = np.asarray(diameter_m, dtype=float) / CM
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(d > 0.62, 2800.0 * d ** (-0.74), 4000.0)
    out = np.where(np.isnan(d), np.nan, out)
    return float(out) if out.ndim == 0 else out


def nasa91_density_discontinuous(diameter_m: ArrayLike) -> FloatOrArray:
    """NASA-91 density as commonly printed [kg m⁻³] (UNVERIFIED): 2.8 g/cm³ for d ≤ 0.62 cm,
    2.8·d^(−0.74) g/cm³ above (a ×1.42 jump at 0.62 cm)."""
    d = np.asarray(diameter_m, dtype=float) / CM
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(d > 0.62, 2800.0 * d ** (-0.74), 2800.0)
    out = np.where(np.isnan(d), np.nan, out)
    return float(out) if out.ndim == 0 else out


DEBRIS_DENSITY_LAWS: Final[dict[str, Callable[[ArrayLike], FloatOrArray]]] = {
    "handbook-2.8": debris_density_handbook,
    "nasa91-continuous": nasa91_density_continuous,
    "nasa91-discontinuous": nasa91_density_discontinuous,
}

# ---------------------------------------------------------------------------------------------
# Crossing-orbit directional population
# ---------------------------------------------------------------------------------------------

#: Default debris inclination mix (inclination [deg], weight): an ILLUSTRATIVE assumption that
#: puts most debris in the high-inclination (65–100°) families seen in the LEO catalogue; it is
#: NOT a published distribution. Pass your own to `debris_population`.
DEFAULT_DEBRIS_INCLINATIONS: Final[tuple[tuple[float, float], ...]] = (
    (28.5, 0.05),
    (51.6, 0.10),
    (65.0, 0.15),
    (74.0, 0.15),
    (82.0, 0.15),
    (86.0, 0.10),
    (98.0, 0.30),
)

DEFAULT_DEBRIS_DIAMETERS_M: Final = np.geomspace(1e-5, 1.0, 101)


def _heading(inclination_rad: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Northbound heading (azimuth from north, towards east) of a circular orbit at latitude."""
    s = np.cos(inclination_rad) / np.cos(lat)
    return np.asarray(np.arcsin(np.clip(s, -1.0, 1.0)))


def crossing_orbit_table(
    orbit: CircularOrbit,
    debris_inclinations: Sequence[tuple[float, float]] = DEFAULT_DEBRIS_INCLINATIONS,
    *,
    n_positions: int = 720,
    n_azimuth: int = 72,
    speed_bin_m_s: float = 0.5 * KM_S,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Normalised (azimuth × speed) table of debris arrivals for circular crossing orbits.

    Geometry (exact for circular orbits at the vehicle's altitude, speed v): a debris orbit of
    inclination i_d passing the vehicle's latitude φ has heading A_d with sin A_d = cos i_d/cos φ
    (northbound) or π − A_d (southbound), each with half the weight (random nodes). With
    Δ = A_d − A_s the debris velocity in LVLH is v(cos Δ, sin Δ, 0); the relative speed is
    V = 2 v |sin(Δ/2)| and the arrival direction (towards the source) lies in the local
    horizontal plane at azimuth α from ram with cos α = V/(2v). The weight of each encounter
    is the spatial density of the family at φ, ∝ 1/(π sqrt(sin²i_d − sin²φ)) (regularised by
    1e-4 under the root), times V, times the family weight; averaged over `n_positions` evenly
    spaced vehicle positions. Returns (azimuth centres [rad], speed centres [m s⁻¹], weights
    (n_azimuth, n_speed) summing to 1).
    """
    if not debris_inclinations:
        raise InputError("debris inclinations: the list is empty")
    inc_d = np.array([x[0] for x in debris_inclinations], dtype=float) * DEG
    w_d = np.array([x[1] for x in debris_inclinations], dtype=float)
    if np.any(w_d < 0) or w_d.sum() <= 0:
        raise InputError("debris inclinations: weights must be >= 0 with a positive sum")
    w_d = w_d / w_d.sum()
    v = orbit.speed_m_s
    u = 2.0 * np.pi * (np.arange(n_positions) + 0.5) / n_positions
    i_s = orbit.inclination_rad
    lat = np.arcsin(np.sin(i_s) * np.sin(u))  # (n_u,)
    a_s = _heading(np.array(i_s), lat)
    a_s = np.where(np.cos(u) >= 0, a_s, np.pi - a_s)  # ascending half northbound
    sin2 = np.sin(inc_d)[None, :] ** 2 - np.sin(lat)[:, None] ** 2  # (n_u, n_i)
    reach = sin2 > 0
    dens = np.where(reach, 1.0 / (np.pi * np.sqrt(np.clip(sin2, 1e-4, None))), 0.0)
    a_n = _heading(inc_d[None, :], lat[:, None])
    n_v = int(np.ceil(2.0 * v / speed_bin_m_s)) + 1
    table = np.zeros((n_azimuth, n_v))
    for a_d in (a_n, np.pi - a_n):
        delta = a_d - a_s[:, None]
        big_v = 2.0 * v * np.abs(np.sin(delta / 2.0))
        src = np.stack([1.0 - np.cos(delta), -np.sin(delta)], axis=-1)
        alpha = np.mod(np.arctan2(src[..., 1], src[..., 0]), 2.0 * np.pi)
        wgt = 0.5 * dens * w_d[None, :] * big_v
        ia = np.minimum((alpha / (2.0 * np.pi) * n_azimuth).astype(np.intp), n_azimuth - 1)
        iv = np.minimum((big_v / speed_bin_m_s).astype(np.intp), n_v - 1)
        ok = reach & (big_v > 1.0)
        np.add.at(table, (ia[ok], iv[ok]), wgt[ok])
    total = table.sum()
    if total <= 0:
        raise InputError("debris inclinations: no family crosses the vehicle's orbit")
    az = 2.0 * np.pi * (np.arange(n_azimuth) + 0.5) / n_azimuth
    sp = np.asarray((np.arange(n_v) + 0.5) * speed_bin_m_s, dtype=float)
    return az, sp, table / total


def debris_population(
    orbit: CircularOrbit,
    year: float,
    f107_sfu: float,
    *,
    debris_inclinations: Sequence[tuple[float, float]] = DEFAULT_DEBRIS_INCLINATIONS,
    density: str = "handbook-2.8",
    psi_table: str = "spenvis",
    reference_diameter_m: float = 1e-4,
    diameter_grid_m: ArrayLike | None = None,
    n_azimuth: int = 72,
    n_positions: int = 720,
    name: str = "debris",
) -> Population:
    """NASA-91 debris flux distributed over crossing-orbit directions and speeds, in LVLH.

    Total cross-section flux = 4 × `nasa91_flux` (random tumbling plate, k = 1) at the orbit's
    altitude and inclination, `year` [a] and `f107_sfu` (F10.7 of the previous year);
    distribution over azimuth and speed from `crossing_orbit_table`. Directions are in the local
    horizontal plane (+z component 0). Density: `DEBRIS_DENSITY_LAWS[density]` at the reference
    diameter.
    """
    if density not in DEBRIS_DENSITY_LAWS:
        raise InputError(
            f"debris density {density!r} is unknown; choose one of {sorted(DEBRIS_DENSITY_LAWS)}"
        )
    d_grid = (
        DEFAULT_DEBRIS_DIAMETERS_M
        if diameter_grid_m is None
        else np.asarray(diameter_grid_m, float)
    )
    args = (orbit.altitude_m, orbit.inclination_rad, float(year), float(f107_sfu))
    f_ref = float(nasa91_flux(reference_diameter_m, *args, psi_table=psi_table))
    f_grid = np.asarray(nasa91_flux(d_grid, *args, psi_table=psi_table), dtype=float)
    if not np.isfinite(f_ref) or not np.all(np.isfinite(f_grid)):
        raise InputError("debris_population: inputs outside the NASA-91 validity range")
    az, sp, table = crossing_orbit_table(
        orbit, debris_inclinations, n_positions=n_positions, n_azimuth=n_azimuth
    )
    used = table.sum(axis=0) > 0
    table, sp = table[:, used], sp[used]
    vectors = np.stack([np.cos(az), np.sin(az), np.zeros_like(az)], axis=1)
    grid = DirectionGrid(vectors, np.zeros(az.size), "lvlh")
    rho = float(DEBRIS_DENSITY_LAWS[density](reference_diameter_m))
    return Population(
        name=name,
        kind="debris",
        directions=grid,
        speed_m_s=sp,
        flux=4.0 * f_ref * table,
        reference_diameter_m=float(reference_diameter_m),
        diameter_grid_m=d_grid,
        cumulative_fraction=f_grid / f_ref,
        density_kg_m3=rho,
        source=(
            f"NASA-91 (SSP 30425 Rev B; H on F1, Ψ table '{psi_table}' UNVERIFIED), t={year:.3f}, "
            f"S={f107_sfu:g}; crossing circular orbits with an assumed inclination mix; "
            f"density {density}"
        ),
    )
