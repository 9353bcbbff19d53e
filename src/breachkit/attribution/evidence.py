"""Pieces of evidence for the impact-versus-defect question, each a likelihood ratio with a sentence.

Every evidence item gives the likelihood of what was observed under each hypothesis, relative to
the ``defect`` hypothesis (so ``likelihood_ratio`` = P(E | impact) / P(E | defect)). Causes other
than impact and defect that a user names (``"handling"``, ``"vent_hole"``...) take the defect
likelihood unless the item gives its own through ``others`` ({cause: P(E | cause) / P(E | defect)}).

``variants()`` lists each uncertain input of the item with a low and a high version of the item,
for the sensitivity table of the verdict.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = [
    "HARD_EVIDENCE_PRESETS",
    "Evidence",
    "HardEvidence",
    "HoleSize",
    "ImpactTiming",
    "Location",
    "ShowerTiming",
    "TelemetrySignature",
    "Variant",
]


@dataclass(frozen=True)
class Variant:
    """One uncertain input of an evidence item moved to the low and high end of its range."""

    input: str
    low_text: str
    high_text: str
    low: Evidence
    high: Evidence


def _check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise InputError(
            f"{name}: {value!r} must be a finite number {'>=' if allow_zero else '>'} 0"
        )
    return float(value)


def _check_probability(name: str, value: float) -> float:
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise InputError(f"{name}: {value!r} must be a probability in [0, 1]")
    return float(value)


class Evidence(ABC):
    """Base class: ``likelihood_ratio`` (impact vs defect), ``likelihoods``, ``explain``."""

    name: str
    source: str

    @abstractmethod
    def likelihood_ratio(self) -> float:
        """P(E | impact) / P(E | defect)."""

    @abstractmethod
    def explain(self) -> str:
        """One sentence: what was observed and why it favours one cause."""

    def variants(self) -> list[Variant]:
        """The uncertain inputs with their low/high versions (empty when nothing is uncertain)."""
        return []

    def likelihoods(self, hypotheses: Sequence[str]) -> NDArray[np.float64]:
        """Likelihood of E under each hypothesis, relative to ``defect`` (defect → 1)."""
        lr = self.likelihood_ratio()
        others: Mapping[str, float] = getattr(self, "others", {})
        out = []
        for h in hypotheses:
            if h == "impact":
                out.append(lr)
            elif h in others:
                out.append(float(others[h]))
            else:
                out.append(1.0)
        return np.asarray(out, dtype=float)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": type(self).__name__,
            "likelihood_ratio": self.likelihood_ratio(),
            "explanation": self.explain(),
            "source": self.source,
        }


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShowerTiming(Evidence):
    """Timing: was a meteor shower active, and could its particles reach the damaged face?

    Under impact the event time follows the impact rate on the face, background × (1 + r(t)·f),
    with r the shower-to-background flux ratio on the face at the event time and f the fraction of
    the shower flux that could reach the face (0 when the radiant was behind it or the Earth, the
    Geminids "wrong direction" of MS-22); under defect the time is unrelated to showers. So

        LR = (1 + r · f) / (1 + r̄)

    with r̄ the exposure-averaged shower ratio on the face (0 when showers are a negligible share).
    """

    shower: str
    flux_ratio: float
    reach_fraction: float
    mean_ratio: float = 0.0
    flux_ratio_range: tuple[float, float] | None = None
    reach_fraction_range: tuple[float, float] | None = None
    source: str = ""
    name: str = "shower timing"

    def __post_init__(self) -> None:
        _check_positive("shower flux_ratio", self.flux_ratio, allow_zero=True)
        _check_probability("shower reach_fraction", self.reach_fraction)
        _check_positive("shower mean_ratio", self.mean_ratio, allow_zero=True)

    def likelihood_ratio(self) -> float:
        return (1.0 + self.flux_ratio * self.reach_fraction) / (1.0 + self.mean_ratio)

    def explain(self) -> str:
        lr = self.likelihood_ratio()
        reach = (
            "none of its flux could reach the damaged face"
            if self.reach_fraction == 0
            else f"{self.reach_fraction:.0%} of its flux could reach the damaged face"
        )
        return (
            f"The {self.shower} were {self.flux_ratio:.2g}× the background flux at the time but "
            f"{reach}, so the timing multiplies the impact odds by {lr:.3g}."
        )

    def variants(self) -> list[Variant]:
        out = []
        if self.flux_ratio_range is not None:
            lo, hi = self.flux_ratio_range
            out.append(Variant("shower flux ratio", f"{lo:g}", f"{hi:g}",
                               replace(self, flux_ratio=lo), replace(self, flux_ratio=hi)))  # fmt: skip
        if self.reach_fraction_range is not None:
            lo, hi = self.reach_fraction_range
            out.append(Variant("shower reach fraction", f"{lo:g}", f"{hi:g}",
                               replace(self, reach_fraction=lo),
                               replace(self, reach_fraction=hi)))  # fmt: skip
        return out


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImpactTiming(Evidence):
    """Timing from the risk engine directly: the damaged region's failure rate in a short window
    ending at the event (showers, attitude and shadowing of that moment included) over its mean
    rate across the exposure. Under impact the event time has density ∝ λ(t); under defect it
    is uniform in time, so LR = λ(t_event) / λ̄ (`ShowerTiming` is the special case
    λ(t)/λ̄ = (1 + r f)/(1 + r̄)).
    """

    rate_at_event: float
    mean_rate: float
    rate_at_event_range: tuple[float, float] | None = None
    source: str = ""
    name: str = "impact timing"

    def __post_init__(self) -> None:
        _check_positive("timing rate_at_event", self.rate_at_event, allow_zero=True)
        _check_positive("timing mean_rate", self.mean_rate)

    def likelihood_ratio(self) -> float:
        return self.rate_at_event / self.mean_rate

    def explain(self) -> str:
        return (
            f"The failure rate of the damaged region at the time of the event was "
            f"{self.likelihood_ratio():.3g}× its average over the exposure (showers, attitude and "
            f"shadowing of that moment included), which is the timing likelihood ratio."
        )

    def variants(self) -> list[Variant]:
        if self.rate_at_event_range is None:
            return []
        lo, hi = self.rate_at_event_range
        return [Variant("rate at the event", f"{lo:.3g}", f"{hi:.3g}",
                        replace(self, rate_at_event=lo), replace(self, rate_at_event=hi))]  # fmt: skip


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TelemetrySignature(Evidence):
    """The leak's telemetry signature (from `breachkit.telemetry`): Bayes factor B of a sudden
    hole versus a growing one.

    An impact perforates at once (P(sudden | impact) = p_I); a defect (fatigue crack, seal,
    braze flaw) may open suddenly or grow (P(sudden | defect) = p_D). Marginalising the
    signature,

        LR = (p_I · B + 1 − p_I) / (p_D · B + 1 − p_D),

    bounded by p_I / p_D as B → ∞ and by (1 − p_I)/(1 − p_D) as B → 0.
    Defaults p_I = 0.95, p_D = 0.5 are assumptions (no published failure-mode statistics of
    Soyuz/Progress radiators were found), with ranges 0.8–0.99 and 0.2–0.8 for the sensitivity.
    """

    bayes_factor: float
    p_sudden_impact: float = 0.95
    p_sudden_defect: float = 0.5
    bayes_factor_range: tuple[float, float] | None = None
    p_sudden_impact_range: tuple[float, float] = (0.8, 0.99)
    p_sudden_defect_range: tuple[float, float] = (0.2, 0.8)
    source: str = ""
    name: str = "telemetry signature"

    def __post_init__(self) -> None:
        _check_positive("telemetry bayes_factor", self.bayes_factor)
        _check_probability("p_sudden_impact", self.p_sudden_impact)
        _check_probability("p_sudden_defect", self.p_sudden_defect)

    def likelihood_ratio(self) -> float:
        b, pi, pd = self.bayes_factor, self.p_sudden_impact, self.p_sudden_defect
        return (pi * b + 1.0 - pi) / (pd * b + 1.0 - pd)

    def explain(self) -> str:
        kind = "sudden" if self.bayes_factor >= 1 else "growing"
        return (
            f"The pressure telemetry favours a {kind} hole (Bayes factor {self.bayes_factor:.3g}); "
            f"with P(sudden | impact) = {self.p_sudden_impact:g} and P(sudden | defect) = "
            f"{self.p_sudden_defect:g} that is a likelihood ratio of {self.likelihood_ratio():.3g}."
        )

    def variants(self) -> list[Variant]:
        out = []
        if self.bayes_factor_range is not None:
            lo, hi = self.bayes_factor_range
            out.append(Variant("telemetry Bayes factor", f"{lo:g}", f"{hi:g}",
                               replace(self, bayes_factor=lo), replace(self, bayes_factor=hi)))  # fmt: skip
        lo, hi = self.p_sudden_impact_range
        out.append(Variant("P(sudden | impact)", f"{lo:g}", f"{hi:g}",
                           replace(self, p_sudden_impact=lo), replace(self, p_sudden_impact=hi)))  # fmt: skip
        lo, hi = self.p_sudden_defect_range
        out.append(Variant("P(sudden | defect)", f"{lo:g}", f"{hi:g}",
                           replace(self, p_sudden_defect=lo), replace(self, p_sudden_defect=hi)))  # fmt: skip
        return out


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HoleSize(Evidence):
    """The measured hole diameter: its likelihood under the impact model's hole-size distribution
    for the face versus a defect model.

    Impact model: either Monte Carlo hole diameters from the risk engine (``impact_samples_m``,
    smoothed in log d), or a power law (Pareto) p(d) = α d_min^α / d^(α+1) for d ≥ d_min: the
    cumulative MMOD flux falls as a power of size and the hole diameter scales with the projectile
    diameter, so holes above the failure threshold follow the same power (α ≈ 2.5 for debris and
    meteoroids of 0.1–1 mm; NASA-91/ORDEM slopes in the notes mmod.md §3; an assumption here).
    Defect model: log-uniform between ``defect_min_m`` and ``defect_max_m`` (assumption: pinholes,
    porosity and cracks from 0.05 to 10 mm are equally likely per decade; no published Soyuz/
    Progress flaw-size statistics were found).

    The measurement is lognormal with standard deviation ``sigma_log`` in ln d. The likelihood of
    each model is the convolution of its density with that error, integrated on a log grid.
    """

    diameter_m: float
    sigma_log: float = 0.3
    impact_samples_m: tuple[float, ...] | None = None
    impact_min_m: float = 0.3e-3
    impact_alpha: float = 2.5
    defect_min_m: float = 0.05e-3
    defect_max_m: float = 10e-3
    impact_alpha_range: tuple[float, float] = (1.8, 3.5)
    impact_min_range_m: tuple[float, float] | None = (0.2e-3, 0.6e-3)
    defect_max_range_m: tuple[float, float] = (2e-3, 30e-3)
    source: str = ""
    name: str = "hole size"

    def __post_init__(self) -> None:
        _check_positive("hole diameter_m", self.diameter_m)
        _check_positive("hole sigma_log", self.sigma_log)
        _check_positive("impact_min_m", self.impact_min_m)
        _check_positive("impact_alpha", self.impact_alpha)
        if not 0 < self.defect_min_m < self.defect_max_m:
            raise InputError("hole defect model: need 0 < defect_min_m < defect_max_m")
        if self.impact_samples_m is not None:
            s = np.asarray(self.impact_samples_m, dtype=float)
            if s.size < 10 or np.any(~np.isfinite(s)) or np.any(s <= 0):
                raise InputError("impact_samples_m: need >= 10 finite diameters > 0 [m]")

    def _grid(self) -> NDArray[np.float64]:
        # The measurement kernel is negligible beyond ±8σ of the observed ln d.
        c = math.log(self.diameter_m)
        return np.linspace(c - 8 * self.sigma_log, c + 8 * self.sigma_log, 1601)

    def _kernel(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = (math.log(self.diameter_m) - x) / self.sigma_log
        return np.exp(-0.5 * z * z) / (self.sigma_log * math.sqrt(2 * math.pi))

    def impact_log_density(self, x: ArrayLike) -> NDArray[np.float64]:
        """Density of ln d under the impact model [per unit ln d]."""
        x = np.asarray(x, dtype=float)
        if self.impact_samples_m is not None:
            s = np.log(np.asarray(self.impact_samples_m, dtype=float))
            bw = 1.06 * max(float(np.std(s)), 0.05) * s.size ** (-0.2)  # Silverman's rule
            # Binned Gaussian KDE (bins of bw/20: binning error far below the bandwidth).
            n_bins = int(min(20_000, max(50, (s.max() - s.min()) / (bw / 20) + 1)))
            counts, edges = np.histogram(s, bins=n_bins)
            centres = 0.5 * (edges[:-1] + edges[1:])
            keep = counts > 0
            z = (x[..., None] - centres[keep]) / bw
            dens = (np.exp(-0.5 * z * z) * counts[keep]).sum(-1)
            return np.asarray(dens / (s.size * bw * math.sqrt(2 * math.pi)))
        a, x0 = self.impact_alpha, math.log(self.impact_min_m)
        return np.where(x >= x0, a * np.exp(-a * (x - x0)), 0.0)

    def defect_log_density(self, x: ArrayLike) -> NDArray[np.float64]:
        """Density of ln d under the defect model [per unit ln d]."""
        x = np.asarray(x, dtype=float)
        lo, hi = math.log(self.defect_min_m), math.log(self.defect_max_m)
        return np.where((x >= lo) & (x <= hi), 1.0 / (hi - lo), 0.0)

    def likelihood_ratio(self) -> float:
        x = self._grid()
        k = self._kernel(x)
        li = float(np.trapezoid(self.impact_log_density(x) * k, x))
        ld = float(np.trapezoid(self.defect_log_density(x) * k, x))
        if ld <= 0:
            return math.inf if li > 0 else 1.0
        return li / ld

    def explain(self) -> str:
        model = (
            f"{len(self.impact_samples_m)} simulated impact holes"
            if self.impact_samples_m is not None
            else f"a power law above {self.impact_min_m * 1e3:g} mm with index {self.impact_alpha:g}"
        )
        return (
            f"A {self.diameter_m * 1e3:.3g} mm hole is {self.likelihood_ratio():.3g}× as likely "
            f"under the impact hole sizes ({model}) as under a defect flaw size spread evenly "
            f"per decade from {self.defect_min_m * 1e3:g} to {self.defect_max_m * 1e3:g} mm."
        )

    def variants(self) -> list[Variant]:
        out = []
        if self.impact_samples_m is None:
            lo, hi = self.impact_alpha_range
            out.append(Variant("impact hole-size index", f"{lo:g}", f"{hi:g}",
                               replace(self, impact_alpha=lo), replace(self, impact_alpha=hi)))  # fmt: skip
            if self.impact_min_range_m is not None:
                lo, hi = self.impact_min_range_m
                out.append(Variant("smallest failing hole", f"{lo * 1e3:g} mm", f"{hi * 1e3:g} mm",
                                   replace(self, impact_min_m=lo),
                                   replace(self, impact_min_m=hi)))  # fmt: skip
        lo, hi = self.defect_max_range_m
        out.append(Variant("largest defect flaw", f"{lo * 1e3:g} mm", f"{hi * 1e3:g} mm",
                           replace(self, defect_max_m=lo), replace(self, defect_max_m=hi)))  # fmt: skip
        return out


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Location(Evidence):
    """Where on the vehicle the damage is (ram or wake side, shadowed or exposed).

    Under impact the region's share of the expected impacts (``impact_fraction``, from the risk
    engine's breakdown by region); under defect its share of the susceptible area
    (``area_fraction``: flaws are taken as equally likely per unit area, an assumption). LR is
    their ratio.
    """

    region: str
    impact_fraction: float
    area_fraction: float
    impact_fraction_range: tuple[float, float] | None = None
    source: str = ""
    name: str = "location"

    def __post_init__(self) -> None:
        _check_probability("location impact_fraction", self.impact_fraction)
        _check_probability("location area_fraction", self.area_fraction)
        if self.area_fraction == 0:
            raise InputError("location area_fraction: must be > 0")

    def likelihood_ratio(self) -> float:
        return self.impact_fraction / self.area_fraction

    def explain(self) -> str:
        return (
            f"The damage is on {self.region}, which takes {self.impact_fraction:.0%} of the "
            f"expected impacts but {self.area_fraction:.0%} of the area: likelihood ratio "
            f"{self.likelihood_ratio():.3g}."
        )

    def variants(self) -> list[Variant]:
        if self.impact_fraction_range is None:
            return []
        lo, hi = self.impact_fraction_range
        return [Variant("location impact share", f"{lo:g}", f"{hi:g}",
                        replace(self, impact_fraction=lo), replace(self, impact_fraction=hi))]  # fmt: skip


# --------------------------------------------------------------------------------------------
#: Hard-evidence presets: (P(E | impact), P(E | defect), explanation). The probabilities are
#: stated judgements (no published statistics), each with the reasoning; a case may override them.
HARD_EVIDENCE_PRESETS: dict[str, tuple[float, float, str]] = {
    "drill_marks": (
        1e-4,
        0.5,
        "tool (drill) marks at the hole: a hypervelocity impact leaves a crater lip and spall, "
        "never drill marks, so P(E | impact) is taken as 1e-4 (a misreading of the photos); "
        "a manufacturing or handling cause explains them (0.5)",
    ),
    "intact_outer_shield": (
        1e-3,
        0.9,
        "the outer (bumper/MMOD) shield over the hole is intact: a penetrating particle must pass "
        "the shield first, so P(E | impact) is taken as 1e-3 (a perforation missed in the "
        "inspection); a defect inside leaves it intact (0.9)",
    ),
    "external_damage_other_hardware": (
        0.3,
        0.01,
        "separate external hardware near the leak (e.g. solar-array panels) is also holed: one "
        "particle or its spray can do that (0.3), an internal defect cannot (0.01, unrelated "
        "coincidence)",
    ),
    "damage_absent_from_production_records": (
        1.0,
        0.5,
        "the holes are absent from the production, launch-preparation and docking records: "
        "certain if the hole was made in orbit by an impact, and about even for a flaw that "
        "escaped inspection",
    ),
    "ground_test_reproduces_impact": (
        0.7,
        0.1,
        "ground tests reproduced the damage with a hypervelocity impact: likely if it was an "
        "impact (0.7), unlikely to match so well if it was a flaw (0.1)",
    ),
    "second_aligned_hole": (
        0.3,
        0.02,
        "a second hole in the pipe behind the radiator hole: an impactor and its debris cloud "
        "perforate successive layers (0.3); two aligned flaws are unlikely (0.02)",
    ),
}


@dataclass(frozen=True)
class HardEvidence(Evidence):
    """Hard evidence a person recorded, as P(E | impact) and P(E | defect) with the reasoning.

    Use `HardEvidence.preset(name, ...)` for the catalogue (``drill_marks``,
    ``intact_outer_shield``, ...) or give the two probabilities yourself. Optional ranges feed
    the sensitivity table; ``others`` gives P(E | cause) / P(E | defect) for other causes.
    """

    name: str
    p_given_impact: float
    p_given_defect: float
    explanation: str = ""
    source: str = ""
    p_given_impact_range: tuple[float, float] | None = None
    p_given_defect_range: tuple[float, float] | None = None
    others: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_probability(f"{self.name} p_given_impact", self.p_given_impact)
        _check_probability(f"{self.name} p_given_defect", self.p_given_defect)
        if self.p_given_defect == 0:
            raise InputError(f"{self.name} p_given_defect: must be > 0 (use a small number)")
        for k, v in self.others.items():
            _check_positive(f"{self.name} others.{k}", v, allow_zero=True)

    @classmethod
    def preset(cls, name: str, *, source: str = "", **overrides: Any) -> HardEvidence:
        """A catalogue item with its stated probabilities (overridable)."""
        if name not in HARD_EVIDENCE_PRESETS:
            raise InputError(
                f"hard evidence {name!r}: unknown preset (known: {', '.join(HARD_EVIDENCE_PRESETS)})"
            )
        pi, pd, text = HARD_EVIDENCE_PRESETS[name]
        args: dict[str, Any] = {"p_given_impact": pi, "p_given_defect": pd, "explanation": text}
        args.update({k: v for k, v in overrides.items() if v is not None})
        return cls(name=name, source=source, **args)

    def likelihood_ratio(self) -> float:
        return self.p_given_impact / self.p_given_defect

    def explain(self) -> str:
        why = f" ({self.explanation})" if self.explanation else ""
        return (
            f"Recorded '{self.name.replace('_', ' ')}'{why}: P(E | impact) = {self.p_given_impact:g}, "
            f"P(E | defect) = {self.p_given_defect:g}, likelihood ratio {self.likelihood_ratio():.3g}."
        )

    def variants(self) -> list[Variant]:
        out = []
        if self.p_given_impact_range is not None:
            lo, hi = self.p_given_impact_range
            out.append(Variant(f"{self.name}: P(E | impact)", f"{lo:g}", f"{hi:g}",
                               replace(self, p_given_impact=lo),
                               replace(self, p_given_impact=hi)))  # fmt: skip
        if self.p_given_defect_range is not None:
            lo, hi = self.p_given_defect_range
            out.append(Variant(f"{self.name}: P(E | defect)", f"{lo:g}", f"{hi:g}",
                               replace(self, p_given_defect=lo),
                               replace(self, p_given_defect=hi)))  # fmt: skip
        return out
