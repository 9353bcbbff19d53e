"""The telemetry stage: leak onset, hole size, signature and depletion."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import quantity
from breachkit.investigate.stages._common import _as_dict, _num, _pair


class TelemetryStage(Stage):
    """Leak onset, hole size, signature and Bayes factors (`breachkit.telemetry.analyze_case`)."""

    name = "telemetry"
    title = "Telemetry"
    part = "breachkit.telemetry"
    requires = ("telemetry",)

    def check(self, context: InvestigationContext) -> None:
        from breachkit._core.casefile import load_section
        from breachkit.telemetry import TelemetryConfig

        cfg = load_section(context.case, "telemetry", TelemetryConfig)
        assert cfg is not None
        context.case.resolve_path(cfg.file, field="[telemetry] file")

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.telemetry import analyze_case

        return analyze_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.telemetry.analyze_case; case.toml [telemetry]"
        sec = Section()
        tel = context.case.data.get("telemetry", {})
        if isinstance(tel, Mapping) and tel.get("synthetic"):
            sec.text.append(
                "The pressure record of this case is SYNTHETIC (case.toml [telemetry] synthetic = "
                "true): generated from the public figures, not measured. Its numbers test the "
                "method; they are not evidence about the incident."
            )
        sec.quantities["leak"] = quantity(
            bool(d.get("leak")),
            "1",
            src,
            label="leak found",
            note=f"Bayes factor leak : no leak = {format(_num(d.get('leak_bayes_factor')) or 0.0, '.3g')}",
        )
        sec.quantities["onset_utc"] = quantity(
            d.get("onset_utc"),
            "UTC",
            src,
            interval=_pair(d.get("onset_ci_utc")),
            level=0.95,
            label="leak onset",
        )
        sec.quantities["hole_diameter_m"] = quantity(
            _num(d.get("hole_diameter_m")),
            "m",
            src,
            interval=_pair(d.get("hole_diameter_ci_m")),
            level=0.95,
            label="equivalent hole diameter",
            note=f"sharp-edged orifice, discharge coefficient {d.get('discharge_coefficient')}",
        )
        sec.quantities["signature"] = quantity(d.get("signature"), "1", src, label="signature")
        sec.quantities["growing_bayes_factor"] = quantity(
            _num(d.get("growing_bayes_factor")),
            "1",
            src,
            label="Bayes factor growing : sudden hole",
        )
        sec.quantities["depletion_utc"] = quantity(
            d.get("depletion_utc"),
            "UTC",
            src,
            interval=_pair(d.get("depletion_ci_utc")),
            level=0.95,
            label="loop runs dry",
        )
        for line in d.get("evidence", []) or []:
            sec.text.append(str(line))
        plot = _telemetry_plot(result, src)
        if plot is not None:
            sec.plots.append(plot)
        return sec


def _telemetry_plot(result: Any, source: str, max_points: int = 1500) -> dict[str, Any] | None:
    """Pressure (bin means) and the leak fit against hours since the record's start."""
    import numpy as np

    fit = getattr(result, "fit", None)
    series = getattr(result, "series", None)
    curves = getattr(fit, "curves", None)
    if not curves or series is None or "t_s" not in curves:
        return None
    t = np.asarray(curves["t_s"], dtype=float)
    step = max(1, t.size // max_points)
    hours = (t[::step] / 3600.0).tolist()
    out = [{"label": "data (bin means)", "y": np.asarray(curves["y"])[::step].tolist()}]
    if "fit" in curves:
        out.append(
            {
                "label": f"leak fit ({result.signature})",
                "y": np.asarray(curves["fit"])[::step].tolist(),
            }
        )
    vlines = []
    onset_s = getattr(fit, "onset_s", None)
    if getattr(result, "leak", False) and onset_s is not None and math.isfinite(onset_s):
        vlines.append({"x": onset_s / 3600.0, "label": "onset"})
    start = getattr(series, "start", None)
    return {
        "title": f"{series.channel}: pressure record and leak fit",
        "kind": "line",
        "x": hours,
        "series": out,
        "vlines": vlines,
        "xlabel": f"hours since {start:%Y-%m-%d %H:%M:%S} UTC" if start else "hours",
        "ylabel": "pressure [Pa]"
        if getattr(series, "quantity", "") == "pressure"
        else "value [SI]",
        "source": source,
    }
