"""``breachkit investigate CASE_DIR`` and ``breachkit demo``: the whole investigation of one case.

Runs every stage that applies to the case (environment → risk → telemetry → fleet → attribution →
crew return) with a progress bar on stderr, writes ``report.html`` and ``results.json`` into the
output folder atomically, and prints a summary (or, with ``--json``, the results and the paths).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import check_out_dir, dump_json, print_slow_path_notice

__all__ = ["DEMO_CASE", "find_demo_case", "register", "run_investigation"]

DEMO_CASE = Path("cases") / "soyuz-ms22"
DEMO_OUT = Path("out") / "soyuz-ms22"


def find_demo_case() -> Path:
    """The bundled MS-22 case: ``cases/soyuz-ms22`` under the working folder or the checkout."""
    here = Path.cwd() / DEMO_CASE
    if (here / "case.toml").is_file():
        return here
    checkout = Path(__file__).resolve().parents[3] / DEMO_CASE
    if (checkout / "case.toml").is_file():
        return checkout
    raise InputError(
        f"demo: the bundled case {DEMO_CASE} was not found (run from the breachkit checkout)"
    )


def run_investigation(
    case_dir: Path, out: Path | None, *, as_json: bool, what_if: bool = False
) -> None:
    """Investigate `case_dir`, write the report, print the summary (shared by both commands)."""
    from rich.console import Console

    from breachkit.investigate import investigate
    from breachkit.investigate.progress import RichProgress
    from breachkit.report import write_report
    from breachkit.report.plots import PLOT_EXTRA_HINT, plots_available

    if not case_dir.exists():
        raise InputError(f"{case_dir}: case folder not found")
    out_dir = check_out_dir(out if out is not None else Path("out") / case_dir.resolve().name)
    err = Console(stderr=True, markup=False)
    print_slow_path_notice()
    if not plots_available():
        err.print(
            f"note: the report's figures are not drawn: they need {PLOT_EXTRA_HINT}.",
            highlight=False,
        )
    result = investigate(case_dir, progress=RichProgress(console=err), what_if=what_if)
    paths = write_report(result, out_dir)
    if as_json:
        payload = result.to_dict()
        payload["report"] = paths.to_dict()
        typer.echo(dump_json(payload))
        return
    console = Console(markup=False)
    console.print(result)
    rate = _impact_rate_used(payload_of(result))
    if rate is not None:
        from breachkit.cli.attribution import impact_rate_line

        console.print(impact_rate_line(rate, command="investigate"), highlight=False)
    console.print(f"report: {paths.html}")
    console.print(f"results: {paths.json}")


def payload_of(result: Any) -> dict[str, Any]:
    """The results dictionary of an investigation result (or the dictionary itself)."""
    d = result.to_dict() if hasattr(result, "to_dict") else result
    return d if isinstance(d, dict) else {}


def _impact_rate_used(results: dict[str, Any]) -> dict[str, Any] | None:
    """The impact row of the attribution section's prior-rate table, as ``{mean, lo, hi, source}``."""
    sec = (results.get("sections") or {}).get("attribution") or {}
    for t in sec.get("tables", []) if isinstance(sec, dict) else []:
        if not str(t.get("title", "")).startswith("Prior rates"):
            continue
        for row in t.get("rows", []):
            if row and row[0] == "impact" and len(row) >= 5:
                vals = [v.get("value") if isinstance(v, dict) else v for v in row[1:4]]
                return {"mean": vals[0], "lo": vals[1], "hi": vals[2], "source": row[4]}
    return None


def register(app: typer.Typer) -> None:
    """Add ``investigate`` and ``demo`` to the program."""

    @app.command("investigate")
    def investigate_command(
        case_dir: Annotated[
            Path, typer.Argument(help="Case folder holding case.toml (e.g. cases/soyuz-ms22).")
        ],
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", help="Output folder for report.html and results.json [out/<case>]."
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the results and report paths as JSON.")
        ] = False,
        what_if: Annotated[
            bool,
            typer.Option(
                "--what-if",
                help="Weigh evidence built on SYNTHETIC data (a what-if, never a real verdict).",
            ),
        ] = False,
    ) -> None:
        """Investigate one case: impact or defect, and can the crew ride home."""
        run_investigation(case_dir, out, as_json=as_json, what_if=what_if)

    @app.command("demo")
    def demo_command(
        out: Annotated[
            Path, typer.Option("--out", help="Output folder for the report.")
        ] = DEMO_OUT,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    ) -> None:
        """Investigate the bundled Soyuz MS-22 case (what `make demo` runs)."""
        run_investigation(find_demo_case(), out, as_json=as_json)
