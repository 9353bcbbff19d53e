"""`breachkit env`: the MMOD environment of a circular orbit at a time (no physics here)."""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError

__all__ = ["EnvReport", "register"]

SIZES_MM = (0.1, 0.3, 1.0, 3.0)
#: Default F10.7 for 2021 (the year before the MS-22 leak): approximate annual mean of the
#: NOAA SWPC monthly observed values, recalled, UNVERIFIED. Pass --f107 for a checked value.
DEFAULT_F107_SFU = 82.0
YEAR_S = 365.25 * 86400.0
#: Orbit positions and (unknown) nodes averaged over by `build_environment` for the table.
N_POSITIONS = 36
N_RAAN = 12


@dataclass
class EnvReport:
    """What `breachkit env` prints: random-plate fluxes above fixed sizes per population."""

    altitude_km: float
    inclination_deg: float
    time_utc: str
    f107_sfu: float
    sizes_mm: tuple[float, ...]
    flux_per_m2_per_year: dict[str, list[float]]
    mean_speed_km_s: dict[str, float]
    showers_this_week: list[dict[str, Any]]
    sources: dict[str, str]
    notes: list[str] = field(default_factory=list)
    radiant_tracks: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    sporadic_model: str = "isotropic"
    #: How the directional populations were averaged: {"positions": n, "nodes": n or 1,
    #: "raan_deg": node at the time or None, "node_from": where the node came from or None}.
    averaging: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "altitude_km": self.altitude_km,
            "inclination_deg": self.inclination_deg,
            "time_utc": self.time_utc,
            "f107_sfu": self.f107_sfu,
            "convention": "cumulative flux above diameter, randomly tumbling one-sided plate",
            "sizes_mm": list(self.sizes_mm),
            "flux_per_m2_per_year": self.flux_per_m2_per_year,
            "mean_speed_km_s": self.mean_speed_km_s,
            "showers_this_week": self.showers_this_week,
            "sources": self.sources,
            "notes": self.notes,
            "radiant_tracks": self.radiant_tracks,
            "sporadic_model": self.sporadic_model,
            "averaging": self.averaging,
        }

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(
            title=Text(
                f"MMOD flux above size, h={self.altitude_km:g} km, i={self.inclination_deg:g}°, "
                f"{self.time_utc} [m⁻² yr⁻¹, random tumbling plate]"
            ),
            caption=Text(FLUX_UNIT_CAPTION),
        )
        t.add_column("population")
        for s in self.sizes_mm:
            t.add_column(Text(f"≥ {s:g} mm [m⁻² yr⁻¹]"), justify="right")
        t.add_column(Text("mean speed [km/s]"), justify="right")
        for name, row in self.flux_per_m2_per_year.items():
            sp = self.mean_speed_km_s.get(name, math.nan)
            t.add_row(name, *[f"{x:.3e}" for x in row], "—" if math.isnan(sp) else f"{sp:.1f}")
        w = Table(title="Showers active within ±3.5 days")
        for c in ("code", "name", "ZHR now", "peak ZHR", "peak (UTC)", "radiant RA/Dec °"):
            w.add_column(c)
        for sh in self.showers_this_week:
            w.add_row(
                sh["code"],
                sh["name"],
                f"{sh['zhr_now']:.1f}",
                f"{sh['zhr_max']:g}",
                sh["peak_utc"],
                f"{sh['ra_deg']:.1f} / {sh['dec_deg']:+.1f}",
            )
        tracks = []
        for code, rows in self.radiant_tracks.items():
            tt = Table(
                title=f"{code} arrival direction in LVLH along the orbit (az from ram to "
                "starboard, el to zenith; seen from the moving station)"
            )
            for c in ("u °", "az °", "el °", "speed km/s", "above limb"):
                tt.add_column(c, justify="right")
            for r in rows:
                tt.add_row(
                    f"{r['u_deg']:.1f} (at --at)" if r.get("now") else f"{r['u_deg']:.0f}",
                    f"{r['azimuth_deg']:.1f}",
                    f"{r['elevation_deg']:+.1f}",
                    f"{r['speed_km_s']:.1f}",
                    "yes" if r["visible"] else "no (Earth)",
                )
            tracks.append(tt)
        return Group(t, w, *tracks, *self.notes)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td>" + "".join(f"<td>{x:.3e}</td>" for x in r) + "</tr>"
            for n, r in self.flux_per_m2_per_year.items()
        )
        head = "".join(f"<th>≥ {s:g} mm [m⁻² yr⁻¹]</th>" for s in self.sizes_mm)
        return (
            f"<table><caption>{FLUX_UNIT_CAPTION}</caption>"
            f"<tr><th>population</th>{head}</tr>{rows}</table>"
        )


