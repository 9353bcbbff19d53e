"""The "kessler" debris population: NASA-91 sizes and level, eccentric-orbit directions and speeds.

* Directions and speeds: `kessler_encounters` (Kessler 1981) for a population of debris orbits,
  binned on a 5° azimuth × elevation grid (each cell's vector is the flux-weighted mean
  direction of its encounters, so plate fluxes are kept) and 0.5 km/s speed bins.
* Orbits: a CelesTrak SATCAT CSV the analyst supplies (`read_satcat_orbits`: objects in orbit at
  a date, a and e from perigee and apogee) — no catalogue snapshot with a licence that allows
  redistribution was found, so none ships; or, by default, `assumed_debris_orbits`: the
  inclination mix of `DEFAULT_DEBRIS_INCLINATIONS` (an assumption, also used by the circular
  model) with an ASSUMED eccentricity mix — not a published distribution.
* Sizes and level: NASA-91 (`nasa91_flux`, 4 × random-plate flux, k = 1), as in
  `debris_population`: so "kessler" differs from "nasa91" only in directions and speeds.
  (ORDEM 3.x / MASTER-8 size dependence at ISS altitude: no readable table was found; use
  ``debris_model = "table"`` with a MASTER file or a flux table for a modern size spectrum.)
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM, KM_S, R_EARTH_EQUATORIAL
from breachkit.environment.debris import (
    DEBRIS_DENSITY_LAWS,
    DEFAULT_DEBRIS_DIAMETERS_M,
    DEFAULT_DEBRIS_INCLINATIONS,
    nasa91_flux,
)
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.kessler import DebrisOrbits, KesslerEncounters, kessler_encounters

__all__ = [
    "ASSUMED_ECCENTRICITIES",
    "assumed_debris_orbits",
    "bin_encounters",
    "kessler_debris_population",
    "read_satcat_orbits",
]

#: ASSUMED eccentricity classes (e, share) of the debris crossing a LEO altitude: most debris is
#: near-circular, a tail up to 0.1 (break-up fragments) and 4 % on transfer-like orbits (0.25,
#: 0.7: rocket bodies and fragments in GTO-like orbits, which reach the target from behind).
#: A breachkit assumption, not a published distribution.
ASSUMED_ECCENTRICITIES: Final[tuple[tuple[float, float], ...]] = (
    (0.001, 0.29),
    (0.005, 0.29),
    (0.02, 0.20),
    (0.05, 0.11),
    (0.10, 0.07),
    (0.25, 0.02),
    (0.70, 0.02),
)


def assumed_debris_orbits(
    altitude_m: float,
    inclinations: Sequence[tuple[float, float]] = DEFAULT_DEBRIS_INCLINATIONS,
    eccentricities: Sequence[tuple[float, float]] = ASSUMED_ECCENTRICITIES,
    n_phase: int = 8,
) -> DebrisOrbits:
    """Orbits crossing `altitude_m` [m]: every (inclination [deg], share) × (e, share) class,
    with the crossing spread uniformly in eccentric anomaly E (n_phase values of E in (0, E_lim],
    a = r/(1 − e cos E), E_lim keeping the perigee above 150 km); each row's count makes its density at r proportional to the shares
    (count ∝ share · a² e sin E, Kessler's radial density being ∝ 1/(a² e sin E) there).
    ASSUMPTION (module docstring)."""
    r = R_EARTH_EQUATORIAL + altitude_m
    rows: list[tuple[float, float, float, float]] = []
    for inc_deg, w_i in inclinations:
        for ecc, w_e in eccentricities:
            # crossings with the perigee above 150 km: E ∈ (0, E_lim]
            c_lim = (1.0 - r * (1.0 - ecc) / (R_EARTH_EQUATORIAL + 150.0 * KM)) / ecc
            big_e = (np.arange(n_phase) + 0.5) * np.arccos(np.clip(c_lim, -1.0, 1.0)) / n_phase
            a = r / (1.0 - ecc * np.cos(big_e))
            cnt = a * a * ecc * np.sin(big_e)
            cnt = cnt / cnt.sum() * w_i * w_e
            rows += [(float(a[k]), ecc, inc_deg * DEG, float(cnt[k])) for k in range(a.size)]
    arr = np.array(rows)
    return DebrisOrbits(
        arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3],
        source="assumed orbit mix (DEFAULT_DEBRIS_INCLINATIONS × ASSUMED_ECCENTRICITIES)",
    )  # fmt: skip


def read_satcat_orbits(
    path: str | Path, on_date: date, *, max_altitude_km: float = 2500.0
) -> DebrisOrbits:
    """Objects in Earth orbit on `on_date` from a CelesTrak SATCAT CSV (columns OBJECT_ID,
    LAUNCH_DATE, DECAY_DATE, INCLINATION [deg], APOGEE, PERIGEE [km], ORBIT_CENTER).

    a = R_E + (h_a + h_p)/2, e = (h_a − h_p)/(2a), R_E = 6378.137 km; one count per object.
    The elements are those of the snapshot (its latest element set), not of `on_date`: a snapshot
    taken near `on_date` is needed for a faithful population. Rows without elements, not
    Earth-centred, or with perigee above `max_altitude_km` are skipped. Bad rows → `InputError`
    naming the file and line.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: SATCAT file not found")
    a_l: list[float] = []
    e_l: list[float] = []
    i_l: list[float] = []
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        need = {"LAUNCH_DATE", "DECAY_DATE", "INCLINATION", "APOGEE", "PERIGEE"}
        missing = need - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{p.name}: line 1: missing SATCAT column {sorted(missing)[0]!r}")
        for row in reader:
            line = reader.line_num
            if row.get("ORBIT_CENTER", "EA") not in ("EA", ""):
                continue
            if not row["APOGEE"] or not row["PERIGEE"] or not row["INCLINATION"]:
                continue
            try:
                launch = date.fromisoformat(row["LAUNCH_DATE"])
                decay = date.fromisoformat(row["DECAY_DATE"]) if row["DECAY_DATE"] else None
                ha, hp, inc = float(row["APOGEE"]), float(row["PERIGEE"]), float(row["INCLINATION"])
            except ValueError as exc:
                raise InputError(f"{p.name}: line {line}: {exc}") from None
            if launch > on_date or (decay is not None and decay <= on_date):
                continue
            if hp > max_altitude_km or ha < hp or hp < 0:
                continue
            a = R_EARTH_EQUATORIAL + 0.5 * (ha + hp) * KM
            a_l.append(a)
            e_l.append((ha - hp) * KM / (2.0 * a))
            i_l.append(inc * DEG)
    if not a_l:
        raise InputError(
            f"{p.name}: no object in Earth orbit below {max_altitude_km:g} km on {on_date}"
        )
    return DebrisOrbits(
        np.array(a_l), np.array(e_l), np.array(i_l), np.ones(len(a_l)),
        source=f"CelesTrak SATCAT file {p.name}, objects in orbit on {on_date.isoformat()}",
    )  # fmt: skip


def bin_encounters(
    enc: KesslerEncounters,
    *,
    cell_deg: float = 5.0,
    speed_bin_m_s: float = 0.5 * KM_S,
) -> tuple[DirectionGrid, NDArray[np.float64], NDArray[np.float64]]:
    """Bin encounter branches on an azimuth × elevation grid of `cell_deg` cells and speed bins.

    Returns (directions, speeds [m s⁻¹], flux (n_cells, n_speeds) [m⁻² s⁻¹]); only cells and
    bins with flux are kept; a cell's vector is the flux-weighted mean of its branches'
    directions (normalised), its solid angle the cell's; a bin's speed the flux-weighted mean.
    """
    u = enc.source_lvlh
    az = np.mod(np.arctan2(u[:, 1], u[:, 0]), 2.0 * np.pi)
    el = np.arcsin(np.clip(-u[:, 2], -1.0, 1.0))
    n_az = round(360.0 / cell_deg)
    n_el = round(180.0 / cell_deg)
    ia = np.minimum((az / (2 * np.pi) * n_az).astype(np.intp), n_az - 1)
    ie = np.minimum(((el + np.pi / 2) / np.pi * n_el).astype(np.intp), n_el - 1)
    cell = ie * n_az + ia
    n_v = int(np.ceil(enc.speed_m_s.max() / speed_bin_m_s)) + 1
    iv = np.minimum((enc.speed_m_s / speed_bin_m_s).astype(np.intp), n_v - 1)
    cells, inv = np.unique(cell, return_inverse=True)
    table = np.zeros((cells.size, n_v))
    np.add.at(table, (inv, iv), enc.flux)
    vec = np.zeros((cells.size, 3))
    np.add.at(vec, inv, u * enc.flux[:, None])
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    vs = np.zeros(n_v)
    np.add.at(vs, iv, enc.flux * enc.speed_m_s)
    used = table.sum(axis=0) > 0
    speeds = vs[used] / table.sum(axis=0)[used]
    d_el = np.pi / n_el
    el_lo = (cells // n_az) * d_el - np.pi / 2
    solid = (2 * np.pi / n_az) * (np.sin(el_lo + d_el) - np.sin(el_lo))
    return DirectionGrid(vec, solid, "lvlh"), speeds, table[:, used]


def kessler_debris_population(
    orbit: CircularOrbit,
    year: float,
    f107_sfu: float,
    *,
    orbits: DebrisOrbits | None = None,
    density: str = "handbook-2.8",
    psi_table: str = "spenvis",
    reference_diameter_m: float = 1e-4,
    n_positions: int = 360,
    name: str = "debris",
) -> Population:
    """NASA-91 debris level and sizes with Kessler (1981) eccentric-orbit directions and speeds.

    Total cross-section flux at `reference_diameter_m` = 4 × `nasa91_flux` (orbit altitude and
    inclination, `year` [a], `f107_sfu` [sfu] of the previous year), distributed over the
    encounter directions and speeds of `orbits` (default `assumed_debris_orbits`) with the
    target on `orbit`. Density: `DEBRIS_DENSITY_LAWS[density]` at the reference diameter.
    """
    if density not in DEBRIS_DENSITY_LAWS:
        raise InputError(
            f"debris density {density!r} is unknown; choose one of {sorted(DEBRIS_DENSITY_LAWS)}"
        )
    pop_orbits = orbits if orbits is not None else assumed_debris_orbits(orbit.altitude_m)
    args = (orbit.altitude_m, orbit.inclination_rad, float(year), float(f107_sfu))
    f_ref = float(nasa91_flux(reference_diameter_m, *args, psi_table=psi_table))
    d_grid = DEFAULT_DEBRIS_DIAMETERS_M
    f_grid = np.asarray(nasa91_flux(d_grid, *args, psi_table=psi_table), dtype=float)
    if not np.isfinite(f_ref) or not np.all(np.isfinite(f_grid)):
        raise InputError("kessler debris: inputs outside the NASA-91 validity range")
    enc = kessler_encounters(
        orbit.radius_m, orbit.inclination_rad, pop_orbits, n_positions=n_positions
    )
    grid, speeds, table = bin_encounters(enc)
    share = table / table.sum()
    return Population(
        name=name,
        kind="debris",
        directions=grid,
        speed_m_s=speeds,
        flux=4.0 * f_ref * share,
        reference_diameter_m=float(reference_diameter_m),
        diameter_grid_m=d_grid,
        cumulative_fraction=f_grid / f_ref,
        density_kg_m3=float(DEBRIS_DENSITY_LAWS[density](reference_diameter_m)),
        source=(
            f"NASA-91 level and sizes (Ψ table '{psi_table}' UNVERIFIED), t={year:.3f}, "
            f"S={f107_sfu:g}; directions and speeds from eccentric orbits (Kessler 1981) of "
            f"{pop_orbits.source or 'a user population'}; density {density}"
        ),
    )
