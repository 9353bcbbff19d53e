"""Crew-return options planner: lay out and weigh what to do when a crew's vehicle is damaged.

Options (each an `Option`):

* ``return_damaged``: the damaged vehicle's crew ride it home after `return_preparation_days`;
* ``uncrewed_replacement``: the crew wait, with the damaged vehicle as their lifeboat, for a
  replacement that brings empty seats (launched uncrewed, or crewed with seats left empty), and ride
  it home at its planned departure (or at the end of its certified docked life);
* ``redistribute``: as above, plus an interim redistribution: the fewest seat liners (non-pilots
  first) move to a healthy docked vehicle with spare (contingency) capacity so that the damaged
  vehicle's emergency load becomes acceptable, with a cargo swap for the centre of mass.

Scores: the planned-return risk (the thermal score of the damaged descent module for its crew
count, or the given crewed-return risk for a non-thermal failure); crew-days without an assured
ride home; the probability that an emergency return is needed during the wait (Poisson,
``1 - exp(-λ t)``); certified-life violations; mission length. Ranking is lexicographic and
explained in each option: (1) feasible, (2) planned return within its limit, (3) fewest crew-days
without an assured ride, (4) lowest risk index (emergency exposure + extension burden + planned
return risk), (5) shortest mission.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from breachkit._core.casefile import read_case
from breachkit._core.units import JULIAN_YEAR
from breachkit.ops.config import OpsConfig, ReplacementConfig, VehicleConfig, load_ops
from breachkit.ops.thermal import DEFAULT_PARAMETERS, ThermalRun, peak_by_crew

__all__ = [
    "CrewReturnPlan",
    "Option",
    "emergency_probability",
    "jeffreys_rate",
    "plan",
    "plan_case",
]

DAY_S = 86400.0


def jeffreys_rate(events: int, exposure_years: float) -> float:
    """Posterior-mean Poisson rate with a Jeffreys prior, (k + ½) / T [yr⁻¹].

    With zero events in T years this is 0.5/T: the standard objective estimate for a rate that has
    not yet been observed (Jeffreys prior Gamma(½, 0) for a Poisson rate; e.g. Gelman et al.,
    Bayesian Data Analysis, 3rd ed., 2013, §2.6).
    """
    if exposure_years <= 0:
        raise ValueError("exposure_years must be > 0")
    return (events + 0.5) / exposure_years


def emergency_probability(rate_per_year: float, days: float) -> float:
    """P(at least one emergency return in `days`) = 1 − exp(−λ t) for a Poisson process [-]."""
    return 1.0 - math.exp(-rate_per_year * max(days, 0.0) / 365.25)


@dataclass
class Option:
    """One crew-return option with its scores and the reasons for its rank."""

    name: str
    kind: str
    return_utc: datetime
    mission_length_days: float
    feasible: bool = True
    infeasible_reason: str = ""
    replacement: dict[str, Any] | None = None
    moves: list[dict[str, str]] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    return_vehicle: str = ""
    damaged_vehicle_returns_crew: int = 0
    return_risk: float = 0.0
    return_risk_limit: float = 1.0
    thermal_risk: float | None = None
    planned_return_acceptable: bool = True
    crew_days_without_assured_ride: dict[str, float] = field(default_factory=dict)
    wait_days: float = 0.0
    emergency_probability: float = 0.0
    emergency_risk: float = 0.0
    extension_crew_years: float = 0.0
    certified_life_violations: list[dict[str, Any]] = field(default_factory=list)
    risk_index: float = 0.0
    rank: int = 0
    explanation: str = ""

    @property
    def total_unassured_crew_days(self) -> float:
        return float(sum(self.crew_days_without_assured_ride.values()))

    def sort_key(self) -> tuple[Any, ...]:
        return (
            not self.feasible,
            not self.planned_return_acceptable,
            round(self.total_unassured_crew_days, 6),
            self.risk_index,
            self.mission_length_days,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "name": self.name,
            "kind": self.kind,
            "feasible": self.feasible,
            "infeasible_reason": self.infeasible_reason,
            "return_vehicle": self.return_vehicle,
            "return_utc": self.return_utc,
            "mission_length_days": self.mission_length_days,
            "replacement": self.replacement,
            "moves": self.moves,
            "actions": self.actions,
            "scores": {
                "return_risk": self.return_risk,
                "return_risk_limit": self.return_risk_limit,
                "thermal_risk": self.thermal_risk,
                "planned_return_acceptable": self.planned_return_acceptable,
                "crew_days_without_assured_ride": self.crew_days_without_assured_ride,
                "total_crew_days_without_assured_ride": self.total_unassured_crew_days,
                "wait_days": self.wait_days,
                "emergency_probability": self.emergency_probability,
                "emergency_risk": self.emergency_risk,
                "extension_crew_years": self.extension_crew_years,
                "certified_life_violations": self.certified_life_violations,
                "certified_life_violation_count": len(self.certified_life_violations),
                "risk_index": self.risk_index,
            },
            "explanation": self.explanation,
        }


@dataclass
class CrewReturnPlan:
    """The ranked options and the thermal analysis behind them."""

    case: str
    situation_utc: datetime
    damaged_vehicle: str
    damage_system: str
    options: list[Option]
    thermal: dict[str, Any]
    emergency_rate_per_year: float
    emergency_rate_basis: str
    crew: list[dict[str, Any]]
    vehicles: list[dict[str, Any]]
    runs: dict[int, ThermalRun] = field(default_factory=dict, repr=False)

    @property
    def best(self) -> Option:
        return self.options[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "situation_utc": self.situation_utc,
            "damaged_vehicle": self.damaged_vehicle,
            "damage_system": self.damage_system,
            "emergency_rate_per_year": self.emergency_rate_per_year,
            "emergency_rate_basis": self.emergency_rate_basis,
            "options": [o.to_dict() for o in self.options],
            "thermal": self.thermal,
            "crew": self.crew,
            "vehicles": self.vehicles,
        }

    def _rows(self) -> list[list[str]]:
        rows = []
        for o in self.options:
            rows.append(
                [
                    str(o.rank),
                    o.name,
                    o.kind,
                    o.return_utc.date().isoformat(),
                    f"{o.mission_length_days:.0f}",
                    f"{o.return_risk:.3g}/{o.return_risk_limit:.3g}",
                    f"{o.total_unassured_crew_days:.0f}",
                    f"{o.emergency_probability:.2%}",
                    str(len(o.certified_life_violations)),
                    f"{o.risk_index:.4f}" if o.feasible else "infeasible",
                ]
            )
        return rows

    _HEAD = (
        "#",
        "option",
        "kind",
        "crew home",
        "mission d",
        "return risk/limit",
        "crew-days no ride",
        "P(emergency)",
        "cert. viol.",
        "risk index",
    )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
            for r in self._rows()
        )
        peaks = self.thermal.get("peak_cabin_temperature_c", {})
        tp = ", ".join(f"{k} crew {v:.1f} °C" for k, v in peaks.items())
        if not self.thermal.get("applies"):
            tp = "not applicable (the cooling loop works); " + tp
        return (
            f"<div><h4>Crew return: {html.escape(self.damaged_vehicle)} "
            f"({html.escape(self.damage_system)}), {self.situation_utc.date()}</h4>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p>Peak cabin temperature without the external loop: {html.escape(tp)}</p>"
            f"<p>{html.escape(self.best.explanation)}</p></div>"
        )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(
            title=f"Crew return options: {self.damaged_vehicle} ({self.damage_system}), "
            f"situation {self.situation_utc.date()}"
        )
        for h in self._HEAD:
            t.add_column(h)
        for r in self._rows():
            t.add_row(*r)
        peaks = self.thermal.get("peak_cabin_temperature_c", {})
        lines: list[Any] = [t]
        if peaks and self.thermal.get("applies"):
            lines.append(
                Text(
                    "Peak cabin temperature without the external loop: "
                    + ", ".join(f"{k} crew {v:.1f} °C" for k, v in peaks.items())
                )
            )
        lines.append(Text("Recommended: " + self.best.explanation))
        return Group(*lines)


def _days(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / DAY_S


class _Ctx:
    def __init__(self, cfg: OpsConfig, runs: dict[int, ThermalRun]) -> None:
        self.cfg = cfg
        self.sc = cfg.scoring
        self.vehicles = {v.name: v for v in cfg.vehicles}
        self.damaged = self.vehicles[cfg.damage.vehicle]
        self.crew = [c for c in cfg.crew if c.vehicle == self.damaged.name]
        self.runs = runs
        st = cfg.station
        if st.emergency_rate_per_year is not None:
            self.rate = st.emergency_rate_per_year
            self.rate_basis = f"given in [ops.station] ({st.source})"
        else:
            years = _days(st.crewed_since_utc, cfg.situation_utc) / 365.25
            self.rate = jeffreys_rate(st.emergency_returns_to_date, years)
            self.rate_basis = (
                f"Jeffreys estimate ({st.emergency_returns_to_date} + 0.5) / {years:.1f} yr of "
                f"continuous crewing of {st.name} since {st.crewed_since_utc.date()}"
            )

    def vehicle_risk(self, n: int, *, planned: bool = False) -> tuple[float, float, float | None]:
        """(risk, limit, thermal_risk) of the damaged vehicle carrying n crew.

        Thermal: the score (T_peak − design max) / (limit − design max) against 1, with the
        planned-return cabin limit for a planned return and the emergency limit for a lifeboat.
        """
        d = self.cfg.damage
        if n == 0:
            return 0.0, 1.0, None
        if d.system == "propulsion":
            assert d.crewed_return_risk is not None
            return d.crewed_return_risk, self.sc.acceptable_return_risk, None
        peak = self.runs[n].peak_air_temperature_c
        limit = self.sc.planned_return_cabin_limit_c if planned else self.sc.emergency_cabin_limit_c
        score = max(peak - self.sc.design_cabin_max_c, 0.0) / (limit - self.sc.design_cabin_max_c)
        return score, 1.0, score

    def lifeboat_ok(self, v: VehicleConfig, t: datetime, load: int) -> bool:
        if t > v.docked_utc + timedelta(days=v.certified_docked_life_days):
            return False
        if t > v.planned_undock_utc and v.name != self.damaged.name:
            return False
        if v.name == self.damaged.name:
            risk, limit, _ = self.vehicle_risk(load)
            return risk <= limit
        return True

    def severity(self, v: VehicleConfig, t: datetime, load: int) -> float:
        if not self.lifeboat_ok(v, t, load):
            return 1.0
        if v.name == self.damaged.name:
            risk, limit, _ = self.vehicle_risk(load)
            return min(risk / limit, 1.0)
        return 0.0


def _exposure(
    ctx: _Ctx,
    segments: list[tuple[datetime, datetime, dict[str, str]]],
    opt: Option,
) -> None:
    """Fill unassured crew-days and emergency risk over lifeboat segments (start, end, crew→veh)."""
    unassured = {c.name: 0.0 for c in ctx.crew}
    risk = 0.0
    for start, end, where in segments:
        if end <= start:
            continue
        # evaluate day by day so certified-life limits inside a segment are caught
        t = start
        while t < end:
            nxt = min(t + timedelta(days=1), end)
            dt = _days(t, nxt)
            p = emergency_probability(ctx.rate, dt)
            for c in ctx.crew:
                v = ctx.vehicles[where[c.name]]
                load = sum(1 for x in ctx.crew if where[x.name] == v.name)
                if not ctx.lifeboat_ok(v, nxt, load):
                    unassured[c.name] += dt
                risk += p * ctx.severity(v, nxt, load) / max(len(ctx.crew), 1)
            t = nxt
    opt.crew_days_without_assured_ride = unassured
    opt.emergency_risk = risk


def _finish(ctx: _Ctx, opt: Option, wait_end: datetime) -> None:
    sit = ctx.cfg.situation_utc
    opt.wait_days = max(_days(sit, wait_end), 0.0)
    opt.emergency_probability = emergency_probability(ctx.rate, opt.wait_days)
    lengths = [_days(c.launch_utc, opt.return_utc) for c in ctx.crew]
    planned = [_days(c.launch_utc, ctx.damaged.planned_undock_utc) for c in ctx.crew]
    opt.mission_length_days = max(lengths) if lengths else 0.0
    opt.extension_crew_years = sum(
        max(a - b, 0.0) for a, b in zip(lengths, planned, strict=True)
    ) / (JULIAN_YEAR / DAY_S)
    opt.planned_return_acceptable = opt.return_risk <= opt.return_risk_limit
    planned_term = opt.return_risk / opt.return_risk_limit * ctx.sc.acceptable_return_risk
    opt.risk_index = (
        opt.emergency_risk
        + ctx.sc.extension_weight_per_crew_year * opt.extension_crew_years
        + planned_term
    )


def _replacement_dates(ctx: _Ctx, r: ReplacementConfig) -> tuple[datetime, datetime, datetime]:
    if r.earliest_launch_utc is not None:
        launch = r.earliest_launch_utc
    else:
        assert r.nominal_launch_utc is not None
        launch = r.nominal_launch_utc - timedelta(days=r.max_acceleration_days)
    launch = max(launch, ctx.cfg.situation_utc)
    dock = launch + timedelta(days=r.launch_to_dock_days)
    ret = r.planned_undock_utc or dock + timedelta(days=r.certified_docked_life_days)
    return launch, dock, ret


def _return_damaged(ctx: _Ctx) -> Option:
    sit = ctx.cfg.situation_utc
    ret = sit + timedelta(days=ctx.sc.return_preparation_days)
    n = len(ctx.crew)
    risk, limit, thermal = ctx.vehicle_risk(n, planned=True)
    opt = Option(
        name=f"Return in {ctx.damaged.name} with {n} crew",
        kind="return_damaged",
        return_utc=ret,
        mission_length_days=0.0,
        return_vehicle=ctx.damaged.name,
        damaged_vehicle_returns_crew=n,
        return_risk=risk,
        return_risk_limit=limit,
        thermal_risk=thermal,
        actions=[f"{', '.join(c.name for c in ctx.crew)} land in {ctx.damaged.name}"],
    )
    end_life = ctx.damaged.docked_utc + timedelta(days=ctx.damaged.certified_docked_life_days)
    if ret > end_life:
        opt.certified_life_violations.append(
            {"vehicle": ctx.damaged.name, "days_over": _days(end_life, ret)}
        )
    where = {c.name: ctx.damaged.name for c in ctx.crew}
    _exposure(ctx, [(sit, ret, where)], opt)
    _finish(ctx, opt, ret)
    return opt


def _plan_moves(ctx: _Ctx) -> tuple[list[str], VehicleConfig | None, str]:
    """Who moves (fewest, non-pilots first) and to which host; reason if impossible."""
    order = sorted(ctx.crew, key=lambda c: (c.pilot, c.name))
    n = len(ctx.crew)
    k_needed = None
    for k in range(0, n + 1):
        stay = n - k
        if stay == 0 and not ctx.damaged.can_fly_uncrewed:
            continue
        if stay > 0 and sum(1 for c in order[k:] if c.pilot) == 0 and k < n:
            continue
        risk, limit, _ = ctx.vehicle_risk(stay)
        if risk <= limit:
            k_needed = k
            break
    if k_needed is None:
        return [], None, "no crew count makes the damaged vehicle an acceptable lifeboat"
    if k_needed == 0:
        return [], None, "no redistribution needed: the damaged vehicle is acceptable as it is"
    movers = [c.name for c in order[:k_needed]]
    sit = ctx.cfg.situation_utc
    hosts = []
    for v in ctx.cfg.vehicles:
        if v.name == ctx.damaged.name:
            continue
        spare = v.seats + v.contingency_seats - len(v.seat_liners)
        if spare >= k_needed and ctx.lifeboat_ok(v, sit, 0):
            hosts.append((-spare, v.planned_undock_utc, v.name, v))
    if not hosts:
        return movers, None, f"no healthy docked vehicle has {k_needed} spare seat(s)"
    hosts.sort(key=lambda x: (x[0], -x[1].timestamp(), x[2]))
    return movers, hosts[0][3], ""


def _wait_option(ctx: _Ctx, r: ReplacementConfig, redistribute: bool) -> Option:
    sit = ctx.cfg.situation_utc
    launch, dock, ret = _replacement_dates(ctx, r)
    n = len(ctx.crew)
    how = "launched uncrewed" if r.uncrewed else f"with {r.empty_seats} seats flown empty"
    opt = Option(
        name=f"Wait for {r.name} ({how})",
        kind="uncrewed_replacement",
        return_utc=ret,
        mission_length_days=0.0,
        return_vehicle=r.name,
        replacement={
            "name": r.name,
            "launch_utc": launch,
            "dock_utc": dock,
            "undock_utc": ret,
            "empty_seats": r.empty_seats,
            "uncrewed": r.uncrewed,
        },
        actions=[
            f"{r.name} launches {launch.date()} ({how}), docks {dock.date()}",
            f"{', '.join(c.name for c in ctx.crew)} move their seat liners to {r.name} and land "
            f"in it on {ret.date()}",
            f"{ctx.damaged.name} lands uncrewed",
        ],
    )
    if r.empty_seats < n:
        opt.feasible = False
        opt.infeasible_reason = f"{r.name} brings {r.empty_seats} empty seats for {n} crew"
    where = {c.name: ctx.damaged.name for c in ctx.crew}
    segments: list[tuple[datetime, datetime, dict[str, str]]] = []
    if redistribute:
        opt.kind = "redistribute"
        movers, host, reason = _plan_moves(ctx)
        move_at = min(sit + timedelta(days=ctx.sc.redistribution_days), dock)
        opt.name = f"Wait for {r.name} ({how}); meanwhile move {len(movers)} seat liner(s)" + (
            f" to {host.name}" if host else ""
        )
        if host is None:
            opt.feasible = False
            opt.infeasible_reason = reason
        else:
            moved = dict(where)
            for m in movers:
                moved[m] = host.name
                opt.moves.append({"crew": m, "from": ctx.damaged.name, "to": host.name})
            extra = []
            if ctx.damaged.ballast_for_empty_seat:
                extra.append(
                    f"cargo swap: ballast in the vacated seat(s) of {ctx.damaged.name} to keep its "
                    "centre of mass"
                )
            used_contingency = len(host.seat_liners) + len(movers) > host.seats
            if used_contingency:
                extra.append(
                    f"{host.name} uses {len(host.seat_liners) + len(movers) - host.seats} "
                    "contingency position(s); some of its cargo comes out in an emergency"
                )
            opt.actions[0:0] = [
                f"by {move_at.date()}: seat liner(s) of {', '.join(movers)} move from "
                f"{ctx.damaged.name} to {host.name}",
                *extra,
            ]
            segments.append((sit, move_at, where))
            segments.append((move_at, dock, moved))
            opt.damaged_vehicle_returns_crew = 0
    if not segments:
        segments.append((sit, dock, where))
    _exposure(ctx, segments, opt)
    if ctx.cfg.damage.system == "external_thermal_loop":
        # thermal score of the damaged vehicle as the (interim) emergency lifeboat
        load = sum(1 for v in segments[-1][2].values() if v == ctx.damaged.name)
        opt.thermal_risk = ctx.vehicle_risk(load)[0] if load else 0.0
    end_life = ctx.damaged.docked_utc + timedelta(days=ctx.damaged.certified_docked_life_days)
    still_aboard = any(v == ctx.damaged.name for v in segments[-1][2].values())
    if dock > end_life and still_aboard:
        opt.certified_life_violations.append(
            {"vehicle": ctx.damaged.name, "days_over": _days(end_life, dock)}
        )
    r_end = dock + timedelta(days=r.certified_docked_life_days)
    if ret > r_end:
        opt.certified_life_violations.append({"vehicle": r.name, "days_over": _days(r_end, ret)})
    _finish(ctx, opt, dock)
    return opt


def _explain(ctx: _Ctx, opts: list[Option]) -> None:
    best = opts[0]
    for o in opts:
        reasons = []
        if not o.feasible:
            reasons.append(f"infeasible: {o.infeasible_reason}")
        if not o.planned_return_acceptable:
            reasons.append(
                f"planned return risk {o.return_risk:.3g} exceeds its limit {o.return_risk_limit:.3g}"
            )
        reasons.append(
            f"{o.total_unassured_crew_days:.0f} crew-days without an assured ride, "
            f"P(emergency during the {o.wait_days:.0f}-day wait) = {o.emergency_probability:.2%}, "
            f"risk index {o.risk_index:.4f}, mission {o.mission_length_days:.0f} days"
        )
        if o.certified_life_violations:
            reasons.append(
                "certified life exceeded: "
                + ", ".join(
                    f"{v['vehicle']} by {v['days_over']:.0f} d" for v in o.certified_life_violations
                )
            )
        head = "Ranked first" if o is best else f"Ranked {o.rank}"
        o.explanation = f"{head} ({o.name}): " + "; ".join(reasons) + "."


def plan(cfg: OpsConfig, *, case_name: str = "") -> CrewReturnPlan:
    """Lay out, score and rank the crew-return options of a validated `OpsConfig`."""
    params = DEFAULT_PARAMETERS.with_overrides(cfg.thermal)
    damaged = next(v for v in cfg.vehicles if v.name == cfg.damage.vehicle)
    crews = list(range(1, max(damaged.seats, 3) + 1))
    loop_working = cfg.damage.system != "external_thermal_loop"
    runs = peak_by_crew(crews, params, loop_working=loop_working)
    ctx = _Ctx(cfg, runs)
    options = [_return_damaged(ctx)]
    for r in cfg.replacements:
        options.append(_wait_option(ctx, r, redistribute=False))
        options.append(_wait_option(ctx, r, redistribute=True))
    options.sort(key=Option.sort_key)
    for i, o in enumerate(options, 1):
        o.rank = i
    _explain(ctx, options)
    thermal = {
        "applies": cfg.damage.system == "external_thermal_loop",
        "loop_working": loop_working,
        "peak_cabin_temperature_c": {str(n): r.peak_air_temperature_c for n, r in runs.items()},
        "peak_relative_humidity": {str(n): r.peak_relative_humidity for n, r in runs.items()},
        "peak_wet_bulb_c": {str(n): r.peak_wet_bulb_c for n, r in runs.items()},
        "peak_evaporation_deficit_w": {
            str(n): r.peak_evaporation_deficit_w for n, r in runs.items()
        },
        "design_cabin_max_c": cfg.scoring.design_cabin_max_c,
        "emergency_cabin_limit_c": cfg.scoring.emergency_cabin_limit_c,
        "planned_return_cabin_limit_c": cfg.scoring.planned_return_cabin_limit_c,
        "calibration": (
            "structure_heat_capacity_j_k tuned so that 3 crew peak at 42 °C ('low 40s °C', "
            "NASA/Roscosmos 2023-01-11): a calibration, not a validation"
        ),
        "parameters": {k: getattr(params, k) for k in params.__dataclass_fields__},
    }
    return CrewReturnPlan(
        case=case_name,
        situation_utc=cfg.situation_utc,
        damaged_vehicle=cfg.damage.vehicle,
        damage_system=cfg.damage.system,
        options=options,
        thermal=thermal,
        emergency_rate_per_year=ctx.rate,
        emergency_rate_basis=ctx.rate_basis,
        crew=[
            {"name": c.name, "vehicle": c.vehicle, "launch_utc": c.launch_utc, "pilot": c.pilot}
            for c in cfg.crew
        ],
        vehicles=[
            {
                "name": v.name,
                "docked_utc": v.docked_utc,
                "planned_undock_utc": v.planned_undock_utc,
                "certified_until_utc": v.docked_utc + timedelta(days=v.certified_docked_life_days),
            }
            for v in cfg.vehicles
        ],
        runs=runs,
    )


def plan_case(case_dir: str | Path) -> CrewReturnPlan:
    """Read ``case.toml`` in `case_dir`, validate its ``[ops]`` sections and plan."""
    cf = read_case(case_dir)
    cfg = load_ops(cf)
    return plan(cfg, case_name=cf.folder.name)
