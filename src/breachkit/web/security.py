"""Who may talk to the workbench, and which folders it may read.

* **Binding.** The server listens on 127.0.0.1 unless the user passes another ``--host``; then it
  prints a warning and every request must carry the access token (generated at start and printed,
  or given with ``--token``).
* **Token.** Accepted as ``Authorization: Bearer <token>``, as a ``token`` query parameter (the URL
  printed at start) or as the ``breachkit_token`` cookie the page sets from it; compared in
  constant time.
* **Case folders.** A case is named by an identifier (``bundled/<name>`` or ``root/<relative
  path>``), never by a path. Each resolves (symlinks followed) inside its root or is refused, so
  ``..``, absolute paths and symlinks out of the root cannot reach other files.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from breachkit._core.errors import InputError

__all__ = [
    "CaseRoots",
    "is_loopback",
    "new_token",
    "token_matches",
]

_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")


def is_loopback(host: str) -> bool:
    """True for an address that only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A random access token (32 bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; no token expected means every request is allowed."""
    if expected is None:
        return True
    if not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class CaseRoots:
    """The folders cases may come from: the bundled ``cases/`` and an optional user root."""

    bundled: Path | None
    root: Path | None = None

    def roots(self) -> dict[str, Path]:
        out: dict[str, Path] = {}
        if self.bundled is not None and self.bundled.is_dir():
            out["bundled"] = self.bundled.resolve()
        if self.root is not None:
            out["root"] = self.root.resolve()
        return out

    def resolve(self, case_id: str) -> Path:
        """The case folder of `case_id`, inside its root, holding a case.toml; else InputError."""
        kind, _, rest = case_id.partition("/")
        roots = self.roots()
        if kind not in roots or not rest:
            raise InputError(
                f"case {case_id!r}: unknown case (expected bundled/<name> or root/<path>)"
            )
        parts = rest.split("/")
        if any(p in ("", ".", "..") or not _SEGMENT.match(p) for p in parts):
            raise InputError(
                f"case {case_id!r}: a case name is letters, digits, '.', '_', '-' only"
            )
        base = roots[kind]
        folder = base.joinpath(*parts).resolve()
        if not folder.is_relative_to(base):
            raise InputError(f"case {case_id!r}: resolves outside its root, refused")
        toml = folder / "case.toml"
        if not toml.is_file() or not toml.resolve().is_relative_to(base):
            raise InputError(f"case {case_id!r}: no case.toml there")
        return folder

    def list_ids(self, max_depth: int = 3) -> list[str]:
        """Every case folder under the roots (a folder holding case.toml), as identifiers."""
        out: list[str] = []
        for kind, base in self.roots().items():
            for toml in sorted(base.rglob("case.toml")):
                rel = toml.parent.relative_to(base)
                if not rel.parts or len(rel.parts) > max_depth:
                    continue
                case_id = f"{kind}/{'/'.join(rel.parts)}"
                try:
                    self.resolve(case_id)
                except InputError:
                    continue  # a symlink out of the root, or an odd name: not listed
                out.append(case_id)
        return out
