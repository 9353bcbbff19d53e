"""Atomic file writes: a temporary file in the destination folder, then a rename.

Temporary files are named ``.<name>.<pid>.<random>.tmp``. They are removed when the write fails,
when the process exits normally or on SIGTERM/SIGINT (the CLI turns those into exceptions), and a
later write into the same folder removes stale ones left by a process that no longer runs (after a
``kill -9``). Files get the usual mode (``0666 & ~umask``, 0644 for the common umask), never the
0600 of `tempfile.mkstemp`. The rename replaces a symbolic link at the destination by the file
itself; it never writes through the link.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["file_mode", "remove_stale_temps", "write_bytes_atomically", "write_files_atomically"]

_PENDING: set[Path] = set()
_TEMP_RE = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def file_mode() -> int:
    """The mode a normally created file gets under the current umask (0644 for umask 022)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove ``.<name>.<pid>.<random>.tmp`` files in `folder` whose writing process is gone."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = _TEMP_RE.match(p.name)
        if m is None or p.is_symlink() or not p.is_file():
            continue
        if not _pid_alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


@atexit.register
def _cleanup_pending() -> None:  # pragma: no cover - runs at interpreter exit
    for tmp in list(_PENDING):
        with contextlib.suppress(OSError):
            tmp.unlink()
    _PENDING.clear()


def _write_temp(dest: Path, data: bytes, mode: int) -> Path:
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent
    )
    tmp = Path(tmp_name)
    _PENDING.add(tmp)
    try:
        try:
            os.fchmod(fd, mode)
        except (AttributeError, OSError):  # pragma: no cover - Windows
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        _PENDING.discard(tmp)
        raise
    return tmp


def write_files_atomically(files: Mapping[Path, str | bytes]) -> list[Path]:
    """Write every ``path → text`` (str as UTF-8, or bytes), all or nothing as far as possible.

    Each text goes to a temporary file beside its destination (same folder, so the rename is
    atomic on POSIX and Windows); only when every temporary file is written and flushed are they
    renamed into place. If anything fails before the renames (or the process is interrupted), the
    temporary files are removed and no destination is touched. Returns the destination paths.
    """
    mode = file_mode()
    temps: list[tuple[Path, Path]] = []
    try:
        for dest, text in files.items():
            dest = Path(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temps(dest.parent)
            data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
            temps.append((_write_temp(dest, data, mode), dest))
        for tmp, dest in temps:
            os.replace(tmp, dest)
            _PENDING.discard(tmp)
    except BaseException:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            _PENDING.discard(tmp)
        raise
    return [dest for _, dest in temps]


def write_bytes_atomically(path: Path, data: bytes | str) -> Path:
    """Write one file atomically (see `write_files_atomically`)."""
    return write_files_atomically({Path(path): data})[0]
