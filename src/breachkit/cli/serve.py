"""``breachkit serve``: the investigation workbench in the browser (extra ``web``).

Binds 127.0.0.1 unless ``--host`` names another address; then it warns and requires an access
token (generated and printed at start, or given with ``--token``). Cases come from the bundled
``cases/`` folder and from ``--root``; runs are stored under ``--runs``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachkit._core.errors import InputError

__all__ = ["register", "serve_command"]


def _bundled_cases() -> Path | None:
    from breachkit.cli.investigate import find_demo_case

    try:
        return find_demo_case().parent
    except InputError:
        return None


def serve_command(
    host: str, port: int, root: Path | None, runs: Path, token: str | None, max_runs: int
) -> None:
    """Check the options, build the app and run uvicorn (blocks until interrupted)."""
    import sys

    from breachkit.web import create_app
    from breachkit.web.security import CaseRoots, is_loopback, new_token

    if not 0 < port < 65536:
        raise InputError(f"--port: {port} is not a TCP port (1-65535)")
    if root is not None and not root.is_dir():
        raise InputError(f"--root: {root} is not a folder")
    if max_runs < 1:
        raise InputError(f"--max-runs: {max_runs} must be at least 1")
    try:
        import uvicorn
    except ImportError:
        raise InputError("serve: needs the 'web' extra: pip install 'breachkit[web]'") from None
    if not is_loopback(host):
        token = token or new_token()
        print(
            f"warning: serving on {host}, reachable from other machines; every request needs "
            "the access token",
            file=sys.stderr,
        )
    app = create_app(CaseRoots(_bundled_cases(), root), runs, token=token, max_active=max_runs)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(f"breachkit workbench: {url}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the program."""

    @app.command("serve")
    def serve(
        host: Annotated[
            str, typer.Option("--host", help="Address to bind; not loopback → token required.")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8765,
        root: Annotated[
            Path | None,
            typer.Option("--root", help="Also offer the case folders under this folder."),
        ] = None,
        runs: Annotated[
            Path, typer.Option("--runs", help="Folder where finished runs are stored.")
        ] = Path("out") / "runs",
        token: Annotated[
            str | None, typer.Option("--token", help="Access token (default: generated).")
        ] = None,
        max_runs: Annotated[
            int, typer.Option("--max-runs", help="Investigations computed at once.")
        ] = 1,
    ) -> None:
        """Open the investigation workbench on this machine (http://127.0.0.1:8765/)."""
        serve_command(host, port, root, runs, token, max_runs)
