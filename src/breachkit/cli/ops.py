"""`breachkit ops CASE`: ranked crew-return options, a timeline chart (PNG + HTML) and JSON."""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json

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


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(plan: Any, out: Path) -> list[Path]:
    """Write ``ops_timeline.png`` and a self-contained ``ops.html`` (PNGs embedded) into `out`.

    Both are rendered in memory first, then written through temp files and renamed.
    """
    import io

    out.mkdir(parents=True, exist_ok=True)
    fig = timeline_figure(plan)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    png = buf.getvalue()
    b64 = base64.b64encode(png).decode("ascii")
    tfig = thermal_figure(plan)
    tbuf = io.BytesIO()
    tfig.savefig(tbuf, format="png", dpi=110)
    plt.close(tfig)
    t64 = base64.b64encode(tbuf.getvalue()).decode("ascii")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>breachkit ops</title></head>"
        f"<body>{plan._repr_html_()}<img alt='timeline' src='data:image/png;base64,{b64}'>"
        f"<img alt='thermal' src='data:image/png;base64,{t64}'></body></html>"
    )
    p_png, p_html = out / "ops_timeline.png", out / "ops.html"
    _atomic_write(p_png, png)
    _atomic_write(p_html, page.encode("utf-8"))
    return [p_png, p_html]


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
        plan = plan_case(case)
        folder = case if case.is_dir() else case.parent
        files = write_outputs(plan, out if out is not None else folder / "out")
        if json_out:
            typer.echo(dump_json(plan))
            return
        import sys

        from rich.console import Console

        console = Console()
        if not sys.stdout.isatty() or console.width < 140:
            console = Console(width=160)
        console.print(plan)
        for f in files:
            typer.echo(f"wrote {f}")
