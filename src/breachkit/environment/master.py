"""Reader for ESA MASTER-2009 (v7.02) 2-D flux spectra ``*_{d,c,r}.{dia,vel,azi,ele}`` → `Population`.

Layout (checked on real v7.02 output; docs/environment.md §5.4): ``#`` header lines with
``Scale``, ``x Data`` (quantity and unit), ``Global Flux`` and ``Discretisation: N classes from
MIN to MAX, W class width`` (W in log10 units on a logarithmic scale); N fixed-width data rows of
x and 17 flux columns [1/m^2/yr] (sources …, ``Total`` last); footer lines ``## Sum:``,
``### Global:``, ``#### Events:``. Suffix ``_d``: flux in class i (x = class centre, geometric on
a log scale); ``_c``: flux at or above the lower class edge (x = lower edge, Σ_{j≥i} d_j);
``_r``: flux below the upper edge (x = upper edge, Σ_{j≤i} d_j).

The files do **not** state the azimuth zero or sense, the elevation sign, whether the angles
point to the source or along the relative velocity, or whether 1/m² is per cross-section or per
surface of the spherical target. `read_master_run` therefore *requires* each of these as a
declared option (no defaults, never guessed). MASTER-2009 writes 1-D marginals only; the
`Population` built from them assumes speed, azimuth and elevation independent (stated in the
population's source line).
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

__all__ = [
    "MASTER_CONVENTIONS",
    "MasterSpectrum",
    "master_class_flux",
    "read_master_run",
    "read_master_spectrum",
]

#: x-axis names MASTER writes → (quantity, unit text, factor to SI)
_QUANTITIES: dict[str, tuple[str, str, float]] = {
    "object diameter": ("diameter", "m", 1.0),
    "impact velocity": ("velocity", "km/s", KM_S),
    "impact azimuth": ("azimuth", "deg", DEG),
    "impact elevation": ("elevation", "deg", DEG),
}
_SUFFIX = {"dia": "diameter", "vel": "velocity", "azi": "azimuth", "ele": "elevation"}
_N_FLUX_COLUMNS = 17
_FLOAT = r"[-+]?\d*\.?\d+(?:[EeDd][-+]?\d+)?"
_DISCRETISATION = re.compile(
    rf"Discretisation:\s*(\d+)\s+classes\s+from\s+({_FLOAT})\s*(\S+)\s+to\s+({_FLOAT})\s*\S*,"
    rf"\s*({_FLOAT})\s*(?:(logarithmic)\s+)?(?:\S+\s+)?class width"
)

#: The conventions a MASTER run must declare (allowed values; there are no defaults).
MASTER_CONVENTIONS: dict[str, tuple[str, ...]] = {
    "azimuth_zero": ("ram", "wake"),
    "azimuth_positive": ("starboard", "port"),
    "elevation_positive": ("zenith", "nadir"),
    "direction": ("source", "motion"),
    "flux_area": ("cross_section", "surface"),
}


@dataclass(frozen=True)
class MasterSpectrum:
    """One MASTER-2009 spectrum file, in SI units.

    `edges` (n+1,) class edges [m, m s⁻¹ or rad]; `x` (n,) the printed abscissa (SI); `flux`
    (n, 17) the flux columns [m⁻² s⁻¹] (last column ``Total``); `columns` their names;
    `global_flux` the header's Global Flux [m⁻² s⁻¹]; `sums` the ``## Sum:`` line [m⁻² s⁻¹];
    `target` the header's target description; `data_lines` the file line of each row.
    """

    path: Path
    quantity: str
    mode: str
    edges: NDArray[np.float64]
    x: NDArray[np.float64]
    flux: NDArray[np.float64]
    columns: tuple[str, ...]
    global_flux: float
    sums: NDArray[np.float64]
    target: str
    data_lines: tuple[int, ...]

    @property
    def total(self) -> NDArray[np.float64]:
        """The ``Total`` column [m⁻² s⁻¹]."""
        return self.flux[:, -1]


def _fail(path: Path, line: int | None, what: str) -> InputError:
    where = f"{path.name}: line {line}" if line is not None else path.name
    return InputError(f"{where}: {what}")


def _number(path: Path, line: int, text: str) -> float:
    try:
        return float(text.replace("D", "E").replace("d", "e"))
    except ValueError:
        raise _fail(path, line, f"{text!r} is not a number") from None


def _mode_from_name(path: Path) -> tuple[str, str]:
    m = re.search(r"_([dcr])\.(dia|vel|azi|ele)$", path.name)
    if not m:
        raise _fail(path, None, "name does not end in _d/_c/_r .dia/.vel/.azi/.ele (MASTER-2009)")
    return m.group(1), _SUFFIX[m.group(2)]


def _edges(
    path: Path, line: int, text: str, unit_expected: str
) -> tuple[NDArray[np.float64], bool]:
    m = _DISCRETISATION.search(text)
    if not m:
        raise _fail(path, line, "Discretisation line not understood")
    n = int(m.group(1))
    lo, unit, hi, width = (
        _number(path, line, m.group(2)),
        m.group(3),
        _number(path, line, m.group(4)),
        _number(path, line, m.group(5)),
    )
    log = m.group(6) is not None
    if unit != unit_expected:
        raise _fail(path, line, f"unit {unit!r} is not {unit_expected!r}")
    if n < 1 or width <= 0 or hi <= lo:
        raise _fail(path, line, "Discretisation has no classes or a non-positive width")
    if log:
        if lo <= 0:
            raise _fail(path, line, "logarithmic grid starts at <= 0")
        edges = 10.0 ** np.linspace(np.log10(lo), np.log10(hi), n + 1)
        ok = abs(np.log10(hi / lo) / n - width) <= 1e-4 * width
    else:
        edges = np.linspace(lo, hi, n + 1)
        ok = abs((hi - lo) / n - width) <= 1e-4 * width
    if not ok:
        raise _fail(path, line, f"{n} classes from {lo:g} to {hi:g} do not have width {width:g}")
    return edges, log


def _parse(
    path: Path,
) -> tuple[
    dict[str, tuple[int, str]], list[tuple[int, list[str]]], dict[str, tuple[int, list[str]]]
]:
    header: dict[str, tuple[int, str]] = {}
    rows: list[tuple[int, list[str]]] = []
    footer: dict[str, tuple[int, list[str]]] = {}
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError:
        raise _fail(path, None, "not an ASCII MASTER output file") from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s:
            continue
        if s.startswith("##"):
            key = s.split(":", 1)[0].lstrip("#").strip().lower()
            footer[key] = (lineno, s.split(":", 1)[1].split() if ":" in s else [])
        elif s.startswith("#"):
            body = s.lstrip("#").strip()
            for key in ("Scale:", "x Data:", "y Data:", "Global Flux:", "Discretisation:"):
                if body.startswith(key):
                    header[key[:-1].lower()] = (lineno, body)
            if body.startswith("orbiting target") or body.startswith("simulation between"):
                header.setdefault("target", (lineno, body))
        else:
            rows.append((lineno, s.split()))
    return header, rows, footer


def read_master_spectrum(path: str | Path) -> MasterSpectrum:
    """Read one MASTER-2009 v7.02 spectrum file (layout in the module docstring), SI units.

    Checks (bad input → `InputError` naming the file and line): the x unit and grid are known;
    each printed x matches its class centre/edge (print precision); each row has x + 17 flux
    columns; the ``Total`` column equals the sum of the source columns and ``## Sum:`` the
    column sums of a ``_d`` file (both within 2e-3 relative: 4-digit printing).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: MASTER spectrum not found")
    mode, quantity = _mode_from_name(p)
    header, rows, footer = _parse(p)
    for key in ("x data", "discretisation", "global flux"):
        if key not in header:
            raise _fail(p, None, f"no '{key}' header line (not MASTER-2009 v7.02 output?)")
    ln, xdata = header["x data"]
    m = re.match(r"x Data:\s*(.+?)\s*\[(.+?)\]", xdata)
    if not m or m.group(1).lower() not in _QUANTITIES:
        raise _fail(p, ln, f"x quantity {xdata!r} is not one MASTER-2009 writes")
    q, unit, factor = _QUANTITIES[m.group(1).lower()]
    if q != quantity:
        raise _fail(p, ln, f"x quantity {m.group(1)!r} does not match the file suffix ({quantity})")
    if m.group(2) != unit:
        raise _fail(p, ln, f"unit [{m.group(2)}] is not [{unit}]")
    ln_d, disc = header["discretisation"]
    edges, log = _edges(p, ln_d, disc, unit)
    ln_g, glob = header["global flux"]
    g = re.search(rf"({_FLOAT})\s*\[1/m\^2/yr\]", glob)
    if not g:
        raise _fail(p, ln_g, "Global Flux is not in [1/m^2/yr]")
    n = edges.size - 1
    if len(rows) != n:
        raise _fail(
            p, rows[-1][0] if rows else None, f"{len(rows)} data rows, Discretisation says {n}"
        )
    x = np.empty(n)
    flux = np.empty((n, _N_FLUX_COLUMNS))
    for k, (lineno, fields) in enumerate(rows):
        if len(fields) != 1 + _N_FLUX_COLUMNS:
            raise _fail(p, lineno, f"{len(fields)} fields, expected {1 + _N_FLUX_COLUMNS}")
        x[k] = _number(p, lineno, fields[0])
        flux[k] = [_number(p, lineno, f) for f in fields[1:]]
        if np.any(flux[k] < 0):
            raise _fail(p, lineno, "negative flux")
    centre = np.sqrt(edges[:-1] * edges[1:]) if log else 0.5 * (edges[:-1] + edges[1:])
    expect = {"d": centre, "c": edges[:-1], "r": edges[1:]}[mode]
    tol = 5e-6 * max(1.0, float(np.max(np.abs(edges))))
    bad = np.abs(x - expect) > np.maximum(tol, 2e-3 * np.abs(expect))
    if bad.any():
        k = int(np.argmax(bad))
        raise _fail(
            p,
            rows[k][0],
            f"x = {x[k]:g} is not the class {'centre' if mode == 'd' else 'edge'} {expect[k]:g} of the Discretisation grid",
        )
    scale = max(float(np.max(flux[:, -1])), 1e-300)
    resid = np.abs(flux[:, :-1].sum(axis=1) - flux[:, -1])
    if np.any(resid > 2e-3 * np.maximum(flux[:, -1], 1e-3 * scale)):
        k = int(np.argmax(resid / np.maximum(flux[:, -1], 1e-3 * scale)))
        raise _fail(p, rows[k][0], "the Total column is not the sum of the source columns")
    sums = np.full(_N_FLUX_COLUMNS, np.nan)
    if "sum" in footer:
        ln_s, vals = footer["sum"]
        if len(vals) != _N_FLUX_COLUMNS:
            raise _fail(p, ln_s, f"## Sum: has {len(vals)} values, expected {_N_FLUX_COLUMNS}")
        sums = np.array([_number(p, ln_s, v) for v in vals])
        if mode == "d":
            col = flux.sum(axis=0)
            off = np.abs(col - sums) > 2e-3 * np.maximum(sums, 1e-3 * sums[-1]) + 1e-30
            if off.any():
                raise _fail(
                    p, ln_s, f"the rows do not sum to ## Sum: (column {int(np.argmax(off)) + 1})"
                )
    return MasterSpectrum(
        path=p,
        quantity=q,
        mode=mode,
        edges=edges * factor,
        x=x * factor,
        flux=flux / JULIAN_YEAR,
        columns=_column_names(),
        global_flux=_number(p, ln_g, g.group(1)) / JULIAN_YEAR,
        sums=sums / JULIAN_YEAR,
        target=header.get("target", (0, ""))[1],
        data_lines=tuple(r[0] for r in rows),
    )


