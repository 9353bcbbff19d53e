"""Fleet-level analyses on the database: cluster significance of leak events under the
impact-only hypothesis, and the production-change posterior over the production sequence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from breachkit._core.errors import InputError
from breachkit.fleet.db import FleetDB, aware_utc
from breachkit.fleet.exposure import (
    FLEET_SERIES,
    ExposureModel,
    docked_vehicle_days,
    fleet_exposures,
    flight_exposure,
    record_span,
)
from breachkit.fleet.stats import ProductionChangePoint, count_pvalue, scan_pvalue

__all__ = [
    "COOLANT_LEAKS_UTC",
    "FLEET_START_UTC",
    "ClusterResult",
    "ProductionResult",
    "cluster_significance",
    "fleet_summary",
    "production_change",
]

DAY_S = 86400.0
SERIES_ALL = FLEET_SERIES


@dataclass(frozen=True)
class ClusterResult:
    """P-values of the observed leak cluster under the impact-only hypothesis."""

    n_events: int
    window_days: float
    k_in_window: int
    expected: tuple[float, float, float]  # fleet expected penetrations (mean, lo, hi)
    count_pvalue_poisson: float
    count_pvalue_uncertain: float
    count_cdf_uncertain: float  # P(N <= n_events): is the rate compatible with so FEW events?
    scan_pvalue_mean: float
    scan_pvalue_hi: float
    scan_pvalue_given_n: float
    n_flights: int
    span: tuple[datetime, datetime]
    n_sim: int
    model: dict[str, Any] = field(default_factory=dict)
    exposure: dict[str, Any] = field(default_factory=dict)  # `VehicleDays.to_dict` of the span

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _intensity(
    db: FleetDB,
    model: ExposureModel,
    series: Sequence[str],
    since: datetime,
    until: datetime,
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Piecewise-constant fleet intensity [events d⁻¹] on day edges since `since`."""
    means = {
        (r.vehicle, r.launch): r
        for r in fleet_exposures(db, model, series=series, since=since, until=until)
    }
    t0 = since
    n_days = (until - since).total_seconds() / DAY_S
    edges_set = {0.0, n_days}
    pieces: list[tuple[float, float, float]] = []
    for f in db.flights():
        if f.vehicle.design_series not in series:
            continue
        fe = flight_exposure(f, since=since, until=until)
        row = means.get((fe.vehicle, fe.launch))
        if row is None or fe.docked_days <= 0:
            continue
        density = row.mean / fe.docked_days
        for _, a, b in fe.intervals:
            x0, x1 = (a - t0).total_seconds() / DAY_S, (b - t0).total_seconds() / DAY_S
            edges_set.update((x0, x1))
            pieces.append((x0, x1, density))
    edges = np.array(sorted(edges_set))
    lam = np.zeros(edges.size - 1)
    mid = 0.5 * (edges[:-1] + edges[1:])
    for x0, x1, d in pieces:
        lam[(mid > x0) & (mid < x1)] += d
    total = float(np.sum(lam * np.diff(edges)))
    return edges, lam, len(means), total


