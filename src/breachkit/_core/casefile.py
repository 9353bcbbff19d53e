"""Reading a case folder's ``case.toml`` and validating one section with a pydantic model.

A case file is TOML with one table per concern (``[incident]``, ``[vehicle]``, ``[orbit]``,
``[exposure]``, ``[environment]``, ``[telemetry]``, ``[evidence]``, ``[crew]``…). Each part of
breachkit owns the pydantic model of its own sections and validates them with `load_section`, so an
error always reads ``case.toml: [orbit] altitude_km: Input should be greater than 0``.
Relative paths in a case resolve against the case folder (`resolve_path`).

**Containment.** A case received from someone else must not make breachkit read any file the
user can read. Every file a case names must resolve (symbolic links followed) inside the case
folder, or inside a root the user allowed: ``breachkit --allow-root DIR ...``, the environment
variable ``BREACHKIT_ALLOW_ROOT`` (folders separated by ``os.pathsep``) or `allow_roots` in
Python. Anything else (an absolute path, a ``..`` climbing out, a link pointing out) is refused
with one line naming the field; the refused file is never opened.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from breachkit._core.errors import InputError
from breachkit._core.plausibility import check_plausible

__all__ = ["CaseFile", "allow_roots", "allowed_roots", "load_section", "read_case"]

ALLOW_ROOT_ENV = "BREACHKIT_ALLOW_ROOT"
_ALLOWED: list[Path] = []


def allowed_roots() -> tuple[Path, ...]:
    """Folders outside a case that its file references may point into (resolved)."""
    roots = list(_ALLOWED)
    for item in os.environ.get(ALLOW_ROOT_ENV, "").split(os.pathsep):
        if item.strip():
            roots.append(Path(item.strip()).expanduser().resolve())
    return tuple(roots)


@contextlib.contextmanager
def allow_roots(roots: Iterable[str | Path]) -> Iterator[tuple[Path, ...]]:
    """Within the block, case files may also name files under `roots` (then restored)."""
    added = [Path(r).expanduser().resolve() for r in roots]
    _ALLOWED.extend(added)
    try:
        yield tuple(added)
    finally:
        for r in added:
            _ALLOWED.remove(r)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CaseFile:
    """The parsed TOML of a case and where it came from."""

    path: Path
    data: dict[str, Any]

    @property
    def folder(self) -> Path:
        """The case folder; relative paths resolve against it."""
        return self.path.parent

    def has(self, section: str) -> bool:
        return section in self.data

    def resolve_path(self, value: str | Path, *, field: str) -> Path:
        """Absolute path of a file named in the case; `InputError` if outside or missing.

        The path must resolve (links followed) inside the case folder or an allowed root
        (`allowed_roots`); otherwise it is refused without being opened.
        """
        text = str(value)
        if "\x00" in text:
            raise InputError(f"{self.path.name}: {field}: file name contains a NUL character")
        p = Path(value)
        if not p.is_absolute():
            p = self.folder / p
        try:
            real = p.resolve()
        except (OSError, RuntimeError) as exc:
            raise InputError(f"{self.path.name}: {field}: cannot resolve {text!r}: {exc}") from None
        roots = (self.folder.resolve(), *allowed_roots())
        if not any(_inside(real, r) for r in roots):
            why = "an absolute path" if Path(value).is_absolute() else "a path leading"
            raise InputError(
                f"{self.path.name}: {field}: {text!r} is {why} outside the case folder; "
                "refused (allow a folder with `breachkit --allow-root DIR`)"
            )
        try:
            exists = p.exists()
        except OSError:  # e.g. a file name too long for the file system
            exists = False
        if not exists:
            raise InputError(f"{self.path.name}: {field}: file {text!r} does not exist")
        return p


def read_case(path: str | Path) -> CaseFile:
    """Read ``case.toml`` (or a folder holding one); `InputError` naming the file if unusable."""
    p = Path(path)
    if p.is_dir():
        p = p / "case.toml"
    if not p.is_file():
        raise InputError(f"{p}: case file not found")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{p}: not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{p}: not valid TOML: nested too deeply") from None
    if not data:
        raise InputError(f"{p}: the case file is empty (no sections): nothing to investigate")
    for section, node in data.items():  # no inf, nan, 2⁶³ or year 10000 anywhere in the file
        check_plausible(p.name, str(section), node, generic_only=True)
    return CaseFile(p.resolve(), data)


def _format_error(file: str, section: str, exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err.get("loc", ()))
    where = f"[{section}] {loc}" if loc else f"[{section}]"
    value = err.get("input")
    shown = ""
    if err.get("type") != "missing" and not isinstance(value, dict):
        shown = f" (got {value!r})"
    more = len(exc.errors()) - 1
    tail = f" (+{more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{file}: {where}: {err.get('msg', 'invalid')}{shown}{tail}"


def load_section(
    case: CaseFile, section: str, model: type[M], *, required: bool = True
) -> M | None:
    """Validate ``case.data[section]`` with `model`; one-line `InputError` on failure.

    Dotted section names (``"exposure.windows"``) walk nested tables.
    """
    node: Any = case.data
    for part in section.split("."):
        if not isinstance(node, dict) or part not in node:
            if required:
                raise InputError(f"{case.path.name}: section [{section}] is missing")
            return None
        node = node[part]
    try:
        validated = model.model_validate(node)
    except ValidationError as exc:
        raise InputError(_format_error(case.path.name, section, exc)) from None
    # the model's own checks speak first; then no value outside any spacecraft's range passes
    check_plausible(case.path.name, section, node)
    return validated
