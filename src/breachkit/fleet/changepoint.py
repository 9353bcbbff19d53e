"""Has the production process changed? A change point in the defect rate whose leaks are impacts or
defects with the probabilities of the joint model (`breachkit.fleet.joint`), not defects by fiat.

Units (dockings) in launch order i = 0..N−1 with docked days T_i and expected penetrations λ_i;
observed leaks j on unit u_j with evidence likelihood ratio L_j. The impact side is the joint
model's (k log-normal, impacts Poisson(k λ_i)); the defect side is

* M₀: one defect rate r ~ Gamma(a, b) for every unit;
* M₁: r₁ for units before τ and r₂ from τ on, r₁, r₂ ~ Gamma(a, b) independent, τ ∈ {1..N−1}
  uniform over launch order, or proportional to the calendar time between launches.

For a label assignment (which leaks are defects) the rates integrate in closed form,
∫ Π_i (r T_i)^{y_i} e^{−r T_i} Gamma(r; a, b) dr = Π T_i^{y_i} · bᵃ Γ(a+Y) / (Γ(a) (b+T)^{a+Y}),
and k on a 1-D grid. Summing the 2ⁿ assignments gives p(D | M) exactly, and

    BF = p(D | M₁) / p(D | M₀).

The prior-sensitivity range is the BF over a ∈ {0.5, 1, 2}, prior mean of r ∈ {0.3, 1, 3} / T
(T the fleet's docked days) and the two change-point priors. Words on the Kass & Raftery (1995,
JASA 90:773, §3.2) scale: BF < 3 "not worth more than a bare mention" → reported as "no evidence
of a change"; 3–20 positive; 20–150 strong; > 150 very strong (and the same for 1/BF against a
change).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from breachkit._core.errors import InputError
from breachkit.fleet.joint import MAX_LEAKS, log_prior_k

__all__ = ["ChangePointResult", "change_point_bayes_factor", "kass_raftery_words"]


def kass_raftery_words(bf: float) -> str:
    """Plain words for a Bayes factor of change vs no change (Kass & Raftery 1995, §3.2)."""
    if not math.isfinite(bf) or bf <= 0:
        return "undefined"
    if bf < 3 and bf > 1 / 3:
        return "no evidence of a change (Bayes factor below 3 either way)"
    strength = lambda b: "positive" if b < 20 else ("strong" if b < 150 else "very strong")  # noqa: E731
    if bf >= 3:
        return f"{strength(bf)} evidence of a change"
    return f"{strength(1 / bf)} evidence against a change"


def _log_gamma_poisson(y: NDArray[np.float64], t: NDArray[np.float64], a: float, b: float) -> Any:
    """ln bᵃ Γ(a+Y) / (Γ(a) (b+T)^{a+Y}) along the last axis (the Π T_i^{y_i} part is shared by
    every model of one assignment and is added by the caller)."""
    yy, tt = y.sum(axis=-1), t.sum(axis=-1)
    return (
        a * math.log(b) + special.gammaln(a + yy) - special.gammaln(a) - (a + yy) * np.log(b + tt)
    )


@dataclass(frozen=True)
class ChangePointResult:
    """The Bayes factor of a change in the defect rate, its prior range, and what was counted."""

    bayes_factor: float
    bayes_factor_range: tuple[float, float]
    words: str
    posterior_change: float  # with P(change) = 0.5 a priori
    change_after: str
    change_before: str
    change_point_max_posterior: float
    p_defect: dict[str, float]  # each leak's P(defect) under M₀ (main prior)
    prior: dict[str, Any]
    n_units: int
    scale: str = "Kass & Raftery (1995), JASA 90:773, §3.2"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _k_integrals(total_lambda: float, n_max: int, k_mu: float, k_sigma: float) -> NDArray[Any]:
    """ln ∫ p(k) kⁿ e^{−kΛ} dk for n = 0..n_max on a ln k grid."""
    lk = np.linspace(k_mu - 8 * k_sigma, k_mu + 8 * k_sigma, 2001)
    base = log_prior_k(lk, k_mu, k_sigma) - np.exp(lk) * total_lambda
    dx = lk[1] - lk[0]
    out = []
    for n in range(n_max + 1):
        v = base + n * lk
        top = float(v.max())
        out.append(top + math.log(float(np.exp(v - top).sum()) * dx))
    return np.asarray(out)


def _log_evidence_by_assignment(
    t: NDArray[np.float64],
    unit: Sequence[int],
    lam: Sequence[float],
    lr: Sequence[float],
    log_k_int: NDArray[Any],
    a: float,
    b: float,
    log_tau_prior: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[tuple[bool, ...]], NDArray[Any]]:
    """Per assignment (True = defect): ln p(D, labels | M₀), ln p(D, labels | M₁), and per τ."""
    n_units = t.size
    cum_t = np.concatenate([[0.0], np.cumsum(t)])
    l0, l1, labs, per_tau = [], [], [], []
    for labels in itertools.product((False, True), repeat=len(unit)):
        y = np.zeros(n_units)
        shared = 0.0
        n_imp = 0
        for d, u, la, r in zip(labels, unit, lam, lr, strict=True):
            if d:
                y[u] += 1
                shared += math.log(t[u])
            else:
                n_imp += 1
                shared += math.log(la * r) if la * r > 0 else -math.inf
        shared += float(log_k_int[n_imp])
        m0 = float(_log_gamma_poisson(y[None, :], t[None, :], a, b)[0])
        cum_y = np.concatenate([[0.0], np.cumsum(y)])
        taus = np.arange(1, n_units)
        y1, t1 = cum_y[taus], cum_t[taus]
        y2, t2 = cum_y[-1] - y1, cum_t[-1] - t1
        lp = (a * math.log(b) - special.gammaln(a)) * 2 + special.gammaln(a + y1) \
            + special.gammaln(a + y2) - (a + y1) * np.log(b + t1) - (a + y2) * np.log(b + t2)  # fmt: skip
        lt = lp + log_tau_prior
        m1 = float(special.logsumexp(lt))
        l0.append(shared + m0)
        l1.append(shared + m1)
        labs.append(labels)
        per_tau.append(shared + lt)
    return np.asarray(l0), np.asarray(l1), labs, np.asarray(per_tau)


def _tau_prior(kind: str, launch_days: NDArray[np.float64]) -> NDArray[np.float64]:
    n = launch_days.size
    if kind == "launch_order":
        return np.full(n - 1, -math.log(n - 1))
    gaps = np.maximum(np.diff(launch_days), 1e-3)
    return np.asarray(np.log(gaps / gaps.sum()))


def change_point_bayes_factor(
    units: Sequence[str],
    days: ArrayLike,
    launch_days: ArrayLike,
    leak_units: Sequence[int],
    leak_lambda: Sequence[float],
    leak_lr: Sequence[float],
    *,
    total_lambda: float,
    k_mu: float = 0.0,
    k_sigma: float = 1.5,
    leak_keys: Sequence[str] | None = None,
) -> ChangePointResult:
    """Bayes factor of a change in the defect rate along the launch sequence (module docstring).

    `units` in launch order with docked `days` [d] and launch times `launch_days` [d since any
    origin]; each leak's unit index, λ (expected penetrations of its docking at k = 1) and
    evidence likelihood ratio; `total_lambda` Λ of the fleet at k = 1; the joint model's k prior.
    """
    t = np.asarray(days, dtype=float)
    ld = np.asarray(launch_days, dtype=float)
    if t.ndim != 1 or t.size < 2 or t.size != len(units) or ld.shape != t.shape:
        raise InputError("change point: need >= 2 units with days and launch times")
    if np.any(~np.isfinite(t)) or np.any(t <= 0):
        raise InputError("change point: every unit needs docked days > 0")
    if len(leak_units) > MAX_LEAKS:
        raise InputError(f"change point: {len(leak_units)} leaks, at most {MAX_LEAKS}")
    keys = (
        list(leak_keys) if leak_keys is not None else [f"leak {j}" for j in range(len(leak_units))]
    )
    log_k_int = _k_integrals(total_lambda, len(leak_units), k_mu, k_sigma)
    total_t = float(t.sum())
    bfs: dict[tuple[float, float, str], float] = {}
    main: dict[str, Any] = {}
    for a, c, kind in itertools.product((0.5, 1.0, 2.0), (0.3, 1.0, 3.0),
                                        ("launch_order", "calendar_time")):  # fmt: skip
        b = a / (c / total_t)
        l0, l1, labs, per_tau = _log_evidence_by_assignment(
            t, leak_units, leak_lambda, leak_lr, log_k_int, a, b, _tau_prior(kind, ld)
        )
        bf = math.exp(float(special.logsumexp(l1) - special.logsumexp(l0)))
        bfs[(a, c, kind)] = bf
        if (a, c, kind) == (1.0, 1.0, "launch_order"):
            w0 = np.exp(l0 - special.logsumexp(l0))
            p_def = {k: float(sum(w for w, lab in zip(w0, labs, strict=True) if lab[j]))
                     for j, k in enumerate(keys)}  # fmt: skip
            tau_post = np.exp(special.logsumexp(per_tau, axis=0) - special.logsumexp(per_tau))
            main = {"bf": bf, "p_def": p_def, "tau": tau_post, "b": b}
    tau = int(np.argmax(main["tau"])) + 1
    bf = main["bf"]
    return ChangePointResult(
        bayes_factor=bf,
        bayes_factor_range=(min(bfs.values()), max(bfs.values())),
        words=kass_raftery_words(bf),
        posterior_change=bf / (1.0 + bf),
        change_after=units[tau - 1],
        change_before=units[tau],
        change_point_max_posterior=float(main["tau"].max()),
        p_defect=main["p_def"],
        prior={
            "main": "r ~ Gamma(1, b) with prior mean 1 / T (one defect per fleet exposure); "
            "change point uniform over launch order; P(change) = 0.5",
            "range_over": "Gamma shape 0.5, 1, 2; prior mean 0.3, 1, 3 per fleet exposure; "
            "change point uniform over launch order or over calendar time",
            "gamma_rate_main_d": main["b"],
            "fleet_days": total_t,
            "k_mu": k_mu,
            "k_sigma": k_sigma,
        },
        n_units=int(t.size),
    )
