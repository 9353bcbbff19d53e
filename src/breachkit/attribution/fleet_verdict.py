"""The verdict of a case from the joint model of every leak of its part across the fleet, by
evidence class: computed, then + cited, then + judgement (cumulative), with the fleet's
predicted-versus-observed check of the risk engine (posterior of the model factor k), the
production-change Bayes factor with its prior range, and the warnings a reader needs.

Steps of `case_verdict`: read the case → tag its evidence (`case.collect_evidence`) → build the
fleet (`fleet_for_case`: per-docking table, the part's leaks from the fleet record, the case's own
leak) → each leak's likelihood ratio per class (`leak_class_lrs`; the other leaks' from their own
case folders beside this one) → `JointLeakModel` per class → break-even LRs of the judgement items
→ change point → warnings. The single-incident verdict of `attribute_case` (the impact rate taken
at face value, no fleet check) is kept beside it as a comparison.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc
from breachkit.attribution.case import (
    CaseInputs,
    _bundled_fleet,
    attribute_case,
    collect_evidence,
    load_attribution_case,
    prior_rates,
)
from breachkit.attribution.caveats import verdict_warnings
from breachkit.attribution.classes import CLASSES, Tagged, break_even_lr, class_lrs
from breachkit.attribution.config import AttributionSection, IncidentSection
from breachkit.attribution.verdict import Verdict, verdict_label
from breachkit.fleet.db import FleetDB
from breachkit.fleet.joint import JointLeakModel, Leak

__all__ = ["CaseVerdict", "FleetForCase", "case_verdict", "fleet_for_case", "leak_class_lrs"]

Z90 = 1.6448536269514722


@dataclass
class FleetForCase:
    """The fleet the joint model sees: per-docking table, the part's leaks and the case's leak."""

    table: Any  # pandas DataFrame (breachkit.fleet.flighttable columns)
    leaks: list[dict[str, Any]]  # key, vehicle, time_utc, official_finding, flight row index
    case_leak: int  # index of the case's own leak in `leaks`
    keywords: list[str]
    series: list[str]
    approximation: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def total_lambda(self) -> float:
        return float(self.table["n_pen_mean"].sum())

    @property
    def total_days(self) -> float:
        return float(self.table["docked_days"].sum())

    def lambda_interval(self) -> tuple[float, float]:
        t = self.table
        if "n_pen_lo" in t.columns and "n_pen_hi" in t.columns:
            return float(t["n_pen_lo"].sum()), float(t["n_pen_hi"].sum())
        return self.total_lambda, self.total_lambda


def _case_exposure(case: Any) -> tuple[float, str]:
    """The longest of the case's [[exposure.windows]]: (days [d], start UTC)."""
    wins = (case.data.get("exposure") or {}).get("windows") or []
    days, start = 0.0, ""
    for i, w in enumerate(wins):
        try:
            a, b = parse_utc(w["start"]), parse_utc(w["end"])
        except (KeyError, TypeError):
            raise InputError(f"case.toml: [[exposure.windows]] {i}: needs start and end") from None
        if (b - a).total_seconds() / 86400.0 > days:
            days, start = (b - a).total_seconds() / 86400.0, str(w["start"])
    return days, start


