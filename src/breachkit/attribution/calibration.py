"""Simulation-based calibration of the impact-versus-defect attribution (validation that is not
circular: the incidents are drawn from a stated generative model, the attribution never sees
their cause, and its posteriors are scored against the causes).

**Generative model** (`IncidentSimulator`), one synthetic incident:

1. a *world*: the impact and defect rates λ_I, λ_D [d⁻¹] drawn from their priors (`RatePrior`,
   Gamma);
2. a *flight*: drawn uniformly from the fleet record's docked flights (docked days T and dates);
   the flight has N_I ~ Poisson(λ_I T) impact failures and N_D ~ Poisson(λ_D T) defect failures;
   flights with none are discarded (rejection: an incident is what is investigated), and the
   cause of the incident is impact with probability N_I / (N_I + N_D);
3. *time*: under impact the event time has density ∝ the impact rate λ(t) (showers modulate the
   meteoroid part, `shower_modulation`), under defect it is uniform over the docked time;
4. *location*: the part of the system (`LocationModel`): ∝ expected failures under impact,
   ∝ susceptible area × flaw density under defect;
5. *hole size*: impact — a power law above d_min with index α (or samples); defect —
   log-uniform; the inspection measures it with a lognormal error σ;
6. *telemetry*: the hole opens suddenly with probability p_sudden (impact / defect), otherwise
   it grows (linear or exponential law, rate log-uniform in ``growth_rate_range_s``); the loop
   pressure is simulated with `breachkit.telemetry.simulate.simulate_leak` and fitted with
   `breachkit.telemetry.analysis.analyze`, whose Bayes factor sudden:growing is the telemetry
   evidence.

**Blind attribution** (`BlindAttribution`): the shipped attribution, `Attribution.fit(priors,
evidence)` = prior share × product of the likelihood ratios of `ImpactTiming`, `Location`,
`HoleSize` and `TelemetrySignature`, each recomputed from the synthetic observation alone.

**Scores** (`brier_score`, `expected_calibration_error`, `reliability_table`, `roc_auc`) and the
estimator `CalibrationStudy` (``fit`` returns self; ``brier_``, ``ece_``, ``auc_``,
``reliability_``, ``per_regime_``).

A full telemetry fit takes ~0.7 s on one shared core, so 1,000 incidents cost ~12 min. The
cheaper honest path (``telemetry="bank"``): a bank of full fits of simulated series (both
signatures, hole sizes over the whole range) is made first, and each incident takes the Bayes
factor of a bank member of its own signature with the nearest hole size (one of the k nearest, at
random). ``telemetry="fit"`` fits every incident's own series.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit.attribution.evidence import (
    Evidence,
    HoleSize,
    ImpactTiming,
    Location,
    TelemetrySignature,
)
from breachkit.attribution.physical import LocationModel
from breachkit.attribution.scoring import (
    brier_score,
    ece_null,
    expected_calibration_error,
    plot_reliability,
    reliability_table,
    roc_auc,
)
from breachkit.attribution.verdict import Attribution, RatePrior

__all__ = [
    "BlindAttribution",
    "CalibrationStudy",
    "FleetFlights",
    "IncidentSimulator",
    "SyntheticIncidents",
    "TelemetryModel",
    "brier_score",
    "ece_null",
    "expected_calibration_error",
    "incident_prior_share",
    "plot_reliability",
    "reliability_table",
    "roc_auc",
    "shower_modulation",
]

DAY_S = 86400.0


# -- the fleet and the timing -------------------------------------------------------------------
@dataclass(frozen=True)
class FleetFlights:
    """Docked flights: name, start and end of docked time [UTC, numpy datetime64], docked days."""

    names: tuple[str, ...]
    start: NDArray[Any]
    end: NDArray[Any]

    @property
    def docked_days(self) -> NDArray[np.float64]:
        return np.asarray((self.end - self.start) / np.timedelta64(1, "s"), float) / DAY_S

    @classmethod
    def bundled(
        cls,
        series: Sequence[str] = ("Soyuz TMA-M", "Soyuz MS", "Progress M", "Progress MS"),
        until: str = "2023-12-31T00:00:00Z",
    ) -> FleetFlights:
        """The bundled fleet record's flights of `series` (first to last docked instant)."""
        from breachkit._core.timeutil import parse_utc
        from breachkit.attribution.case import _bundled_fleet
        from breachkit.fleet.exposure import flight_exposure

        names, a, b = [], [], []
        for f in _bundled_fleet().flights():
            if f.vehicle.design_series not in series:
                continue
            e = flight_exposure(f, until=parse_utc(until))
            if not e.intervals or e.docked_days <= 0:
                continue
            names.append(e.vehicle)
            a.append(np.datetime64(e.intervals[0][1].replace(tzinfo=None), "s"))
            b.append(np.datetime64(e.intervals[-1][2].replace(tzinfo=None), "s"))
        if not names:
            raise InputError(f"fleet record: no docked flights of {list(series)}")
        return cls(tuple(names), np.asarray(a), np.asarray(b))


