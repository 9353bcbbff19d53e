"""The `breachkit` command-line program.

Each command lives in its own module of this package and exposes ``register(app)``. `main` turns
every `InputError`, `OutOfValidityRangeError` and pydantic validation error into one line on stderr
and exit status 2, with no traceback.
"""

from __future__ import annotations

import importlib
import sys
import warnings

import typer

from breachkit import __version__
from breachkit._core.errors import BreachkitError

app = typer.Typer(
    name="breachkit",
    help="MMOD impact risk, leak forensics and impact-versus-defect attribution for spacecraft.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One line per command module; each module defines `register(app: typer.Typer) -> None`.
COMMAND_MODULES: tuple[str, ...] = (
    # one line per command module, in the order of --help
    "breachkit.cli.investigate",
    "breachkit.cli.env",
    "breachkit.cli.ble",
    "breachkit.cli.geometry",
    "breachkit.cli.risk",
    "breachkit.cli.telemetry",
    "breachkit.cli.fleet",
    "breachkit.cli.attribution",
    "breachkit.cli.ops",
    "breachkit.cli.serve",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"breachkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """breachkit: was it an impact or a defect, and can the crew ride home?"""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def main(argv: list[str] | None = None) -> int:
    """Run the program; return the exit status (0 ok, 2 bad input, 1 internal error)."""
    try:
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - pydantic is a core dependency
        ValidationError = ()  # type: ignore[assignment,misc]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            app(args=argv, prog_name="breachkit", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:  # pragma: no cover
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    except BreachkitError as exc:
        typer.echo(f"error: {_one_line(exc)}", err=True)
        return 2
    except ValidationError as exc:
        typer.echo(f"error: {_one_line(exc)}", err=True)
        return 2
    except Exception as exc:
        # click's exceptions, matched by class name: typer may bring its own copy of click
        # (typer._click), whose classes are not the `click` package's
        names = {c.__name__ for c in type(exc).__mro__}
        if "Abort" in names:
            typer.echo("aborted", err=True)
            return 1
        if "ClickException" in names:
            fmt = getattr(exc, "format_message", None)
            msg = fmt() if callable(fmt) else str(exc)
            typer.echo(f"error: {_one_line(Exception(msg))}", err=True)
            code = getattr(exc, "exit_code", 2)
            return code if isinstance(code, int) and code else 2
        raise
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