FLUX_UNIT_CAPTION = (
    "cumulative flux above each diameter [m⁻² yr⁻¹] on a randomly tumbling one-sided plate"
)


def compute_report(
    altitude_km: float,
    inclination_deg: float,
    at: str,
    f107_sfu: float,
    meteoroid_model: str = "grun-ssp30425",
    populations: tuple[str, ...] = ("sporadic", "showers", "debris"),
    debris_density: str = "handbook-2.8",
    psi_table: str = "spenvis",
    raan_deg: float | None = None,
    now_u_deg: float | None = None,
    flux_tables: tuple[str, ...] = (),
    *,
    node_from: str | None = None,
    sporadic_model: str = "isotropic",
    debris_model: str = "nasa91",
    debris_orbits: Any = None,
    flux_files: tuple[dict[str, Any], ...] = (),
) -> tuple[EnvReport, Any]:
    """Build the environment and the report (the physics lives in breachkit.environment).

    `raan_deg` is the node at `at` [deg]; when given, the node is known and the directional
    populations are averaged over orbit positions only, with that node (`build_environment`
    with `orbit.epoch = at`); `node_from` says where it came from (for the note). Without it
    they are averaged over positions and `N_RAAN` nodes.
    """
    import numpy as np

    from breachkit._core.orbit import CircularOrbit
    from breachkit._core.timeutil import parse_utc
    from breachkit._core.units import DEG, KM, MM
    from breachkit.environment.builder import active_shower_codes, build_environment
    from breachkit.environment.showers import (
        get_shower,
        peak_time,
        radiant_j2000,
        shower_zhr,
    )

    when = parse_utc(at, field="--at")
    if raan_deg is None:
        orbit = CircularOrbit(altitude_km * KM, inclination_deg * DEG)
    else:
        from breachkit.environment.tle import orbit_with_node

        orbit = orbit_with_node(
            altitude_km * KM, inclination_deg * DEG, raan_deg * DEG, when, (now_u_deg or 0.0) * DEG
        )
    env = build_environment(
        orbit,
        when,
        populations=populations,
        n_positions=N_POSITIONS,
        n_raan=N_RAAN,
        sporadic_model=sporadic_model,
        meteoroid_model=meteoroid_model,
        f107_sfu=f107_sfu,
        debris_density=debris_density,
        psi_table=psi_table,
        tabulated=flux_tables,
        debris_model=debris_model,
        debris_orbits=debris_orbits,
        flux_files=flux_files,
    )
    sizes_m = np.asarray(SIZES_MM) * MM
    flux: dict[str, list[float]] = {}
    speed: dict[str, float] = {}
    for p in env:
        flux[p.name] = [float(x) * YEAR_S for x in np.atleast_1d(p.random_plate_flux(sizes_m))]
        speed[p.name] = p.mean_speed_m_s() / 1e3
    if len(env) > 1:
        flux["total"] = [sum(v[k] for v in flux.values()) for k in range(len(SIZES_MM))]
    from datetime import timedelta

    week = active_shower_codes(when - timedelta(days=3.5), when + timedelta(days=3.5))
    showers = []
    for code in week:
        s = get_shower(code)
        u = radiant_j2000(s, when)
        peak = peak_time(s, when.year)
        if abs((peak - when).days) > 180:
            peak = peak_time(s, when.year + (1 if peak < when else -1))
        showers.append(
            {
                "code": code,
                "name": s.name,
                "zhr_now": float(shower_zhr(s, when)),
                "zhr_max": s.zhr_max,
                "peak_utc": peak.strftime("%Y-%m-%dT%H:%MZ"),
                "ra_deg": float(np.degrees(np.arctan2(u[1], u[0])) % 360.0),
                "dec_deg": float(np.degrees(np.arcsin(u[2]))),
            }
        )
    tracks: dict[str, list[dict[str, float]]] = {}
    if raan_deg is not None:
        from breachkit.environment.showers import radiant_track

        u_deg = np.arange(0.0, 360.0, 30.0)
        if now_u_deg is not None:
            u_deg = np.concatenate([[now_u_deg], u_deg])
        for code in week:
            tr = radiant_track(code, orbit, when, np.radians(u_deg), np.radians(raan_deg))
            tracks[code] = [
                {
                    "u_deg": float(u_deg[k]),
                    "azimuth_deg": float(np.degrees(tr["relative_azimuth_rad"][k])),
                    "elevation_deg": float(np.degrees(tr["relative_elevation_rad"][k])),
                    "speed_km_s": float(tr["relative_speed_m_s"][k] / 1e3),
                    "visible": bool(tr["visible"][k]),
                    "beta_deg": float(np.degrees(tr["beta_rad"][k])),
                    "now": bool(now_u_deg is not None and k == 0),
                }
                for k in range(u_deg.size)
            ]
    from breachkit.environment.builder import shower_node_samples

    nodes = shower_node_samples(orbit, when, N_RAAN)
    averaging: dict[str, Any] = {
        "positions": N_POSITIONS,
        "nodes": int(nodes.size),
        "raan_deg": None if raan_deg is None else float(np.degrees(nodes[0]) % 360.0),
        "node_from": None if raan_deg is None else (node_from or "given with --raan-deg"),
    }
    report = EnvReport(
        altitude_km=altitude_km,
        inclination_deg=inclination_deg,
        time_utc=when.isoformat().replace("+00:00", "Z"),
        f107_sfu=f107_sfu,
        sizes_mm=SIZES_MM,
        flux_per_m2_per_year=flux,
        mean_speed_km_s=speed,
        showers_this_week=showers,
        sources={p.name: p.source for p in env},
        notes=[
            _averaging_note(averaging, sporadic_model, populations),
            *(
                [
                    "Both NASA-91 debris and a tabulated debris population are included: drop "
                    "'debris' from the populations if the table replaces NASA-91."
                ]
                if "debris" in populations
                and debris_model != "table"
                and any(p.kind == "debris" and p.name != "debris" for p in env)
                else []
            ),
        ],
        radiant_tracks=tracks,
        sporadic_model=sporadic_model,
        averaging=averaging,
    )
    return report, env


