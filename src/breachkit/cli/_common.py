"""Helpers every command shares: JSON output, one-line errors, parsing of option values,
printing user text without rich markup eating it, the slow-path notice and output-folder checks."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from breachkit._core.errors import InputError
from breachkit._core.jsonable import jsonable as to_jsonable

__all__ = [
    "check_out_dir",
    "dump_json",
    "escape",
    "missing_extras",
    "parse_float_list",
    "require_finite",
    "slow_path_notice",
    "to_jsonable",
    "work_progress",
]

#: What makes the long computations fast: (module, extra, what it speeds up).
SPEED_MODULES: tuple[tuple[str, str, str], ...] = (
    ("numba", "speed", "compiled shadowing and risk kernels"),
    ("embreex", "geometry", "Embree ray casting for shadowing"),
)


def escape(text: object) -> str:
    """`text` as a str with rich markup escaped: ``[m²]`` and ``[kg m⁻³]`` print as written."""
    from rich.markup import escape as _escape

    return _escape(str(text))


def dump_json(value: Any) -> str:
    """JSON text of `value` (via `to_jsonable`), strict: no NaN or Infinity literals."""
    return json.dumps(to_jsonable(value), indent=2, allow_nan=False)


def require_finite(option: str, value: float, *, positive: bool = False) -> float:
    """Return `value` or raise `InputError` naming `option` if it is NaN/inf (or not > 0)."""
    if not math.isfinite(value):
        raise InputError(f"{option}: {value!r} is not a finite number")
    if positive and value <= 0:
        raise InputError(f"{option}: {value!r} must be > 0")
    return value


def parse_float_list(option: str, text: str) -> Sequence[float]:
    """Parse ``"0,45,60"`` into floats; `InputError` naming `option` on a bad item."""
    out: list[float] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            x = float(item)
        except ValueError:
            raise InputError(f"{option}: {item!r} is not a number") from None
        out.append(require_finite(option, x))
    if not out:
        raise InputError(f"{option}: no values given")
    return out


def _importable(module: str) -> bool:
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_extras(
    modules: Sequence[tuple[str, str, str]] = SPEED_MODULES,
) -> list[tuple[str, str, str]]:
    """The ``(module, extra, purpose)`` entries of `modules` that cannot be imported."""
    if os.environ.get("BREACHKIT_KERNELS", "").strip().lower() == "numpy":
        forced = [m for m in modules if m[0] == "numba"]
    else:
        forced = []
    return [m for m in modules if m in forced or not _importable(m[0])]


def slow_path_notice() -> str | None:
    """One sentence saying the computation runs on the slow path and what makes it fast, or None."""
    missing = missing_extras()
    if not missing:
        return None
    what = "; ".join(f"{mod} ({purpose})" for mod, _, purpose in missing)
    extras = ",".join(sorted({extra for _, extra, _ in missing}))
    return (
        f"note: running on the slow numpy path (about 20x slower) because {what} "
        f"{'is' if len(missing) == 1 else 'are'} not available; "
        f"pip install 'breachkit[{extras}]' makes it fast."
    )


def print_slow_path_notice() -> None:
    """Print `slow_path_notice` on stderr when it applies (before the long work starts)."""
    text = slow_path_notice()
    if text:
        print(text, file=sys.stderr, flush=True)


def check_out_dir(out: Path, option: str = "--out") -> Path:
    """Check before any work that `out` is (or can be made) a writable folder; `InputError` if not.

    Missing folders are created to prove they can be, then removed again, so a failure shows in
    the first second (not after a long run) and a command that fails later leaves nothing behind.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{option}: {out} exists and is not a folder")
    created: list[Path] = []
    p = out
    while not p.exists() and p != p.parent:
        created.append(p)
        p = p.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{option}: cannot create folder {out}: {exc.strerror or exc}") from None
    writable = os.access(out, os.W_OK | os.X_OK)
    for q in created:  # deepest first
        with contextlib.suppress(OSError):
            q.rmdir()
    if not writable:
        raise InputError(f"{option}: folder {out} is not writable")
    return out


def output_folder(out: Path | None, case_folder: Path, default: str | Path) -> Path:
    """The output folder of a command, checked before any work (see `check_out_dir`).

    With no ``--out`` the default is ``case_folder/default``; a symbolic link anywhere on that
    path below the case folder (say an ``out`` link shipped inside a received case) is refused,
    so output never goes through a link out of the case folder.
    """
    if out is not None:
        return check_out_dir(out)
    target = case_folder / default
    p = case_folder
    for part in Path(default).parts:
        p = p / part
        if p.is_symlink():
            raise InputError(
                f"--out: {p} is a symbolic link (shipped with the case?); refusing to write "
                "through it: pass --out FOLDER"
            )
    return check_out_dir(target)


class NotInCaseError(InputError):
    """The case has no section for this command: one line, exit status `NOT_IN_CASE_EXIT`."""


#: Exit status of a command run on a case that has no section for it (bad input is 2).
NOT_IN_CASE_EXIT = 3


def require_section(case: Path, section: str | Sequence[str], *, command: str, what: str) -> None:
    """Raise `NotInCaseError` when the case file at `case` lacks one of the ``[section]`` tables.

    Files that cannot be read are left to the command itself (its own one-line error).
    """
    from breachkit._core.casefile import read_case

    try:
        cf = read_case(case)
    except InputError:
        return
    wanted = [section] if isinstance(section, str) else list(section)
    missing = [s for s in wanted if not cf.has(s)]
    if missing:
        names = ", ".join(f"[{s}]" for s in missing)
        plural = "s" if len(missing) > 1 else ""
        raise NotInCaseError(
            f"{cf.folder.name}: this case has no {names} section{plural} ({what}), so "
            f"`breachkit {command}` has nothing to do (exit {NOT_IN_CASE_EXIT})"
        )


def fmt_num(value: Any, digits: int = 3) -> str:
    """A number for people (`breachkit._core.display.format_number`)."""
    from breachkit._core.display import format_number

    return format_number(value, digits)


@contextlib.contextmanager
def work_progress(description: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (spinner, pulsing bar, elapsed time) around long work.

    Yields ``step(text)`` that renames the current step. The bar is on stderr, so ``--json``
    output on stdout stays clean; on a non-terminal stderr nothing is drawn.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:  # a log or a pipe: no bar, no stray newlines
        yield lambda text: None
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task(description, total=None)

    def step(text: str) -> None:
        progress.update(task, description=text)

    with progress:
        yield step
