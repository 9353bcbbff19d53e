"""The default stages: each calls one part's public API and reports its headline numbers.

Order: environment → risk → telemetry → fleet → attribution → crew return. Each stage states the
case.toml sections it needs (its skip rule) and the part it calls; each reported number names that
call and the case section as its source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import quantity, table

__all__ = [
    "AttributionStage",
    "CrewReturnStage",
    "RiskStage",
    "TelemetryStage",
    "default_stages",
]


def _as_dict(result: Any) -> dict[str, Any]:
    return dict(result.to_dict()) if hasattr(result, "to_dict") else dict(result)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, Mapping):
        lo = value.get("low", value.get("lo", value.get("lower")))
        hi = value.get("high", value.get("hi", value.get("upper")))
        if lo is not None or hi is not None:
            return lo, hi
    return None


# ---------------------------------------------------------------------------------------------
class RiskStage(Stage):
    """Expected impacts and failures of the vehicle over its exposure (`breachkit.risk.run_case`)."""

    name = "risk"
    title = "Impact risk"
    part = "breachkit.risk"
    requires = ("vehicle",)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.risk import run_case

        return run_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.risk.run_case; case.toml [vehicle], [orbit], [exposure], [environment]"
        sec = Section()
        window = d.get("window")
        if window:
            sec.text.append(f"Headline window: {window}.")
        sec.quantities["expected_failures"] = quantity(
            _num(d.get("expected_failures")),
            "1",
            src,
            interval=_pair(d.get("interval")),
            label="expected failures (penetrations that cause the failure)",
            note="interval from the risk part's flux and ballistic-limit uncertainty factors",
        )
        sec.quantities["pnp"] = quantity(
            _num(d.get("pnp")),
            "1",
            src,
            interval=_pair(d.get("pnp_interval")),
            label="probability of no failure (PNP)",
        )
        dmin = _num(d.get("impact_min_diameter_m"))
        sec.quantities["expected_impacts"] = quantity(
            _num(d.get("expected_impacts")),
            "1",
            src,
            label="expected impacts"
            + (f" (particles ≥ {dmin * 1e6:.0f} µm)" if dmin is not None else ""),
        )
        windows = d.get("windows") or []
        if len(windows) > 1:
            sec.tables.append(
                table(
                    "Exposure windows",
                    ["window", "start", "end", "days", "expected failures", "PNP"],
                    [
                        [
                            w.get("label"),
                            w.get("start"),
                            w.get("end"),
                            (_num(w.get("duration_s")) or 0.0) / 86400.0,
                            _num(w.get("expected_failures")),
                            _num(w.get("pnp")),
                        ]
                        for w in windows
                    ],
                    src,
                )
            )
        breakdown = d.get("breakdown") or {}
        by_pop = breakdown.get("by_population") or {}
        if by_pop:
            sec.tables.append(
                table(
                    "By population",
                    ["population", "kind", "expected impacts", "expected failures", "model"],
                    [
                        [
                            n,
                            v.get("kind"),
                            _num(v.get("expected_impacts")),
                            _num(v.get("expected_failures")),
                            (d.get("population_sources") or {}).get(n),
                        ]
                        for n, v in by_pop.items()
                    ],
                    src,
                )
            )
        by_region = breakdown.get("by_region") or {}
        if by_region:
            sec.tables.append(
                table(
                    "By region",
                    ["region", "shield", "area [m²]", "expected impacts", "expected failures"],
                    [
                        [
                            n,
                            v.get("shield"),
                            _num(v.get("area_m2")),
                            _num(v.get("expected_impacts")),
                            _num(v.get("expected_failures")),
                        ]
                        for n, v in by_region.items()
                    ],
                    src,
                )
            )
            sec.plots.append(
                {
                    "title": "Expected failures by region",
                    "kind": "bar",
                    "x": list(by_region),
                    "series": [
                        {
                            "label": "expected failures",
                            "y": [_num(v.get("expected_failures")) for v in by_region.values()],
                        }
                    ],
                    "ylabel": "expected failures",
                    "source": src,
                }
            )
        risk_map = _risk_map(result, src)
        if risk_map is not None:
            sec.plots.append(risk_map)
        factors = d.get("uncertainty_factors") or {}
        for n, f in factors.items():
            if isinstance(f, Mapping):
                sec.assumptions.append(
                    f"Flux/ballistic-limit uncertainty of {n}: factor {f.get('low')} to "
                    f"{f.get('high')} ({f.get('source')})."
                )
        numerics = d.get("numerics") or {}
        if numerics:
            sec.assumptions.append(
                "Risk numerics: "
                + ", ".join(f"{k} = {v}" for k, v in numerics.items() if v is not None)
                + "."
            )
        return sec


def _risk_map(result: Any, source: str, max_points: int = 4000) -> dict[str, Any] | None:
    """A scatter of face centroids (side view, x–z) coloured by log10 failures per m²."""
    import numpy as np

    per_face = getattr(result, "per_face_table", None)
    if per_face is None:
        return None
    cols = per_face()
    if "centroid_x_m" not in cols or "failures_per_m2" not in cols:
        return None
    x = np.asarray(cols["centroid_x_m"], dtype=float)
    z = np.asarray(cols["centroid_z_m"], dtype=float)
    f = np.asarray(cols["failures_per_m2"], dtype=float)
    keep = np.isfinite(f) & (f > 0)
    if not keep.any():
        return None
    idx = np.flatnonzero(keep)
    if idx.size > max_points:
        idx = idx[np.linspace(0, idx.size - 1, max_points).astype(int)]
    return {
        "title": "Risk map: failures per m² by face (body frame, side view)",
        "kind": "scatter",
        "x": x[idx].tolist(),
        "series": [{"label": "faces", "y": (-z[idx]).tolist()}],
        "c": np.log10(f[idx]).tolist(),
        "clabel": "log10 expected failures per m²",
        "xlabel": "x [m]",
        "ylabel": "−z [m]",
        "source": source,
    }


class TelemetryStage(Stage):
    """Leak onset, hole size, signature and Bayes factor (`breachkit.telemetry.analyze_case`)."""

    name = "telemetry"
    title = "Telemetry"
    part = "breachkit.telemetry"
    requires = ("telemetry",)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.telemetry import analyze_case

        return analyze_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.telemetry.analyze_case; case.toml [telemetry]"
        sec = Section()
        ci = _pair(d.get("onset_ci_s"))
        sec.quantities["onset_utc"] = quantity(
            d.get("onset_utc"),
            "UTC",
            src,
            label="leak onset",
            note=(f"uncertainty {ci[0]} s to +{ci[1]} s" if ci else None),
        )
        sec.quantities["hole_diameter_m"] = quantity(
            _num(d.get("hole_diameter_m")),
            "m",
            src,
            interval=_pair(d.get("hole_diameter_ci_m")),
            label="equivalent hole diameter",
        )
        sec.quantities["signature"] = quantity(d.get("signature"), "1", src, label="signature")
        sec.quantities["bayes_factor"] = quantity(
            _num(d.get("bayes_factor")),
            "1",
            src,
            label="Bayes factor, sudden hole : growing defect",
        )
        sec.quantities["depletion_utc"] = quantity(
            d.get("depletion_utc"), "UTC", src, label="loop runs dry"
        )
        for a in d.get("assumptions", []) or []:
            sec.assumptions.append(str(a))
        return sec


class AttributionStage(Stage):
    """P(impact) vs P(defect) with each evidence's likelihood ratio (`attribute_case`)."""

    name = "attribution"
    title = "Attribution"
    part = "breachkit.attribution"
    requires = ("incident",)

    def inputs(self, context: InvestigationContext) -> dict[str, Any]:
        """The keyword arguments taken from earlier stages (None where a stage did not run)."""
        kwargs: dict[str, Any] = {}
        tele = context.result_of("telemetry")
        if tele is not None:
            kwargs["telemetry_bayes_factor"] = _num(_as_dict(tele).get("bayes_factor"))
        return kwargs

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.attribution import attribute_case

        return attribute_case(context.case_dir, **self.inputs(context))

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.attribution.attribute_case; case.toml [incident], [evidence]"
        sec = Section()
        sec.quantities["posterior_impact"] = quantity(
            _num(d.get("posterior_impact")), "1", src, label="P(impact)"
        )
        sec.quantities["posterior_defect"] = quantity(
            _num(d.get("posterior_defect")), "1", src, label="P(defect)"
        )
        evidence = []
        for ev in d.get("evidence", []) or []:
            evidence.append(
                {
                    "name": ev.get("name"),
                    "likelihood_ratio": _num(ev.get("likelihood_ratio")),
                    "sentence": ev.get("sentence") or ev.get("explanation"),
                    "source": ev.get("source") or src,
                }
            )
        sec.extra["evidence"] = evidence
        sec.extra["verdict"] = d.get("verdict") or d.get("sentence")
        return sec


