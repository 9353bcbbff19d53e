"""Tabulated directional flux (by hand, or converted from ORDEM 3.x or MASTER-8) → `Population`.

Native ORDEM/MASTER output files are not parsed: their layouts were not found in a citable
source (docs/environment.md §5.3 lists what was searched); convert them to this format and
declare their conventions with the optional headers below.

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

Optional convention headers (defaults = the conventions above), for pasting tables from tools
whose conventions differ; each is applied explicitly, never guessed::

    # size_mode = cumulative         (cumulative: rows count d >= min_diameter;
                                     #  bin: rows count min_diameter <= d < next listed diameter,
                                     #  the largest diameter's rows count d >= it)
    # azimuth_positive = starboard   (starboard | port: the sense azimuth grows from ram)
    # elevation_positive = zenith    (zenith | nadir)
    # direction = source             (source: towards where particles come from;
                                     #  motion: the particles' direction of motion relative
                                     #  to the vehicle, i.e. the opposite vector)

Any other ``# key = value`` line whose key is a plain identifier is an error (a misspelt
convention key must not be ignored silently); write free comments without ``=``.

Every (speed, azimuth, elevation) cell must appear for each diameter. The size distribution is
taken from the direction-summed totals (the `Population` contract is separable in size); the
direction/speed distribution from the smallest diameter.
`write_tabulated_flux` writes a `Population` in this format (cumulative, default conventions).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from breachkit._core.errors import InputError
from breachkit._core.units import CM, DEG, JULIAN_YEAR, KM_S
from breachkit.environment.directional import DirectionGrid, Population

__all__ = ["read_tabulated_flux", "tabulated_population", "write_tabulated_flux"]

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

#: Header keys the reader knows, with the allowed values of the convention keys (first = default).
_CONVENTIONS: dict[str, tuple[str, ...]] = {
    "size_mode": ("cumulative", "bin"),
    "azimuth_positive": ("starboard", "port"),
    "elevation_positive": ("zenith", "nadir"),
    "direction": ("source", "motion"),
}
_FREE_KEYS = ("population", "kind", "density_kg_m3", "source")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


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
    size_mode: str = "cumulative",
) -> Population:
    """Build a `Population` from flat arrays of rows (see the module docstring for meanings).

    `diameter_m` [m], `speed_m_s` [m s⁻¹], `azimuth_rad`/`elevation_rad` [rad] (towards the
    source, azimuth from ram towards starboard, elevation towards zenith), `flux_m2_s`
    cross-section flux per cell [m⁻² s⁻¹]: cumulative (d ≥ diameter) when `size_mode` is
    ``"cumulative"``, per size bin [diameter, next diameter) when ``"bin"`` (the largest
    diameter's rows are open-ended and the cumulative table is the sum from above).
    Azimuths are wrapped to [−π, π), so 180° and −180° are the same cell. `where` names the
    input in errors.
    """
    if size_mode not in _CONVENTIONS["size_mode"]:
        raise InputError(f"{where}: size_mode {size_mode!r} is not cumulative/bin")
    d = np.asarray(diameter_m, float)
    v = np.asarray(speed_m_s, float)
    az = np.round(np.mod(np.asarray(azimuth_rad, float) + np.pi, 2.0 * np.pi) - np.pi, 12)
    az[az >= round(np.pi, 12)] = -round(np.pi, 12)
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
    if size_mode == "bin":
        cube = np.flip(np.cumsum(np.flip(cube, axis=0), axis=0), axis=0)
    totals = cube.sum(axis=(1, 2))
    if totals[0] <= 0:
        raise InputError(f"{where}: the flux at the smallest diameter is zero everywhere")
    if np.any(totals <= 0):
        bad = sizes[np.argmax(totals <= 0)]
        raise InputError(
            f"{where}: total flux at min_diameter {bad:g} m is zero (a cumulative table "
            "needs flux > 0 at every listed diameter; drop empty top size bins)"
        )
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
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    with io.StringIO(text) as fh:
        for lineno, line in enumerate(fh, start=1):
            s = line.strip()
            if not s:
                continue
            if s.startswith("#"):
                body = s.lstrip("#").strip()
                if "=" in body:
                    k, _, val = body.partition("=")
                    key, val = k.strip().lower(), val.strip()
                    if key in _CONVENTIONS:
                        val = val.lower()
                        if val not in _CONVENTIONS[key]:
                            raise InputError(
                                f"{p.name}: line {lineno}: header {key} = {val!r} is not one of "
                                f"{', '.join(_CONVENTIONS[key])}"
                            )
                    elif key not in _FREE_KEYS and _IDENTIFIER.match(key):
                        raise InputError(
                            f"{p.name}: line {lineno}: unknown header key {key!r} (known: "
                            f"{', '.join((*_FREE_KEYS, *_CONVENTIONS))}; free comments take no '=')"
                        )
                    if key in meta:
                        raise InputError(f"{p.name}: line {lineno}: header key {key!r} repeats")
                    meta[key] = val
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
    az, el = _to_breachkit_direction(
        data["az"],
        data["el"],
        azimuth_positive=meta.get("azimuth_positive", "starboard"),
        elevation_positive=meta.get("elevation_positive", "zenith"),
        direction=meta.get("direction", "source"),
    )
    return tabulated_population(
        data["d"],
        data["v"],
        az,
        el,
        data["f"],
        name=meta.get("population", p.stem),
        kind=kind,
        density_kg_m3=rho,
        source=meta.get("source", f"tabulated flux {p.name}"),
        where=p.name,
        size_mode=meta.get("size_mode", "cumulative"),
    )


def _to_breachkit_direction(
    azimuth_rad: np.ndarray,
    elevation_rad: np.ndarray,
    *,
    azimuth_positive: str,
    elevation_positive: str,
    direction: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Map a table's declared angle conventions onto breachkit's (docs/conventions.md).

    In: azimuth from ram growing towards `azimuth_positive` ("starboard"/"port"), elevation
    from the local horizontal positive towards `elevation_positive` ("zenith"/"nadir"), the
    angles describing the direction towards the source (`direction="source"`) or the
    particles' direction of motion relative to the vehicle (`"motion"`) [rad].
    Out: breachkit azimuth (ram → starboard) and elevation (towards zenith) of the direction
    towards the source [rad]. "motion" is the opposite vector: az + π, −el.
    """
    az = np.asarray(azimuth_rad, float).copy()
    el = np.asarray(elevation_rad, float).copy()
    if azimuth_positive == "port":
        az = -az
    if elevation_positive == "nadir":
        el = -el
    if direction == "motion":
        az = az + np.pi
        el = -el
    return az, el


def write_tabulated_flux(population: Population, path: str | Path) -> Path:
    """Write `population` as a breachkit flux table v1 (cumulative, per m² per year).

    One row per (size-table diameter, speed bin, direction) cell: the flux at diameter d is
    ``flux × cumulative_fraction(d)`` (the `Population` is separable in size), so reading the
    file back gives the same `cumulative_flux` at every size-table diameter. Directions must be
    in the LVLH frame. Written to a temporary file in the target folder and renamed, so a
    failure leaves no half-written table. Returns the path written.
    """
    p = Path(path)
    if population.directions.frame != "lvlh":
        raise InputError(
            f"{p.name}: population {population.name!r} is in frame "
            f"{population.directions.frame!r}; only LVLH tables can be written"
        )
    if not p.parent.is_dir():
        raise InputError(f"{p}: folder {str(p.parent)!r} does not exist")
    for key, val in (("population", population.name), ("source", population.source)):
        if "\n" in val or "\r" in val:
            raise InputError(f"{p.name}: {key} {val!r} spans several lines")
    u = population.directions.vectors
    az_deg = np.degrees(np.arctan2(u[:, 1], u[:, 0]))
    el_deg = np.degrees(np.arcsin(np.clip(-u[:, 2], -1.0, 1.0)))
    lines = [
        f"# population = {population.name}",
        f"# kind = {population.kind}",
        f"# density_kg_m3 = {float(population.density_kg_m3)!r}",
        f"# source = {population.source or 'breachkit Population'}",
        "min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year",
    ]
    year_flux = population.flux * JULIAN_YEAR
    speed_km_s = population.speed_m_s / KM_S
    for d, c in zip(population.diameter_grid_m, population.cumulative_fraction, strict=True):
        for j in range(len(population.directions)):
            for k in range(speed_km_s.size):
                lines.append(
                    f"{float(d)!r},{float(speed_km_s[k])!r},{az_deg[j]:.15g},{el_deg[j]:.15g},"
                    f"{float(year_flux[j, k] * c)!r}"
                )
    fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=str(p.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return p