def shower_modulation(
    times: NDArray[Any],
    *,
    meteoroid_share: float,
    reach_fraction: float,
    mass_kg: float = 3.35e-8,
    altitude_m: float = 418e3,
) -> NDArray[np.float64]:
    """Relative impact-failure rate at `times` (datetime64): 1 + s·f·Σ_showers r(t) [-], with r the
    shower/sporadic flux ratio above `mass_kg` (`breachkit.environment.showers`), s the meteoroid
    share of the failures (risk engine) and f the fraction of shower flux reaching the face."""
    from breachkit.environment.showers import load_showers, shower_to_sporadic_ratio

    total = np.zeros(len(times))
    for code in load_showers():
        total += np.asarray(shower_to_sporadic_ratio(code, mass_kg, times, altitude_m), float)
    return 1.0 + meteoroid_share * reach_fraction * total


# -- the generative model ---------------------------------------------------------------------
def _log_uniform(
    rng: np.random.Generator, bounds: tuple[float, float], n: int
) -> NDArray[np.float64]:
    lo, hi = bounds
    return np.exp(rng.uniform(math.log(lo), math.log(hi), n))


@dataclass(frozen=True)
class TelemetryModel:
    """The leak simulator's settings for synthetic loop-pressure records (MS-22-like loop)."""

    liquid_volume_m3: float = 0.044
    gas_volume_m3: float = 0.0005
    density_kg_m3: float = 1000.0
    p0_pa: float = 3 * 101325.0
    duration_s: float = 12 * 3600.0
    sample_interval_s: float = 60.0
    onset_range_s: tuple[float, float] = (1 * 3600.0, 6 * 3600.0)
    noise_sigma_pa: float = 600.0
    quantum_pa: float = 100.0
    growth_rate_range_s: tuple[float, float] = (1e-4, 3e-3)
    max_bins: int = 400

    def bayes_factor(
        self, hole_m: float, sudden: bool, law: str, rate_s: float, rng: np.random.Generator
    ) -> float:
        """Simulate one record and fit it: Bayes factor sudden : growing (1 when no leak is
        detected, i.e. the record says nothing about the signature)."""
        from breachkit.telemetry import LiquidLoop
        from breachkit.telemetry.analysis import analyze
        from breachkit.telemetry.simulate import simulate_leak

        v = LiquidLoop(self.liquid_volume_m3, self.gas_volume_m3, self.density_kg_m3)
        sim = simulate_leak(
            v,
            p0_pa=self.p0_pa,
            hole_diameter_m=hole_m,
            onset_s=float(rng.uniform(*self.onset_range_s)),
            duration_s=self.duration_s,
            sample_interval_s=self.sample_interval_s,
            rng=rng,
            growth_law="constant" if sudden else law,  # type: ignore[arg-type]
            growth_rate_s=0.0 if sudden else rate_s,
            noise_sigma_pa=self.noise_sigma_pa,
            quantum_pa=self.quantum_pa,
        )
        # the growth-rate search of the fit may evaluate exp(r t) at candidates whose product
        # overflows; the fit discards those candidates (inf cost), so the overflow is silenced
        with np.errstate(over="ignore"):
            a = analyze(sim.to_series(), v, max_bins=self.max_bins)
        if not a.leak or a.growing_bayes_factor is None:
            return 1.0
        return float(np.clip(1.0 / a.growing_bayes_factor, 1e-12, 1e12))


