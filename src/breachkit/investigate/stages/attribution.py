"""The attribution stage: P(impact) by evidence class from the joint fleet model of every leak of
the part (computed, + cited, + judgement), the fleet's check of the physics, the production-change
Bayes factor and the warnings (`breachkit.attribution.fleet_verdict.case_verdict`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import table
from breachkit.investigate.stages._common import _as_dict, _num
from breachkit.investigate.stages.risk import RISK_RATE_SOURCE, risk_rate, risk_rate_at_event


class AttributionStage(Stage):
    """P(impact) vs P(defect) with each evidence's likelihood ratio (`attribute_case`).

    Inputs taken from earlier stages (each named as the source of the evidence it feeds):

    * risk → ``impact_rate`` (failures per day of the evaluated regions, headline window) and
      ``impact_rate_at_event`` (the same in the shortest window ending at the incident);
    * telemetry → ``telemetry_bayes_factor`` = 1 / (Bayes factor growing : sudden), i.e. sudden :
      growing as the attribution part defines it; only when a leak was found;
    * environment → ``shower_flux_ratio`` and ``shower_reach_fraction`` of the case's
      ``[evidence.shower]``, passed only when the risk gives no rate at the event (the
      attribution then weighs `ShowerTiming` instead of `ImpactTiming`).
    """

    name = "attribution"
    title = "Attribution"
    part = "breachkit.attribution"
    requires = ("incident", "evidence", "attribution")
    #: Weigh evidence built on SYNTHETIC data (a what-if, `breachkit investigate --what-if`).
    what_if = False

    def inputs(self, context: InvestigationContext) -> dict[str, Any]:
        """The keyword arguments taken from earlier stages (absent where a stage did not run)."""
        kwargs: dict[str, Any] = {}
        self.input_sources: dict[str, str] = {}
        tele = context.result_of("telemetry")
        if tele is not None:
            td = _as_dict(tele)
            gbf = _num(td.get("growing_bayes_factor"))
            if td.get("leak") and gbf is not None and gbf > 0:
                kwargs["telemetry_bayes_factor"] = 1.0 / gbf
                self.input_sources["telemetry_bayes_factor"] = (
                    "1 / (Bayes factor growing : sudden) from breachkit.telemetry.analyze_case"
                )
                kwargs["telemetry_synthetic"] = _synthetic(context, td)
                if self.what_if:
                    kwargs["what_if"] = True
        risk = context.result_of("risk")
        if risk is not None:
            from breachkit._core.casefile import load_section
            from breachkit._core.timeutil import parse_utc
            from breachkit.attribution import RatePrior
            from breachkit.attribution.config import IncidentSection

            r = risk_rate(risk)
            if r is not None:
                kwargs["impact_rate"] = RatePrior(*r, source=RISK_RATE_SOURCE)
                self.input_sources["impact_rate"] = RISK_RATE_SOURCE
            inc = load_section(context.case, "incident", IncidentSection)
            assert inc is not None
            at_event = risk_rate_at_event(risk, parse_utc(inc.time_utc))
            if at_event is not None and r is not None:
                kwargs["impact_rate_at_event"] = at_event[1]
                self.input_sources["impact_rate_at_event"] = (
                    f"breachkit.risk window {at_event[0]!r} ending at the incident "
                    "(showers, attitude and shadowing of that moment)"
                )
        env = context.result_of("environment")
        shower_name = (
            ((context.case.data.get("evidence") or {}).get("shower") or {}).get("name")
            if isinstance(context.case.data.get("evidence"), Mapping)
            else None
        )
        if env is not None and shower_name and "impact_rate_at_event" not in kwargs:
            sh = env.shower(str(shower_name))
            if sh is not None and sh.reach_fraction is not None:
                kwargs["shower_reach_fraction"] = sh.reach_fraction
                kwargs["shower_flux_ratio"] = sh.flux_ratio_by_size["0.3 mm"]
                self.input_sources["shower_reach_fraction"] = (
                    "environment stage: reach of the damaged region by the radiant"
                )
                self.input_sources["shower_flux_ratio"] = (
                    "environment stage: shower : sporadic flux above 0.3 mm at the incident"
                )
        return kwargs

    def check(self, context: InvestigationContext) -> None:
        from breachkit.attribution import load_attribution_case

        load_attribution_case(context.case_dir)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.attribution import case_verdict

        kwargs = self.inputs(context)
        src = self.input_sources.get("impact_rate")
        return case_verdict(context.case_dir, rate_source=src, **kwargs)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        from breachkit.investigate.stages._verdict_section import verdict_section

        sec = verdict_section(_as_dict(result))
        used = getattr(self, "input_sources", {})
        if used:
            sec.tables.append(
                table(
                    "Inputs taken from earlier stages",
                    ["argument", "taken from"],
                    [[k, v] for k, v in used.items()],
                    "investigation pipeline (earlier stages of this run)",
                )
            )
        return sec


def _synthetic(context: InvestigationContext, telemetry: Mapping[str, Any]) -> bool:
    """True when the telemetry series is synthetic (the telemetry result's flag, or case.toml
    [telemetry] synthetic = true)."""
    if telemetry.get("synthetic") is not None:
        return bool(telemetry.get("synthetic"))
    tel = context.case.data.get("telemetry")
    return bool(isinstance(tel, Mapping) and tel.get("synthetic"))
