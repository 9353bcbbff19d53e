"""Exposure of each flight: docked intervals and port → expected radiator penetrations.

The risk engine (`breachkit.risk`) computes penetrations for a vehicle at a port; it plugs in here
through the `ExposureModel` protocol: a callable ``model(flight) -> (mean, lo, hi)`` [expected
penetrations over the flight's docked time] with a ``fingerprint()`` of every parameter that changes
the answer. `fleet_exposures` caches each flight's answer in the database keyed by the sha256 of
(model fingerprint, flight intervals), so a fleet run does not recompute unchanged flights.

`RateExposureModel` is the simple documented default: a radiator penetration rate per docked day
[d⁻¹] with an interval (mean, lo, hi), supplied by the caller (e.g. from ``breachkit risk`` for one
representative port), times the docked days, times an optional per-port and per-design-series
factor (1 when not given). It assumes the rate is the same on every day of the flight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import select

from breachkit._core.errors import InputError
from breachkit.fleet.db import FleetDB, aware_utc, naive_utc
from breachkit.fleet.models import ExposureCache, Flight
from breachkit.fleet.records import DESIGN_SERIES

__all__ = [
    "DENOMINATOR",
    "FLEET_SERIES",
    "ExposureModel",
    "ExposureRow",
    "FlightExposure",
    "RateExposureModel",
    "RiskCaseExposure",
    "VehicleDays",
    "docked_vehicle_days",
    "fleet_exposures",
    "flight_exposure",
    "rate_from_risk_result",
    "record_span",
]

DAY_S = 86400.0


@dataclass(frozen=True)
class FlightExposure:
    """What an exposure model needs of one flight: vehicle, series and docked intervals [UTC]."""

    vehicle: str
    design_series: str
    launch: datetime
    intervals: tuple[tuple[str, datetime, datetime], ...]
    complete: bool  # False when an interval's end was unknown and was cut at `until`

    @property
    def docked_days(self) -> float:
        """Total docked time [d]."""
        return sum((b - a).total_seconds() for _, a, b in self.intervals) / DAY_S

    def days_by_port(self) -> dict[str, float]:
        """Docked time per port [d]."""
        out: dict[str, float] = {}
        for port, a, b in self.intervals:
            out[port] = out.get(port, 0.0) + (b - a).total_seconds() / DAY_S
        return out

    def key_data(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle,
            "series": self.design_series,
            "intervals": [(p, a.isoformat(), b.isoformat()) for p, a, b in self.intervals],
        }


def flight_exposure(
    flight: Flight, *, since: datetime | None = None, until: datetime | None = None
) -> FlightExposure:
    """The docked intervals of a database flight, clipped to [since, until].

    An interval with no recorded end belongs to a flight the record says is still docked as of
    a date (``Flight.as_of``): it is closed there (the record knows nothing later). A legacy
    record without that date is closed at the flight's end date when known, else at `until`;
    without either it is dropped and the exposure is marked incomplete.
    """
    lo = aware_utc(naive_utc(since)) if since is not None else None
    hi = aware_utc(naive_utc(until)) if until is not None else None
    out: list[tuple[str, datetime, datetime]] = []
    complete = True
    for d in flight.dockings:
        a = aware_utc(d.start)
        b = aware_utc(d.end) or aware_utc(flight.as_of) or aware_utc(flight.end)
        assert a is not None
        if b is None:
            complete = False
            if hi is None:
                continue
            b = hi
        if lo is not None:
            a = max(a, lo)
        if hi is not None:
            b = min(b, hi)
        if b > a:
            out.append((d.port, a, b))
    launch = aware_utc(flight.launch)
    assert launch is not None
    return FlightExposure(
        flight.vehicle.name, flight.vehicle.design_series, launch, tuple(out), complete
    )


@runtime_checkable
class ExposureModel(Protocol):
    """Expected radiator penetrations of one flight: ``model(flight) -> (mean, lo, hi)``.

    ``fingerprint()`` returns the JSON-able parameters that change the result (it keys the cache).
    """

    def __call__(self, flight: FlightExposure) -> tuple[float, float, float]: ...

    def fingerprint(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class RateExposureModel:
    """Penetrations = rate [d⁻¹] × docked days × port factor × series factor.

    Parameters
    ----------
    rate_per_day
        (mean, lo, hi) radiator penetrations per docked day [d⁻¹], lo ≤ mean ≤ hi, e.g. a
        `breachkit risk` result for the radiator divided by its exposure time.
    port_factors
        Multiplier per port name (``rassvet_nadir``...), for port-dependent shadowing; 1 if absent.
    series_factors
        Multiplier per design series (``Progress M``...), e.g. for a shielding change; 1 if absent.
    source
        Where the rate comes from (kept in the fingerprint and in reports).
    """

    rate_per_day: tuple[float, float, float]
    port_factors: Mapping[str, float] = field(default_factory=dict)
    series_factors: Mapping[str, float] = field(default_factory=dict)
    source: str = "caller-supplied rate"

    def __post_init__(self) -> None:
        m, lo, hi = self.rate_per_day
        if not (0.0 <= lo <= m <= hi) or not all(map(_finite, self.rate_per_day)):
            raise InputError(
                f"rate_per_day: need 0 <= lo <= mean <= hi, got {tuple(self.rate_per_day)}"
            )
        for name, f in {**self.port_factors, **self.series_factors}.items():
            if not (_finite(f) and f >= 0):
                raise InputError(f"exposure factor {name!r}: {f!r} must be a finite number >= 0")

    def __call__(self, flight: FlightExposure) -> tuple[float, float, float]:
        s = self.series_factors.get(flight.design_series, 1.0)
        eff_days = sum(d * self.port_factors.get(p, 1.0) for p, d in flight.days_by_port().items())
        m, lo, hi = self.rate_per_day
        return (m * eff_days * s, lo * eff_days * s, hi * eff_days * s)

    def fingerprint(self) -> dict[str, Any]:
        return {
            "model": "RateExposureModel",
            "rate_per_day": list(self.rate_per_day),
            "port_factors": dict(sorted(self.port_factors.items())),
            "series_factors": dict(sorted(self.series_factors.items())),
        }


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")


@dataclass(frozen=True)
class ExposureRow:
    """One flight's exposure and expected penetrations (mean, lo, hi)."""

    vehicle: str
    design_series: str
    launch: datetime
    docked_days: float
    mean: float
    lo: float
    hi: float
    complete: bool
    cached: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fleet_exposures(
    db: FleetDB,
    model: ExposureModel,
    *,
    series: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ExposureRow]:
    """Expected penetrations of every docked flight (optionally only some design series).

    Results are cached in the database's ``exposure_cache`` table under the sha256 of the model
    fingerprint and the flight's clipped intervals; a cached flight is not recomputed.
    """
    if not isinstance(model, ExposureModel):
        raise InputError("exposure model: needs __call__(flight) and fingerprint()")
    fp = model.fingerprint()
    rows: list[ExposureRow] = []
    todo: list[tuple[int, str, str, tuple[float, float, float]]] = []
    flights = db.flights()
    with db.read() as s:
        for f in flights:
            if series is not None and f.vehicle.design_series not in series:
                continue
            fe = flight_exposure(f, since=since, until=until)
            if not fe.intervals:
                continue
            key = FleetDB.hash_inputs({"model": fp, "flight": fe.key_data()})
            hit = s.get(ExposureCache, key)
            if hit is not None:
                val = (hit.mean, hit.lo, hit.hi)
                cached = True
            else:
                val = tuple(float(x) for x in model(fe))  # type: ignore[assignment]
                todo.append((f.id, key, repr(fp), val))
                cached = False
            rows.append(
                ExposureRow(
                    fe.vehicle,
                    fe.design_series,
                    fe.launch,
                    fe.docked_days,
                    *val,
                    complete=fe.complete,
                    cached=cached,
                )
            )
    if todo:

        def store(session: Any) -> None:
            now = naive_utc(datetime.now(UTC))
            for fid, key, name, (m, lo, hi) in todo:
                if session.scalar(select(ExposureCache).where(ExposureCache.key == key)) is None:
                    session.add(
                        ExposureCache(
                            key=key, flight_id=fid, model=name, mean=m, lo=lo, hi=hi, created=now
                        )
                    )

        db.write(store)
    return rows


