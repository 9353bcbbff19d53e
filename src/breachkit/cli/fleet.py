"""``breachkit fleet``: the fleet database (import, list, show, add-incident) and fleet statistics
(``stats``: cluster significance and production change)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import (
    dump_json,
    fmt_num,
    parse_float_list,
    print_slow_path_notice,
    work_progress,
)

DB_HELP = "SQLAlchemy URL of the fleet database (default: fleet.sqlite in the user data folder)."


def _db(url: str | None, *, bundled: bool = False) -> Any:
    from breachkit.fleet import open_db

    return open_db(url, bundled=bundled)


def _print(obj: Any) -> None:
    from rich.console import Console

    Console(markup=False).print(obj)


def _count_text(value: Any, noun: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value} {noun}{'' if value == 1 else 's'}"
    if isinstance(value, dict):
        parts = [f"{v} {k.replace('_', ' ')}" for k, v in value.items() if isinstance(v, int)]
        return f"{noun}s: " + ", ".join(parts) if parts else f"{noun}s"
    if isinstance(value, list | tuple):
        return f"{len(value)} {noun}{'' if len(value) == 1 else 's'}"
    return f"{noun}s"


def import_sentence(out: dict[str, Any]) -> str:
    """One sentence saying what `fleet import` stored where (instead of the raw dictionary)."""
    parts = []
    if out.get("bundled"):
        parts.append("the bundled Soyuz/Progress fleet history and incidents")
    if "flights" in out:
        parts.append(_count_text(out["flights"], "flight"))
    if "incidents" in out:
        parts.append(_count_text(out["incidents"], "incident"))
    if "vehicles_added" in out:
        parts.append(_count_text(out["vehicles_added"], "vehicle"))
    what = " and ".join(parts) if parts else "nothing"
    return f"Imported {what} into {out.get('db')}."


def register(app: typer.Typer) -> None:
    fleet = typer.Typer(
        name="fleet",
        help="Fleet records (Soyuz/Progress flights, incidents) and fleet statistics.",
        no_args_is_help=True,
    )
    _add_import(fleet)
    _add_list(fleet)
    _add_show(fleet)
    _add_add_incident(fleet)
    _add_stats(fleet)
    _add_risk(fleet)
    app.add_typer(fleet)


def _add_import(fleet: typer.Typer) -> None:
    @fleet.command("import")
    def import_(
        file: Annotated[
            Path | None, typer.Argument(help="CSV file (flights, incidents or vehicles).")
        ] = None,
        bundled: bool = typer.Option(
            False, "--bundled", help="Import the bundled fleet history and incidents."
        ),
        kind: str = typer.Option(
            "auto", "--kind", help="flights | incidents | vehicles | auto (from the header)."
        ),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Import a CSV into the fleet database (all rows validated before anything is written)."""
        import csv

        if file is None and not bundled:
            raise InputError("fleet import: give a CSV file or --bundled")
        d = _db(db)
        out: dict[str, Any] = {"db": d.url}
        if bundled:
            d.load_bundled()
            out["bundled"] = True
        if file is not None:
            if not file.is_file():
                raise InputError(f"{file}: file not found")
            k = kind
            if k == "auto":
                with file.open(newline="", encoding="utf-8", errors="replace") as fh:
                    header = next(csv.reader(fh), [])
                k = (
                    "flights"
                    if "launch_date" in header
                    else "incidents"
                    if "time_utc" in header
                    else "vehicles"
                    if "design_series" in header
                    else ""
                )
                if not k:
                    raise InputError(
                        f"{file.name}: cannot tell flights/incidents/vehicles from the header"
                    )
            if k == "flights":
                out["flights"] = d.import_flights(file).to_dict()
            elif k == "incidents":
                out["incidents"] = d.import_incidents(file)
            elif k == "vehicles":
                out["vehicles_added"] = d.import_vehicles(file)
            else:
                raise InputError(f"--kind: {kind!r} is not flights, incidents, vehicles or auto")
        if json_out:
            typer.echo(dump_json(out))
        else:
            typer.echo(import_sentence(out))


