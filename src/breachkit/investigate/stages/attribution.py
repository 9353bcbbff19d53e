"""The attribution stage: P(impact) against P(defect) from the evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import quantity, table
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
        from breachkit.attribution import attribute_case

        return attribute_case(context.case_dir, **self.inputs(context))

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = (
            "breachkit.attribution.attribute_case; case.toml [incident], [evidence], [attribution]"
        )
        sec = Section()
        sec.quantities["posterior_impact"] = quantity(
            _num(d.get("posterior_impact")), "1", src, label="P(impact)"
        )
        sec.quantities["posterior_defect"] = quantity(
            _num(d.get("posterior_defect")), "1", src, label="P(defect)"
        )
        for h, p in (d.get("posterior") or {}).items():
            if h not in ("impact", "defect"):
                sec.quantities[f"posterior_{h}"] = quantity(_num(p), "1", src, label=f"P({h})")
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
        label = d.get("verdict") or d.get("sentence")
        sec.extra["verdict"] = label
        pi, pd = _num(d.get("posterior_impact")), _num(d.get("posterior_defect"))
        if label is not None and pi is not None and pd is not None:
            n = len(evidence)
            basis = (
                f"{n} piece{'s' if n != 1 else ''} of evidence and the prior rates of the causes"
                if n
                else "the prior rates of the causes alone (no evidence recorded)"
            )
            sec.extra["verdict_sentence"] = (
                f"Verdict: {label}. P(impact) = {pi:.3g}, P(defect) = {pd:.3g}, from {basis} "
                "(breachkit.attribution)."
            )
        used = getattr(self, "input_sources", {})
        if used:
            sec.tables.append(
                table(
                    "Inputs taken from earlier stages",
                    ["argument of attribute_case", "taken from"],
                    [[k, v] for k, v in used.items()],
                    "breachkit.investigate.stages.AttributionStage.inputs",
                )
            )
        rates = d.get("rates") or {}
        if rates:
            sec.tables.append(
                table(
                    "Prior rates per day of exposure",
                    ["cause", "mean [d⁻¹]", "low [d⁻¹]", "high [d⁻¹]", "source"],
                    [
                        [
                            h,
                            _num(r.get("mean")),
                            _num(r.get("lo")),
                            _num(r.get("hi")),
                            r.get("source"),
                        ]
                        for h, r in rates.items()
                        if isinstance(r, Mapping)
                    ],
                    src,
                )
            )
        sens = d.get("sensitivity") or []
        if sens:
            sec.tables.append(
                table(
                    "Sensitivity: P(impact) when each uncertain input goes to the ends of its range",
                    ["input", "low", "P(impact) at low", "high", "P(impact) at high"],
                    [
                        [
                            r.get("input"),
                            r.get("low"),
                            _num(r.get("posterior_impact_low")),
                            r.get("high"),
                            _num(r.get("posterior_impact_high")),
                        ]
                        for r in sens
                    ],
                    src,
                )
            )
        for n in d.get("notes", []) or []:
            sec.assumptions.append(f"Attribution: {n}")
        return sec