def rate_from_risk_result(
    result: Any, regions: Sequence[str], *, window: str | None = None
) -> tuple[float, float, float]:
    """Failures per day (mean, lo, hi) [d⁻¹] of `regions` from a `breachkit.risk.RiskResult`.

    Duck-typed on the risk result (``windows`` with ``label``, ``duration_s``,
    ``expected_failures``, ``interval``; ``region_failures(region, window)``): the regions'
    expected failures over the chosen window (all windows when None) divided by its length; the
    interval is the result's interval for all evaluated regions scaled by the regions' share.
    """
    windows = [w for w in result.windows if window is None or w.label == window]
    if not windows:
        raise InputError(f"risk result: no window {window!r}")
    names = set(result.region_names)
    for r in regions:
        if r not in names:
            raise InputError(f"risk result: {r!r} is not an evaluated region")
    days = sum(w.duration_s for w in windows) / DAY_S
    if days <= 0:
        raise InputError("risk result: zero exposure time")
    mean = lo = hi = 0.0
    for w in windows:
        sel = sum(float(result.region_failures(r, w.label)) for r in regions)
        total = float(w.expected_failures)
        share = sel / total if total > 0 else 0.0
        mean += sel
        lo += share * float(w.interval[0])
        hi += share * float(w.interval[1])
    return (mean / days, min(lo, mean) / days, max(hi, mean) / days)