@dataclass(frozen=True)
class SyntheticIncidents:
    """Drawn incidents (one entry each); ``impact`` is the hidden truth."""

    impact: NDArray[np.bool_]
    flight: NDArray[np.intp]
    timing_lr: NDArray[np.float64]
    part: NDArray[np.intp]
    hole_true_m: NDArray[np.float64]
    hole_measured_m: NDArray[np.float64]
    sudden: NDArray[np.bool_]
    growth_law: NDArray[np.str_]
    growth_rate_s: NDArray[np.float64]
    rates: NDArray[np.float64]  # (n, 2) λ_I, λ_D of each incident's world [d⁻¹]
    bayes_factor: NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return int(self.impact.size)


@dataclass
class IncidentSimulator:
    """The generative model of incidents (see module docstring); ``sample(n, rng=...)``."""

    impact_rate: RatePrior
    defect_rate: RatePrior
    flights: FleetFlights
    location: LocationModel
    p_sudden_impact: float = 0.95
    p_sudden_defect: float = 0.5
    impact_hole_min_m: float = 0.3e-3
    impact_hole_alpha: float = 2.5
    impact_hole_samples_m: NDArray[np.float64] | None = None
    defect_hole_range_m: tuple[float, float] = (0.05e-3, 10e-3)
    hole_sigma_log: float = 0.25
    meteoroid_share: float = 0.46
    reach_fraction: float = 0.5
    timing_step_s: float = 6 * 3600.0
    growth_rate_range_s: tuple[float, float] = (1e-4, 3e-3)
    _profiles: dict[int, NDArray[np.float64]] = field(default_factory=dict, repr=False)

    def _profile(self, j: int) -> NDArray[np.float64]:
        if j not in self._profiles:
            a, b = self.flights.start[j], self.flights.end[j]
            n = max(2, int((b - a) / np.timedelta64(int(self.timing_step_s), "s")) + 1)
            t = a + (np.arange(n) * (b - a) / (n - 1)).astype("timedelta64[s]")
            self._profiles[j] = shower_modulation(
                t, meteoroid_share=self.meteoroid_share, reach_fraction=self.reach_fraction
            )
        return self._profiles[j]

    def _worlds(self, n: int, rng: np.random.Generator) -> tuple[NDArray[Any], ...]:
        (ai, bi), (ad, bd) = self.impact_rate.gamma(), self.defect_rate.gamma()
        days = self.flights.docked_days
        keep_i, keep_f, keep_r = [], [], []
        got, tries = 0, 0
        while got < n:
            m = max(10_000, 20 * (n - got))
            lam = np.column_stack([rng.gamma(ai, 1 / bi, m), rng.gamma(ad, 1 / bd, m)])
            j = rng.integers(0, days.size, m)
            counts = rng.poisson(lam * days[j, None])
            tot = counts.sum(axis=1)
            ok = tot > 0
            imp = rng.random(m) * np.maximum(tot, 1) < counts[:, 0]
            keep_i.append(imp[ok])
            keep_f.append(j[ok])
            keep_r.append(lam[ok])
            got += int(ok.sum())
            tries += 1
            if tries > 1000:
                raise InputError("incident simulator: rates too small to produce incidents")
        return (
            np.concatenate(keep_i)[:n],
            np.concatenate(keep_f)[:n],
            np.concatenate(keep_r)[:n],
        )

    def _holes(self, impact: NDArray[np.bool_], rng: np.random.Generator) -> NDArray[np.float64]:
        n = impact.size
        lo, hi = self.defect_hole_range_m
        d = np.exp(rng.uniform(math.log(lo), math.log(hi), n))
        if self.impact_hole_samples_m is not None:
            di = rng.choice(np.asarray(self.impact_hole_samples_m, float), n)
        else:
            di = self.impact_hole_min_m * (1 - rng.random(n)) ** (-1 / self.impact_hole_alpha)
        return np.where(impact, di, d)

    def sample(self, n: int, *, rng: np.random.Generator) -> SyntheticIncidents:
        """Draw `n` incidents with the explicit generator `rng`."""
        if not isinstance(rng, np.random.Generator):
            raise InputError("IncidentSimulator.sample: rng must be a numpy.random.Generator")
        if n < 1:
            raise InputError(f"n: {n} must be >= 1")
        impact, flight, rates = self._worlds(n, rng)
        timing = np.empty(n)
        for k in range(n):
            prof = self._profile(int(flight[k]))
            if impact[k]:
                c = np.cumsum(prof)
                i = int(np.searchsorted(c, rng.random() * c[-1]))
            else:
                i = int(rng.integers(0, prof.size))
            timing[k] = prof[min(i, prof.size - 1)] / prof.mean()
        pi = np.asarray(self.location.expected_failures, float)
        pd = np.asarray(self.location.susceptible_area_m2, float) * self.location._w()
        part = np.where(
            impact,
            rng.choice(pi.size, n, p=pi / pi.sum()),
            rng.choice(pd.size, n, p=pd / pd.sum()),
        )
        hole = self._holes(impact, rng)
        measured = hole * np.exp(rng.normal(0.0, self.hole_sigma_log, n))
        sudden = rng.random(n) < np.where(impact, self.p_sudden_impact, self.p_sudden_defect)
        law = np.where(rng.random(n) < 0.5, "linear", "exponential")
        g = _log_uniform(rng, self.growth_rate_range_s, n)
        return SyntheticIncidents(
            impact, flight, timing, part, hole, measured, sudden, law, g, rates
        )