class CrewReturnStage(Stage):
    """Ranked crew-return options and thermal peaks (`breachkit.ops.plan_case`)."""

    name = "crew_return"
    title = "Crew return"
    part = "breachkit.ops"
    requires = ("crew",)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.ops import plan_case

        return plan_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.ops.plan_case; case.toml [crew]"
        sec = Section()
        options = d.get("options", []) or []
        score_keys: list[str] = []
        for opt in options:
            for k, v in opt.items():
                if k not in ("name", "kind", "mission_length_days") and _num(v) is not None:
                    if k not in score_keys:
                        score_keys.append(k)
        rows = [
            [i + 1, o.get("name"), o.get("kind"), _num(o.get("mission_length_days"))]
            + [_num(o.get(k)) for k in score_keys]
            for i, o in enumerate(options)
        ]
        if rows:
            sec.tables.append(
                table(
                    "Options, best first",
                    ["rank", "option", "kind", "mission length [d]", *score_keys],
                    rows,
                    src,
                )
            )
        peaks = (d.get("thermal", {}) or {}).get("peak_cabin_temperature_c", {}) or {}
        if peaks:
            sec.tables.append(
                table(
                    "Peak cabin temperature on the way home without the external loop",
                    ["crew aboard", "peak cabin temperature [°C]"],
                    [[str(k), _num(v)] for k, v in peaks.items()],
                    src + " (ops.thermal descent-module model)",
                )
            )
        return sec


def default_stages() -> list[Stage]:
    """The investigation's stages in order."""
    return [RiskStage(), TelemetryStage(), AttributionStage(), CrewReturnStage()]
