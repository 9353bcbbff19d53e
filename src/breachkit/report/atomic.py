"""Atomic file writes: a temporary file in the destination folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_files_atomically"]


def write_files_atomically(files: Mapping[Path, str]) -> list[Path]:
    """Write every ``path → text`` as UTF-8, all or nothing as far as the file system allows.

    Each text goes to a temporary file beside its destination (same folder, so the rename is
    atomic on POSIX and Windows); only when every temporary file is written and flushed are they
    renamed into place. If anything fails before the renames, the temporary files are removed and
    no destination is touched. Returns the destination paths.
    """
    umask = os.umask(0)
    os.umask(umask)
    temps: list[tuple[Path, Path]] = []
    try:
        for dest, text in files.items():
            dest = Path(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            tmp = Path(tmp_name)
            temps.append((tmp, dest))
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, dest in temps:
            os.replace(tmp, dest)
    except BaseException:
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    return [dest for _, dest in temps]