def _column_names() -> tuple[str, ...]:
    return (
        "Expl-Fragm", "Coll-Fragm", "Launch/Mis", "NaK-Drops", "SRM-Slag", "SRM-Dust",
        "Paint Flks", "Ejecta", "MLI", "Meteoroids", "Streams",
        "Cloud 1", "Cloud 2", "Cloud 3", "Cloud 4", "Cloud 5", "Total",
    )  # fmt: skip


def master_class_flux(spectrum: MasterSpectrum) -> NDArray[np.float64]:
    """The flux in each class (n, 17) [m⁻² s⁻¹] from a _d, _c or _r spectrum.

    _d: as read; _c: d_i = c_i − c_{i+1} (c_{n+1} = 0); _r: d_i = r_i − r_{i−1} (r_0 = 0).
    """
    f = spectrum.flux
    if spectrum.mode == "d":
        return f.copy()
    if spectrum.mode == "c":
        return f - np.vstack([f[1:], np.zeros((1, f.shape[1]))])
    return f - np.vstack([np.zeros((1, f.shape[1])), f[:-1]])


def _check_agree(d: MasterSpectrum, other: MasterSpectrum, rtol: float) -> None:
    """The cumulative (_c) or reverse (_r) file agrees with the differential one."""
    if d.edges.shape != other.edges.shape or not np.allclose(d.edges, other.edges, rtol=1e-9):
        raise _fail(other.path, None, f"grid differs from {d.path.name}")
    dd = d.flux[:, -1]
    rebuilt = np.cumsum(dd[::-1])[::-1] if other.mode == "c" else np.cumsum(dd)
    scale = float(dd.sum())
    off = np.abs(other.flux[:, -1] - rebuilt) > rtol * np.maximum(rebuilt, 1e-4 * scale)
    if off.any():
        k = int(np.argmax(off))
        raise _fail(
            other.path,
            other.data_lines[k],
            f"Total {other.flux[k, -1] * JULIAN_YEAR:.4g}/m^2/yr does not agree with the "
            f"{'sum above' if other.mode == 'c' else 'sum below'} of {d.path.name} "
            f"({rebuilt[k] * JULIAN_YEAR:.4g})",
        )


