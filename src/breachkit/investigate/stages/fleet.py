"""The fleet stage: exposure, clustering and production-change statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import jsonable, quantity, table
from breachkit.investigate.stages._common import _num
from breachkit.investigate.stages.risk import RISK_RATE_SOURCE, risk_rate


class FleetStage(Stage):
    """Cluster significance and the production-change posterior (`breachkit.fleet`).

    The fleet's radiator penetration rate per docked day comes from the risk stage when it ran,
    otherwise from the case's ``[attribution] impact_rate`` (the attribution part's model).
    """

    name = "fleet"
    title = "Fleet statistics"
    part = "breachkit.fleet"
    requires = ("incident",)
    seed = 20221215
    n_sim = 200_000

    def skip_reason(self, context: InvestigationContext) -> Any:
        base = super().skip_reason(context)
        if base is not None:
            return base
        if context.result_of("risk") is None and not context.case.has("attribution"):
            return (
                "not_in_case",
                "not in this case: no impact rate (the risk stage did not run and case.toml "
                "has no [attribution] impact_rate)",
            )
        return None

    def rate(self, context: InvestigationContext) -> tuple[tuple[float, float, float], str]:
        risk = context.result_of("risk")
        if risk is not None:
            r = risk_rate(risk)
            if r is not None:
                return r, RISK_RATE_SOURCE
        from breachkit.attribution import load_attribution_case

        _, _, _, at = load_attribution_case(context.case_dir)
        if at.impact_rate is None:
            from breachkit._core.errors import InputError

            raise InputError("case.toml: [attribution] impact_rate is missing")
        ir = at.impact_rate
        return (ir.mean_per_day, ir.lo_per_day, ir.hi_per_day), (
            f"case.toml [attribution] impact_rate: {ir.source}"
        )

    def leaks(self, context: InvestigationContext) -> tuple[list[Any], str]:
        """The fleet record's leaks of the case's part (the case's [incident] system, or
        [attribution.fleet] part_keywords), within the case's fleet series; and a description."""
        from breachkit.attribution import load_attribution_case
        from breachkit.attribution.case import _bundled_fleet
        from breachkit.fleet.flighttable import part_leaks

        _, inc, _, at = load_attribution_case(context.case_dir)
        db = _bundled_fleet()
        series = set(at.fleet.series or at.defect_rate.series)
        fleet_vehicles = {f.vehicle.name for f in db.flights() if f.vehicle.design_series in series}
        found, kws = part_leaks(db, system=inc.system, keywords=at.fleet.part_keywords or None)
        leaks = [x for x in found if x.vehicle in fleet_vehicles]
        text = (f"incidents of the fleet record whose system names {kws} on {sorted(series)} "
                f"vehicles: {', '.join(x.key for x in leaks) or 'none'}")  # fmt: skip
        return leaks, text

    def run(self, context: InvestigationContext) -> Any:
        import numpy as np

        from breachkit.fleet.analysis import fleet_summary

        rate, source = self.rate(context)
        leaks, text = self.leaks(context)
        if len(leaks) < 2:
            return FleetStageResult(
                {"skipped": f"fewer than two leaks of the part, no cluster to test ({text}); the "
                 "joint model in the attribution section uses the fleet's counts"}, rate, source,
            )  # fmt: skip
        window = (
            (leaks[-1].time - leaks[0].time).total_seconds() / 86400.0 if len(leaks) > 1 else 0.0
        )
        summary = fleet_summary(
            rate, rng=np.random.default_rng(self.seed), n_sim=self.n_sim,
            events_utc=[x.time.isoformat() for x in leaks], window_days=max(window, 1.0),
        )  # fmt: skip
        summary["sources"]["events"] = text
        summary.pop("production_change", None)
        summary.pop("production_change_probability", None)
        return FleetStageResult(summary, rate, source)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = result.summary
        if "skipped" in d:
            sec = Section()
            sec.text.append(str(d["skipped"]))
            return sec
        sources = d.get("sources", {})
        base = (
            "breachkit.fleet.analysis.fleet_summary on the bundled fleet records "
            f"({sources.get('fleet', 'fleet.csv')}; events: {sources.get('events', '')}); "
            f"radiator penetration rate from {result.rate_source}"
        )
        sec = Section()
        sec.text.append(
            f"The fleet statistics concern the leaks of this case's part ({sources.get('events')}) "
            "under the impact-only hypothesis at the rate below; the joint model of impacts and "
            "defects, its check of the risk engine (factor k) and the production-change Bayes "
            "factor are in the attribution section."
        )
        mean, lo, hi = result.rate
        sec.quantities["rate_per_day"] = quantity(
            mean,
            "d⁻¹",
            result.rate_source,
            interval=(lo, hi),
            label="radiator penetrations per docked day (used for every flight)",
        )
        cl = d.get("cluster", {}) or {}
        sec.quantities["cluster_p_value"] = quantity(
            _num(d.get("cluster_p_value")),
            "1",
            base,
            label=(
                f"P(≥ {cl.get('k_in_window', 2)} coolant-loop penetrations within "
                f"{format(_num(cl.get('window_days')) or 58.0, 'g')} days) under impacts only"
            ),
            note=f"scan statistic, Monte Carlo with {cl.get('n_sim')} histories at the mean rate",
        )
        sec.quantities["cluster_p_value_given_n"] = quantity(
            _num(d.get("cluster_p_value_given_n")),
            "1",
            base,
            label="the same, given the observed number of events (bunching only)",
        )
        sec.quantities["count_p_value"] = quantity(
            _num(d.get("count_p_value")),
            "1",
            base,
            label="P(N ≥ observed leaks) in the fleet, rate uncertain",
        )
        sec.quantities["count_cdf"] = quantity(
            _num(d.get("count_cdf")),
            "1",
            base,
            label="P(N ≤ observed leaks) in the fleet: is the rate compatible with so few?",
            note="a small value says the rate predicts more penetrations than the fleet had",
        )
        ex = d.get("exposure", {}) or {}
        if ex:
            by = ex.get("by_series_days", {}) or {}
            sec.quantities["fleet_docked_vehicle_days"] = quantity(
                _num(ex.get("total_days")),
                "d",
                "breachkit fleet record (fleet.csv, one row per docking, each with its source); "
                "breachkit.fleet.exposure.docked_vehicle_days",
                label=(
                    f"docked vehicle-days of the fleet {str(ex.get('since', ''))[:10]} → "
                    f"{str(ex.get('until', ''))[:10]} (the denominator of every fleet number)"
                ),
                note="; ".join(f"{k}: {format(_num(v) or 0.0, '.0f')} d" for k, v in by.items()),
            )
        if cl:
            exp = cl.get("expected") or [None, None, None]
            sec.tables.append(
                table(
                    "Cluster under the impact-only hypothesis",
                    ["quantity", "value"],
                    [
                        ["events", cl.get("n_events")],
                        ["flights", cl.get("n_flights")],
                        ["expected penetrations (mean)", _num(exp[0])],
                        ["expected penetrations (low)", _num(exp[1])],
                        ["expected penetrations (high)", _num(exp[2])],
                        ["scan p-value at the high rate", _num(cl.get("scan_pvalue_hi"))],
                        ["P(N ≤ observed)", _num(cl.get("count_cdf_uncertain"))],
                    ],
                    base,
                )
            )
        return sec


@dataclass
class FleetStageResult:
    """`fleet_summary`'s dictionary with the rate it was given and where that rate came from."""

    summary: dict[str, Any]
    rate: tuple[float, float, float]
    rate_source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate_per_day": list(self.rate),
            "rate_source": self.rate_source,
            **jsonable(self.summary),
        }