def cluster_significance(
    db: FleetDB,
    model: ExposureModel,
    events: Sequence[datetime],
    *,
    window_days: float,
    k_in_window: int = 2,
    series: Sequence[str] = SERIES_ALL,
    since: datetime | None = None,
    until: datetime | None = None,
    rng: np.random.Generator,
    n_sim: int = 200_000,
) -> ClusterResult:
    """How surprising is the observed cluster if every event was an MMOD penetration?

    * P(N ≥ n_events) for the fleet count N over [since, until] (Poisson with the summed flight
      means, and Gamma–Poisson with the (lo, hi) interval as rate uncertainty);
    * P(some window of `window_days` holds ≥ `k_in_window` events) by Monte Carlo over the
      fleet's day-by-day intensity (docked vehicles × per-flight rate), at the mean rate and at
      the high end of the interval, and given exactly the observed number of events (which
      asks only whether they are bunched in time, whatever the rate).

    `since`/`until` default to the start of the fleet record (its first docking in the selected
    series) and the last event; ``exposure`` gives the docked vehicle-days of that span
    (`docked_vehicle_days`, the one fleet denominator).
    """
    if not events:
        raise InputError("cluster_significance: no events given")
    ev = sorted(aware_utc(e) for e in events)  # type: ignore[type-var]
    flights = [f for f in db.flights() if f.vehicle.design_series in series and f.dock]
    if not flights:
        raise InputError("cluster_significance: no docked flights in the selected series")
    start = aware_utc(since) if since is not None else record_span(flights)[0]
    stop = aware_utc(until) if until is not None else ev[-1]
    assert start is not None and stop is not None
    if stop <= start:
        raise InputError("cluster_significance: until must be after since")
    rows = fleet_exposures(db, model, series=series, since=start, until=stop)
    mean = sum(r.mean for r in rows)
    lo = sum(r.lo for r in rows)
    hi = sum(r.hi for r in rows)
    edges, lam, n_flights, _ = _intensity(db, model, series, start, stop)
    exposure = docked_vehicle_days(db, series=series, since=start, until=stop)
    n = len(ev)
    p_scan = scan_pvalue(edges, lam, window_days, k_in_window, rng=rng, n_sim=n_sim)
    scale = hi / mean if mean > 0 else 0.0
    p_scan_hi = scan_pvalue(edges, lam * scale, window_days, k_in_window, rng=rng, n_sim=n_sim)
    p_scan_n = scan_pvalue(
        edges, lam, window_days, k_in_window, rng=rng, n_sim=n_sim, n_events=len(ev)
    )
    return ClusterResult(
        n_events=n,
        window_days=window_days,
        k_in_window=k_in_window,
        expected=(mean, lo, hi),
        count_pvalue_poisson=count_pvalue(n, mean),
        count_pvalue_uncertain=count_pvalue(n, mean, lo, hi) if lo > 0 else float("nan"),
        count_cdf_uncertain=1.0 - count_pvalue(n + 1, mean, lo, hi) if lo > 0 else float("nan"),
        scan_pvalue_mean=p_scan,
        scan_pvalue_hi=p_scan_hi,
        scan_pvalue_given_n=p_scan_n,
        n_flights=n_flights,
        span=(start, stop),
        n_sim=n_sim,
        model=model.fingerprint(),
        exposure=exposure.to_dict(),
    )


@dataclass(frozen=True)
class ProductionResult:
    """The production-change posterior and the sequence it was fitted to."""

    vehicles: tuple[str, ...]
    series: tuple[str, ...]
    exposure_days: tuple[float, ...]
    counts: tuple[int, ...]
    posterior_change: float
    change_after: str  # the last vehicle before the most probable change
    change_before: str  # the first vehicle after it
    change_point_posterior: tuple[float, ...]
    rate_before_per_day: float
    rate_after_per_day: float
    design_bayes_factor: float | None
    prior: dict[str, float]
    event_filter: str
    exposure: dict[str, Any] = field(default_factory=dict)  # `VehicleDays.to_dict`

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def production_change(
    db: FleetDB,
    *,
    system_keywords: Sequence[str] = ("coolant", "thermal-control"),
    findings: Sequence[str] = ("impact", "defect", "unknown"),
    series: Sequence[str] = ("Soyuz MS", "Progress MS", "Soyuz TMA-M", "Progress M"),
    since: datetime | None = None,
    until: datetime | None = None,
    estimator: ProductionChangePoint | None = None,
) -> ProductionResult:
    """Fit `ProductionChangePoint` to the vehicles in launch order (the production sequence:
    serials are missing for many vehicles, launch order follows production closely), with each
    vehicle's docked days over [since, until] (`docked_vehicle_days`: the record's span when
    not given) as exposure and the count of its incidents whose system names one of
    `system_keywords` and whose official finding is in `findings`.

    The default counts the MS-22 and MS-21 coolant-loop losses whatever their official cause, so
    the answer is "if these were defects, did the rate change, and where?". Design series are the
    covariate (``design_bayes_factor_``: one rate per series versus one rate for all).
    """
    est = estimator if estimator is not None else ProductionChangePoint()
    incidents = db.incidents()
    counts: dict[str, int] = {}
    kw = [k.lower() for k in system_keywords]
    for inc in incidents:
        if inc.official_finding in findings and any(k in inc.system.lower() for k in kw):
            counts[inc.vehicle.name] = counts.get(inc.vehicle.name, 0) + 1
    names, ser, days, ys = [], [], [], []
    exposure = docked_vehicle_days(db, series=tuple(series), since=since, until=until)
    for vehicle, s, _launch, d in exposure.by_flight:
        if d <= 0:
            continue
        names.append(vehicle)
        ser.append(s)
        days.append(d)
        ys.append(counts.get(vehicle, 0))
    est.fit(days, ys, groups=ser)
    tau = est.map_change_index_
    return ProductionResult(
        vehicles=tuple(names),
        series=tuple(ser),
        exposure_days=tuple(days),
        counts=tuple(ys),
        posterior_change=est.posterior_change_,
        change_after=names[tau - 1],
        change_before=names[tau],
        change_point_posterior=tuple(float(x) for x in est.change_point_posterior_),
        rate_before_per_day=est.rate_before_,
        rate_after_per_day=est.rate_after_,
        design_bayes_factor=est.design_bayes_factor_,
        prior={"shape": est.prior_shape, "rate": est.prior_rate_used_, "p_change": est.p_change},
        event_filter=f"system contains {list(system_keywords)}, finding in {list(findings)}",
        exposure=exposure.to_dict(),
    )


