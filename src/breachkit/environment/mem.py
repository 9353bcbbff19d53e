"""Readers for NASA MEM 3 (3.0.x) output: ``cube_avg.txt`` (flux per cube face and speed) and
``igloo_avg.txt`` (flux per angular bin and speed) → breachkit quantities.

Layouts (checked on real MEM 3.0.1 output; docs/environment.md §5.4):

* cube: ``# N rows of flux data``, ``# M columns of flux data``, ``# total cross-sectional flux
  X /m^2/yr``, a label line (fixed width: a 23-character label field, then 13 characters per
  column: ``+x ram``, ``-x wake``, ``+y port``, ``-y starboard``, ``+z zenith``, ``-z nadir``,
  ``Earth``, ``Sun``, ``anti-Sun``, ``rot (x)``, ``rot (y)``, ``rot (z)``), ``# average speed
  (km/s)`` and ``# total flux (#/m2/yr)`` (one value per column), then N rows: speed-bin label
  [km/s] and M fluxes [#/m²/yr in that 1-km/s bin].
* igloo: ``# N rows``, ``# M columns``, a label line whose numeric labels are the speed-bin
  midpoints [km/s], then rows ``ID I J PHI1 PHI2 THETA1 THETA2 PHIavg THETAavg`` + M fluxes.

The igloo file does **not** state its angle frame, what PHI and THETA are, where THETA = 0 lies
and which way it grows, whether the angles point to the radiant, or whether values are per bin
or per steradian: `read_mem_igloo` requires each as a declared option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, JULIAN_YEAR, KM_S
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.meteoroids import grun_flux, sphere_diameter

__all__ = [
    "MEM_CUBE_FACE_NORMALS_LVLH",
    "MEM_IGLOO_CONVENTIONS",
    "MemCube",
    "read_mem_cube",
    "read_mem_igloo",
]

#: Outward normals in breachkit's LVLH (+x ram, +y starboard, +z nadir) of the six cube faces
#: that MEM names by their LVLH meaning; valid only for a run whose output axes are the
#: vehicle's LVLH axes (declared with ``frame="lvlh"``).
MEM_CUBE_FACE_NORMALS_LVLH: dict[str, tuple[float, float, float]] = {
    "+x ram": (1.0, 0.0, 0.0),
    "-x wake": (-1.0, 0.0, 0.0),
    "+y port": (0.0, -1.0, 0.0),
    "-y starboard": (0.0, 1.0, 0.0),
    "+z zenith": (0.0, 0.0, -1.0),
    "-z nadir": (0.0, 0.0, 1.0),
}

#: Conventions a MEM igloo file must be given (allowed values; no defaults).
MEM_IGLOO_CONVENTIONS: dict[str, tuple[str, ...]] = {
    "frame": ("lvlh",),
    "theta_zero": ("ram", "wake", "starboard", "port"),
    "theta_positive": ("starboard", "port"),
    "phi_positive": ("zenith", "nadir"),
    "direction": ("source", "motion"),
    "values": ("per_bin", "per_sr"),
}
_CUBE_LABEL_WIDTH = 23
_CUBE_COLUMN_WIDTH = 13


@dataclass(frozen=True)
class MemCube:
    """A MEM 3 cube file in SI units.

    `speed_m_s` (n,) speed-bin midpoints [m s⁻¹]; `faces` the M column labels; `flux` (n, M)
    flux per speed bin [m⁻² s⁻¹]; `total` (M,) the header totals [m⁻² s⁻¹]; `average_speed_m_s`
    (M,) the header averages [m s⁻¹]; `cross_section_flux` the header's total cross-sectional
    flux [m⁻² s⁻¹].
    """

    path: Path
    speed_m_s: NDArray[np.float64]
    faces: tuple[str, ...]
    flux: NDArray[np.float64]
    total: NDArray[np.float64]
    average_speed_m_s: NDArray[np.float64]
    cross_section_flux: float

    def face_flux(self, face: str) -> float:
        """Total flux on one face [m⁻² s⁻¹] (the sum of its speed bins)."""
        if face not in self.faces:
            raise InputError(f"{self.path.name}: no face {face!r} (faces: {', '.join(self.faces)})")
        return float(self.flux[:, self.faces.index(face)].sum())


def _fail(path: Path, line: int | None, what: str) -> InputError:
    return InputError(f"{path.name}: line {line}: {what}" if line else f"{path.name}: {what}")


def _floats(path: Path, line: int, tokens: list[str]) -> NDArray[np.float64]:
    try:
        return np.array([float(t) for t in tokens])
    except ValueError:
        bad = next(t for t in tokens if not _is_float(t))
        raise _fail(path, line, f"{bad!r} is not a number") from None


def _is_float(t: str) -> bool:
    try:
        float(t)
    except ValueError:
        return False
    return True


def _lines(path: Path) -> list[tuple[int, str]]:
    if not path.is_file():
        raise InputError(f"{path}: MEM file not found")
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise _fail(path, None, "not an ASCII MEM output file") from None
    return [(k, s.rstrip("\n")) for k, s in enumerate(text.split("\n"), start=1)]


def _count(path: Path, lines: list[tuple[int, str]], what: str) -> tuple[int, int]:
    pat = re.compile(rf"^#\s*(\d+)\s+{what} of flux data\s*$")
    for k, s in lines:
        m = pat.match(s)
        if m:
            return k, int(m.group(1))
    raise _fail(path, None, f"no '# N {what} of flux data' header line (not MEM 3 output?)")


def _header_values(
    path: Path, lines: list[tuple[int, str]], key: str, m: int
) -> tuple[int, NDArray[np.float64]]:
    for k, s in lines:
        if s.startswith("#") and key in s:
            tokens = s.split()[-m:]
            return k, _floats(path, k, tokens)
    raise _fail(path, None, f"no '{key}' header line")


def read_mem_cube(path: str | Path, *, rtol: float = 1e-5, speed_tol_km_s: float = 0.01) -> MemCube:
    """Read a MEM 3 ``cube_avg.txt`` (layout in the module docstring), SI units.

    Checks (bad input → `InputError` naming the file and line): the row and column counts agree
    with the header; speed labels are evenly spaced 1-km/s-bin midpoints; every column's rows sum
    to its stated total within `rtol` (relative; 7-digit printing gives 3e-7 on real files); each
    column's flux-weighted mean speed agrees with the stated average within `speed_tol_km_s`
    (the header prints 2 decimals: ±0.005, plus bin-midpoint rounding).
    """
    p = Path(path)
    lines = _lines(p)
    _, n_rows = _count(p, lines, "rows")
    ln_cols, n_cols = _count(p, lines, "columns")
    tot_line = next(((k, s) for k, s in lines if "total cross-sectional flux" in s), None)
    if tot_line is None:
        raise _fail(p, None, "no 'total cross-sectional flux' header line")
    m = re.search(r"flux\s+(\S+)\s*/m\^2/yr", tot_line[1])
    if not m or not _is_float(m.group(1)):
        raise _fail(p, tot_line[0], "total cross-sectional flux is not a number in /m^2/yr")
    label_line = next(
        ((k, s) for k, s in lines if s.startswith("#") and "ram" in s and "wake" in s), None
    )
    if label_line is None:
        raise _fail(p, None, "no column-label line (+x ram, -x wake, ...)")
    body = label_line[1]
    faces = tuple(
        body[
            _CUBE_LABEL_WIDTH + _CUBE_COLUMN_WIDTH * j : _CUBE_LABEL_WIDTH
            + _CUBE_COLUMN_WIDTH * (j + 1)
        ].strip()
        for j in range(n_cols)
    )
    if any(not f for f in faces):
        raise _fail(p, label_line[0], f"fewer than {n_cols} column labels")
    ln_avg, avg = _header_values(p, lines, "average speed (km/s)", n_cols)
    ln_tot, totals = _header_values(p, lines, "total flux (#/m2/yr)", n_cols)
    rows = [(k, s.split()) for k, s in lines if s.strip() and not s.startswith("#")]
    if len(rows) != n_rows:
        raise _fail(
            p, rows[-1][0] if rows else None, f"{len(rows)} data rows, the header says {n_rows}"
        )
    data = np.empty((n_rows, n_cols))
    speeds = np.empty(n_rows)
    for i, (k, tokens) in enumerate(rows):
        if len(tokens) != 1 + n_cols:
            raise _fail(p, k, f"{len(tokens)} fields, expected {1 + n_cols}")
        vals = _floats(p, k, tokens)
        if np.any(vals[1:] < 0):
            raise _fail(p, k, "negative flux")
        speeds[i], data[i] = vals[0], vals[1:]
    step = np.diff(speeds)
    if np.any(np.abs(step - 1.0) > 1e-6) or abs(speeds[0] - 0.5) > 1e-6:
        k = rows[int(np.argmax(np.abs(step - 1.0) > 1e-6)) + 1][0] if step.size else rows[0][0]
        raise _fail(p, k, "speed labels are not the 1-km/s bin midpoints 0.5, 1.5, ...")
    sums = data.sum(axis=0)
    off = np.abs(sums - totals) > rtol * np.maximum(np.abs(totals), 1e-300)
    if off.any():
        j = int(np.argmax(off))
        raise _fail(
            p,
            ln_tot,
            f"column {faces[j]!r}: rows sum to {sums[j]:.7g}, stated total {totals[j]:.7g}",
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_v = (data * speeds[:, None]).sum(axis=0) / sums
    bad = (sums > 0) & (np.abs(mean_v - avg) > speed_tol_km_s)
    if bad.any():
        j = int(np.argmax(bad))
        raise _fail(
            p, ln_avg, f"column {faces[j]!r}: mean speed {mean_v[j]:.3f} km/s, stated {avg[j]:.2f}"
        )
    del ln_cols
    return MemCube(
        path=p,
        speed_m_s=speeds * KM_S,
        faces=faces,
        flux=data / JULIAN_YEAR,
        total=totals / JULIAN_YEAR,
        average_speed_m_s=avg * KM_S,
        cross_section_flux=float(m.group(1)) / JULIAN_YEAR,
    )


@dataclass(frozen=True)
class _Igloo:
    phi: NDArray[np.float64]  # (n, 2) band edges [rad]
    theta: NDArray[np.float64]  # (n, 2) bin edges [rad]
    speed_m_s: NDArray[np.float64]
    values: NDArray[np.float64]  # (n, m) as printed


def _read_igloo_table(p: Path) -> _Igloo:
    lines = _lines(p)
    _, n_rows = _count(p, lines, "rows")
    _, n_cols = _count(p, lines, "columns")
    label = next(((k, s) for k, s in lines if s.startswith("#") and "PHI1" in s), None)
    if label is None:
        raise _fail(p, None, "no column-label line (ID I J PHI1 PHI2 ...)")
    names = label[1].lstrip("#").split()
    if names[:9] != ["ID", "I", "J", "PHI1", "PHI2", "THETA1", "THETA2", "PHIavg", "THETAavg"]:
        raise _fail(
            p, label[0], "column labels are not ID I J PHI1 PHI2 THETA1 THETA2 PHIavg THETAavg"
        )
    speeds = _floats(p, label[0], names[9:])
    if speeds.size != n_cols:
        raise _fail(p, label[0], f"{speeds.size} speed labels, the header says {n_cols} columns")
    rows = [(k, s.split()) for k, s in lines if s.strip() and not s.startswith("#")]
    table = np.empty((len(rows), 9 + n_cols))
    for i, (k, tokens) in enumerate(rows):
        if len(tokens) != 9 + n_cols:
            raise _fail(p, k, f"{len(tokens)} fields, expected {9 + n_cols} (file cut short?)")
        table[i] = _floats(p, k, tokens)
    if len(rows) != n_rows:
        raise _fail(
            p, rows[-1][0] if rows else None, f"{len(rows)} data rows, the header says {n_rows}"
        )
    if np.any(table[:, 9:] < 0):
        k = rows[int(np.argmax((table[:, 9:] < 0).any(axis=1)))][0]
        raise _fail(p, k, "negative flux")
    _check_igloo_cover(p, [k for k, _ in rows], table)
    return _Igloo(table[:, 3:5] * DEG, table[:, 5:7] * DEG, speeds * KM_S, table[:, 9:])


def _check_igloo_cover(p: Path, linenos: list[int], t: NDArray[np.float64]) -> None:
    """Bands tile −90…90° and each band's bins tile 0…360° (else the line of the first gap)."""
    if abs(t[0, 3] + 90.0) > 1e-6 or abs(t[-1, 4] - 90.0) > 1e-6:
        raise _fail(p, linenos[0], "PHI bands do not run from -90 to 90 deg")
    for i in range(len(t)):
        first = i == 0 or t[i, 1] != t[i - 1, 1]
        if first:
            if abs(t[i, 5]) > 1e-6 or (i > 0 and abs(t[i, 3] - t[i - 1, 4]) > 1e-6):
                raise _fail(p, linenos[i], "band does not start at THETA 0 or leaves a PHI gap")
        elif abs(t[i, 5] - t[i - 1, 6]) > 1e-6 or abs(t[i, 3] - t[i - 1, 3]) > 1e-6:
            raise _fail(p, linenos[i], "THETA bins of a band are not contiguous")
        last = i == len(t) - 1 or t[i + 1, 1] != t[i, 1]
        if last and abs(t[i, 6] - 360.0) > 1e-6:
            raise _fail(p, linenos[i], "band does not end at THETA 360")


