"""Probabilistic ballistic limits: P(failure | particle, shield) fitted to real impact tests.

A ballistic limit equation (BLE) draws a sharp line at the critical diameter d_c; real shots
scatter around it. `ProbitBLE` models that scatter on the BLE's own margin x = ln(d / d_c):

    P(fail | x, shot i of test programme s) = Φ(η_i + u_s),   u_s ~ N(0, τ²)
    η_i = β_x · x_i + b + δ_r(i) + β_θ · (1 − cos θ_i)

* β_x > 0 the slope (a scale per family: the BLE's scatter in ln d is 1/β_x),
* b the common intercept (−b/β_x is the BLE's bias in ln d), δ_r the offset of the speed regime
  r(i) of the shot (ballistic V_n ≤ 3 km/s, shatter 3–7 km/s, hypervelocity V_n ≥ 7 km/s, with
  V_n = V cos θ; δ_shatter ≡ 0), β_θ an obliquity term,
* u_s a random intercept per test programme (the table's ``source``), so that one laboratory's
  many shots do not dominate: each programme contributes one marginal likelihood
  L_s = ∫ Π_{i∈s} Φ(±(η_i + τz)) φ(z) dz, integrated by Gauss–Hermite quadrature.

The fit is penalised maximum likelihood (a maximum a posteriori estimate, stated): Gaussian
penalties δ_r ~ N(0, 0.5²), β_θ ~ N(0, 1²) (probit units) shrink the regime and obliquity terms
towards the plain margin model where the shots are few, and ln τ ~ N(ln 0.3, 1²) keeps τ away from
the boundary τ = 0 where a family has only a few programmes. Probit follows the usual
latent-variable reading of a ballistic limit (Gaussian scatter of the true limit in ln d).

Prediction for a **new** programme (a shield tested nowhere in the data, or the flight article)
integrates u_s out: P = Φ(η / √(1 + τ²)). In ln d this is a normal scatter of the failure
threshold around the BLE:

    P(fail) = Φ((ln(d / d_c) − μ) / σ),   μ = −(b + δ_r + β_θ (1 − cos θ)) / β_x,
                                           σ = √(1 + τ²) / β_x

(`log_margin`), which is what the risk engine integrates (``ble_scatter=True``). σ → 0 gives
back the step at d_c·e^μ.

Estimator contract (scikit-learn style): ``fit(X, y, groups=...)`` returns self, fitted
attributes end in ``_``; X has columns (ln(d/d_c) [-], V_n [km s⁻¹], θ [rad]). The fit is
deterministic (no random numbers); the cross-validation bootstrap takes a `numpy.random.Generator`.
Pure numpy/scipy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize
from scipy.special import log_ndtr, logsumexp, ndtr

from breachkit._core.errors import InputError

__all__ = ["REGIME_EDGES_KM_S", "ProbitBLE", "regime_index"]

#: Normal-speed edges of the ballistic / shatter / hypervelocity regimes [km s⁻¹]
#: (the Christiansen 1993 Whipple transitions, Handbook TM-2009-214785 eqs 4-23…4-25).
REGIME_EDGES_KM_S = (3.0, 7.0)

_SHATTER = 1


def regime_index(normal_speed_km_s: ArrayLike) -> NDArray[np.intp]:
    """0 ballistic (V_n ≤ 3 km/s), 1 shatter (3 < V_n < 7), 2 hypervelocity (V_n ≥ 7) [-]."""
    vn = np.asarray(normal_speed_km_s, dtype=float)
    return np.where(vn <= REGIME_EDGES_KM_S[0], 0, np.where(vn >= REGIME_EDGES_KM_S[1], 2, 1))


@dataclass(frozen=True)
class _Priors:
    regime_sd: float = 0.5
    obliquity_sd: float = 1.0
    log_tau_mean: float = float(np.log(0.3))
    log_tau_sd: float = 1.0


class ProbitBLE:
    """P(failure) on a BLE's margin with a per-programme random intercept (module docstring).

    Parameters
    ----------
    regimes
        Fit the speed-regime offsets δ_ballistic, δ_hypervelocity (else δ ≡ 0).
    obliquity
        Fit the obliquity term β_θ (else 0). Off by default: on the Whipple shots it lowers the
        out-of-sample accuracy (docs/validation/ble.md, model variants) — the BLEs' own cos θ
        terms and 65° cap already carry the obliquity.
    random_effect
        Fit the per-programme random intercept (else τ ≡ 0: plain penalised probit).
    n_quadrature
        Gauss–Hermite nodes of the random-intercept integral.

    Fitted attributes
    -----------------
    slope_, intercept_, regime_offsets_ (3,), obliquity_, tau_
        β_x, b, (δ_ballistic, 0, δ_hypervelocity), β_θ, τ [probit units].
    n_shots_, n_sources_, n_failed_
        Shots, programmes and failures fitted.
    objective_, converged_
        Penalised negative log-likelihood at the optimum, optimiser status.
    """

    def __init__(
        self,
        *,
        regimes: bool = True,
        obliquity: bool = False,
        random_effect: bool = True,
        n_quadrature: int = 24,
    ) -> None:
        self.regimes = regimes
        self.obliquity = obliquity
        self.random_effect = random_effect
        self.n_quadrature = n_quadrature

    # ------------------------------------------------------------------ fitting
    @staticmethod
    def _columns(X: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.float64]]:
        x = np.asarray(X, dtype=float)
        if x.ndim != 2 or x.shape[1] != 3:
            raise InputError(
                f"ProbitBLE: X must be (n, 3) = (ln d/d_c, V_n km/s, θ rad), got {x.shape}"
            )
        if not np.all(np.isfinite(x)):
            raise InputError("ProbitBLE: X has NaN or infinite entries (drop unscored shots)")
        return x[:, 0], regime_index(x[:, 1]), 1.0 - np.cos(x[:, 2])

    def _unpack(
        self, p: NDArray[np.float64]
    ) -> tuple[float, float, NDArray[np.float64], float, float]:
        slope = float(np.exp(p[0]))
        b = float(p[1])
        delta = np.array([p[2], 0.0, p[3]]) if self.regimes else np.zeros(3)
        beta_t = float(p[4]) if self.obliquity else 0.0
        tau = float(np.exp(p[5])) if self.random_effect else 0.0
        return slope, b, delta, beta_t, tau

    def _objective(
        self,
        p: NDArray[np.float64],
        x: NDArray[np.float64],
        r: NDArray[np.intp],
        ob: NDArray[np.float64],
        sign: NDArray[np.float64],
        grp: NDArray[np.intp],
        n_grp: int,
    ) -> float:
        slope, b, delta, beta_t, tau = self._unpack(p)
        eta = slope * x + b + delta[r] + beta_t * ob
        pri = _Priors()
        pen = 0.0
        if self.regimes:
            pen += 0.5 * (p[2] ** 2 + p[3] ** 2) / pri.regime_sd**2
        if self.obliquity:
            pen += 0.5 * p[4] ** 2 / pri.obliquity_sd**2
        if not self.random_effect:
            return float(-log_ndtr(sign * eta).sum() + pen)
        pen += 0.5 * ((p[5] - pri.log_tau_mean) / pri.log_tau_sd) ** 2
        z, w = np.polynomial.hermite_e.hermegauss(self.n_quadrature)
        logw = np.log(w / np.sqrt(2.0 * np.pi))
        ll_iq = log_ndtr(sign[:, None] * (eta[:, None] + tau * z[None, :]))  # (n, Q)
        per = np.zeros((n_grp, z.size))
        np.add.at(per, grp, ll_iq)
        return float(-logsumexp(per + logw[None, :], axis=1).sum() + pen)

    def fit(self, X: ArrayLike, y: ArrayLike, *, groups: ArrayLike | None = None) -> ProbitBLE:
        """Fit to shots X (n, 3) with outcomes y (1 failed, 0 held) and programme labels `groups`.

        Without `groups` every shot is its own programme (then τ is only set by its prior).
        """
        x, r, ob = self._columns(X)
        yy = np.asarray(y).astype(float).reshape(-1)
        if yy.shape != x.shape or not np.all((yy == 0) | (yy == 1)):
            raise InputError("ProbitBLE: y must be n values of 0 or 1")
        if yy.min() == yy.max():
            raise InputError("ProbitBLE: y holds one outcome only; a scatter cannot be fitted")
        g = np.arange(x.size) if groups is None else np.asarray(groups)
        _, grp = np.unique(g, return_inverse=True)
        grp = grp.reshape(-1)
        n_grp = int(grp.max()) + 1
        sign = 2.0 * yy - 1.0
        p0 = np.array([np.log(3.0), 0.0, 0.0, 0.0, 0.0, np.log(0.3)])
        res = minimize(
            self._objective,
            p0,
            args=(x, r, ob, sign, grp, n_grp),
            method="L-BFGS-B",
            bounds=[(np.log(0.05), np.log(200.0)), (-10, 10), (-5, 5), (-5, 5), (-10, 10), (-8, 2)],
        )
        slope, b, delta, beta_t, tau = self._unpack(res.x)
        self.slope_, self.intercept_ = slope, b
        self.regime_offsets_, self.obliquity_, self.tau_ = delta, beta_t, tau
        self.n_shots_, self.n_sources_, self.n_failed_ = int(x.size), n_grp, int(yy.sum())
        self.objective_, self.converged_ = float(res.fun), bool(res.success)
        return self

    # --------------------------------------------------------------- prediction
    def _check_fitted(self) -> None:
        if not hasattr(self, "slope_"):
            raise InputError("ProbitBLE: call fit() first")

    def linear_predictor(self, X: ArrayLike) -> NDArray[np.float64]:
        """η / √(1 + τ²): the probit of a shot from a new programme [-]."""
        self._check_fitted()
        x, r, ob = self._columns(X)
        eta = self.slope_ * x + self.intercept_ + self.regime_offsets_[r] + self.obliquity_ * ob
        return np.asarray(eta / np.sqrt(1.0 + self.tau_**2))

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """(n, 2): P(held), P(failed) for shots from a new programme (u_s integrated out)."""
        p = ndtr(self.linear_predictor(X))
        return np.stack([1.0 - p, p], axis=1)

    def predict(self, X: ArrayLike, threshold: float = 0.5) -> NDArray[np.bool_]:
        """Predicted failure: P(failed) ≥ `threshold`."""
        return np.asarray(self.predict_proba(X)[:, 1] >= threshold)

    def log_margin(
        self, normal_speed_km_s: ArrayLike, angle_rad: ArrayLike
    ) -> tuple[NDArray[np.float64], float]:
        """(μ, σ): P(fail) = Φ((ln(d/d_c) − μ)/σ) for a new programme [-] (module docstring)."""
        self._check_fitted()
        r = regime_index(normal_speed_km_s)
        ob = 1.0 - np.cos(np.asarray(angle_rad, dtype=float))
        mu = -(self.intercept_ + self.regime_offsets_[r] + self.obliquity_ * ob) / self.slope_
        return np.asarray(mu), float(np.sqrt(1.0 + self.tau_**2) / self.slope_)
