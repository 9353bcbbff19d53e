"""One joint model of every leak of a part across the fleet: the fleet's history checks the physics.

Per docking i the risk engine predicts λ_i expected penetrations of the part (radiator, coolant
line...) over the docked time T_i [d]. The model:

* impacts on docking i: Poisson(k · λ_i), with k the engine's model-form factor (one for the
  fleet), prior ln k ~ Normal(μ_k, σ_k) — a stated judgement of how far the engine may be off;
* defects (manufacturing, material, handling) on docking i: Poisson(r · T_i), r per docked
  vehicle-day, prior Jeffreys p(r) ∝ r^(-1/2) (Jeffreys 1946, the Poisson-rate reference prior)
  or a proper Gamma(a, b);
* each observed leak j on docking i(j) is an impact or a defect (latent label) with the evidence
  likelihood ratio L_j = P(E_j | impact) / P(E_j | defect); dockings without a leak count too.

Likelihood of the fleet record given (k, r), summing the labels out exactly:

    p(D | k, r) ∝ exp(−k Λ − r T) · Π_j (k λ_{i(j)} L_j + r T_{i(j)}),   Λ = Σ λ_i, T = Σ T_i

(the product expands to the sum over the 2ⁿ label assignments). The posterior over (ln k, ln r)
is evaluated on a grid (deterministic quadrature, no sampling); the probability that leak j is an
impact is E[k λ_j L_j / (k λ_j L_j + r T_j) | D], and the joint label probabilities come from
enumerating the assignments. No point estimate of k or r is plugged in anywhere.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = [
    "JointLeakModel",
    "Leak",
    "log_prior_k",
    "log_prior_r",
]

MAX_LEAKS = 14  # 2ⁿ label assignments are enumerated


@dataclass(frozen=True)
class Leak:
    """One observed leak: the docking it happened on and its evidence likelihood ratio.

    ``lam`` expected penetrations of the part over that docking (k = 1) [1]; ``days`` the docking's
    exposure T_i [d]; ``lr`` P(E | impact) / P(E | defect) of its evidence [1].
    """

    key: str
    flight: str
    lam: float
    days: float
    lr: float = 1.0

    def __post_init__(self) -> None:
        for name, v in (("lam", self.lam), ("days", self.days), ("lr", self.lr)):
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"leak {self.key!r}: {name} = {v!r} must be finite and >= 0")
        if self.lam == 0 and self.days == 0:
            raise InputError(f"leak {self.key!r}: zero exposure for both causes")


def log_prior_k(log_k: ArrayLike, mu: float = 0.0, sigma: float = 1.5) -> NDArray[np.float64]:
    """Log density of ln k under Normal(μ, σ) [per unit ln k] (k log-normal, median e^μ)."""
    x = np.asarray(log_k, dtype=float)
    z = (x - mu) / sigma
    return np.asarray(-0.5 * z * z - math.log(sigma * math.sqrt(2 * math.pi)))


def log_prior_r(log_r: ArrayLike, shape: float = 0.5, rate: float = 0.0) -> NDArray[np.float64]:
    """Log density of ln r for r ~ Gamma(shape, rate) [per unit ln r], up to a constant when
    rate = 0 (improper; shape 0.5 is Jeffreys' prior r^(-1/2) for a Poisson rate, Jeffreys 1946):
    shape · ln r − rate · r (the Jacobian dr = r d ln r included)."""
    x = np.asarray(log_r, dtype=float)
    return np.asarray(shape * x - rate * np.exp(x))


@dataclass
class JointLeakModel:
    """Posterior over the engine factor k, the defect rate r and every leak's label.

    Parameters
    ----------
    k_mu, k_sigma
        Prior of ln k: Normal(k_mu, k_sigma) (judgement: the engine's model-form uncertainty).
    r_shape, r_rate
        Prior of r [d⁻¹]: Gamma(r_shape, r_rate); the default (0.5, 0) is Jeffreys' prior.
    n_k, n_r
        Grid points in ln k (± 7 k_sigma about k_mu) and in ln r (r from 1e-13 to 1e-1 d⁻¹).

    `fit(total_lambda, total_days, leaks)` returns self; fitted attributes: ``log_k_``,
    ``log_r_`` (grids), ``posterior_`` (normalised weights, n_k × n_r), ``p_impact_`` (one per
    leak), ``label_probabilities_`` ({assignment tuple: probability}), ``k_quantiles_``
    (5 %, 50 %, 95 %), ``r_quantiles_``, ``k_mean_``, ``log_evidence_``.
    """

    k_mu: float = 0.0
    k_sigma: float = 1.5
    r_shape: float = 0.5
    r_rate: float = 0.0
    n_k: int = 401
    n_r: int = 481
    r_min: float = 1e-13
    r_max: float = 1e-1
    notes: list[str] = field(default_factory=list)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("k_mu", "k_sigma", "r_shape", "r_rate", "n_k",
                                              "n_r", "r_min", "r_max")}  # fmt: skip

    def set_params(self, **params: Any) -> JointLeakModel:
        for k, v in params.items():
            if k not in self.get_params():
                raise InputError(f"JointLeakModel: unknown parameter {k!r}")
            setattr(self, k, v)
        return self

    # -- steps --------------------------------------------------------------------------------
    def _check(self, total_lambda: float, total_days: float, leaks: Sequence[Leak]) -> None:
        if not (math.isfinite(total_lambda) and total_lambda >= 0):
            raise InputError(f"joint model: total_lambda = {total_lambda!r} must be >= 0")
        if not (math.isfinite(total_days) and total_days > 0):
            raise InputError(f"joint model: total_days = {total_days!r} must be > 0")
        if len(leaks) > MAX_LEAKS:
            raise InputError(f"joint model: {len(leaks)} leaks, at most {MAX_LEAKS} enumerated")
        if not (self.k_sigma > 0 and self.r_shape > 0 and self.r_rate >= 0):
            raise InputError("joint model: need k_sigma > 0, r_shape > 0, r_rate >= 0")

    def _grids(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lk = np.linspace(self.k_mu - 7 * self.k_sigma, self.k_mu + 7 * self.k_sigma, self.n_k)
        lr = np.linspace(math.log(self.r_min), math.log(self.r_max), self.n_r)
        return lk, lr

    def _leak_terms(
        self, k: NDArray[np.float64], r: NDArray[np.float64], leaks: Sequence[Leak]
    ) -> tuple[list[NDArray[np.float64]], list[NDArray[np.float64]]]:
        """Per leak, the impact and defect terms k λ L and r T on the grid."""
        imp = [k[:, None] * (lk.lam * lk.lr) + 0.0 * r[None, :] for lk in leaks]
        dfc = [0.0 * k[:, None] + r[None, :] * lk.days for lk in leaks]
        return imp, dfc

    def fit(self, total_lambda: float, total_days: float, leaks: Sequence[Leak]) -> JointLeakModel:
        """Fit to the fleet totals Λ (expected penetrations at k = 1, every docking) and T [d],
        and the observed leaks (each docking's λ_i and T_i are included in the totals)."""
        self._check(total_lambda, total_days, leaks)
        lk, lr = self._grids()
        k, r = np.exp(lk), np.exp(lr)
        base = (
            log_prior_k(lk, self.k_mu, self.k_sigma)[:, None]
            + log_prior_r(lr, self.r_shape, self.r_rate)[None, :]
            - k[:, None] * total_lambda
            - r[None, :] * total_days
        )
        imp, dfc = self._leak_terms(k, r, leaks)
        with np.errstate(divide="ignore"):
            log_w = base + sum((np.log(a + b) for a, b in zip(imp, dfc, strict=True)),
                               start=np.zeros_like(base))  # fmt: skip
        top = float(np.max(log_w))
        w = np.exp(log_w - top)
        cell = (lk[1] - lk[0]) * (lr[1] - lr[0])
        z = float(w.sum())
        self.log_evidence_ = top + math.log(z * cell)
        post = w / z
        self.log_k_, self.log_r_, self.posterior_ = lk, lr, post
        with np.errstate(invalid="ignore", divide="ignore"):
            self.p_impact_ = tuple(
                float(np.sum(post * np.where(a + b > 0, a / (a + b), 0.0)))
                for a, b in zip(imp, dfc, strict=True)
            )
        self.label_probabilities_ = self._labels(base, imp, dfc, top)
        self._summaries(total_lambda)
        self._terms = (log_w, imp, dfc, k, tuple(lk_.lam for lk_ in leaks))
        return self

    def p_impact_given_lr(self, j: int, lr: float) -> float:
        """P(leak j is an impact) with its evidence likelihood ratio set to `lr`, everything else
        as fitted (exact on the same grid: the other leaks' labels and k, r re-weighted)."""
        log_w, imp, dfc, k, lams = self._terms
        if not (lr >= 0 and math.isfinite(lr)):
            raise InputError(f"likelihood ratio {lr!r} must be finite and >= 0")
        a0, b = imp[j], dfc[j]
        a = np.broadcast_to((k * lams[j] * lr)[:, None], b.shape)
        with np.errstate(divide="ignore"):
            lw = log_w - np.log(a0 + b) + np.log(a + b)
        w = np.exp(lw - np.max(lw))
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(a + b > 0, a / (a + b), 0.0)
        return float(np.sum(w * share) / np.sum(w))

    def _labels(
        self,
        base: NDArray[np.float64],
        imp: list[NDArray[np.float64]],
        dfc: list[NDArray[np.float64]],
        top: float,
    ) -> dict[tuple[str, ...], float]:
        """Posterior probability of each impact/defect assignment of the leaks (enumerated)."""
        if not imp:
            return {(): 1.0}
        e0 = np.exp(base - top)
        out: dict[tuple[str, ...], float] = {}
        for labels in itertools.product(("impact", "defect"), repeat=len(imp)):
            prod = e0.copy()
            for lab, a, b in zip(labels, imp, dfc, strict=True):
                prod *= a if lab == "impact" else b
            out[labels] = float(prod.sum())
        tot = sum(out.values())
        return {k: v / tot for k, v in out.items()}

    def _summaries(self, total_lambda: float) -> None:
        pk = self.posterior_.sum(axis=1)
        pr = self.posterior_.sum(axis=0)
        self.k_quantiles_ = _grid_quantiles(self.log_k_, pk, (0.05, 0.5, 0.95))
        self.r_quantiles_ = _grid_quantiles(self.log_r_, pr, (0.05, 0.5, 0.95))
        self.k_mean_ = float(np.sum(pk * np.exp(self.log_k_)))
        self.r_mean_ = float(np.sum(pr * np.exp(self.log_r_)))
        self.k_prior_quantiles_ = tuple(
            math.exp(self.k_mu + self.k_sigma * z) for z in (-1.6448536, 0.0, 1.6448536)
        )
        self.expected_penetrations_ = self.k_mean_ * total_lambda
        self.total_lambda_ = total_lambda

    def k_marginal(self) -> NDArray[np.float64]:
        """Posterior weights of the ln k grid points (sum 1)."""
        return np.asarray(self.posterior_.sum(axis=1))

    def r_marginal(self) -> NDArray[np.float64]:
        """Posterior weights of the ln r grid points (sum 1)."""
        return np.asarray(self.posterior_.sum(axis=0))


def _grid_quantiles(
    x: NDArray[np.float64], w: NDArray[np.float64], qs: Sequence[float]
) -> tuple[float, ...]:
    """Quantiles of exp(x) for weights w on the grid x (linear interpolation of the CDF)."""
    c = np.cumsum(w)
    c = c / c[-1]
    return tuple(float(np.exp(np.interp(q, c, x))) for q in qs)
