"""The Bayesian impact-versus-defect verdict (`Attribution`, scikit-learn estimator conventions).

For hypotheses H (``impact``, ``defect`` and any cause a user names), each with an occurrence
rate λ_H [d⁻¹] over the vehicle's exposure (uncertain: λ_H ~ Gamma fitted to a mean and an
interval, `RatePrior`), the probability that the observed failure had cause H before any evidence
is π_H = E[λ_H / Σ λ] (the competing-risks share, averaged over the rate uncertainty by Monte Carlo
with an explicit ``rng``). Evidence items E₁..E_m, taken as conditionally independent given the
cause, multiply it:

    P(H | E) = π_H Π_j L_j(H) / Σ_H' π_H' Π_j L_j(H')

Because the rates enter only π, this is the exact posterior with both rates integrated over.
The sensitivity table recomputes the posterior with each uncertain input at the low and high end
of its range (rates at the ends of their intervals, evidence through `Evidence.variants`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.attribution.evidence import Evidence
from breachkit.fleet.stats import gamma_from_interval

__all__ = ["Attribution", "RatePrior", "SensitivityRow", "Verdict", "verdict_label"]


@dataclass(frozen=True)
class RatePrior:
    """An occurrence rate with uncertainty: mean and central interval [d⁻¹], and its source.

    Modelled as a Gamma distribution with that mean whose `level` interval matches [lo, hi].
    """

    mean: float
    lo: float
    hi: float
    source: str = ""
    level: float = 0.90
    shape: float | None = None
    rate: float | None = None

    def __post_init__(self) -> None:
        vals = (self.mean, self.lo, self.hi)
        if not all(math.isfinite(v) for v in vals) or not (0 < self.lo <= self.mean <= self.hi):
            raise InputError(f"rate prior: need 0 < lo <= mean <= hi, got {vals}")

    @classmethod
    def from_counts(
        cls, events: int, exposure: float, *, prior_shape: float = 0.5, source: str = ""
    ) -> RatePrior:
        """Posterior of a Poisson rate after `events` in `exposure` [d] from a Gamma(prior_shape,
        → 0) prior (Jeffreys for 0.5): Gamma(prior_shape + events, exposure); 90 % interval."""
        from scipy import stats

        if events < 0 or not (exposure > 0):
            raise InputError("defect rate: need events >= 0 and exposure > 0")
        a, b = prior_shape + events, exposure
        lo, hi = stats.gamma.ppf([0.05, 0.95], a, scale=1.0 / b)
        return cls(a / b, float(lo), float(hi), source=source, shape=a, rate=b)

    def gamma(self) -> tuple[float, float]:
        """(shape, rate) of the Gamma model (exact when built `from_counts`)."""
        if self.shape is not None and self.rate is not None:
            return self.shape, self.rate
        return gamma_from_interval(self.mean, self.lo, self.hi, level=self.level)

    def to_dict(self) -> dict[str, Any]:
        a, b = self.gamma()
        return {"mean": self.mean, "lo": self.lo, "hi": self.hi, "level": self.level,
                "gamma_shape": a, "gamma_rate": b, "source": self.source}  # fmt: skip


def verdict_label(p_impact: float, other: str = "defect") -> str:
    """Words for a posterior P(impact): ≥ 0.9 impact, ≥ 0.7 likely impact, > 0.3 undetermined,
    > 0.1 likely <other>, else <other> (not an impact)."""
    if p_impact >= 0.9:
        return "impact"
    if p_impact >= 0.7:
        return "likely impact"
    if p_impact > 0.3:
        return "undetermined"
    if p_impact > 0.1:
        return f"likely {other}"
    return f"{other} (not an impact)"


@dataclass(frozen=True)
class SensitivityRow:
    """How P(impact) moves when one uncertain input goes to the low and high end of its range."""

    input: str
    low: str
    high: str
    posterior_impact_low: float
    posterior_impact_high: float

    @property
    def swing(self) -> float:
        return abs(self.posterior_impact_high - self.posterior_impact_low)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["swing"] = self.swing
        return d


@dataclass(frozen=True)
class Verdict:
    """The result: posterior per cause, each evidence's likelihood ratio, the sensitivity table."""

    hypotheses: tuple[str, ...]
    prior: dict[str, float]
    posterior: dict[str, float]
    label: str
    evidence: tuple[dict[str, Any], ...]
    sensitivity: tuple[SensitivityRow, ...]
    rates: dict[str, dict[str, Any]]
    case: str = ""
    notes: tuple[str, ...] = field(default=())
    excluded: tuple[dict[str, Any], ...] = field(default=())

    def with_classes(
        self, classes: Sequence[Mapping[str, Any]], excluded: Sequence[Mapping[str, Any]]
    ) -> Verdict:
        """This verdict with each weighed item's class (`evidence_class`, `basis`, `key`) and the
        items listed but not weighed (official-finding comparisons, synthetic what-ifs)."""
        from dataclasses import replace

        ev = tuple({**e, **c} for e, c in zip(self.evidence, classes, strict=True))
        return replace(self, evidence=ev, excluded=tuple(dict(x) for x in excluded))

    @property
    def posterior_impact(self) -> float:
        return self.posterior.get("impact", 0.0)

    @property
    def posterior_defect(self) -> float:
        return self.posterior.get("defect", 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "verdict": self.label,
            "posterior_impact": self.posterior_impact,
            "posterior_defect": self.posterior_defect,
            "posterior": dict(self.posterior),
            "prior": dict(self.prior),
            "rates": self.rates,
            "evidence": [dict(e) for e in self.evidence],
            "sensitivity": [r.to_dict() for r in self.sensitivity],
            "notes": list(self.notes),
            "excluded": [dict(e) for e in self.excluded],
        }

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(str(x['name']))}</td><td>{x['likelihood_ratio']:.3g}</td>"
            f"<td>{e(str(x['explanation']))}</td><td>{e(str(x.get('source', '')))}</td></tr>"
            for x in self.evidence
        )
        sens = "".join(
            f"<tr><td>{e(r.input)}</td><td>{e(r.low)} → {r.posterior_impact_low:.3f}</td>"
            f"<td>{e(r.high)} → {r.posterior_impact_high:.3f}</td></tr>"
            for r in self.sensitivity
        )
        post = ", ".join(f"{e(h)} {p:.3f}" for h, p in self.posterior.items())
        prior = ", ".join(f"{e(h)} {p:.3f}" for h, p in self.prior.items())
        return (
            f"<div><h3>Verdict{': ' + e(self.case) if self.case else ''} — {e(self.label)}</h3>"
            f"<p>Posterior: {post}<br>Prior (rates only): {prior}</p>"
            "<table><tr><th>evidence</th><th>LR (impact:defect)</th><th>why</th><th>source</th>"
            f"</tr>{rows}</table>"
            "<table><tr><th>input</th><th>low → P(impact)</th><th>high → P(impact)</th></tr>"
            f"{sens}</table></div>"
        )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        head = Text(
            f"{self.case + ': ' if self.case else ''}{self.label}  "
            + "  ".join(f"P({h}) = {p:.3f}" for h, p in self.posterior.items()),
            style="bold",
        )
        ev = Table(title="Evidence", show_lines=False)
        for col in ("evidence", "LR", "why"):
            ev.add_column(col)
        for x in self.evidence:
            ev.add_row(str(x["name"]), f"{x['likelihood_ratio']:.3g}", str(x["explanation"]))
        st = Table(title="Sensitivity of P(impact)")
        for col in ("input", "low", "P(impact)", "high", "P(impact) "):
            st.add_column(col)
        for r in self.sensitivity:
            st.add_row(r.input, r.low, f"{r.posterior_impact_low:.3f}", r.high,
                       f"{r.posterior_impact_high:.3f}")  # fmt: skip
        return Group(head, ev, st)


