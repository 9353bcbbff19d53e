"""`attribute_case`: read a case's ``[incident]``, ``[evidence]``, ``[attribution]`` and give the
single-incident verdict, with upstream numbers (impact rate from risk, telemetry Bayes factor,
impact hole sizes, shower reach) passed in as arguments by the investigation pipeline.

Every evidence item is tagged with its class (`breachkit.attribution.classes`): ``computed`` (a
breachkit model from data in the case), ``cited`` (a published measurement), ``judgement`` (an
analyst's number); items that restate the official finding (``comparison``) and items built on
synthetic data (``what_if``) are listed but never weighed. The fleet-level verdict by class is
`breachkit.attribution.fleet_verdict.case_verdict`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from breachkit._core.casefile import CaseFile, load_section, read_case
from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc
from breachkit.attribution.classes import Tagged
from breachkit.attribution.config import AttributionSection, EvidenceSection, IncidentSection
from breachkit.attribution.evidence import (
    HardEvidence,
    HoleSize,
    ImpactTiming,
    Location,
    ShowerTiming,
    TelemetrySignature,
)
from breachkit.attribution.verdict import Attribution, RatePrior, Verdict
from breachkit.fleet.db import FleetDB

__all__ = [
    "CaseInputs",
    "attribute_case",
    "collect_evidence",
    "fleet_docked_days",
    "load_attribution_case",
    "prior_rates",
]


@functools.lru_cache(maxsize=1)
def _bundled_fleet() -> FleetDB:
    """The bundled fleet history in an in-memory database (built once per process)."""
    from breachkit.fleet.db import open_db

    return open_db("sqlite://", bundled=True)


def fleet_docked_days(series: Sequence[str], until: datetime, db_url: str | None = None) -> float:
    """Docked vehicle-days of the given design series from the start of the fleet record to
    `until` [d] (`breachkit.fleet.exposure.docked_vehicle_days`, the one fleet denominator),
    from the bundled history in an in-memory database when `db_url` is None."""
    from breachkit.fleet.db import open_db
    from breachkit.fleet.exposure import docked_vehicle_days

    db = _bundled_fleet() if db_url is None else open_db(db_url)
    return docked_vehicle_days(db, series=tuple(series), until=until).total


def load_attribution_case(
    case_dir: str | Path,
) -> tuple[CaseFile, IncidentSection, EvidenceSection, AttributionSection]:
    """Read and validate the three sections (one-line `InputError` on a bad value)."""
    case = read_case(case_dir)
    inc = load_section(case, "incident", IncidentSection)
    ev = load_section(case, "evidence", EvidenceSection)
    at = load_section(case, "attribution", AttributionSection)
    assert inc is not None and ev is not None and at is not None
    return case, inc, ev, at


def _rate(value: RatePrior | tuple[float, float, float], name: str) -> RatePrior:
    if isinstance(value, RatePrior):
        return value
    try:
        m, lo, hi = (float(x) for x in value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: give (mean, lo, hi) per day or a RatePrior") from None
    try:
        return RatePrior(m, lo, hi, source=f"{name} passed by the caller")
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None


@dataclass(frozen=True)
class CaseInputs:
    """Upstream numbers an investigation passes (None: the case file's value is used).

    `impact_rate`, `defect_rate` [d⁻¹] (mean, lo, hi); `telemetry_bayes_factor` sudden : growing
    from `breachkit.telemetry`, with `telemetry_synthetic` True when the series is synthetic
    (then the item is a what-if unless `what_if`); `hole_impact_samples_m` [m] the risk engine's
    simulated impact holes; `hole_diameter_m` [m] a computed hole size; `shower_flux_ratio`,
    `shower_reach_fraction` from the environment stage; `location_impact_fraction` from the risk
    breakdown; `impact_rate_at_event` [d⁻¹] the risk rate in a window ending at the event.
    """

    impact_rate: RatePrior | tuple[float, float, float] | None = None
    defect_rate: RatePrior | tuple[float, float, float] | None = None
    telemetry_bayes_factor: float | None = None
    telemetry_bayes_factor_range: tuple[float, float] | None = None
    telemetry_synthetic: bool | None = None
    what_if: bool = False
    hole_impact_samples_m: Sequence[float] | None = None
    hole_diameter_m: float | None = None
    shower_flux_ratio: float | None = None
    shower_reach_fraction: float | None = None
    location_impact_fraction: float | None = None
    impact_rate_at_event: float | None = None


def prior_rates(
    case: CaseFile,
    inc: IncidentSection,
    at: AttributionSection,
    inputs: CaseInputs,
    fleet_db_url: str | None = None,
) -> dict[str, RatePrior]:
    """The rate of every cause per day of exposure [d⁻¹]: passed, or from the case file."""
    name = case.path.name
    if inputs.impact_rate is not None:
        p_imp = _rate(inputs.impact_rate, "impact_rate")
    elif at.impact_rate is not None:
        r = at.impact_rate
        p_imp = RatePrior(r.mean_per_day, r.lo_per_day, r.hi_per_day, source=r.source)
    else:
        raise InputError(f"{name}: [attribution] impact_rate missing and none passed")
    if inputs.defect_rate is not None:
        p_def = _rate(inputs.defect_rate, "defect_rate")
    else:
        p_def = _defect_rate_from_case(inc, at, fleet_db_url)
    priors: dict[str, RatePrior] = {"impact": p_imp, "defect": p_def}
    for h in at.hypotheses[2:]:
        r = at.other_causes[h]
        priors[h] = RatePrior(r.mean_per_day, r.lo_per_day, r.hi_per_day, source=r.source)
    return priors


def _defect_rate_from_case(
    inc: IncidentSection, at: AttributionSection, fleet_db_url: str | None
) -> RatePrior:
    d = at.defect_rate
    if d.mean_per_day is not None:
        assert d.lo_per_day is not None and d.hi_per_day is not None
        return RatePrior(d.mean_per_day, d.lo_per_day, d.hi_per_day, source=d.source)
    assert d.events is not None
    t_event = parse_utc(inc.time_utc)
    days = (
        d.exposure_days
        if d.exposure_days is not None
        else fleet_docked_days(d.series, t_event, fleet_db_url)
    )
    return RatePrior.from_counts(
        d.events,
        days,
        prior_shape=d.prior_shape,
        source=f"{d.source} [{d.events} events in {days:.0f} docked vehicle-days of "
        f"{', '.join(d.series)} before {inc.time_utc}; Gamma({d.prior_shape} + events, "
        "days) posterior]",
    )


def _timing_item(ev: EvidenceSection, inputs: CaseInputs, mean_rate: float) -> Tagged | None:
    if inputs.impact_rate_at_event is not None:
        item = ImpactTiming(
            inputs.impact_rate_at_event,
            mean_rate,
            source="risk engine: rate in the window ending at the event over the mean rate",
        )
        return Tagged(item, "computed", "breachkit.risk rate at the event over its mean")
    if ev.shower is None:
        return None
    s = ev.shower
    passed = inputs.shower_reach_fraction is not None
    reach = inputs.shower_reach_fraction
    shower_item = ShowerTiming(
        s.name,
        inputs.shower_flux_ratio if inputs.shower_flux_ratio is not None else s.flux_ratio,
        reach if reach is not None else s.reach_fraction,
        mean_ratio=s.mean_ratio,
        flux_ratio_range=s.flux_ratio_range,
        reach_fraction_range=s.reach_fraction_range,
        source=s.source
        if not passed
        else "reach fraction passed by the caller (environment/geometry)",
    )
    if passed:
        return Tagged(
            shower_item, "computed", "breachkit environment/geometry: shower flux and reach"
        )
    return Tagged(shower_item, "cited", f"reach and flux ratio as recorded in the case: {s.source}")


def _telemetry_item(
    ev: EvidenceSection, at: AttributionSection, inputs: CaseInputs, notes: list[str]
) -> Tagged | None:
    passed = inputs.telemetry_bayes_factor is not None
    bf = inputs.telemetry_bayes_factor if passed else ev.telemetry_bayes_factor
    if bf is None:
        notes.append("no telemetry Bayes factor: the signature is not used")
        return None
    tm = at.telemetry_model
    item = TelemetrySignature(
        bf,
        p_sudden_impact=tm.p_sudden_impact,
        p_sudden_defect=tm.p_sudden_defect,
        bayes_factor_range=inputs.telemetry_bayes_factor_range or ev.telemetry_bayes_factor_range,
        source=ev.telemetry_source if not passed else "breachkit.telemetry Bayes factor",
    )
    judged = (
        f"P(sudden | impact) = {tm.p_sudden_impact:g} and P(sudden | defect) = "
        f"{tm.p_sudden_defect:g} are judgement ({tm.source or 'docs/attribution.md'})"
    )
    if inputs.telemetry_synthetic and not inputs.what_if:
        notes.append(
            "the telemetry series is SYNTHETIC: its signature is a what-if, LR 1 in the verdict "
            "(ask for the what-if explicitly to weigh it)"
        )
        return Tagged(item, "what_if", f"SYNTHETIC telemetry series; {judged}")
    if inputs.telemetry_synthetic:
        notes.append("WHAT-IF: the SYNTHETIC telemetry signature is weighed as asked")
        return Tagged(item, "computed", f"WHAT-IF on a SYNTHETIC series; {judged}")
    if passed:
        return Tagged(item, "computed", f"breachkit.telemetry on the case's series; {judged}")
    return Tagged(item, "cited", f"Bayes factor recorded in the case: {ev.telemetry_source}")


def _hole_item(
    ev: EvidenceSection, at: AttributionSection, inputs: CaseInputs, notes: list[str]
) -> Tagged | None:
    d_obs = inputs.hole_diameter_m
    computed = d_obs is not None
    if d_obs is None and ev.hole_diameter_mm is not None and ev.use_hole:
        d_obs = ev.hole_diameter_mm * 1e-3
    if d_obs is None:
        if ev.hole_diameter_mm is not None:
            notes.append(f"hole size {ev.hole_diameter_mm} mm ({ev.hole_label}) recorded but "
                         "not used (use_hole)")  # fmt: skip
        return None
    hm = at.hole_model
    samples = inputs.hole_impact_samples_m
    item = HoleSize(
        d_obs,
        sigma_log=ev.hole_sigma_log,
        impact_samples_m=tuple(samples) if samples is not None else None,
        impact_min_m=hm.impact_min_mm * 1e-3,
        impact_alpha=hm.impact_alpha,
        defect_min_m=hm.defect_min_mm * 1e-3,
        defect_max_m=hm.defect_max_mm * 1e-3,
        source=f"{ev.hole_source} ({ev.hole_label}); models: {hm.source}",
    )
    model = (
        "impact hole sizes simulated by the risk engine"
        if samples is not None
        else "impact hole-size power law assumed (judgement)"
    )
    basis = f"{model}; defect flaw sizes log-uniform, assumed (judgement)"
    if computed:
        return Tagged(item, "computed", f"hole size computed by breachkit; {basis}")
    return Tagged(item, "cited", f"hole diameter as published ({ev.hole_source}); {basis}")


def _location_item(ev: EvidenceSection, inputs: CaseInputs) -> Tagged | None:
    if ev.location is None:
        return None
    loc = ev.location
    passed = inputs.location_impact_fraction is not None
    fraction = inputs.location_impact_fraction
    item = Location(
        loc.region,
        fraction if fraction is not None else loc.impact_fraction,
        loc.area_fraction,
        impact_fraction_range=loc.impact_fraction_range,
        source=loc.source,
    )
    if passed:
        return Tagged(item, "computed", "risk engine's share of impacts on the region; flaws "
                      "uniform per area (judgement)")  # fmt: skip
    return Tagged(item, "judgement", f"shares as written in the case: {loc.source}")


def _hard_items(ev: EvidenceSection, notes: list[str]) -> list[Tagged]:
    out = []
    for item in ev.hard:
        label = item.preset or item.name
        if not item.use:
            notes.append(f"hard evidence {label!r} ({item.label}) recorded but not used")
            continue
        kwargs: dict[str, Any] = {
            "source": f"{item.source} ({item.label})",
            "p_given_impact": item.p_given_impact,
            "p_given_defect": item.p_given_defect,
            "p_given_impact_range": item.p_given_impact_range,
            "p_given_defect_range": item.p_given_defect_range,
        }
        if item.preset is not None:
            h = HardEvidence.preset(item.preset, others=item.others or None, **kwargs)
            who = "the HARD_EVIDENCE_PRESETS probabilities (breachkit authors' judgement)"
        else:
            assert item.name and item.p_given_impact is not None
            h = HardEvidence(item.name, explanation=item.explanation, others=item.others, **kwargs)
            who = "the probabilities written in the case file (the case author's judgement)"
        if item.restates_official_finding:
            notes.append(f"{label!r} restates the official finding: shown as a comparison, "
                         "never weighed")  # fmt: skip
            out.append(Tagged(h, "comparison", f"restates the official finding; {who}"))
        else:
            out.append(Tagged(h, "judgement", f"{who}; observation: {item.source}"))
    return out


def collect_evidence(
    ev: EvidenceSection,
    at: AttributionSection,
    inputs: CaseInputs,
    mean_impact_rate: float,
    notes: list[str],
) -> list[Tagged]:
    """Every evidence item of the case, tagged with its class (the unused ones named in notes)."""
    items = [
        _timing_item(ev, inputs, mean_impact_rate),
        _telemetry_item(ev, at, inputs, notes),
        _hole_item(ev, at, inputs, notes),
        _location_item(ev, inputs),
    ]
    return [t for t in items if t is not None] + _hard_items(ev, notes)


def attribute_case(
    case_dir: str | Path,
    *,
    fleet_db_url: str | None = None,
    rng: np.random.Generator | None = None,
    n_samples: int = 20_000,
    record_to: FleetDB | None = None,
    **upstream: Any,
) -> Verdict:
    """The single-incident verdict of one case: competing rates × the weighed evidence.

    Upstream numbers are the keyword arguments of `CaseInputs` (each given one overrides the case
    file and is named as the source). Only computed, cited and judgement items are weighed;
    comparison (official-finding) and what-if (synthetic) items are listed in
    ``Verdict.excluded``. With `record_to` the inputs and the verdict are stored in that fleet
    database's ``analyses`` table (kind ``"attribution"``). The fleet-level verdict by evidence
    class is `breachkit.attribution.fleet_verdict.case_verdict`.
    """
    try:
        inputs = CaseInputs(**upstream)
    except TypeError as exc:
        raise InputError(f"attribute_case: {exc}") from None
    case, inc, ev, at = load_attribution_case(case_dir)
    rng = rng if rng is not None else np.random.default_rng(20221215)
    notes: list[str] = []
    priors = prior_rates(case, inc, at, inputs, fleet_db_url)
    tagged = collect_evidence(ev, at, inputs, priors["impact"].mean, notes)
    weighed = [t for t in tagged if t.weighed]
    model = Attribution(n_samples=n_samples).fit(
        priors, [t.item for t in weighed], rng=rng, case=case.folder.name, notes=notes
    )
    verdict = model.verdict_.with_classes(
        [t.describe() for t in weighed], [t.to_dict() for t in tagged if not t.weighed]
    )
    if record_to is not None:
        record_to.record_analysis(
            "attribution",
            {"case": str(case.path), "incident": inc.key,
             "rates": {h: p.to_dict() for h, p in priors.items()},
             "evidence": [t.describe() for t in tagged], "n_samples": n_samples},
            verdict.to_dict(),
        )  # fmt: skip
    return verdict