@dataclass
class RiskCaseExposure:
    """`ExposureModel` backed by the risk engine: runs ``breachkit.risk.run_case(case_dir)`` once
    (lazily), converts the failures of `regions` in `window` into a rate per docked day
    (`rate_from_risk_result`) and applies it to each flight's docked days like
    `RateExposureModel`. The fingerprint is the sha256 of the case file, the regions, the window
    and the breachkit version, so the cache is invalidated when any of them changes.
    """

    case_dir: str
    regions: tuple[str, ...]
    window: str | None = None
    _rate: tuple[float, float, float] | None = None

    def rate(self) -> tuple[float, float, float]:
        if self._rate is None:
            try:
                from breachkit.risk import run_case  # type: ignore[attr-defined,unused-ignore]
            except ImportError:  # pragma: no cover - depends on the risk part being present
                from breachkit.risk.config import run_case  # type: ignore[import-not-found,unused-ignore]
            self._rate = rate_from_risk_result(run_case(self.case_dir), self.regions,
                                               window=self.window)  # fmt: skip
        return self._rate

    def __call__(self, flight: FlightExposure) -> tuple[float, float, float]:
        return RateExposureModel(self.rate())(flight)

    def fingerprint(self) -> dict[str, Any]:
        import hashlib
        from pathlib import Path

        from breachkit import __version__

        p = Path(self.case_dir)
        p = p / "case.toml" if p.is_dir() else p
        if not p.is_file():
            raise InputError(f"{p}: case file not found")
        return {
            "model": "RiskCaseExposure",
            "case_sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
            "regions": list(self.regions),
            "window": self.window,
            "breachkit": __version__,
        }


#: The one definition of the fleet's exposure denominator, used by every fleet analysis.
DENOMINATOR = (
    "docked vehicle-days: the sum over every docked interval in the fleet record (each docking "
    "of a flight, relocations included) of its length in days, clipped to [since, until]; an "
    "interval of a flight still docked is counted up to the date the record says it was still "
    "docked ('docked as of'), never beyond; flights that never docked count zero. Summed per "
    "design series (Soyuz TMA-M, Soyuz MS, Progress M (the M-M), Progress MS) and per family "
    "(Soyuz, Progress)."
)


