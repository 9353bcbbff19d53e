"""Tabulated directional flux (e.g. exported from ORDEM 3.x or MASTER-8) → `Population`.

The file format ("breachkit flux table v1", documented in docs/environment.md) is a CSV (comma
or whitespace separated) with optional ``# key = value`` header lines and one row per
(minimum diameter, speed bin, azimuth, elevation) cell::

    # population = debris            (name; default: the file stem)
    # kind = debris                  (debris | meteoroid)
    # density_kg_m3 = 2800           (projectile density paired with the model's sizes)
    # source = ORDEM 3.1, ISS 2022 ... (free text)
    min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year
    1e-4,10.5,0,0,1.2e-2
    ...

* ``min_diameter_m`` (or ``min_diameter_cm``): the flux in the row counts particles with
  diameter ≥ this value (cumulative).
* ``speed_km_s`` (or ``speed_m_s``): centre of the relative-speed bin.
* ``azimuth_deg``: in the local horizontal plane, from ram (+x) towards starboard (+y);
  ``elevation_deg``: from the local horizontal, positive towards zenith (−z). Together they
  give the direction **towards the source** (where the particles come from).
* ``flux_per_m2_per_year`` (or ``flux_per_m2_per_s``): cross-section flux through a unit area
  normal to the arrival direction, in that cell (not per steradian).

Every (speed, azimuth, elevation) cell must appear for each diameter. The size distribution is
taken from the direction-summed totals (the `Population` contract is separable in size); the
direction/speed distribution from the smallest diameter.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from breachkit._core.errors import InputError
from breachkit._core.units import CM, DEG, JULIAN_YEAR, KM_S
from breachkit.environment.directional import DirectionGrid, Population

__all__ = ["read_tabulated_flux", "tabulated_population"]

_ALIASES: dict[str, tuple[str, float]] = {
    "min_diameter_m": ("d", 1.0),
    "min_diameter_cm": ("d", CM),
    "speed_km_s": ("v", KM_S),
    "speed_m_s": ("v", 1.0),
    "azimuth_deg": ("az", DEG),
    "elevation_deg": ("el", DEG),
    "flux_per_m2_per_year": ("f", 1.0 / JULIAN_YEAR),
    "flux_per_m2_per_s": ("f", 1.0),
}


def tabulated_population(
    diameter_m: np.ndarray,
    speed_m_s: np.ndarray,
    azimuth_rad: np.ndarray,
    elevation_rad: np.ndarray,
    flux_m2_s: np.ndarray,
    *,
    name: str,
    kind: str = "debris",
    density_kg_m3: float = 2800.0,
    source: str = "",
    where: str = "table",
) -> Population:
    """Build a `Population` from flat arrays of rows (see the module docstring for meanings).

    `diameter_m` [m], `speed_m_s` [m s⁻¹], `azimuth_rad`/`elevation_rad` [rad] (towards the
    source, azimuth from ram towards starboard, elevation towards zenith), `flux_m2_s`
    cross-section cumulative flux per cell [m⁻² s⁻¹]. `where` names the input in errors.
    """
    d = np.asarray(diameter_m, float)
    v = np.asarray(speed_m_s, float)
    az = np.asarray(azimuth_rad, float)
    el = np.asarray(elevation_rad, float)
    f = np.asarray(flux_m2_s, float)
    sizes = np.unique(d)
    if sizes.size < 2:
        raise InputError(f"{where}: needs at least two different minimum diameters")
    speeds = np.unique(v)
    dirs = np.unique(np.round(np.stack([az, el], axis=1), 12), axis=0)
    n_dir, n_v = dirs.shape[0], speeds.size
    cell_dir = {tuple(x): k for k, x in enumerate(dirs)}
    cube = np.full((sizes.size, n_dir, n_v), np.nan)
    for row in range(d.size):
        i = int(np.searchsorted(sizes, d[row]))
        j = cell_dir[(round(az[row], 12), round(el[row], 12))]
        kv = int(np.searchsorted(speeds, v[row]))
        if not np.isnan(cube[i, j, kv]):
            raise InputError(f"{where}: row {row + 1}: duplicate cell (diameter, speed, direction)")
        cube[i, j, kv] = f[row]
    cube = np.nan_to_num(cube, nan=0.0)
    totals = cube.sum(axis=(1, 2))
    if totals[0] <= 0:
        raise InputError(f"{where}: the flux at the smallest diameter is zero everywhere")
    if np.any(totals <= 0):
        bad = sizes[np.argmax(totals <= 0)]
        raise InputError(f"{where}: total flux at min_diameter {bad:g} m is zero")
    if np.any(np.diff(totals) > 1e-9 * totals[0]):
        bad = sizes[1 + int(np.argmax(np.diff(totals) > 1e-9 * totals[0]))]
        raise InputError(
            f"{where}: cumulative flux increases with diameter at min_diameter {bad:g} m"
        )
    a, e = dirs[:, 0], dirs[:, 1]
    vectors = np.stack([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), -np.sin(e)], axis=1)
    return Population(
        name=name,
        kind=kind,
        directions=DirectionGrid(vectors, np.zeros(n_dir), "lvlh"),
        speed_m_s=speeds,
        flux=cube[0],
        reference_diameter_m=float(sizes[0]),
        diameter_grid_m=sizes,
        cumulative_fraction=totals / totals[0],
        density_kg_m3=float(density_kg_m3),
        source=source,
    )


def _split(line: str) -> list[str]:
    return [x for x in re.split(r"[,\s]+", line.strip()) if x]


def read_tabulated_flux(path: str | Path) -> Population:
    """Read a breachkit flux table (module docstring, docs/environment.md) → `Population`.

    Bad files raise `InputError` naming the file, and the row and column where known.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: flux table not found")
    meta: dict[str, str] = {}
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    with p.open("r", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            s = line.strip()
            if not s:
                continue
            if s.startswith("#"):
                body = s.lstrip("#").strip()
                if "=" in body:
                    k, _, val = body.partition("=")
                    meta[k.strip().lower()] = val.strip()
                continue
            if header is None:
                header = [h.lower() for h in _split(s)]
                continue
            rows.append((lineno, _split(s)))
    if header is None:
        raise InputError(f"{p.name}: no header line")
    cols: dict[str, tuple[int, float, str]] = {}
    for idx, h in enumerate(header):
        if h in _ALIASES:
            key, factor = _ALIASES[h]
            if key in cols:
                raise InputError(f"{p.name}: column {h!r} repeats quantity of {cols[key][2]!r}")
            cols[key] = (idx, factor, h)
    missing = [k for k in ("d", "v", "az", "el", "f") if k not in cols]
    if missing:
        need = {
            "d": "min_diameter_m",
            "v": "speed_km_s",
            "az": "azimuth_deg",
            "el": "elevation_deg",
            "f": "flux_per_m2_per_year",
        }
        raise InputError(f"{p.name}: missing column {need[missing[0]]!r}")
    if not rows:
        raise InputError(f"{p.name}: no data rows")
    data = {k: np.empty(len(rows)) for k in cols}
    for n, (lineno, fields) in enumerate(rows):
        if len(fields) != len(header):
            raise InputError(
                f"{p.name}: row {lineno}: {len(fields)} fields, header has {len(header)}"
            )
        for key, (idx, factor, colname) in cols.items():
            try:
                x = float(fields[idx])
            except ValueError:
                raise InputError(
                    f"{p.name}: row {lineno}, column {colname}: {fields[idx]!r} is not a number"
                ) from None
            if not np.isfinite(x):
                raise InputError(f"{p.name}: row {lineno}, column {colname}: not finite")
            if key in ("d", "v") and x <= 0:
                raise InputError(f"{p.name}: row {lineno}, column {colname}: {x:g} must be > 0")
            if key == "f" and x < 0:
                raise InputError(f"{p.name}: row {lineno}, column {colname}: {x:g} must be >= 0")
            if key == "el" and abs(x) > 90:
                raise InputError(
                    f"{p.name}: row {lineno}, column {colname}: {x:g} not in [-90, 90]"
                )
            data[key][n] = x * factor
    kind = meta.get("kind", "debris")
    if kind not in ("debris", "meteoroid"):
        raise InputError(f"{p.name}: header kind {kind!r} is not debris/meteoroid")
    try:
        rho = float(meta.get("density_kg_m3", "2800"))
    except ValueError:
        raise InputError(f"{p.name}: header density_kg_m3 is not a number") from None
    if not np.isfinite(rho) or rho <= 0:
        raise InputError(f"{p.name}: header density_kg_m3 must be > 0")
    return tabulated_population(
        data["d"],
        data["v"],
        data["az"],
        data["el"],
        data["f"],
        name=meta.get("population", p.stem),
        kind=kind,
        density_kg_m3=rho,
        source=meta.get("source", f"tabulated flux {p.name}"),
        where=p.name,
    )
