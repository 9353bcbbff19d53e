"""`attribute_case`: read a case's ``[incident]``, ``[evidence]``, ``[attribution]`` and give the
verdict, with upstream numbers (impact rate from risk, telemetry Bayes factor, impact hole sizes,
shower reach) passed in as arguments by the investigation pipeline."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

from breachkit._core.casefile import CaseFile, load_section, read_case
from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc
from breachkit.attribution.config import AttributionSection, EvidenceSection, IncidentSection
from breachkit.attribution.evidence import (
    Evidence,
    HardEvidence,
    HoleSize,
    ImpactTiming,
    Location,
    ShowerTiming,
    TelemetrySignature,
)
from breachkit.attribution.verdict import Attribution, RatePrior, Verdict
from breachkit.fleet.db import FleetDB

__all__ = ["attribute_case", "fleet_docked_days", "load_attribution_case"]


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


def attribute_case(
    case_dir: str | Path,
    *,
    impact_rate: RatePrior | tuple[float, float, float] | None = None,
    defect_rate: RatePrior | tuple[float, float, float] | None = None,
    telemetry_bayes_factor: float | None = None,
    telemetry_bayes_factor_range: tuple[float, float] | None = None,
    hole_impact_samples_m: Sequence[float] | None = None,
    hole_diameter_m: float | None = None,
    shower_flux_ratio: float | None = None,
    shower_reach_fraction: float | None = None,
    location_impact_fraction: float | None = None,
    impact_rate_at_event: float | None = None,
    fleet_db_url: str | None = None,
    rng: np.random.Generator | None = None,
    n_samples: int = 20_000,
    record_to: FleetDB | None = None,
) -> Verdict:
    """The verdict of one case.

    Every argument left None falls back to the case file ([attribution]/[evidence]); an argument
    given overrides it and is named as the source. `impact_rate` and `defect_rate` are rates per
    day of exposure [d⁻¹] (mean, lo, hi of a 90 % interval); `hole_impact_samples_m` are the risk
    engine's Monte Carlo hole diameters for the damaged face [m]; `telemetry_bayes_factor` is the
    `breachkit.telemetry` Bayes factor of a sudden versus a growing hole;
    `impact_rate_at_event` [d⁻¹] is the risk engine's rate for the damaged region in a short
    window ending at the event: with it, timing evidence is `ImpactTiming` (rate at the event
    over the mean of `impact_rate`) instead of the case's `[evidence.shower]`. With `record_to` the
    inputs and the verdict are stored in that fleet database's ``analyses`` table (kind
    ``"attribution"``).
    """
    case, inc, ev, at = load_attribution_case(case_dir)
    name = case.path.name
    t_event = parse_utc(inc.time_utc)
    rng = rng if rng is not None else np.random.default_rng(20221215)
    notes: list[str] = []

    # -- prior rates ------------------------------------------------------------------------
    if impact_rate is not None:
        p_imp = _rate(impact_rate, "impact_rate")
    elif at.impact_rate is not None:
        r = at.impact_rate
        p_imp = RatePrior(r.mean_per_day, r.lo_per_day, r.hi_per_day, source=r.source)
    else:
        raise InputError(f"{name}: [attribution] impact_rate missing and none passed")
    if defect_rate is not None:
        p_def = _rate(defect_rate, "defect_rate")
    else:
        d = at.defect_rate
        if d.mean_per_day is not None:
            assert d.lo_per_day is not None and d.hi_per_day is not None
            p_def = RatePrior(d.mean_per_day, d.lo_per_day, d.hi_per_day, source=d.source)
        else:
            assert d.events is not None
            days = (
                d.exposure_days
                if d.exposure_days is not None
                else fleet_docked_days(d.series, t_event, fleet_db_url)
            )
            p_def = RatePrior.from_counts(
                d.events,
                days,
                prior_shape=d.prior_shape,
                source=f"{d.source} [{d.events} events in {days:.0f} docked vehicle-days of "
                f"{', '.join(d.series)} before {inc.time_utc}; Gamma({d.prior_shape} + events, "
                "days) posterior]",
            )
    priors: dict[str, RatePrior] = {"impact": p_imp, "defect": p_def}
    for h in at.hypotheses[2:]:
        r = at.other_causes[h]
        priors[h] = RatePrior(r.mean_per_day, r.lo_per_day, r.hi_per_day, source=r.source)

    # -- evidence ---------------------------------------------------------------------------
    items: list[Evidence] = []
    if impact_rate_at_event is not None:
        items.append(
            ImpactTiming(
                impact_rate_at_event,
                p_imp.mean,
                source="risk engine: rate in the window ending at the event over the mean rate",
            )
        )
    elif ev.shower is not None:
        s = ev.shower
        items.append(
            ShowerTiming(
                s.name,
                shower_flux_ratio if shower_flux_ratio is not None else s.flux_ratio,
                shower_reach_fraction if shower_reach_fraction is not None else s.reach_fraction,
                mean_ratio=s.mean_ratio,
                flux_ratio_range=s.flux_ratio_range,
                reach_fraction_range=s.reach_fraction_range,
                source=s.source
                if shower_reach_fraction is None
                else "reach fraction passed by the caller (environment/geometry)",
            )
        )
    bf = telemetry_bayes_factor if telemetry_bayes_factor is not None else ev.telemetry_bayes_factor
    if bf is not None:
        items.append(
            TelemetrySignature(
                bf,
                p_sudden_impact=at.telemetry_model.p_sudden_impact,
                p_sudden_defect=at.telemetry_model.p_sudden_defect,
                bayes_factor_range=telemetry_bayes_factor_range or ev.telemetry_bayes_factor_range,
                source=ev.telemetry_source
                if telemetry_bayes_factor is None
                else "breachkit.telemetry Bayes factor passed by the caller",
            )
        )
    else:
        notes.append("no telemetry Bayes factor: the signature is not used")
    d_obs = hole_diameter_m
    if d_obs is None and ev.hole_diameter_mm is not None and ev.use_hole:
        d_obs = ev.hole_diameter_mm * 1e-3
    if d_obs is not None:
        hm = at.hole_model
        items.append(
            HoleSize(
                d_obs,
                sigma_log=ev.hole_sigma_log,
                impact_samples_m=tuple(hole_impact_samples_m)
                if hole_impact_samples_m is not None
                else None,
                impact_min_m=hm.impact_min_mm * 1e-3,
                impact_alpha=hm.impact_alpha,
                defect_min_m=hm.defect_min_mm * 1e-3,
                defect_max_m=hm.defect_max_mm * 1e-3,
                source=f"{ev.hole_source} ({ev.hole_label}); models: {hm.source}",
            )
        )
    elif ev.hole_diameter_mm is not None:
        notes.append(
            f"hole size {ev.hole_diameter_mm} mm ({ev.hole_label}) recorded but not used (use_hole)"
        )
    if ev.location is not None:
        loc = ev.location
        items.append(
            Location(
                loc.region,
                location_impact_fraction
                if location_impact_fraction is not None
                else loc.impact_fraction,
                loc.area_fraction,
                impact_fraction_range=loc.impact_fraction_range,
                source=loc.source,
            )
        )
    for item in ev.hard:
        if not item.use:
            notes.append(
                f"hard evidence {item.preset or item.name!r} ({item.label}) recorded but not used"
            )
            continue
        if item.preset is not None:
            items.append(
                HardEvidence.preset(
                    item.preset,
                    source=f"{item.source} ({item.label})",
                    p_given_impact=item.p_given_impact,
                    p_given_defect=item.p_given_defect,
                    p_given_impact_range=item.p_given_impact_range,
                    p_given_defect_range=item.p_given_defect_range,
                    others=item.others or None,
                )
            )
        else:
            assert item.name and item.p_given_impact is not None and item.p_given_defect is not None
            items.append(
                HardEvidence(
                    item.name,
                    item.p_given_impact,
                    item.p_given_defect,
                    explanation=item.explanation,
                    source=f"{item.source} ({item.label})",
                    p_given_impact_range=item.p_given_impact_range,
                    p_given_defect_range=item.p_given_defect_range,
                    others=item.others,
                )
            )
    model = Attribution(n_samples=n_samples).fit(
        priors, items, rng=rng, case=case.folder.name, notes=notes
    )
    verdict = model.verdict_
    if record_to is not None:
        record_to.record_analysis(
            "attribution",
            {
                "case": str(case.path),
                "incident": inc.key,
                "rates": {h: p.to_dict() for h, p in priors.items()},
                "telemetry_bayes_factor": bf,
                "hole_diameter_m": d_obs,
                "n_samples": n_samples,
            },
            verdict.to_dict(),
        )
    return verdict