def incident_prior_share(
    impact_rate: RatePrior,
    defect_rate: RatePrior,
    docked_days: ArrayLike,
    *,
    rng: np.random.Generator,
    n: int = 200_000,
) -> float:
    """P(impact | an incident occurred on a flight of the fleet) under the rate priors [-]:

        E[λ_I (1 − e^(−ΛT)) / Λ] / E[1 − e^(−ΛT)],   Λ = λ_I + λ_D,

    over the rate priors and the flights (uniform). For small ΛT this is E[λ_I] / E[Λ]: the fact
    that an incident happened weights the rates by their size. The attribution's competing-risks
    share E[λ_I / Λ] (`Attribution`) equals it only when the rate uncertainty is small or the
    same for both causes (docs/attribution.md, "Calibration")."""
    (ai, bi), (ad, bd) = impact_rate.gamma(), defect_rate.gamma()
    t = np.asarray(docked_days, dtype=float)
    li, ld = rng.gamma(ai, 1 / bi, n), rng.gamma(ad, 1 / bd, n)
    lam = li + ld
    big_t = t[rng.integers(0, t.size, n)]
    w = -np.expm1(-lam * big_t)
    return float(np.sum(li / lam * w) / np.sum(w))


# -- telemetry: full fits or a bank of full fits -------------------------------------------------
def fit_telemetry(
    inc: SyntheticIncidents,
    model: TelemetryModel,
    *,
    rng: np.random.Generator,
    index: Sequence[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> NDArray[np.float64]:
    """Bayes factor sudden:growing from a full simulate-and-fit of each incident's own record."""
    idx = range(len(inc)) if index is None else index
    out = np.full(len(inc), np.nan)
    for c, k in enumerate(idx):
        out[k] = model.bayes_factor(
            float(inc.hole_true_m[k]),
            bool(inc.sudden[k]),
            str(inc.growth_law[k]),
            float(inc.growth_rate_s[k]),
            rng,
        )
        if progress is not None:
            progress(c)
    return out


@dataclass(frozen=True)
class TelemetryBank:
    """Full fits of simulated records: signature, hole size [m] and the Bayes factor."""

    sudden: NDArray[np.bool_]
    hole_m: NDArray[np.float64]
    bayes_factor: NDArray[np.float64]

    @classmethod
    def build(
        cls,
        model: TelemetryModel,
        n: int,
        *,
        rng: np.random.Generator,
        hole_range_m: tuple[float, float] = (0.05e-3, 10e-3),
    ) -> TelemetryBank:
        """`n` fits, half sudden and half growing, hole sizes log-uniform over `hole_range_m`."""
        sudden = np.arange(n) % 2 == 0
        d = _log_uniform(rng, hole_range_m, n)
        law = np.where(rng.random(n) < 0.5, "linear", "exponential")
        g = _log_uniform(rng, model.growth_rate_range_s, n)
        bf = np.array(
            [
                model.bayes_factor(float(d[k]), bool(sudden[k]), str(law[k]), float(g[k]), rng)
                for k in range(n)
            ]
        )
        return cls(sudden, d, bf)

    def draw(
        self, inc: SyntheticIncidents, *, rng: np.random.Generator, k: int = 3
    ) -> NDArray[np.float64]:
        """For each incident, the Bayes factor of one of the `k` bank fits of its signature with
        the nearest hole sizes (in ln d)."""
        out = np.empty(len(inc))
        for s in (True, False):
            pool = np.flatnonzero(self.sudden == s)
            if pool.size == 0:
                raise InputError("telemetry bank: no fits of one signature")
            ld = np.log(self.hole_m[pool])
            for i in np.flatnonzero(inc.sudden == s):
                near = np.argsort(np.abs(ld - math.log(inc.hole_true_m[i])))[: min(k, pool.size)]
                out[i] = self.bayes_factor[pool[rng.choice(near)]]
        return out


# -- the attribution, run blind --------------------------------------------------------------
@dataclass
class BlindAttribution:
    """The shipped attribution with its stated models; ``predict(incidents, rng=...)`` → P(impact).

    ``evidence`` picks the items: ``timing``, ``location``, ``hole``, ``telemetry``."""

    impact_rate: RatePrior
    defect_rate: RatePrior
    location: LocationModel
    p_sudden_impact: float = 0.95
    p_sudden_defect: float = 0.5
    impact_hole_min_m: float = 0.3e-3
    impact_hole_alpha: float = 2.5
    defect_hole_range_m: tuple[float, float] = (0.05e-3, 10e-3)
    hole_sigma_log: float = 0.25
    evidence: tuple[str, ...] = ("timing", "location", "hole", "telemetry")
    n_samples: int = 4000

    def items(self, inc: SyntheticIncidents, k: int) -> list[Evidence]:
        """The evidence items of incident `k`, from its observation only."""
        out: list[Evidence] = []
        if "timing" in self.evidence:
            out.append(ImpactTiming(float(inc.timing_lr[k]), 1.0))
        if "location" in self.evidence:
            part = self.location.parts[int(inc.part[k])]
            out.append(
                Location(part, self.location.p_impact([part]), self.location.p_defect([part]))
            )
        if "hole" in self.evidence:
            out.append(
                HoleSize(
                    float(inc.hole_measured_m[k]),
                    sigma_log=self.hole_sigma_log,
                    impact_min_m=self.impact_hole_min_m,
                    impact_alpha=self.impact_hole_alpha,
                    defect_min_m=self.defect_hole_range_m[0],
                    defect_max_m=self.defect_hole_range_m[1],
                )
            )
        if "telemetry" in self.evidence and inc.bayes_factor is not None:
            out.append(
                TelemetrySignature(
                    float(inc.bayes_factor[k]),
                    p_sudden_impact=self.p_sudden_impact,
                    p_sudden_defect=self.p_sudden_defect,
                )
            )
        return out

    def predict(self, inc: SyntheticIncidents, *, rng: np.random.Generator) -> NDArray[np.float64]:
        """Posterior P(impact) of each incident (`Attribution.fit`, common random numbers)."""
        priors = {"impact": self.impact_rate, "defect": self.defect_rate}
        state = rng.bit_generator.state
        out = np.empty(len(inc))
        for k in range(len(inc)):
            rng.bit_generator.state = state  # the same rate draws for every incident
            model = Attribution(n_samples=self.n_samples).fit(priors, self.items(inc, k), rng=rng)
            out[k] = model.posterior_impact_
        return out


# -- the study ---------------------------------------------------------------------------------
def _scores(p: NDArray[np.float64], y: NDArray[np.float64], n_bins: int) -> dict[str, Any]:
    return {
        "n": int(y.size),
        "base_rate": float(y.mean()),
        "mean_p": float(p.mean()),
        "brier": brier_score(p, y),
        "ece": expected_calibration_error(p, y, n_bins),
        "auc": roc_auc(p, y),
    }


@dataclass
class CalibrationStudy:
    """Draw incidents, attribute them blind, score (estimator conventions).

    Parameters: ``n_incidents``, ``n_bins`` (reliability bins), ``telemetry`` ("bank", "fit" or
    "none"), ``bank_size`` (bank fits), ``n_fit`` (incidents whose own record is also fitted,
    scored apart as ``fit_subset_``). Fitted: ``incidents_``, ``p_impact_``, ``y_``, ``brier_``,
    ``ece_``, ``ece_null_`` (ECE of a calibrated predictor with the same predictions), ``auc_``,
    ``reliability_``, ``per_regime_``, ``fit_subset_``.
    """

    n_incidents: int = 1000
    n_bins: int = 10
    telemetry: Literal["bank", "fit", "none"] = "bank"
    bank_size: int = 120
    n_fit: int = 0
    telemetry_model: TelemetryModel = field(default_factory=TelemetryModel)

    def fit(
        self,
        simulator: IncidentSimulator,
        attribution: BlindAttribution,
        *,
        rng: np.random.Generator,
        bank: TelemetryBank | None = None,
    ) -> CalibrationStudy:
        if not isinstance(rng, np.random.Generator):
            raise InputError("CalibrationStudy.fit: rng must be a numpy.random.Generator")
        inc = simulator.sample(self.n_incidents, rng=rng)
        if self.telemetry == "fit":
            inc = replace(inc, bayes_factor=fit_telemetry(inc, self.telemetry_model, rng=rng))
        elif self.telemetry == "bank":
            if bank is None:
                bank = TelemetryBank.build(self.telemetry_model, self.bank_size, rng=rng)
            self.bank_ = bank
            inc = replace(inc, bayes_factor=bank.draw(inc, rng=rng))
        p = attribution.predict(inc, rng=rng)
        y = inc.impact.astype(float)
        self.incidents_, self.p_impact_, self.y_ = inc, p, y
        s = _scores(p, y, self.n_bins)
        self.brier_, self.ece_, self.auc_ = s["brier"], s["ece"], s["auc"]
        self.reliability_ = reliability_table(p, y, self.n_bins)
        self.ece_null_ = ece_null(p, self.n_bins, rng=rng)
        self.per_regime_ = self._regimes(inc, p, y)
        self.fit_subset_ = None
        if self.n_fit > 0 and self.telemetry == "bank":
            idx = list(range(min(self.n_fit, len(inc))))
            own = fit_telemetry(inc, self.telemetry_model, rng=rng, index=idx)
            sub = replace(
                inc,
                **{
                    f: getattr(inc, f)[idx]
                    for f in SyntheticIncidents.__dataclass_fields__
                    if f != "bayes_factor"
                },
                bayes_factor=own[idx],
            )
            ps = attribution.predict(sub, rng=rng)
            self.fit_subset_ = {
                "own_fit": _scores(ps, y[idx], self.n_bins),
                "bank": _scores(p[idx], y[idx], self.n_bins),
            }
        return self

    def _regimes(
        self, inc: SyntheticIncidents, p: NDArray[np.float64], y: NDArray[np.float64]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        masks = {
            "impact": inc.impact,
            "defect, sudden hole": ~inc.impact & inc.sudden,
            "defect, growing hole": ~inc.impact & ~inc.sudden,
            "hole < 0.3 mm": inc.hole_measured_m < 0.3e-3,
            "hole 0.3-3 mm": (inc.hole_measured_m >= 0.3e-3) & (inc.hole_measured_m < 3e-3),
            "hole >= 3 mm": inc.hole_measured_m >= 3e-3,
        }
        for name, m in masks.items():
            if not np.any(m):
                continue
            out[name] = {
                "n": int(m.sum()),
                "base_rate": float(y[m].mean()),
                "mean_p_impact": float(p[m].mean()),
                "brier": brier_score(p[m], y[m]),
                "confidently_wrong": int(np.sum(np.abs(p[m] - y[m]) > 0.9)),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        rel = {k: [None if not np.isfinite(x) else float(x) for x in v]
               for k, v in self.reliability_.items()}  # fmt: skip
        return {
            **_scores(self.p_impact_, self.y_, self.n_bins),
            "telemetry": self.telemetry,
            "bank_size": self.bank_size if self.telemetry == "bank" else None,
            "confidently_wrong": int(np.sum(np.abs(self.p_impact_ - self.y_) > 0.9)),
            "ece_if_calibrated": self.ece_null_,
            "reliability": rel,
            "per_regime": self.per_regime_,
            "fit_subset": self.fit_subset_,
        }