def read_mem_igloo(
    path: str | Path,
    *,
    limiting_mass_kg: float,
    density_kg_m3: float,
    frame: str | None = None,
    theta_zero: str | None = None,
    theta_positive: str | None = None,
    phi_positive: str | None = None,
    direction: str | None = None,
    values: str | None = None,
    name: str | None = None,
) -> Population:
    """A MEM 3 ``igloo_avg.txt`` → meteoroid `Population` in LVLH.

    The six conventions of `MEM_IGLOO_CONVENTIONS` are **required** (the file states none):
    `frame` (only "lvlh": the run's output axes are the vehicle's), `theta_zero` (the LVLH
    direction of THETA = 0) and `theta_positive` (the side THETA grows towards), `phi_positive`
    (PHI is the elevation from the local horizontal, positive towards "zenith" or "nadir"),
    `direction` ("source" = radiant, or "motion") and `values` ("per_bin": flux [#/m²/yr] in the
    bin; "per_sr": per steradian, × the bin's solid angle). `limiting_mass_kg` [kg] is the run's
    limiting mass (MEM writes it in the run's input, not here); the size table scales the flux
    above it with the Grün et al. (1985) mass distribution (`grun_flux`, 1e-21…0.1 kg) and
    converts mass to diameter with `density_kg_m3` [kg m⁻³] — a breachkit choice, stated in the
    population's source line. Raises `InputError` for a file cut short or rows not tiling the
    sphere (the line named).
    """
    p = Path(path)
    conv: dict[str, str] = {}
    given = {
        "frame": frame,
        "theta_zero": theta_zero,
        "theta_positive": theta_positive,
        "phi_positive": phi_positive,
        "direction": direction,
        "values": values,
    }
    for key, allowed in MEM_IGLOO_CONVENTIONS.items():
        val = given[key]
        if val is None:
            raise InputError(
                f"{p.name} (MEM 3 igloo): convention {key} is not declared (the file does not state it); give one of {', '.join(allowed)}"
            )
        if val not in allowed:
            raise InputError(
                f"{p.name} (MEM 3 igloo): {key} = {val!r} is not one of {', '.join(allowed)}"
            )
        conv[key] = val
    if not (1e-21 <= limiting_mass_kg < 0.1):
        raise InputError(
            f"{p.name}: limiting_mass_kg {limiting_mass_kg:g} outside the Grün range 1e-21 … 0.1 kg"
        )
    if not (density_kg_m3 > 0):
        raise InputError(f"{p.name}: density_kg_m3 must be > 0")
    ig = _read_igloo_table(p)
    solid = (ig.theta[:, 1] - ig.theta[:, 0]) * (np.sin(ig.phi[:, 1]) - np.sin(ig.phi[:, 0]))
    per_bin = ig.values * (solid[:, None] if conv["values"] == "per_sr" else 1.0)
    theta = 0.5 * (ig.theta[:, 0] + ig.theta[:, 1])
    phi = np.arcsin(0.5 * (np.sin(ig.phi[:, 0]) + np.sin(ig.phi[:, 1])))  # equal-area centre
    zero = {"ram": 0.0, "starboard": np.pi / 2, "wake": np.pi, "port": -np.pi / 2}[
        conv["theta_zero"]
    ]
    az = zero + (theta if conv["theta_positive"] == "starboard" else -theta)
    el = phi if conv["phi_positive"] == "zenith" else -phi
    if conv["direction"] == "motion":
        az, el = az + np.pi, -el
    vectors = np.stack([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), -np.sin(el)], axis=1)
    used = per_bin.sum(axis=0) > 0
    if not used.any():
        raise _fail(p, None, "every igloo bin is zero")
    masses = np.geomspace(limiting_mass_kg, 0.05, 60)
    cum = np.asarray(grun_flux(masses), dtype=float)
    d = np.asarray(sphere_diameter(masses, density_kg_m3), dtype=float)
    return Population(
        name=name or f"mem3-{p.stem}",
        kind="meteoroid",
        directions=DirectionGrid(vectors, solid, "lvlh"),
        speed_m_s=ig.speed_m_s[used],
        flux=per_bin[:, used] / JULIAN_YEAR,
        reference_diameter_m=float(d[0]),
        diameter_grid_m=d,
        cumulative_fraction=cum / cum[0],
        density_kg_m3=float(density_kg_m3),
        source=(
            f"NASA MEM 3 igloo {p.name} (theta 0 = {conv['theta_zero']}, positive "
            f"{conv['theta_positive']}, phi positive {conv['phi_positive']}, angles = "
            f"{conv['direction']}, values {conv['values']}: declared by the user); size "
            f"dependence above {limiting_mass_kg:g} kg from Grün et al. (1985) at "
            f"{density_kg_m3:g} kg/m3 (breachkit choice)"
        ),
    )