def _declared(conventions: dict[str, str | None], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, allowed in MASTER_CONVENTIONS.items():
        val = conventions.get(key)
        if val is None:
            raise InputError(
                f"{where}: convention {key} is not declared (MASTER-2009 files do not state it); "
                f"give one of {', '.join(allowed)}"
            )
        if val not in allowed:
            raise InputError(f"{where}: {key} = {val!r} is not one of {', '.join(allowed)}")
        out[key] = val
    return out


def read_master_run(
    folder: str | Path,
    *,
    azimuth_zero: str | None = None,
    azimuth_positive: str | None = None,
    elevation_positive: str | None = None,
    direction: str | None = None,
    flux_area: str | None = None,
    stem: str = "master",
    name: str | None = None,
    kind: str = "debris",
    density_kg_m3: float = 2800.0,
    rtol: float = 2e-3,
) -> Population:
    """A MASTER-2009 run folder (``{stem}_d.{dia,vel,azi,ele}``, optional _c/_r) → `Population`.

    The five conventions are **required** (`MASTER_CONVENTIONS`): `azimuth_zero` (the LVLH
    direction of azimuth 0: "ram" or "wake"), `azimuth_positive` ("starboard"/"port"),
    `elevation_positive` ("zenith"/"nadir"), `direction` ("source": the angles point to where the
    particles come from; "motion": along their relative velocity) and `flux_area`
    ("cross_section": 1/m² of the sphere's cross-section, breachkit's convention; "surface": per m²
    of sphere surface, ×4 to cross-section). Every _c/_r file present must agree with its _d
    file (`rtol`, relative, default 2e-3 = 4-digit printing) and all four spectra must carry the
    same total.

    The table: F(≥d) from the diameter classes (lower edges, flux summed from above, so the
    largest class's upper edge is not a table point); speed, azimuth and elevation classes from
    their _d marginals, **assumed independent** (MASTER-2009 1-D spectra carry no joint
    distribution); each (azimuth, elevation) class becomes one direction at its centre.
    """
    base = Path(folder)
    where = f"{base.name} (MASTER-2009)"
    conv = _declared(
        {
            "azimuth_zero": azimuth_zero,
            "azimuth_positive": azimuth_positive,
            "elevation_positive": elevation_positive,
            "direction": direction,
            "flux_area": flux_area,
        },
        where,
    )
    spectra: dict[str, MasterSpectrum] = {}
    for suffix, q in _SUFFIX.items():
        d_path = base / f"{stem}_d.{suffix}"
        if not d_path.is_file():
            raise InputError(f"{where}: {d_path.name} is missing (the differential {q} spectrum)")
        spectra[q] = read_master_spectrum(d_path)
        for mode in ("c", "r"):
            other = base / f"{stem}_{mode}.{suffix}"
            if other.is_file():
                _check_agree(spectra[q], read_master_spectrum(other), rtol)
    totals = {q: float(s.total.sum()) for q, s in spectra.items()}
    t0 = totals["diameter"]
    for q, t in totals.items():
        if abs(t - t0) > rtol * t0:
            raise _fail(
                spectra[q].path,
                None,
                f"total flux {t * JULIAN_YEAR:.4g}/m^2/yr differs from the diameter spectrum's {t0 * JULIAN_YEAR:.4g}",
            )
    return _population(spectra, conv, name or f"master-{base.name}", kind, density_kg_m3)


def _population(
    spectra: dict[str, MasterSpectrum],
    conv: dict[str, str],
    name: str,
    kind: str,
    density_kg_m3: float,
) -> Population:
    dia, vel, azi, ele = (spectra[k] for k in ("diameter", "velocity", "azimuth", "elevation"))
    total = float(dia.total.sum())
    if total <= 0:
        raise _fail(dia.path, None, "the total flux is zero")
    cum = np.cumsum(dia.total[::-1])[::-1]
    keep = cum > 0
    d_grid, frac = dia.edges[:-1][keep], cum[keep] / cum[0]
    if d_grid.size < 2:
        raise _fail(dia.path, None, "fewer than two diameter classes carry flux")
    pv = vel.total / vel.total.sum()
    use_v = pv > 0
    speeds = 0.5 * (vel.edges[:-1] + vel.edges[1:])[use_v]
    if speeds.size == 0 or speeds[0] <= 0:
        raise _fail(vel.path, None, "flux in the 0-speed class or no flux at all")
    pa = azi.total / azi.total.sum()
    pe = ele.total / ele.total.sum()
    az_c = 0.5 * (azi.edges[:-1] + azi.edges[1:])
    el_c = 0.5 * (ele.edges[:-1] + ele.edges[1:])
    ia, ie = np.nonzero(np.outer(pa, pe) > 0)
    az, el = az_c[ia], el_c[ie]
    if conv["azimuth_zero"] == "wake":
        az = az + np.pi
    if conv["azimuth_positive"] == "port":
        az = -az
    if conv["elevation_positive"] == "nadir":
        el = -el
    if conv["direction"] == "motion":
        az, el = az + np.pi, -el
    area = 4.0 if conv["flux_area"] == "surface" else 1.0
    vectors = np.stack([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), -np.sin(el)], axis=1)
    solid = (azi.edges[1:] - azi.edges[:-1])[ia] * (np.sin(ele.edges[1:]) - np.sin(ele.edges[:-1]))[
        ie
    ]
    cell = pa[ia] * pe[ie]
    flux = area * total * cell[:, None] * pv[use_v][None, :]
    src = (
        f"ESA MASTER-2009 output {dia.path.parent.name} ({dia.target}); azimuth 0 = "
        f"{conv['azimuth_zero']}, positive {conv['azimuth_positive']}, elevation positive "
        f"{conv['elevation_positive']}, angles = {conv['direction']}, flux per "
        f"{conv['flux_area']} (declared by the user); speed, azimuth and elevation marginals "
        "assumed independent"
    )
    return Population(
        name=name,
        kind=kind,
        directions=DirectionGrid(vectors, solid, "lvlh"),
        speed_m_s=speeds,
        flux=flux,
        reference_diameter_m=float(d_grid[0]),
        diameter_grid_m=d_grid,
        cumulative_fraction=frac,
        density_kg_m3=float(density_kg_m3),
        source=src,
    )