def _averaging_note(averaging: dict[str, Any], sporadic_model: str, populations: Any) -> str:
    """One sentence saying exactly what the directional fluxes were averaged over."""
    what = "Shower fluxes"
    if sporadic_model != "isotropic" and "sporadic" in populations:
        what = f"Shower and sporadic ('{sporadic_model}' model) fluxes"
    if averaging["raan_deg"] is None:
        return (
            f"{what} are averaged over {averaging['positions']} orbit positions and "
            f"{averaging['nodes']} nodes (node unknown: give --tle-file or --raan-deg); "
            "see docs/environment.md §6."
        )
    return (
        f"{what} are averaged over {averaging['positions']} orbit positions only, with the "
        f"node Ω = {averaging['raan_deg']:.2f}° at --at ({averaging['node_from']}); "
        "see docs/environment.md §6."
    )


def _plot(env: Any, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        raise InputError("--plot: matplotlib is missing (pip install breachkit[plot])") from None
    import numpy as np

    d = np.geomspace(1e-4, 1e-2, 60)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for p in env:
        lo, hi = p.diameter_grid_m[0], p.diameter_grid_m[-1]
        dd = d[(d >= lo) & (d <= hi)]
        ax.loglog(dd * 1e3, np.asarray(p.random_plate_flux(dd)) * YEAR_S, label=p.name)
    ax.set_xlabel("diameter d [mm]")
    ax.set_ylabel("flux ≥ d [m⁻² yr⁻¹], random tumbling plate")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    suffix = path.suffix or ".png"
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=str(path.parent))
    os.close(fd)
    try:
        fig.savefig(tmp)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def register(app: typer.Typer) -> None:
    """Add the `env` command to the program."""

    @app.command("env")
    def env_command(
        altitude_km: Annotated[
            float | None, typer.Option("--altitude-km", help="Circular-orbit altitude in km.")
        ] = None,
        inclination_deg: Annotated[
            float | None, typer.Option("--inclination-deg", help="Inclination in degrees.")
        ] = None,
        at: Annotated[
            str | None,
            typer.Option("--at", help="UTC time, ISO 8601 (e.g. 2022-12-15T00:45:00Z)."),
        ] = None,
        case: Annotated[
            Path | None,
            typer.Option(
                "--case", help="Case folder whose case.toml has orbit and incident tables."
            ),
        ] = None,
        f107: Annotated[
            float | None,
            typer.Option(
                "--f107",
                help=f"F10.7 of the previous year in sfu (default {DEFAULT_F107_SFU:g}: "
                "approximate 2021 mean, unverified).",
            ),
        ] = None,
        model: Annotated[
            str, typer.Option("--meteoroid-model", help="Meteoroid flux+density pairing.")
        ] = "grun-ssp30425",
        plot: Annotated[
            Path | None, typer.Option("--plot", help="Write flux-versus-size to this PNG.")
        ] = None,
        tle_file: Annotated[
            Path | None,
            typer.Option(
                "--tle-file",
                help="File with a two-line element set: the orbit (node and position) at --at "
                "comes from it (needs sgp4); shower fluxes then use that node (averaged over "
                "positions only).",
            ),
        ] = None,
        raan_deg: Annotated[
            float | None,
            typer.Option(
                "--raan-deg",
                help="Node (RAAN) of the orbit at --at in degrees: adds the shower arrival "
                "direction in LVLH along the orbit, and shower fluxes use that node.",
            ),
        ] = None,
        flux_table: Annotated[
            list[Path] | None,
            typer.Option(
                "--flux-table",
                help="breachkit flux table (CSV, docs/environment.md §5) added as a further "
                "population; repeat for several (adds to [environment] flux_tables of --case).",
            ),
        ] = None,
        sporadic_model: Annotated[
            str | None,
            typer.Option(
                "--sporadic-model",
                help="Directional sporadic model: 'isotropic' (default) or 'sources' (apex, "
                "helion, antihelion, toroidal; unverified parameters, docs/environment.md §11). "
                "Overrides [environment] sporadic_model of --case.",
            ),
        ] = None,
        debris_model: Annotated[
            str | None,
            typer.Option(
                "--debris-model",
                help="Debris model: 'nasa91' (default; crossing circular orbits), 'kessler' "
                "(eccentric-orbit directions, Kessler 1981) or 'table' (debris from the flux "
                "tables/files only). Overrides [environment] debris_model of --case.",
            ),
        ] = None,
        compare: Annotated[
            bool,
            typer.Option(
                "--compare",
                help="Print the debris models side by side (flux >= 0.1, 1, 10 mm; ram, side, "
                "wake, zenith shares; mean speed), with every debris table/file given.",
            ),
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help="Machine-readable output on stdout.")
        ] = False,
    ) -> None:
        """Flux above 0.1/0.3/1/3 mm for sporadic meteoroids, active showers and debris."""
        from breachkit.cli._common import dump_json, require_finite
        from breachkit.environment.meteoroids import METEOROID_MODELS

        env_section = None
        case_node: tuple[float, str] | None = None
        case_tle: tuple[str, str] | None = None
        tables: list[str] = []
        files: list[dict[str, Any]] = []
        satcat: Path | None = None
        if case is not None:
            from breachkit._core.casefile import load_section, read_case
            from breachkit.environment.config import EnvironmentSection, IncidentTime, OrbitSection

            cf = read_case(case)
            orb = load_section(cf, "orbit", OrbitSection)
            inc = load_section(cf, "incident", IncidentTime)
            env_section = load_section(cf, "environment", EnvironmentSection, required=False)
            assert orb is not None and inc is not None
            altitude_km = orb.altitude_km if altitude_km is None else altitude_km
            inclination_deg = orb.inclination_deg if inclination_deg is None else inclination_deg
            at = inc.time_utc if at is None else at
            if orb.tle is not None and tle_file is None and raan_deg is None:
                case_tle = (orb.tle[0], orb.tle[1])
            if orb.raan_deg is not None and orb.epoch_utc is not None:
                case_node = (orb.raan_deg, orb.epoch_utc)
            if env_section is not None and f107 is None:
                f107 = env_section.f107_sfu
            if env_section is not None:
                tables += [
                    str(cf.resolve_path(t, field=f"[environment] flux_tables[{i}]"))
                    for i, t in enumerate(env_section.flux_tables)
                ]
                files += [
                    f.reader_options(
                        str(cf.resolve_path(f.path, field=f"[environment] flux_files[{i}]"))
                    )
                    for i, f in enumerate(env_section.flux_files)
                ]
                if env_section.debris_orbits is not None:
                    satcat = cf.resolve_path(
                        env_section.debris_orbits, field="[environment] debris_orbits"
                    )
        for t in flux_table or []:
            if not t.is_file():
                raise InputError(f"--flux-table: {str(t)!r} does not exist")
            tables.append(str(t))
        now_u: float | None = None
        node_from: str | None = None
        if raan_deg is not None:
            if tle_file is not None:
                raise InputError("--raan-deg: give either --raan-deg or --tle-file, not both")
            node_from = "given with --raan-deg"
        if tle_file is not None or case_tle is not None:
            import numpy as np

            from breachkit._core.timeutil import parse_utc as _parse
            from breachkit.environment.tle import orbit_from_tle, read_tle_file

            if at is None:
                raise InputError("--at: missing (or give --case)")
            what = f"--tle-file: {tle_file.name}" if tle_file is not None else "[orbit] tle"
            label = f"the TLE {tle_file.name}" if tle_file is not None else "the case's [orbit] tle"
            try:
                l1, l2 = read_tle_file(tle_file) if tle_file is not None else case_tle  # type: ignore[misc]
                tle_epoch = orbit_from_tle(l1, l2).epoch
                tle_orbit = orbit_from_tle(l1, l2, at=_parse(at, field="--at"))
            except InputError as exc:
                raise InputError(f"{what}: {exc}") from None
            raan_deg = float(np.degrees(tle_orbit.raan_rad))
            now_u = float(np.degrees(tle_orbit.argument_of_latitude_rad))
            assert tle_epoch is not None
            node_from = (
                f"from {label}, epoch "
                f"{tle_epoch.strftime('%Y-%m-%dT%H:%M:%SZ')}, propagated to --at with SGP4"
            )
            if altitude_km is None:
                altitude_km = tle_orbit.altitude_m / 1e3
            if inclination_deg is None:
                inclination_deg = float(np.degrees(tle_orbit.inclination_rad))
        elif raan_deg is None and case_node is not None and at is not None:
            import numpy as np

            from breachkit._core.timeutil import parse_utc as _parse
            from breachkit._core.units import DEG, KM
            from breachkit.environment.builder import node_at
            from breachkit.environment.tle import orbit_with_node

            c_raan, c_epoch = case_node
            assert altitude_km is not None and inclination_deg is not None
            epoch = _parse(c_epoch, field="[orbit] epoch_utc")
            node_orbit = orbit_with_node(
                altitude_km * KM, inclination_deg * DEG, c_raan * DEG, epoch
            )
            om = node_at(node_orbit, _parse(at, field="--at"))
            assert om is not None
            raan_deg = float(np.degrees(om) % 360.0)
            node_from = (
                f"from the case [orbit] raan_deg = {c_raan:g}° at epoch_utc "
                f"{epoch.strftime('%Y-%m-%dT%H:%M:%SZ')}, propagated to --at with the J2 node rate"
            )
        if altitude_km is None:
            raise InputError("--altitude-km: missing (or give --case)")
        if inclination_deg is None:
            raise InputError("--inclination-deg: missing (or give --case)")
        if at is None:
            raise InputError("--at: missing (or give --case)")
        require_finite("--altitude-km", altitude_km, positive=True)
        require_finite("--inclination-deg", inclination_deg)
        if not 200.0 <= altitude_km <= 2000.0:
            raise InputError(
                f"--altitude-km: {altitude_km:g} outside the models' range 200–2000 km"
            )
        if not 0.0 <= inclination_deg <= 120.0:
            raise InputError(
                f"--inclination-deg: {inclination_deg:g} outside 0–120° (NASA-91 Ψ table)"
            )
        f107v = DEFAULT_F107_SFU if f107 is None else require_finite("--f107", f107, positive=True)
        if model not in METEOROID_MODELS:
            raise InputError(
                f"--meteoroid-model: {model!r} is not one of {sorted(METEOROID_MODELS)}"
            )
        from breachkit.environment.sporadic import SPORADIC_DIRECTIONAL_MODELS

        if sporadic_model is None:
            sporadic_model = env_section.sporadic_model if env_section is not None else "isotropic"
        elif sporadic_model not in SPORADIC_DIRECTIONAL_MODELS:
            raise InputError(
                f"--sporadic-model: {sporadic_model!r} is not one of "
                f"{sorted(SPORADIC_DIRECTIONAL_MODELS)}"
            )
        from breachkit._core.timeutil import parse_utc

        when = parse_utc(at, field="--at")
        if not 1988 <= when.year <= 2100:
            raise InputError(f"--at: year {when.year} outside the NASA-91 range 1988–2100")
        pops = (
            tuple(env_section.populations)
            if env_section is not None
            else ("sporadic", "showers", "debris")
        )
        from breachkit.environment.config import DEBRIS_MODELS

        if debris_model is None:
            debris_model = env_section.debris_model if env_section is not None else "nasa91"
        elif debris_model not in DEBRIS_MODELS:
            raise InputError(
                f"--debris-model: {debris_model!r} is not one of {list(DEBRIS_MODELS)}"
            )
        orbits = None
        if satcat is not None:
            from breachkit.environment.kessler_debris import read_satcat_orbits

            orbits = read_satcat_orbits(satcat, when.date())
        report, env = compute_report(
            altitude_km,
            inclination_deg,
            at,
            f107v,
            model,
            pops,
            env_section.debris_density if env_section is not None else "handbook-2.8",
            env_section.psi_table if env_section is not None else "spenvis",
            None if raan_deg is None else require_finite("--raan-deg", raan_deg),
            now_u,
            tuple(tables),
            node_from=node_from,
            sporadic_model=sporadic_model,
            debris_model=debris_model,
            debris_orbits=orbits,
            flux_files=tuple(files),
        )
        if compare:
            rows = debris_comparison(altitude_km, inclination_deg, when, f107v, env, orbits)
            if as_json:
                typer.echo(dump_json({"debris_models": rows}))
            else:
                from rich.console import Console

                # wide enough for every column: a cut number is worse than a wide line
                Console(width=160).print(
                    _comparison_table(rows, altitude_km, inclination_deg, when)
                )
            return
        if plot is not None:
            if not plot.parent.exists():
                raise InputError(f"--plot: folder {str(plot.parent)!r} does not exist")
            _plot(env, plot)
        if as_json:
            typer.echo(dump_json(report))
        else:
            from rich.console import Console

            Console(markup=False).print(report)
            if plot is not None:
                typer.echo(f"plot written to {plot}")


