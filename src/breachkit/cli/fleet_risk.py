"""``breachkit fleet risk``: expected penetrations of every docking of the fleet record, with the
Monte Carlo interval, on a local Dask cluster (default), an existing one, or serially."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json

_OUT = Path("fleet-risk")


def _inputs_file(path: Path | None) -> dict[str, Any]:
    """``[inputs.<name>]`` tables (kind, a, b, p0, source, unit) of a TOML file."""
    from breachkit.risk.fleet_mc import InputDistribution

    if path is None:
        return {}
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name}: not valid TOML: {exc}") from None
    out = {}
    for name, t in (data.get("inputs") or {}).items():
        if not isinstance(t, dict):
            raise InputError(f"{path.name}: [inputs.{name}] must be a table")
        try:
            out[name] = InputDistribution(
                str(t.get("kind", "")),
                float(t.get("a", float("nan"))),
                float(t.get("b", float("nan"))),
                str(t.get("source", "")),
                str(t.get("unit", "-")),
                float(t.get("p0", 0.0)),
            )
        except InputError as exc:
            raise InputError(f"{path.name}: [inputs.{name}] {exc}") from None
        except (TypeError, ValueError) as exc:
            raise InputError(f"{path.name}: [inputs.{name}] {exc}") from None
    return out


def _dockings(fleet_csv: Path | None, flights: str) -> tuple[list[Any], list[str]]:
    from importlib import resources

    from breachkit.fleet.records import read_flights_csv
    from breachkit.geometry import models as gm
    from breachkit.risk.fleet import fleet_dockings

    path = fleet_csv or Path(str(resources.files("breachkit.data").joinpath("fleet.csv")))
    rows = read_flights_csv(path)
    ports = [p.name for p in gm.iss_simplified().ports]
    dockings, skipped = fleet_dockings(rows, ports, source=Path(path).name)
    wanted = [x.strip() for x in flights.split(",") if x.strip()]
    if wanted:
        known = {d.flight for d in dockings}
        for w in wanted:
            if w not in known:
                raise InputError(f"--flights: {w!r} has no complete docking in {Path(path).name}")
        dockings = [d for d in dockings if d.flight in wanted]
    return dockings, skipped


def _summary(res: Any) -> dict[str, Any]:
    import numpy as np

    from breachkit.risk.fleet_table import fleet_sobol

    ri = res.regions.index("pao_radiator")
    tot = res.draws[:, ri].sum(axis=0)
    out: dict[str, Any] = {
        "dockings": len(res.dockings),
        "skipped": list(res.skipped),
        "radiator_penetrations_nominal": float(res.nominal[:, ri].sum()),
        "radiator_penetrations_mean": float(tot.mean()) if tot.size else None,
        "radiator_penetrations_90": [float(np.quantile(tot, 0.05)), float(np.quantile(tot, 0.95))]
        if tot.size
        else None,
        "timings": res.timings,
    }
    sob = fleet_sobol(res)
    if sob is not None:
        out["sobol_fleet_radiator"] = sob.ranking()
        if any(d.flight == "Soyuz MS-22" for d in res.dockings):
            s22 = fleet_sobol(res, flight="Soyuz MS-22")
            out["sobol_ms22_radiator"] = s22.ranking() if s22 else None
    return out


def risk_command(
    fleet_csv: Annotated[
        Path | None,
        typer.Option("--fleet", help="Flights CSV (default: the bundled fleet record)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = _OUT,
    flights: str = typer.Option("", "--flights", help="Only these flights (comma-separated)."),
    draws: int = typer.Option(128, "--draws", help="Draws per Saltelli matrix (power of 2)."),
    block: int = typer.Option(32, "--block", help="Draws per Monte Carlo task."),
    seed: int = typer.Option(20221215, "--seed", help="Seed of the SeedSequence of the run."),
    sampler: str = typer.Option("sobol", "--sampler", help="sobol | random."),
    no_sobol: bool = typer.Option(False, "--no-sobol", help="Skip the Sobol' indices."),
    inputs: Annotated[
        Path | None,
        typer.Option(
            "--inputs", help="TOML with [inputs.<name>] distributions overriding the defaults."
        ),
    ] = None,
    engine: str = typer.Option("dask", "--engine", help="dask | serial."),
    workers: int = typer.Option(2, "--workers", help="Local Dask workers (one thread each)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Address of an existing Dask scheduler (env BREACHKIT_SCHEDULER)."
    ),
    n_directions: int = typer.Option(2000, "--n-directions", help="Igloo direction cells."),
    min_faces: int = typer.Option(2000, "--min-faces", help="Faces of the evaluated regions."),
    altitude_km: float = typer.Option(415.0, "--altitude-km", help="Circular orbit altitude."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress on stderr."),
    json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
) -> None:
    """Expected radiator and coolant-line penetrations of every docking, with intervals."""
    import os

    from breachkit.risk.fleet import FleetRiskConfig
    from breachkit.risk.fleet_run import McSettings, run_fleet_risk
    from breachkit.risk.fleet_table import write_fleet_risk

    if engine not in ("dask", "serial"):
        raise InputError(f"--engine: {engine!r} is not dask or serial")
    if workers < 1:
        raise InputError("--workers: must be >= 1")
    cfg = FleetRiskConfig(altitude_km=altitude_km, n_directions=n_directions, min_faces=min_faces)
    mc = McSettings(draws, block, seed, sampler, not no_sobol, _inputs_file(inputs))
    dockings, skipped = _dockings(fleet_csv, flights)
    if engine == "dask" and (scheduler or os.environ.get("BREACHKIT_SCHEDULER")):
        from breachkit.risk.fleet_run import dask_client

        dask_client(scheduler, workers).close()  # fail early, before any work, if it is deaf
    res = run_fleet_risk(
        dockings, cfg, mc, engine=engine, scheduler=scheduler, n_workers=workers,
        progress=progress, skipped=skipped,
    )  # fmt: skip
    paths = write_fleet_risk(res, out)
    summary = {**_summary(res), "files": paths}
    if json_out:
        typer.echo(dump_json(summary))
        return
    lo_hi = summary["radiator_penetrations_90"]
    typer.echo(
        f"{summary['dockings']} dockings ({len(skipped)} left out: no undock date or no port); "
        f"radiator penetrations over the fleet: nominal {summary['radiator_penetrations_nominal']:.3g}"
        + (
            f", Monte Carlo mean {summary['radiator_penetrations_mean']:.3g} "
            f"(90 % {lo_hi[0]:.3g}-{lo_hi[1]:.3g})"
            if lo_hi
            else ""
        )
        + f"\nvisibility shared per port: {res.timings['visibility_shared_s']:.1f} s instead of "
        f"{res.timings['visibility_per_docking_s']:.1f} s (x{res.timings['visibility_saving_factor']:.1f})"
        f"\nfiles: {paths['table']}, {paths['draws']}, {paths['json']}"
    )
    for key in ("sobol_fleet_radiator", "sobol_ms22_radiator"):
        if summary.get(key):
            top = ", ".join(f"{n} (ST {st:.2f}, S1 {s1:.2f})" for n, st, s1 in summary[key][:3])
            typer.echo(f"{key}: {top}")