@dataclass(frozen=True)
class VehicleDays:
    """Docked vehicle-days of the fleet record over [since, until] (see `DENOMINATOR`).

    ``since``/``until`` are the dates actually covered: the requested ones clipped to the
    record (its first docking and the latest date it covers). ``by_flight`` holds each flight's
    (vehicle, design series, launch, docked days) in launch order.
    """

    since: datetime
    until: datetime
    by_series: dict[str, float]
    by_family: dict[str, float]
    by_flight: tuple[tuple[str, str, datetime, float], ...]
    n_flights: dict[str, int]
    definition: str = DENOMINATOR

    @property
    def total(self) -> float:
        """All selected design series together [d]."""
        return float(sum(self.by_series.values()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "total_days": self.total,
            "by_series_days": dict(self.by_series),
            "by_family_days": dict(self.by_family),
            "n_flights": dict(self.n_flights),
            "definition": self.definition,
        }


#: The design series of the fleet record (every fleet analysis uses these unless told).
FLEET_SERIES = ("Soyuz TMA-M", "Soyuz MS", "Progress M", "Progress MS")


def record_span(flights: Sequence[Flight]) -> tuple[datetime, datetime]:
    """(first docking, latest date covered) of the fleet record: the latest undocking or
    'docked as of' date [UTC]."""
    starts, ends = [], []
    for f in flights:
        for d in f.dockings:
            starts.append(aware_utc(d.start))
            ends.append(aware_utc(d.end) or aware_utc(f.as_of) or aware_utc(f.end))
        if f.as_of is not None:
            ends.append(aware_utc(f.as_of))
    got = [e for e in ends if e is not None]
    if not starts or not got:
        raise InputError("fleet record: no docked flights")
    return min(starts), max(got)  # type: ignore[type-var,return-value]


def docked_vehicle_days(
    db: FleetDB | Sequence[Flight],
    *,
    series: Sequence[str] = FLEET_SERIES,
    since: datetime | None = None,
    until: datetime | None = None,
) -> VehicleDays:
    """Docked vehicle-days [d] per design series and family over [since, until] (`DENOMINATOR`).

    The one exposure function of the fleet analyses: the defect-rate denominator of the
    attribution, the production-change sequence and the cluster statistics all call it.
    `since`/`until` default to the span of the record (`record_span`) and are clipped to it.
    A flight record with an open interval and no 'docked as of' date is an error (the reader
    refuses such rows, so only a hand-made database can hold one).
    """
    flights = list(db.flights()) if isinstance(db, FleetDB) else list(db)
    first, last = record_span(flights)
    lo, hi = first, last
    s_since = aware_utc(naive_utc(since))
    s_until = aware_utc(naive_utc(until))
    if s_since is not None:
        lo = max(first, s_since)
    if s_until is not None:
        hi = min(last, s_until)
    by_series = {s: 0.0 for s in series}
    n = {s: 0 for s in series}
    rows = []
    for f in sorted(flights, key=lambda f: f.launch):
        s = f.vehicle.design_series
        if s not in by_series:
            continue
        fe = flight_exposure(f, since=lo, until=hi)
        if not fe.complete:
            raise InputError(
                f"fleet record: {fe.vehicle} has a docking without an end and no 'docked as of' "
                "date"
            )
        by_series[s] += fe.docked_days
        n[s] += fe.docked_days > 0
        rows.append((fe.vehicle, s, fe.launch, fe.docked_days))
    by_family: dict[str, float] = {}
    for s, v in by_series.items():
        fam = DESIGN_SERIES.get(s, s)
        by_family[fam] = by_family.get(fam, 0.0) + v
    return VehicleDays(lo, hi if hi > lo else lo, by_series, by_family, tuple(rows), n)