def _add_list(fleet: typer.Typer) -> None:
    @fleet.command("list")
    def list_(
        series: str | None = typer.Option(None, "--series", help="Only this design series."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """List the flights in the database (launch order)."""
        d = _db(db)
        rows = []
        for f in d.flights():
            if series and f.vehicle.design_series != series:
                continue
            rows.append(
                {
                    "vehicle": f.vehicle.name,
                    "series": f.vehicle.design_series,
                    "serial": f.vehicle.serial,
                    "launch": f.launch.date(),
                    "dock": f.dock.date() if f.dock else None,
                    "port": f.port,
                    "undock": f.undock.date() if f.undock else None,
                    "crewed": f.crewed,
                }
            )
        if json_out:
            typer.echo(dump_json(rows))
            return
        if not rows:
            where = f" of design series {series!r}" if series else ""
            typer.echo(
                f"0 flights{where} in {d.url}. Import the bundled Soyuz/Progress history with "
                "`breachkit fleet import --bundled` (or a CSV with `breachkit fleet import FILE`)."
            )
            return
        from rich.table import Table

        t = Table(title=f"{len(rows)} flights in {d.url}")
        for c in ("vehicle", "serial", "launch", "dock", "port", "undock", "crewed"):
            t.add_column(c)
        for r in rows:
            t.add_row(*(str(r[c]) if r[c] is not None else "—" for c in
                        ("vehicle", "serial", "launch", "dock", "port", "undock", "crewed")))  # fmt: skip
        _print(t)


def _add_show(fleet: typer.Typer) -> None:
    @fleet.command("show")
    def show(
        vehicle: Annotated[str, typer.Argument(help="Vehicle name, e.g. 'Soyuz MS-22'.")],
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Show one vehicle: its flights, docked intervals and incidents, with sources."""
        v = _db(db).vehicle(vehicle)
        out = {
            "vehicle": v.name,
            "family": v.family,
            "design_series": v.design_series,
            "serial": v.serial,
            "flights": [
                {
                    "launch": f.launch,
                    "dock": f.dock,
                    "port": f.port,
                    "undock": f.undock,
                    "end": f.end,
                    "crewed": f.crewed,
                    "dockings": [
                        {"port": x.port, "start": x.start, "end": x.end} for x in f.dockings
                    ],
                    "anomaly": f.anomaly,
                    "source": f.source,
                }
                for f in v.flights
            ],
            "incidents": [
                {
                    "key": i.key,
                    "time": i.time,
                    "system": i.system,
                    "description": i.description,
                    "evidence": i.evidence,
                    "official_finding": i.official_finding,
                    "label": i.label,
                    "source": i.source,
                }
                for i in v.incidents
            ],
        }
        if json_out:
            typer.echo(dump_json(out))
            return
        from rich.table import Table

        _print(f"{v.name} ({v.design_series}, serial {v.serial or 'unknown'})")
        t = Table(title="flights")
        for c in ("launch", "dockings", "undock", "end", "crewed"):
            t.add_column(c)
        for f in out["flights"]:
            t.add_row(
                str(f["launch"].date()),
                "; ".join(
                    f"{x['port']} {x['start'].date()}→{x['end'].date() if x['end'] else '?'}"
                    for x in f["dockings"]
                )
                or "—",
                str(f["undock"].date()) if f["undock"] else "—",
                str(f["end"].date()) if f["end"] else "—",
                "yes" if f["crewed"] else "no",
            )
        _print(t)
        for f in out["flights"]:
            _print(f"anomaly: {f['anomaly']}\nsource: {f['source']}")
        for i in out["incidents"]:
            _print(
                f"incident {i['key']} {i['time']} UTC — {i['system']} — finding: "
                f"{i['official_finding']} ({i['label']})\n  {i['description']}\n  source: {i['source']}"
            )


def _add_add_incident(fleet: typer.Typer) -> None:
    @fleet.command("add-incident")
    def add_incident(
        key: str = typer.Option(..., "--key", help="Unique key, e.g. soyuz-ms22-coolant."),
        time_utc: str = typer.Option(..., "--time", help="ISO 8601 UTC time of the event."),
        vehicle: str = typer.Option(..., "--vehicle", help="Vehicle name (must be in the DB)."),
        system: str = typer.Option(..., "--system", help="Affected system."),
        description: str = typer.Option(..., "--description", help="What happened."),
        source: str = typer.Option(..., "--source", help="Where the facts come from."),
        evidence: str = typer.Option("", "--evidence", help="Evidence recorded."),
        finding: str = typer.Option(
            "unknown", "--finding", help="impact | defect | not_impact | unknown."
        ),
        label: str = typer.Option(
            "confirmed", "--label", help="confirmed | single-source | UNVERIFIED."
        ),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Add (or update by key) one incident."""
        from breachkit.fleet.records import FINDINGS, LABELS, IncidentRow, parse_date

        if finding not in FINDINGS:
            raise InputError(f"--finding: {finding!r} is not one of {', '.join(FINDINGS)}")
        if label not in LABELS:
            raise InputError(f"--label: {label!r} is not one of {', '.join(LABELS)}")
        t = parse_date(time_utc, where="--time")
        if t is None:
            raise InputError("--time: empty")
        for opt, val in (("--key", key), ("--system", system), ("--description", description),
                         ("--source", source)):  # fmt: skip
            if not val.strip():
                raise InputError(f"{opt}: empty")
        row = IncidentRow(0, key, t, vehicle, system, description, evidence, finding, label, source)
        d = _db(db)
        d.add_incident(row)
        if json_out:
            typer.echo(dump_json({"added": key, "db": d.url}))
        else:
            typer.echo(f"incident {key} stored in {d.url}")


def _add_stats(fleet: typer.Typer) -> None:
    @fleet.command("stats")
    def stats_(
        rate: str = typer.Option(
            "5e-5,5e-6,5e-4",
            "--rate-per-day",
            help="Radiator penetrations per docked day: MEAN,LO,HI (e.g. from breachkit risk). "
            "The default is the documented placeholder of docs/fleet.md.",
        ),
        events: str = typer.Option(
            "2022-12-15T00:45:00Z,2023-02-11T09:40:00Z",
            "--events",
            help="Comma-separated UTC times of the coolant-loop leaks (MS-22, MS-21).",
        ),
        window_days: float = typer.Option(58.0, "--window-days", help="Scan window [d]."),
        risk_case: Annotated[
            Path | None,
            typer.Option("--risk-case", help="Take the rate from `breachkit risk` on this case."),
        ] = None,
        regions: str = typer.Option(
            "", "--regions", help="With --risk-case: comma-separated failing regions."
        ),
        risk_window: str | None = typer.Option(
            None, "--risk-window", help="With --risk-case: the window label (default: all)."
        ),
        since: str = typer.Option(
            "", "--since", help="Start of the fleet period (default: the record's first docking)."
        ),
        n_sim: int = typer.Option(200_000, "--n-sim", help="Monte Carlo histories."),
        seed: int = typer.Option(20221215, "--seed", help="Random seed."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Cluster significance and production-change posterior of the coolant-loop leaks."""
        import numpy as np

        from breachkit.fleet.analysis import cluster_significance, production_change
        from breachkit.fleet.exposure import RateExposureModel
        from breachkit.fleet.records import parse_date

        vals = list(parse_float_list("--rate-per-day", rate))
        if len(vals) != 3:
            raise InputError("--rate-per-day: give MEAN,LO,HI")
        m, lo, hi = vals
        if n_sim < 1000:
            raise InputError("--n-sim: must be >= 1000")
        times = []
        for x in events.split(","):
            t = parse_date(x, where="--events")
            if t is None:
                raise InputError("--events: empty item")
            times.append(t)
        start = parse_date(since, where="--since") if since.strip() else None
        d = _db(db, bundled=db is None)
        model: Any = RateExposureModel((m, lo, hi), source="--rate-per-day")
        if risk_case is not None:
            from breachkit.fleet.exposure import RiskCaseExposure

            names = tuple(x.strip() for x in regions.split(",") if x.strip())
            if not names:
                raise InputError("--regions: give the failing regions with --risk-case")
            model = RiskCaseExposure(str(risk_case), names, window=risk_window)
        if risk_case is not None:
            print_slow_path_notice()
        with work_progress("fleet stats: exposure, cluster significance") as step:
            cl = cluster_significance(d, model, times, window_days=window_days, since=start,
                                      rng=np.random.default_rng(seed), n_sim=n_sim)  # fmt: skip
            step("fleet stats: production change")
            pc = production_change(d, since=cl.span[0], until=cl.span[1])
        out = {"cluster": cl.to_dict(), "production_change": pc.to_dict(), "seed": seed}
        ex = cl.exposure
        if json_out:
            typer.echo(dump_json(out))
            return
        e = cl.expected
        _print(
            f"Fleet expected radiator penetrations {e[0]:.3g} ({e[1]:.3g}–{e[2]:.3g}) over "
            f"{cl.n_flights} flights, {cl.span[0].date()} → {cl.span[1].date()} "
            f"({ex.get('total_days', 0.0):.0f} docked vehicle-days)\n"
            f"P(N ≥ {cl.n_events}) = {cl.count_pvalue_poisson:.3g} (Poisson), "
            f"{cl.count_pvalue_uncertain:.3g} (rate uncertain); P(N ≤ {cl.n_events}) = "
            f"{cl.count_cdf_uncertain:.3g} (is the rate compatible with so few?)\n"
            f"P(≥ {cl.k_in_window} within {cl.window_days:g} d) = {cl.scan_pvalue_mean:.3g} at the "
            f"mean rate, {cl.scan_pvalue_hi:.3g} at the high rate, "
            f"{cl.scan_pvalue_given_n:.3g} given {cl.n_events} events\n"
            f"Production change: P(rate changed) = {pc.posterior_change:.3f}, most probably "
            f"between {pc.change_after} and {pc.change_before} "
            f"({pc.rate_before_per_day:.3g} → {pc.rate_after_per_day:.3g} per day); "
            f"design-series Bayes factor {fmt_num(pc.design_bayes_factor)}"
        )


def _add_risk(fleet: typer.Typer) -> None:
    from breachkit.cli.fleet_risk import risk_command

    fleet.command("risk")(risk_command)