#: The coolant-loop leaks of the Soyuz/Progress external loops (incidents.csv).
COOLANT_LEAKS_UTC = ("2022-12-15T00:45:00Z", "2023-02-11T09:40:00Z")
#: Kept for callers of earlier versions; the statistics now start where the fleet record does
#: (`record_span`), the same span for every analysis.
FLEET_START_UTC = "2008-11-30T12:28:00Z"


def fleet_summary(
    rate_per_day: tuple[float, float, float] | None = None,
    *,
    model: ExposureModel | None = None,
    db: FleetDB | None = None,
    events_utc: Sequence[str] = COOLANT_LEAKS_UTC,
    window_days: float = 58.0,
    rng: np.random.Generator,
    n_sim: int = 200_000,
) -> dict[str, Any]:
    """The fleet numbers an investigation reports, in one call.

    Give the radiator penetration rate per docked day (mean, lo, hi) [d⁻¹] (e.g. from
    `rate_from_risk_result`) or an `ExposureModel`. Uses the bundled fleet in memory unless `db`
    is given. Returns ``cluster_p_value`` (P of ≥ 2 events within `window_days` under the
    impact-only hypothesis at the mean rate), ``cluster_p_value_given_n`` (the same given the
    observed number of events), ``count_p_value`` (P(N ≥ observed), rate uncertain),
    ``count_cdf`` (P(N ≤ observed): is the rate compatible with so few events?),
    ``production_change_probability``, the full ``cluster`` and ``production_change`` dicts and
    ``exposure``: the docked vehicle-days every number rests on (`docked_vehicle_days` from the
    start of the record to the last event, per design series and family, with its dates).
    """
    from breachkit._core.timeutil import parse_utc
    from breachkit.fleet.db import open_db
    from breachkit.fleet.exposure import RateExposureModel

    if (rate_per_day is None) == (model is None):
        raise InputError("fleet_summary: give rate_per_day or model (one of them)")
    m: ExposureModel = model if model is not None else RateExposureModel(rate_per_day)  # type: ignore[arg-type]
    d = db if db is not None else open_db("sqlite://", bundled=True)
    events = [parse_utc(t, field="events_utc") for t in events_utc]
    start = record_span(d.flights())[0]
    stop = max(events)
    cl = cluster_significance(
        d, m, events, window_days=window_days, since=start, until=stop, rng=rng, n_sim=n_sim
    )
    pc = production_change(d, since=start, until=stop)
    exposure = docked_vehicle_days(d, since=start, until=stop)
    return {
        "cluster_p_value": cl.scan_pvalue_mean,
        "cluster_p_value_given_n": cl.scan_pvalue_given_n,
        "count_p_value": cl.count_pvalue_uncertain,
        "count_cdf": cl.count_cdf_uncertain,
        "production_change_probability": pc.posterior_change,
        "cluster": cl.to_dict(),
        "production_change": pc.to_dict(),
        "exposure": exposure.to_dict(),
        "sources": {
            "fleet": "breachkit bundled fleet record (fleet.csv: every Soyuz TMA-M, Soyuz MS, "
            "Progress M-M and Progress MS flight, one row per docking, each with its source)",
            "events": "incidents.csv: Soyuz MS-22 2022-12-15, Progress MS-21 2023-02-11",
        },
    }
