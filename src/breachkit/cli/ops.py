"""`breachkit ops CASE`: ranked crew-return options, a timeline chart (PNG + HTML) and JSON."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json, output_folder, require_section

__all__ = ["register", "timeline_figure", "write_outputs"]


def timeline_figure(plan: Any) -> Any:
    """A matplotlib figure: one bar per ranked option from the situation to the crew's return."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover
        raise ImportError(
            "the timeline chart needs matplotlib: pip install breachkit[plot]"
        ) from exc
    opts = plan.options
    fig, ax = plt.subplots(figsize=(11, 1.2 + 0.8 * len(opts)))
    start = plan.situation_utc
    for i, o in enumerate(reversed(opts)):
        y = i
        colour = "#2b7a2b" if o.rank == 1 else ("#999999" if not o.feasible else "#4a78b5")
        ax.barh(
            y,
            (o.return_utc - start).total_seconds() / 86400,
            left=mdates.date2num(start),
            height=0.5,
            color=colour,
            alpha=0.85,
        )
        rep = o.replacement
        if rep:
            ax.plot(mdates.date2num(rep["dock_utc"]), y, marker="v", color="k")
        for m in o.moves:
            _ = m
            ax.plot(
                mdates.date2num(start) + plan_redistribution_days(plan),
                y,
                marker="o",
                color="orange",
            )
        ax.text(mdates.date2num(start), y + 0.3, f"#{o.rank} {o.name}", va="bottom", fontsize=8)
    for v in plan.vehicles:
        ax.axvline(mdates.date2num(v["certified_until_utc"]), color="red", ls=":", lw=0.8)
    ax.set_yticks([])
    ax.set_ylim(-0.5, len(opts) - 0.1)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    fig.autofmt_xdate()
    ax.set_title(
        f"{plan.damaged_vehicle}: options to crew return (▼ replacement docks, "
        "● seat-liner move, red dotted: certified docked life ends)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def thermal_figure(plan: Any) -> Any:
    """Cabin temperature and relative humidity over the return for each crew count."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
    for n, run in sorted(plan.runs.items()):
        h = run.time_s / 3600.0
        ax1.plot(h, run.air_temperature_k - 273.15, label=f"{n} crew")
        ax2.plot(h, 100 * run.relative_humidity.clip(max=1.0), label=f"{n} crew")
    for ax in (ax1, ax2):
        for edge in next(iter(plan.runs.values())).phase_edges_s[1:-1]:
            ax.axvline(edge / 3600.0, color="grey", lw=0.6, ls=":")
        ax.set_xlabel("hours from hatch closure")
        ax.legend(fontsize=8)
    lim = plan.thermal.get("emergency_cabin_limit_c")
    if lim is not None:
        ax1.axhline(lim, color="red", lw=0.8, ls="--")
    ax1.set_ylabel("cabin air °C")
    ax2.set_ylabel("relative humidity %")
    state = "external loop lost" if plan.thermal.get("applies") else "cooling loop working"
    fig.suptitle(f"{plan.damaged_vehicle} descent module, {state}", fontsize=9)
    fig.tight_layout()
    return fig


def plan_redistribution_days(plan: Any) -> float:
    for o in plan.options:
        for a in o.actions:
            if a.startswith("by "):
                from datetime import datetime

                d = datetime.fromisoformat(a[3:13]).replace(tzinfo=plan.situation_utc.tzinfo)
                return (d - plan.situation_utc).total_seconds() / 86400
    return 0.0


def _png_of(fig: Any) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=110)
    finally:
        plt.close(fig)
    return buf.getvalue()


def _figures(plan: Any) -> tuple[bytes | None, bytes | None, str]:
    """PNG bytes of the timeline and thermal charts, or (None, None, a note naming the extra)."""
    from breachkit.report.plots import PLOT_EXTRA_HINT, plots_available

    if not plots_available():
        return None, None, f"The timeline and cabin-thermal charts need {PLOT_EXTRA_HINT}."
    timeline = _png_of(timeline_figure(plan))
    applies = bool((getattr(plan, "thermal", None) or {}).get("applies"))
    thermal = _png_of(thermal_figure(plan)) if applies and getattr(plan, "runs", None) else None
    return timeline, thermal, ""


def write_outputs(plan: Any, out: Path) -> list[Path]:
    """Write ``ops_timeline.png`` and a self-contained ``ops.html`` (PNGs embedded) into `out`.

    Both are rendered in memory first, then written through temp files and renamed. Without
    matplotlib the HTML is written without charts and says which extra draws them.
    """
    from breachkit.report.atomic import write_files_atomically

    timeline, thermal, note = _figures(plan)
    imgs = ""
    for alt, png in (("timeline", timeline), ("thermal", thermal)):
        if png is not None:
            b64 = base64.b64encode(png).decode("ascii")
            imgs += f"<img alt='{alt}' src='data:image/png;base64,{b64}'>"
    if note:
        imgs += f"<p><em>{html.escape(note)}</em></p>"
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>breachkit ops</title></head>"
        f"<body>{plan._repr_html_()}{imgs}</body></html>"
    )
    files: dict[Path, str | bytes] = {}
    if timeline is not None:
        files[out / "ops_timeline.png"] = timeline
    files[out / "ops.html"] = page
    return write_files_atomically(files)


def register(app: typer.Typer) -> None:
    @app.command("ops")
    def ops_command(
        case: Annotated[
            Path, typer.Argument(help="Case folder (or case.toml) with [ops] sections.")
        ],
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", help="Folder for ops_timeline.png and ops.html (default CASE/out)."
            ),
        ] = None,
        json_out: Annotated[
            bool, typer.Option("--json", help="Print the plan as JSON on stdout.")
        ] = False,
    ) -> None:
        """Rank the crew-return options after damage to a crew vehicle."""
        from breachkit.ops import plan_case

        if not case.exists():
            raise InputError(f"CASE: {case} does not exist")
        require_section(case, "ops", command="ops", what="the crew-return tables")
        folder = case if case.is_dir() else case.parent
        target = output_folder(out, folder, "out")
        plan = plan_case(case)
        files = write_outputs(plan, target)
        if json_out:
            typer.echo(dump_json(plan))
            return
        import sys

        from rich.console import Console

        console = Console(markup=False)
        if not sys.stdout.isatty() or console.width < 140:
            console = Console(width=160, markup=False)
        console.print(plan)
        for f in files:
            typer.echo(f"wrote {f}")
