"""A telemetry file uploaded to a case: checked, analysed with the case's ``[telemetry]`` section.

The upload is written to a private temporary folder with a copy of the case's ``[telemetry]``
section pointing at it, analysed by `breachkit.telemetry.config.analyze_case` exactly as the CLI
would, and removed; nothing is written into the case folder. The answer is what the page plots:
the record (bin means), the fit, the onset with its interval, and the analysis summary.
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from breachkit._core.errors import InputError

__all__ = ["MAX_UPLOAD_BYTES", "analyse_upload"]

MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # 64 MiB: ≈ 2·10⁶ rows of "time,value" text
_SUFFIXES = {".csv", ".txt", ".tsv", ".parquet"}


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _telemetry_section(case_dir: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads((case_dir / "case.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{case_dir.name}/case.toml: unreadable ({exc})") from None
    section = data.get("telemetry")
    if not isinstance(section, dict):
        raise InputError(
            f"{case_dir.name}/case.toml: no [telemetry] section to analyse an upload with"
        )
    return dict(section)


def _plot(analysis: Any, max_points: int = 4000) -> dict[str, Any]:
    curves = getattr(getattr(analysis, "fit", None), "curves", None) or {}
    out: dict[str, Any] = {"t_h": [], "data": [], "fit": []}
    if "t_s" in curves:
        t = list(curves["t_s"])
        step = max(1, len(t) // max_points)
        out["t_h"] = [float(x) / 3600.0 for x in t[::step]]
        out["data"] = [float(y) for y in list(curves["y"])[::step]]
        if "fit" in curves:
            out["fit"] = [float(y) for y in list(curves["fit"])[::step]]
    fit = getattr(analysis, "fit", None)
    onset = getattr(fit, "onset_s", None)
    if getattr(analysis, "leak", False) and onset is not None and math.isfinite(onset):
        out["onset_h"] = onset / 3600.0
        lo, hi = getattr(analysis, "onset_ci_s", (None, None))
        out["onset_interval_h"] = [None if v is None else v / 3600.0 for v in (lo, hi)]
    return out


def analyse_upload(
    case_dir: Path, filename: str, content: bytes, channel: str | None
) -> dict[str, Any]:
    """Analyse an uploaded record with the case's telemetry section; InputError on bad input."""
    from breachkit._core.jsonable import jsonable
    from breachkit.telemetry.config import analyze_case

    suffix = Path(filename or "").suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            f"upload {filename!r}: not a telemetry file (expected {', '.join(sorted(_SUFFIXES))})"
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"upload {filename!r}: {len(content)} bytes, over the {MAX_UPLOAD_BYTES // 2**20} MiB limit"
        )
    if not content:
        raise InputError(f"upload {filename!r}: the file is empty")
    section = _telemetry_section(case_dir)
    section["file"] = f"upload{suffix}"
    section["synthetic"] = False
    section["source"] = f"uploaded file {filename}"
    if channel:
        section["channel"] = channel
    with tempfile.TemporaryDirectory(prefix="breachkit-upload-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        (folder / f"upload{suffix}").write_bytes(content)
        lines = ["[telemetry]"] + [f"{k} = {_toml_value(v)}" for k, v in section.items()]
        (folder / "case.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            analysis = analyze_case(folder)
        except InputError as exc:
            message = str(exc).replace(str(folder), filename).splitlines()[0]
            raise InputError(message) from None
        summary = jsonable(analysis.to_dict())
        summary["source"] = f"uploaded file {filename}"
        return {"summary": summary, "plot": _plot(analysis), "channel": section["channel"]}