@dataclass
class Attribution:
    """Posterior probability of each cause of one failure (estimator conventions).

    Parameters
    ----------
    n_samples
        Monte Carlo draws of the rates for the prior shares.
    other_label
        How the verdict names the non-impact side (default ``"defect"``).

    `fit(priors, evidence, rng=...)` returns self; fitted attributes: ``hypotheses_``,
    ``prior_`` (dict), ``likelihoods_`` (n_evidence, n_hyp), ``posterior_`` (dict),
    ``posterior_impact_``, ``sensitivity_``, ``verdict_`` (`Verdict`).
    """

    n_samples: int = 20_000
    other_label: str = "defect"

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"n_samples": self.n_samples, "other_label": self.other_label}

    def set_params(self, **params: Any) -> Attribution:
        for k, v in params.items():
            if k not in self.get_params():
                raise InputError(f"Attribution: unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    # -- internals ----------------------------------------------------------------------------
    @staticmethod
    def _shares(samples: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray((samples / samples.sum(axis=1, keepdims=True)).mean(axis=0))

    @staticmethod
    def _posterior(prior: NDArray[np.float64], lik: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            logp = np.log(prior) + np.log(lik).sum(axis=0)
        logp -= np.max(logp)
        p = np.exp(logp)
        return np.asarray(p / p.sum())

    def fit(
        self,
        priors: Mapping[str, RatePrior],
        evidence: Sequence[Evidence],
        *,
        rng: np.random.Generator,
        case: str = "",
        notes: Sequence[str] = (),
    ) -> Attribution:
        """Fit to rate priors per hypothesis (must include ``impact`` and ``defect``) and
        evidence items."""
        if "impact" not in priors or "defect" not in priors:
            raise InputError("attribution: priors must include 'impact' and 'defect' rates")
        if self.n_samples < 100:
            raise InputError(f"n_samples: {self.n_samples} must be >= 100")
        hyps = tuple(priors)
        gammas = [priors[h].gamma() for h in hyps]
        std = np.column_stack(
            [rng.standard_gamma(a, size=self.n_samples) for a, _ in gammas]
        )  # common random numbers for the sensitivity runs
        rates = std / np.asarray([b for _, b in gammas])[None, :]
        prior = self._shares(rates)
        lik = (
            np.vstack([ev.likelihoods(hyps) for ev in evidence])
            if evidence
            else np.ones((0, len(hyps)))
        )
        if np.any(~np.isfinite(lik)) or np.any(lik < 0):
            raise InputError("attribution: an evidence item gave a non-finite likelihood")
        post = self._posterior(prior, lik)
        i_imp = hyps.index("impact")

        sens: list[SensitivityRow] = []
        for j, h in enumerate(hyps):
            p = priors[h]
            ends = []
            for value in (p.lo, p.hi):
                r = rates.copy()
                r[:, j] = value
                ends.append(float(self._posterior(self._shares(r), lik)[i_imp]))
            sens.append(SensitivityRow(f"{h} rate (d⁻¹)", f"{p.lo:.3g}", f"{p.hi:.3g}", *ends))
        for k, ev in enumerate(evidence):
            for var in ev.variants():
                ends = []
                for alt in (var.low, var.high):
                    lk = lik.copy()
                    lk[k] = alt.likelihoods(hyps)
                    ends.append(float(self._posterior(prior, lk)[i_imp]))
                sens.append(SensitivityRow(var.input, var.low_text, var.high_text, *ends))
        sens.sort(key=lambda r: -r.swing)

        self.hypotheses_ = hyps
        self.prior_ = {h: float(x) for h, x in zip(hyps, prior, strict=True)}
        self.likelihoods_ = lik
        self.posterior_ = {h: float(x) for h, x in zip(hyps, post, strict=True)}
        self.posterior_impact_ = self.posterior_["impact"]
        self.sensitivity_ = tuple(sens)
        non_impact = [h for h in hyps if h != "impact"]
        top_other = max(non_impact, key=lambda h: self.posterior_[h])
        other = self.other_label if top_other == "defect" else top_other
        self.verdict_ = Verdict(
            hypotheses=hyps,
            prior=self.prior_,
            posterior=self.posterior_,
            label=verdict_label(self.posterior_impact_, other),
            evidence=tuple(
                {**ev.to_dict(), "likelihoods": dict(zip(hyps, map(float, lik[k]), strict=True))}
                for k, ev in enumerate(evidence)
            ),
            sensitivity=self.sensitivity_,
            rates={h: priors[h].to_dict() for h in hyps},
            case=case,
            notes=tuple(notes),
        )
        return self
