"""The investigation report: a self-contained HTML file and results.json (presentation layer).

`write_report(result, out_dir)` writes ``report.html`` and ``results.json`` atomically (temporary
files in the same folder, then renamed); `render_html(results)` builds the HTML from the results
dictionary alone. No physics here, and no network: CSS is inline, plots are PNG data URIs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breachkit.investigate.provenance import jsonable
from breachkit.investigate.result import register_report_writer
from breachkit.report.atomic import write_files_atomically
from breachkit.report.html import render_html

__all__ = ["ReportPaths", "render_html", "write_report"]


@dataclass(frozen=True)
class ReportPaths:
    """Where the report went."""

    html: Path
    json: Path

    def to_dict(self) -> dict[str, str]:
        return {"report_html": str(self.html), "results_json": str(self.json)}


def write_report(result: Any, out_dir: str | Path) -> ReportPaths:
    """Write ``report.html`` and ``results.json`` for `result` into `out_dir`, atomically.

    Parameters
    ----------
    result
        An `InvestigationResult` (anything with ``to_dict()``) or its results dictionary.
    out_dir
        The output folder; created if needed. Both texts are rendered in memory first, so an error
        while rendering writes nothing; then both are written to temporary files and renamed.
    """
    results: Mapping[str, Any] = result.to_dict() if hasattr(result, "to_dict") else result
    results = jsonable(results)
    json_text = json.dumps(results, indent=2, allow_nan=False) + "\n"
    html_text = render_html(results)
    out = Path(out_dir)
    paths = ReportPaths(out / "report.html", out / "results.json")
    write_files_atomically({paths.json: json_text, paths.html: html_text})
    return paths


register_report_writer(write_report)