def debris_comparison(
    altitude_km: float,
    inclination_deg: float,
    when: Any,
    f107_sfu: float,
    env: Any,
    orbits: Any = None,
) -> list[dict[str, Any]]:
    """Rows of `breachkit env --compare`: NASA-91 (circular), kessler, and every debris-kind
    table or flux file of `env` (the physics is in breachkit.environment)."""
    from breachkit._core.orbit import CircularOrbit
    from breachkit._core.timeutil import decimal_year
    from breachkit._core.units import DEG, KM
    from breachkit.environment.compare import compare_row
    from breachkit.environment.debris import debris_population
    from breachkit.environment.kessler_debris import kessler_debris_population

    orbit = CircularOrbit(altitude_km * KM, inclination_deg * DEG)
    year = float(decimal_year(when))
    rows = [
        {"model": "nasa91", **compare_row(debris_population(orbit, year, f107_sfu))},
        {
            "model": "kessler",
            **compare_row(kessler_debris_population(orbit, year, f107_sfu, orbits=orbits)),
        },
    ]
    for p in env:
        if p.kind == "debris" and p.name != "debris":
            rows.append({"model": "table", **compare_row(p)})
    return rows


def _comparison_table(rows: list[dict[str, Any]], h_km: float, i_deg: float, when: Any) -> Any:
    from rich.table import Table

    t = Table(
        title=(
            f"Debris models, h={h_km:g} km, i={i_deg:g}°, {when:%Y-%m-%d} (flux: randomly "
            "tumbling plate, m⁻² yr⁻¹; shares: faces of a cube fixed in LVLH, side = one face)"
        )
    )
    for c in ("model", "population", "≥ 0.1 mm", "≥ 1 mm", "≥ 10 mm"):
        t.add_column(c, justify="right" if c.startswith("≥") else "left")
    for c in ("ram", "side", "wake", "zenith", "mean km/s"):
        t.add_column(c, justify="right")
    for r in rows:
        t.add_row(
            r["model"],
            r["name"],
            *["—" if math.isnan(x) else f"{x:.3e}" for x in r["flux_per_m2_per_year"]],
            *[f"{r['shares'][k]:.4f}" for k in ("ram", "side", "wake", "zenith")],
            f"{r['mean_speed_km_s']:.2f}",
        )
    return t