def fleet_for_case(
    case: Any,
    inc: IncidentSection,
    at: AttributionSection,
    rate_per_day: tuple[float, float, float],
    rate_source: str,
    *,
    flight_table: Any = None,
    db: FleetDB | None = None,
) -> FleetForCase:
    """The fleet of the case's part: the per-docking table (given, or the labelled
    approximation), the fleet record's leaks of the part, and the case's own leak (added as its own
    row when its vehicle is not one of the fleet's dockings, with the case's exposure)."""
    import pandas as pd

    from breachkit.fleet.flighttable import approximate_flight_table, check_flight_table, part_leaks

    db = db if db is not None else _bundled_fleet()
    series = at.fleet.series or at.defect_rate.series
    region = str((case.data.get("evidence") or {}).get("damaged_region") or "part")
    if flight_table is None:
        table = approximate_flight_table(db, rate_per_day, series=series, region=region,
                                         rate_source=rate_source)  # fmt: skip
        approx = str(table.attrs["approximation"])
        notes = [f"dockings without an undocking date are left out: {', '.join(table.attrs['incomplete'])}"] \
            if table.attrs["incomplete"] else []  # fmt: skip
    else:
        check_flight_table(flight_table)
        table, approx, notes = flight_table.reset_index(drop=True), None, []
    found, kws = part_leaks(db, system=inc.system, keywords=at.fleet.part_keywords or None)
    leaks = [x.to_dict() for x in found if x.vehicle in set(table["flight"]) or x.key == inc.key]
    if not any(x["key"] == inc.key for x in leaks):
        leaks.append({"key": inc.key, "vehicle": inc.vehicle, "time_utc": inc.time_utc,
                      "system": inc.system, "official_finding": inc.official_finding})  # fmt: skip
        notes.append(f"{inc.key} is not in the fleet record's incidents: added from the case")
    if inc.vehicle not in set(table["flight"]):
        days, start = _case_exposure(case)
        if days <= 0:
            raise InputError(f"case.toml: {inc.vehicle} is not a fleet docking and the case has "
                             "no [[exposure.windows]] to give its exposure")  # fmt: skip
        m, lo, hi = rate_per_day
        row = {"flight": inc.vehicle, "family": "case", "docked_days": days, "n_pen_mean": m * days,
               "n_pen_lo": lo * days, "n_pen_hi": hi * days, "region": region,
               "dock_utc": start, "launch_utc": start}  # fmt: skip
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
        notes.append(f"{inc.vehicle} added as its own unit: {days:.0f} d from the case's "
                     "[[exposure.windows]] at the case's rate")  # fmt: skip
    names = list(table["flight"])
    for x in leaks:
        x["row"] = names.index(x["vehicle"])
    leaks.sort(key=lambda x: str(x["time_utc"]))
    own = next(i for i, x in enumerate(leaks) if x["key"] == inc.key)
    if at.fleet.note:
        notes.append(at.fleet.note)
    return FleetForCase(table, leaks, own, kws, list(series), approx, notes)


