"""``breachkit investigate CASE_DIR`` and ``breachkit demo``: the whole investigation of one case.

Runs every stage that applies to the case (environment → risk → telemetry → fleet → attribution →
crew return) with a progress bar on stderr, writes ``report.html`` and ``results.json`` into the
output folder atomically, and prints a summary (or, with ``--json``, the results and the paths).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json

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

    if not case_dir.exists():
        raise InputError(f"{case_dir}: case folder not found")
    out_dir = out if out is not None else Path("out") / case_dir.resolve().name
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out: {out_dir} exists and is not a folder")
    err = Console(stderr=True)
    result = investigate(case_dir, progress=RichProgress(console=err), what_if=what_if)
    paths = write_report(result, out_dir)
    if as_json:
        payload = result.to_dict()
        payload["report"] = paths.to_dict()
        typer.echo(dump_json(payload))
        return
    console = Console()
    console.print(result)
    console.print(f"report: {paths.html}")
    console.print(f"results: {paths.json}")


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
