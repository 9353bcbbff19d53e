"""MASTER-2009 and MEM 3 readers: real files (../shared, skipped when absent) and own fixtures.

The fixtures are written here in the same layout with made-up numbers (the real files carry no
licence and are never copied into the project).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.units import JULIAN_YEAR, KM_S
from breachkit.environment.master import (
    master_class_flux,
    read_master_run,
    read_master_spectrum,
)
from breachkit.environment.mem import (
    MEM_CUBE_FACE_NORMALS_LVLH,
    read_mem_cube,
    read_mem_igloo,
)
from breachkit.environment.tabulated import read_tabulated_flux, write_tabulated_flux

DECLARED = {
    "azimuth_zero": "ram",
    "azimuth_positive": "starboard",
    "elevation_positive": "zenith",
    "direction": "source",
    "flux_area": "cross_section",
}
IGLOO = {
    "frame": "lvlh",
    "theta_zero": "ram",
    "theta_positive": "starboard",
    "phi_positive": "zenith",
    "direction": "source",
    "values": "per_bin",
}

# ------------------------------------------------------------------ fixture writers (own data)

_GRIDS = {
    # suffix: (title, scale, x label, unit, n, lo, hi, width text)
    "dia": ("Object Diameter", "logarithmic", "m", 4, 1e-4, 1e-2, "0.50000E+00 logarithmic"),
    "vel": ("Impact Velocity", "linear", "km/s", 4, 0.0, 16.0, "0.40000E+01 km/s"),
    "azi": ("Impact Azimuth", "linear", "deg", 8, -180.0, 180.0, "0.45000E+02 deg"),
    "ele": ("Impact Elevation", "linear", "deg", 4, -90.0, 90.0, "0.45000E+02 deg"),
}
_SOURCES = 16


def _edges(suffix: str) -> np.ndarray:
    _, scale, _, n, lo, hi, _ = _GRIDS[suffix]
    if scale == "logarithmic":
        return np.geomspace(lo, hi, n + 1)
    return np.linspace(lo, hi, n + 1)


def _master_file(path: Path, suffix: str, mode: str, d_values: np.ndarray, unit: str = "") -> None:
    """Write a MASTER-2009-layout spectrum whose class fluxes are `d_values` (n, 2 sources)."""
    title, scale, u, n, lo, hi, width = _GRIDS[suffix]
    u = unit or u
    e = _edges(suffix)
    centre = np.sqrt(e[:-1] * e[1:]) if scale == "logarithmic" else 0.5 * (e[:-1] + e[1:])
    cols = np.zeros((n, _SOURCES))
    cols[:, 0], cols[:, 6] = d_values[:, 0], d_values[:, 1]
    if mode == "c":
        cols, x = np.cumsum(cols[::-1], axis=0)[::-1], e[:-1]
    elif mode == "r":
        cols, x = np.cumsum(cols, axis=0), e[1:]
    else:
        x = centre
    total = cols.sum(axis=1)
    g = float(d_values.sum())
    lines = [f"# Automatically generated output file of MASTER v7.02<{path.name}>"]
    lines += ["# fixture written by breachkit's tests (made-up numbers)"] * 3
    lines += [
        "# orbiting target (sphere) with parameters   6778.000 km, 0.00100,  51.600 deg",
        f"#   Title:            2D flux distribution vs. {title}",
        f"#   Scale:            {scale}",
        f"#   x Data:           {title} [{u}]",
        "#   y Data:           Object Flux [1/m^2/yr]",
        f"#   Global Flux:      {g:.4E} [1/m^2/yr]",
        f"#   Discretisation:   {n:3d} classes from {lo: .5E} {u} to {hi: .5E} {u}, "
        f"{width} class width",
        "# X    Expl-Fragm ... Total",
    ]

    def fmt(v: float) -> str:
        return "0" if v == 0 else f"{v:.4E}"

    for k in range(n):
        lines.append(f"  {x[k]:.6f}  " + " ".join(fmt(v) for v in (*cols[k], total[k])))
    sums = d_values.sum(axis=0)
    s_cols = np.zeros(_SOURCES + 1)
    s_cols[0], s_cols[6], s_cols[-1] = sums[0], sums[1], sums.sum()
    lines.append("## Sum:   " + " ".join(fmt(v) for v in s_cols))
    lines.append("### Global:   " + " ".join(fmt(v) for v in s_cols))
    path.write_text("\n".join(lines) + "\n")


def _master_run(folder: Path) -> dict[str, np.ndarray]:
    """A fixture run: all flux from azimuth 45 deg class (+22.5..+67.5) ... per the tables below."""
    folder.mkdir(parents=True, exist_ok=True)
    spectra = {
        "dia": np.array([[3.0, 5.0], [1.0, 1.0], [0.2, 0.3], [0.05, 0.05]]),
        "vel": np.array([[0.0, 0.0], [1.0, 2.0], [2.5, 3.0], [0.75, 1.35]]),
        "azi": np.array(
            [[0, 0], [0, 0], [0, 0], [0, 0], [4.25, 6.35], [0, 0], [0, 0], [0, 0]], float
        ),
        "ele": np.array([[0, 0], [2.0, 3.0], [2.25, 3.35], [0, 0]], float),
    }
    for suffix, d in spectra.items():
        for mode in "dcr":
            _master_file(folder / f"master_{mode}.{suffix}", suffix, mode, d)
    return spectra


def _cube_file(path: Path, flux: np.ndarray, totals: np.ndarray | None = None) -> None:
    faces = ["+x ram", "-x wake", "+y port", "-y starboard", "+z zenith", "-z nadir"]
    v = np.arange(flux.shape[0]) + 0.5
    tot = flux.sum(axis=0) if totals is None else totals
    avg = (flux * v[:, None]).sum(axis=0) / flux.sum(axis=0)
    lines = [
        f"# {flux.shape[0]} rows of flux data",
        "# 6 columns of flux data",
        "# ",
        f"# total cross-sectional flux  {tot.sum() / 2:e} /m^2/yr",
        "#",
        "#" + " " * 22 + "".join(f"{f:>13s}" for f in faces),
        "# average speed (km/s)  " + "".join(f"{a:12.2f} " for a in avg),
        "# total flux (#/m2/yr)  " + "".join(f"{t:e} " for t in tot),
        "# velocity (km/s)",
    ]
    for k in range(flux.shape[0]):
        lines.append(f"{v[k]:8.1f}" + " " * 15 + "".join(f"{x:e} " for x in flux[k]))
    path.write_text("\n".join(lines) + "\n\n")


def _igloo_file(path: Path, values: np.ndarray, n_rows: int | None = None) -> None:
    """Two bands (−90…0, 0…90) of three 120° bins each; `values` (6, 2 speeds)."""
    lines = [
        f"# {6 if n_rows is None else n_rows} rows of flux data",
        "# 2 columns of flux data",
        "#",
        "# flux is distributed by angle and speed:",
        "#  ID   I   J   PHI1   PHI2 THETA1 THETA2 PHIavg THETAavg        0.5          1.5",
    ]
    k = 0
    for i, (p1, p2) in enumerate(((-90.0, 0.0), (0.0, 90.0)), start=1):
        pav = np.degrees(np.arcsin(0.5 * (np.sin(np.radians(p1)) + np.sin(np.radians(p2)))))
        for j in range(3):
            t1, t2 = 120.0 * j, 120.0 * (j + 1)
            lines.append(
                f"{k + 1:5d}{i:4d}{j + 1:4d}{p1:7.2f}{p2:7.2f}{t1:7.2f}{t2:7.2f}{pav:7.2f}"
                f"{0.5 * (t1 + t2):7.2f} " + "".join(f"{x:e} " for x in values[k])
            )
            k += 1
    path.write_text("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------- MASTER fixtures


def test_master_fixture_reads_with_declared_conventions(tmp_path):
    spectra = _master_run(tmp_path / "run")
    pop = read_master_run(tmp_path / "run", **DECLARED)
    total = spectra["dia"].sum()
    assert pop.flux.sum() * JULIAN_YEAR == pytest.approx(total, rel=1e-3)
    # all flux in azimuth class 45 deg (ram towards starboard), elevation ±22.5 deg classes
    az = np.degrees(np.arctan2(pop.directions.vectors[:, 1], pop.directions.vectors[:, 0]))
    assert np.allclose(az, 22.5)
    # F(>= 1e-3 m) = classes 3 and 4 of the diameter spectrum
    assert pop.omnidirectional_flux(1e-3) * JULIAN_YEAR == pytest.approx(0.6, rel=1e-3)
    # mean speed from the velocity marginal: classes 4-8, 8-12, 12-16 km/s
    w = spectra["vel"].sum(axis=1)
    expect = (w * np.array([2.0, 6.0, 10.0, 14.0])).sum() / w.sum() * KM_S
    assert pop.mean_speed_m_s() == pytest.approx(expect, rel=1e-9)


def test_master_conventions_are_applied(tmp_path):
    _master_run(tmp_path / "run")
    ref = read_master_run(tmp_path / "run", **DECLARED)
    flipped = read_master_run(
        tmp_path / "run",
        **{**DECLARED, "azimuth_positive": "port", "direction": "motion", "flux_area": "surface"},
    )
    # port-positive then motion: az 22.5 → −22.5 → 157.5, el → −el (direction reversed)
    u = flipped.directions.vectors
    az = np.degrees(np.arctan2(u[:, 1], u[:, 0]))
    assert np.allclose(az, 157.5)
    assert np.allclose(np.sort(u[:, 2]), np.sort(ref.directions.vectors[:, 2]))
    assert flipped.flux.sum() == pytest.approx(4.0 * ref.flux.sum(), rel=1e-12)


@pytest.mark.parametrize("missing", sorted(DECLARED))
def test_master_undeclared_convention_is_refused(tmp_path, missing):
    _master_run(tmp_path / "run")
    kw = {k: v for k, v in DECLARED.items() if k != missing}
    with pytest.raises(InputError, match=f"convention {missing} is not declared"):
        read_master_run(tmp_path / "run", **kw)


def test_master_cumulative_disagreeing_with_differential_names_the_line(tmp_path):
    _master_run(tmp_path / "run")
    p = tmp_path / "run" / "master_c.dia"
    lines = p.read_text().splitlines()
    row = next(i for i, s in enumerate(lines) if not s.startswith("#"))
    fields = lines[row].split()
    fields[1] = f"{float(fields[1]) * 1.5:.4E}"
    fields[-1] = f"{sum(float(f) for f in fields[1:-1]):.4E}"
    lines[row] = "  " + "  ".join(fields)
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=rf"master_c.dia: line {row + 1}: Total .* does not agree"):
        read_master_run(tmp_path / "run", **DECLARED)


def test_master_unknown_unit_is_refused(tmp_path):
    _master_file(tmp_path / "master_d.dia", "dia", "d", np.ones((4, 2)), unit="ft")
    with pytest.raises(InputError, match=r"master_d.dia: line 8: unit \[ft\] is not \[m\]"):
        read_master_spectrum(tmp_path / "master_d.dia")


def test_master_row_off_the_grid_is_refused(tmp_path):
    p = tmp_path / "master_d.vel"
    _master_file(p, "vel", "d", np.ones((4, 2)))
    text = p.read_text().replace("  6.000000", "  6.500000")
    p.write_text(text)
    with pytest.raises(InputError, match="is not the class centre"):
        read_master_spectrum(p)


def test_master_rows_not_summing_to_sum_line(tmp_path):
    p = tmp_path / "master_d.azi"
    _master_file(p, "azi", "d", np.ones((8, 2)))
    text = p.read_text().replace("## Sum:   8.0000E+00", "## Sum:   9.0000E+00")
    p.write_text(text)
    with pytest.raises(InputError, match=r"line \d+: the rows do not sum to ## Sum:"):
        read_master_spectrum(p)


def test_master_class_flux_inverts_cumulative(tmp_path):
    d = np.array([[3.0, 5.0], [1.0, 1.0], [0.2, 0.3], [0.05, 0.05]])
    for mode in "dcr":
        _master_file(tmp_path / f"master_{mode}.dia", "dia", mode, d)
        s = read_master_spectrum(tmp_path / f"master_{mode}.dia")
        got = master_class_flux(s)[:, -1] * JULIAN_YEAR
        assert np.allclose(got, d.sum(axis=1), rtol=2e-3)


# ------------------------------------------------------------------------- MEM fixtures


def test_mem_cube_fixture_and_face_map(tmp_path):
    flux = np.array(
        [[0.0] * 6, [1e-3, 2e-4, 3e-4, 3e-4, 5e-4, 1e-6], [2e-3, 1e-4, 1e-4, 1e-4, 1e-4, 0.0]]
    )
    _cube_file(tmp_path / "cube_avg.txt", flux)
    c = read_mem_cube(tmp_path / "cube_avg.txt")
    assert c.faces[:6] == tuple(MEM_CUBE_FACE_NORMALS_LVLH)
    assert c.face_flux("+x ram") * JULIAN_YEAR == pytest.approx(3e-3, rel=1e-6)
    assert c.speed_m_s[1] == pytest.approx(1.5 * KM_S)


def test_mem_cube_rows_not_summing_to_totals_names_the_line(tmp_path):
    flux = np.array([[1e-3] * 6, [2e-3] * 6])
    _cube_file(tmp_path / "cube_avg.txt", flux, totals=np.array([3e-3] * 5 + [4e-3]))
    with pytest.raises(InputError, match=r"cube_avg.txt: line 8: column '-z nadir': rows sum"):
        read_mem_cube(tmp_path / "cube_avg.txt")


def test_mem_igloo_fixture_conventions_and_solid_angle(tmp_path):
    vals = np.zeros((6, 2))
    vals[4, 1] = 2.0  # northern band (phi 0..90), theta 120..240, 1.5 km/s
    _igloo_file(tmp_path / "igloo_avg.txt", vals)
    pop = read_mem_igloo(
        tmp_path / "igloo_avg.txt", limiting_mass_kg=1e-9, density_kg_m3=1000.0, **IGLOO
    )
    k = int(np.argmax(pop.flux.sum(axis=1)))
    u = pop.directions.vectors[k]
    assert np.degrees(np.arctan2(u[1], u[0])) == pytest.approx(180.0) or np.degrees(
        np.arctan2(u[1], u[0])
    ) == pytest.approx(-180.0)
    assert u[2] < 0  # phi > 0 towards zenith is −z in LVLH
    assert pop.flux.sum() * JULIAN_YEAR == pytest.approx(2.0)
    per_sr = read_mem_igloo(
        tmp_path / "igloo_avg.txt", limiting_mass_kg=1e-9, density_kg_m3=1000.0,
        **{**IGLOO, "values": "per_sr"},
    )  # fmt: skip
    assert per_sr.flux.sum() * JULIAN_YEAR == pytest.approx(2.0 * (2 * np.pi / 3) * 1.0)
    assert pop.size_fraction(pop.diameter_grid_m[0]) == pytest.approx(1.0)


def test_mem_igloo_undeclared_or_cut_short(tmp_path):
    _igloo_file(tmp_path / "igloo_avg.txt", np.ones((6, 2)), n_rows=8)
    kw = {k: v for k, v in IGLOO.items() if k != "theta_zero"}
    with pytest.raises(InputError, match="convention theta_zero is not declared"):
        read_mem_igloo(tmp_path / "igloo_avg.txt", limiting_mass_kg=1e-9, density_kg_m3=1e3, **kw)
    with pytest.raises(InputError, match=r"line 11: 6 data rows, the header says 8"):
        read_mem_igloo(
            tmp_path / "igloo_avg.txt", limiting_mass_kg=1e-9, density_kg_m3=1e3, **IGLOO
        )


# ---------------------------------------------------------------------- real files (../shared)


@pytest.mark.shared
@pytest.mark.slow
def test_real_master_2009_run(shared_dir, tmp_path):
    run = shared_dir / "data" / "flux-formats" / "master-2009" / "h600_i30"
    for f in sorted(run.glob("master_*.*")):
        s = read_master_spectrum(f)
        # the README: every file's Global Flux is 0.1042E+03 /m^2/yr
        assert s.global_flux * JULIAN_YEAR == pytest.approx(104.2, rel=1e-4)
    # c and r files agree with d (checked inside read_master_run, rtol 2e-3)
    pop = read_master_run(run, **DECLARED)
    assert pop.flux.sum() * JULIAN_YEAR == pytest.approx(104.2, rel=2e-3)
    # README: no flux above 15.5 km/s
    assert pop.speed_m_s.max() <= 15.5 * KM_S
    # README: 97 % of the flux within |az| < 90 deg with azimuth 0 declared as ram
    u = pop.directions.vectors
    front = pop.flux.sum(axis=1)[u[:, 0] > 0].sum() / pop.flux.sum()
    assert front == pytest.approx(0.97, abs=0.01)
    # round trip through breachkit's own flux-table writer (three diameters of the size table,
    # to keep the file small: 8 515 directions x 31 speeds per diameter)
    k = [0, 20, 40]
    small = replace(
        pop,
        diameter_grid_m=pop.diameter_grid_m[k],
        cumulative_fraction=pop.cumulative_fraction[k],
    )
    back = read_tabulated_flux(write_tabulated_flux(small, tmp_path / "master.csv"))
    for d in small.diameter_grid_m:
        assert back.omnidirectional_flux(d) == pytest.approx(pop.omnidirectional_flux(d), rel=1e-9)
    for n in ((1, 0, 0), (0, 1, 0), (0, 0, -1), (-1, 0, 0)):
        assert back.plate_flux(n, 1e-4) == pytest.approx(pop.plate_flux(n, 1e-4), rel=1e-9)


@pytest.mark.shared
def test_real_mem3_cube_and_igloo_head(shared_dir):
    folder = shared_dir / "data" / "flux-formats" / "mem3" / "lat0_HiDensity"
    c = read_mem_cube(folder / "cube_avg.txt")
    # header: total cross-sectional flux 2.153588 /m^2/yr; +x ram total 6.113427e-01
    assert c.cross_section_flux * JULIAN_YEAR == pytest.approx(2.153588, rel=1e-7)
    assert c.face_flux("+x ram") * JULIAN_YEAR == pytest.approx(0.6113427, rel=1e-6)
    assert len(c.faces) == 12
    # the shared igloo file is the first 16 000 characters only: refused, naming the cut line
    with pytest.raises(InputError, match=r"igloo_avg_head.txt: line 22: .*file cut short"):
        read_mem_igloo(
            folder / "igloo_avg_head.txt", limiting_mass_kg=1e-9, density_kg_m3=1e3, **IGLOO
        )