def _cases_by_incident(root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for p in sorted(root.glob("*/case.toml")):
        try:
            import tomllib

            key = tomllib.loads(p.read_text()).get("incident", {}).get("key")
        except (OSError, ValueError):
            continue
        if isinstance(key, str):
            out[key] = p.parent
    return out


def leak_class_lrs(
    fleet: FleetForCase, own: Sequence[Tagged], case_dir: Path
) -> tuple[list[dict[str, float]], list[str]]:
    """Each leak's cumulative evidence LR per class: the case's own from `own`; every other leak
    from its case folder beside this one (case-file values only), or 1 with a note."""
    folders = _cases_by_incident(case_dir.parent)
    out, notes = [], []
    for j, leak in enumerate(fleet.leaks):
        if j == fleet.case_leak:
            out.append(class_lrs(own))
            continue
        folder = folders.get(str(leak["key"]))
        if folder is None:
            out.append(dict.fromkeys(CLASSES, 1.0))
            notes.append(f"{leak['key']}: no case folder beside this one, its evidence is LR 1")
            continue
        _, _, ev, at = load_attribution_case(folder)
        tagged = collect_evidence(ev, at, CaseInputs(), 1.0, [])
        out.append(class_lrs([t for t in tagged if t.item.name != "impact timing"]))
        notes.append(f"{leak['key']}: evidence from {folder.name}/case.toml (case-file values)")
    return out, notes


@dataclass
class CaseVerdict:
    """The case's verdict by class with the fleet check, production change and warnings."""

    case: str
    by_class: dict[str, dict[str, Any]]
    evidence: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    fleet_check: dict[str, Any]
    production_change: dict[str, Any]
    warnings: list[dict[str, str]]
    official_finding: dict[str, Any]
    what_if: dict[str, Any] | None
    single: Verdict
    notes: list[str]

    @property
    def posterior_impact(self) -> float:
        return float(self.by_class["judgement"]["posterior_impact"])

    @property
    def label(self) -> str:
        return str(self.by_class["judgement"]["verdict"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "verdict": self.label,
            "posterior_impact": self.posterior_impact,
            "posterior_defect": 1.0 - self.posterior_impact,
            "verdict_by_class": self.by_class,
            "evidence": self.evidence,
            "excluded": self.excluded,
            "fleet_check": self.fleet_check,
            "production_change": self.production_change,
            "warnings": self.warnings,
            "official_finding": self.official_finding,
            "what_if": self.what_if,
            "single_incident": self.single.to_dict(),
            "notes": self.notes,
        }


def _k_prior(fleet: FleetForCase, at: AttributionSection) -> tuple[float, float, str]:
    lo, hi = fleet.lambda_interval()
    s_rate = math.log(hi / lo) / (2 * Z90) if lo > 0 and hi > lo else 0.0
    s = math.hypot(at.fleet.k_sigma_ln, s_rate)
    text = (f"ln k ~ Normal(0, {s:.2f}): {at.fleet.k_source} (σ {at.fleet.k_sigma_ln:g}), "
            f"combined with the rate's own 90 % interval (σ {s_rate:.2f})")  # fmt: skip
    return 0.0, s, text


def _fit_class(fleet: FleetForCase, lrs: Sequence[dict[str, float]], c: str, mu: float,
               sigma: float) -> JointLeakModel:  # fmt: skip
    t = fleet.table
    leaks = [Leak(str(x["key"]), str(x["vehicle"]), float(t["n_pen_mean"][x["row"]]),
                  float(t["docked_days"][x["row"]]), lrs[j][c]) for j, x in enumerate(fleet.leaks)]  # fmt: skip
    return JointLeakModel(k_mu=mu, k_sigma=sigma).fit(fleet.total_lambda, fleet.total_days, leaks)


def _by_class(
    fleet: FleetForCase, lrs: list[dict[str, float]], own: Sequence[Tagged], mu: float, s: float
) -> tuple[dict[str, dict[str, Any]], dict[str, JointLeakModel]]:
    out, models = {}, {}
    j = fleet.case_leak
    for c in CLASSES:
        m = _fit_class(fleet, lrs, c, mu, s)
        models[c] = m
        keys = [t.key for t in own if t.evidence_class in CLASSES[: CLASSES.index(c) + 1]]
        p = m.p_impact_[j]
        out[c] = {"posterior_impact": p, "verdict": verdict_label(p), "items": keys,
                  "likelihood_ratio": lrs[j][c],
                  "note": {"computed": "breachkit models on the case's data, with the fleet",
                           "cited": "computed + published measurements",
                           "judgement": "all weighed evidence (computed + cited + judgement)"}[c]
                  + f"; joint model of {len(fleet.leaks)} leak(s) over {len(fleet.table)} dockings"}  # fmt: skip
    return out, models


def _evidence_rows(own: Sequence[Tagged], model: JointLeakModel, j: int) -> list[dict[str, Any]]:
    rows = []
    lr_all = math.prod(t.item.likelihood_ratio() for t in own if t.weighed)
    for t in own:
        d = t.to_dict()
        if t.evidence_class == "judgement":
            lr = t.item.likelihood_ratio()
            rest = lr_all / lr if lr > 0 else 0.0

            def p_of(x: float, r: float = rest) -> float:
                return float(model.p_impact_given_lr(j, r * x))

            be = break_even_lr(p_of, lr)
            d["break_even_lr"] = be["nearest"]
            d["break_even_lr_down"], d["break_even_lr_up"] = be["down"], be["up"]
        rows.append(d)
    return rows


def _fleet_check(fleet: FleetForCase, m: JointLeakModel, k_text: str) -> dict[str, Any]:
    from breachkit.fleet.stats import count_pvalue

    lam = fleet.total_lambda
    lo, hi = fleet.lambda_interval()
    n = len(fleet.leaks)
    kq = m.k_quantiles_
    cdf = (
        1.0 - count_pvalue(n + 1, lam, lo, hi)
        if 0 < lo < lam < hi
        else 1.0 - count_pvalue(n + 1, lam)
    )
    return {
        "predicted_penetrations": lam, "predicted_interval": [lo, hi],
        "observed_leaks": n, "p_n_at_most_observed": cdf,
        "expected_impacts_among_leaks": float(sum(m.p_impact_)),
        "k_median": kq[1], "k_interval": [kq[0], kq[2]], "k_mean": m.k_mean_,
        "k_prior_interval": [m.k_prior_quantiles_[0], m.k_prior_quantiles_[2]],
        "posterior_penetrations": m.expected_penetrations_,
        "r_median_per_day": m.r_quantiles_[1], "r_interval_per_day": [m.r_quantiles_[0], m.r_quantiles_[2]],
        "n_dockings": len(fleet.table), "fleet_days": fleet.total_days,
        "leaks": [{**{k: v for k, v in x.items() if k != "row"}, "p_impact": p}
                  for x, p in zip(fleet.leaks, m.p_impact_, strict=True)],
        "label_probabilities": {"/".join(k): v for k, v in m.label_probabilities_.items()},
        "k_prior": k_text, "r_prior": "Jeffreys p(r) ∝ r^(-1/2) per docked vehicle-day (judgement: weak)",
        "part_keywords": fleet.keywords, "series": fleet.series,
        "approximation": fleet.approximation, "notes": fleet.notes,
    }  # fmt: skip


def _production_change(fleet: FleetForCase, lrs: list[dict[str, float]], mu: float, s: float) -> dict[str, Any]:  # fmt: skip
    from breachkit.fleet.changepoint import change_point_bayes_factor

    t = fleet.table
    col = "launch_utc" if "launch_utc" in t.columns else "dock_utc"
    if col not in t.columns or t[col].isna().any():
        return {"skipped": "the per-flight table lacks a launch_utc or dock_utc for every row"}
    times = [parse_utc(str(v)).timestamp() / 86400.0 for v in t[col]]
    order = np.argsort(np.asarray(times), kind="stable")
    pos = {int(o): i for i, o in enumerate(order)}
    res = change_point_bayes_factor(
        [str(t["flight"][o]) for o in order], t["docked_days"].to_numpy()[order],
        np.asarray(times)[order], [pos[x["row"]] for x in fleet.leaks],
        [float(t["n_pen_mean"][x["row"]]) for x in fleet.leaks], [lr["judgement"] for lr in lrs],
        total_lambda=fleet.total_lambda, k_mu=mu, k_sigma=s,
        leak_keys=[str(x["key"]) for x in fleet.leaks],
    )  # fmt: skip
    return res.to_dict()


def case_verdict(
    case_dir: str | Path,
    *,
    rate_source: str | None = None,
    flight_table: Any = None,
    fleet_db: FleetDB | None = None,
    rng: np.random.Generator | None = None,
    n_samples: int = 20_000,
    **upstream: Any,
) -> CaseVerdict:
    """The verdict of one case by evidence class from the joint fleet model (module docstring).

    `upstream` are the `CaseInputs` keywords (as `attribute_case`); `flight_table` the per-docking
    DataFrame of the risk engine (default: the labelled approximation from the impact rate).
    """
    case, inc, ev, at = load_attribution_case(case_dir)
    inputs = CaseInputs(**{"what_if": at.what_if_synthetic, **upstream})
    notes: list[str] = []
    priors = prior_rates(case, inc, at, inputs)
    own = collect_evidence(ev, at, inputs, priors["impact"].mean, notes)
    ip = priors["impact"]
    fleet = fleet_for_case(case, inc, at, (ip.mean, ip.lo, ip.hi), rate_source or ip.source,
                           flight_table=flight_table, db=fleet_db)  # fmt: skip
    lrs, lr_notes = leak_class_lrs(fleet, own, case.folder)
    mu, s, k_text = _k_prior(fleet, at)
    by_class, models = _by_class(fleet, lrs, own, mu, s)
    j = fleet.case_leak
    evidence = _evidence_rows([t for t in own if t.weighed], models["judgement"], j)
    excluded = [t.to_dict() for t in own if not t.weighed]
    fc = _fleet_check(fleet, models["judgement"], k_text)
    pc = _production_change(fleet, lrs, mu, s)
    all_lr = lrs[j]["judgement"]
    comp = math.prod(t.item.likelihood_ratio() for t in own if t.evidence_class == "comparison")
    wi = math.prod(t.item.likelihood_ratio() for t in own if t.evidence_class == "what_if")
    m = models["judgement"]
    official = {"finding": inc.official_finding, "source": inc.official_finding_source,
                "p_impact_if_its_items_were_weighed": m.p_impact_given_lr(j, all_lr * comp)
                if comp != 1.0 else None,
                "note": "comparison only: the official finding and the items that restate it "
                        "never enter the verdict"}  # fmt: skip
    what_if = ({"p_impact": m.p_impact_given_lr(j, all_lr * wi), "likelihood_ratio": wi,
                "items": [t.key for t in own if t.evidence_class == "what_if"],
                "note": "WHAT-IF on SYNTHETIC data: not a verdict"}
               if any(t.evidence_class == "what_if" for t in own) else None)  # fmt: skip
    single = attribute_case(
        case_dir, rng=rng, n_samples=n_samples, **{"what_if": inputs.what_if, **upstream}
    )
    warnings = verdict_warnings(case, by_class, fc, own, priors["impact"].source, fleet)
    return CaseVerdict(case.folder.name, by_class, evidence, excluded, fc, pc, warnings, official,
                       what_if, single, notes + lr_notes)  # fmt: skip
