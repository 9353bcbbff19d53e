"""The `breachkit` command-line program.

Each command lives in its own module of this package and exposes ``register(app)``. `main` turns
every `InputError`, `OutOfValidityRangeError` and pydantic validation error into one line on stderr
and exit status 2, with no traceback. A case that has no section for a command (``ops`` on a case
without ``[ops]``) gets one line and exit status 3.
"""

from __future__ import annotations

import contextlib
import importlib
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

import typer

from breachkit import __version__
from breachkit._core.errors import BreachkitError
from breachkit.cli._common import NOT_IN_CASE_EXIT, NotInCaseError

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


_CLI_ROOTS: contextlib.ExitStack = contextlib.ExitStack()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    allow_root: list[Path] = typer.Option(  # noqa: B008
        [],
        "--allow-root",
        help="Let case files name files under this folder too (repeatable). By default every "
        "file a case names must lie inside its case folder.",
    ),
) -> None:
    """breachkit: was it an impact or a defect, and can the crew ride home?"""
    if allow_root:
        from breachkit._core.casefile import allow_roots

        for r in allow_root:
            if not r.is_dir():
                raise typer.BadParameter(f"{r} is not a folder", param_hint="--allow-root")
        _CLI_ROOTS.enter_context(allow_roots(allow_root))


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _escape_help(cmd: Any) -> None:
    """Escape rich markup in the help of `cmd`, its parameters and its sub-commands, in place.

    Typer renders help through rich markup, which eats every ``[m²]`` or ``[kg m⁻³]``; escaped,
    the units print as written. Flags get an empty metavar (no ``<bool>`` column).
    """
    from rich.markup import escape

    for attr in ("help", "short_help", "epilog"):
        text = getattr(cmd, attr, None)
        if isinstance(text, str) and text:
            setattr(cmd, attr, escape(text))
    for param in getattr(cmd, "params", []):
        if isinstance(getattr(param, "help", None), str) and param.help:
            param.help = escape(param.help)
        if getattr(param, "is_flag", False) and getattr(param, "metavar", None) is None:
            param.metavar = ""
    original = getattr(cmd, "get_help_option", None)
    if callable(original):

        def get_help_option(ctx: Any, _original: Any = original) -> Any:
            opt = _original(ctx)
            if opt is not None and getattr(opt, "metavar", None) is None:
                opt.metavar = ""
            return opt

        cmd.get_help_option = get_help_option
    for sub in getattr(cmd, "commands", {}).values():
        _escape_help(sub)


_COMMAND: Any = None


def command() -> Any:
    """The click command tree of `app`, built once, with its help escaped (`_escape_help`)."""
    global _COMMAND
    if _COMMAND is None:
        cmd = typer.main.get_command(app)
        _escape_help(cmd)
        _COMMAND = cmd
    return _COMMAND


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _raise_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_cleanly_on_signals() -> dict[int, Any]:
    """SIGTERM/SIGHUP become SystemExit, so temporary output files are removed on the way out.

    Returns the previous handlers (restored by `main` when it returns).
    """
    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            previous[sig] = signal.signal(sig, _raise_exit)
    return previous


def main(argv: list[str] | None = None) -> int:
    """Run the program; return the exit status (0 ok, 2 bad input, 1 internal error)."""
    try:
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - pydantic is a core dependency
        ValidationError = ()  # type: ignore[assignment,misc]
    previous = _exit_cleanly_on_signals()
    try:
        return _main(argv, ValidationError)
    finally:
        _CLI_ROOTS.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main(argv: list[str] | None, ValidationError: Any) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            command().main(args=argv, prog_name="breachkit", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:  # pragma: no cover
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    except NotInCaseError as exc:
        typer.echo(f"{_one_line(exc)}", err=True)
        return NOT_IN_CASE_EXIT
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
