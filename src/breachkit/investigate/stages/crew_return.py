"""The crew-return stage: the options for a damaged vehicle."""

from __future__ import annotations

from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import jsonable, quantity, table
from breachkit.investigate.stages._common import _as_dict, _num


class CrewReturnStage(Stage):
    """Ranked crew-return options and thermal peaks (`breachkit.ops.plan_case`)."""

    name = "crew_return"
    title = "Crew return"
    part = "breachkit.ops"
    requires = ("ops",)

    def check(self, context: InvestigationContext) -> None:
        from breachkit.ops import load_ops

        load_ops(context.case)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.ops import plan_case

        return plan_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = jsonable(_as_dict(result))
        src = "breachkit.ops.plan_case; case.toml [ops]"
        sec = Section()
        sec.text.append(
            f"Situation {d.get('situation_utc')}: {d.get('damaged_vehicle')} lost its "
            f"{d.get('damage_system')}."
        )
        options = d.get("options", []) or []
        rows = []
        for o in options:
            sc = o.get("scores", {}) or {}
            rows.append(
                [
                    o.get("rank"),
                    o.get("name"),
                    o.get("kind"),
                    (o.get("return_utc") or "")[:10] or None,
                    _num(o.get("mission_length_days")),
                    _num(sc.get("thermal_risk")),
                    _num(sc.get("total_crew_days_without_assured_ride")),
                    _num(sc.get("emergency_probability")),
                    sc.get("certified_life_violation_count"),
                    _num(sc.get("risk_index")) if o.get("feasible") else "infeasible",
                ]
            )
        if rows:
            sec.tables.append(
                table(
                    "Options, best first",
                    [
                        "rank",
                        "option",
                        "kind",
                        "crew home",
                        "mission length [d]",
                        "thermal risk",
                        "crew-days without an assured ride",
                        "P(emergency return needed during the wait)",
                        "certified-life violations",
                        "risk index",
                    ],
                    rows,
                    src,
                )
            )
            best = options[0]
            sec.quantities["best_mission_length_days"] = quantity(
                _num(best.get("mission_length_days")),
                "d",
                src,
                label=f"mission length of the best option ({best.get('kind')})",
            )
            for a in best.get("actions", []) or []:
                sec.text.append(f"Best option: {a}.")
        th = d.get("thermal", {}) or {}
        peaks = th.get("peak_cabin_temperature_c", {}) or {}
        # the lumped model is the Soyuz descent module after losing its external loop: shown
        # only where that damage applies (not, say, for a Starliner thruster case)
        if peaks and th.get("applies"):
            rh = th.get("peak_relative_humidity", {}) or {}
            wb = th.get("peak_wet_bulb_c", {}) or {}
            sec.tables.append(
                table(
                    "Descent module without the external loop: peaks from undocking to landing",
                    [
                        "crew aboard",
                        "peak cabin air [°C]",
                        "peak relative humidity",
                        "peak wet bulb [°C]",
                    ],
                    [[str(k), _num(v), _num(rh.get(k)), _num(wb.get(k))] for k, v in peaks.items()],
                    src + " (breachkit.ops.thermal lumped model)",
                    note=(
                        f"design cabin maximum {th.get('design_cabin_max_c')} °C; emergency limit "
                        f"{th.get('emergency_cabin_limit_c')} °C"
                    ),
                )
            )
            if th.get("calibration"):
                sec.assumptions.append(f"Crew-return thermal model: {th['calibration']}")
        if d.get("emergency_rate_basis"):
            sec.assumptions.append(
                f"Emergency-return rate {format(_num(d.get('emergency_rate_per_year')) or 0.0, '.3g')}"
                f" per year: {d['emergency_rate_basis']}"
            )
        return sec
