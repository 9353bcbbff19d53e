"""Out-of-sample scores of deterministic and probabilistic BLEs: leave-one-source-out CV.

For each test programme s (the HVI tables' ``source``) of a family:

1. fit `ProbitBLE` on every other programme;
2. choose the decision threshold t on those training shots only: the largest training accuracy
   among thresholds whose training unsafe-miss share (of perforated shots) is at most the
   deterministic BLE's on the same training shots (the deterministic line is what the threshold
   has to beat; it is never evaluated on the held-out programme);
3. predict the held-out programme's shots with the new-programme probability (u_s integrated out):
   P(fail) and "fail" where P ≥ t; the deterministic BLE predicts "fail" where d ≥ d_c.

Scores on the pooled held-out predictions: log-loss, Brier score, accuracy, unsafe misses
(predicted to hold, failed) as a share of the perforated shots and of all shots. A 0/1 prediction
has Brier score = error rate and infinite log-loss (one confident wrong answer); the deterministic
line is shown so. The differences probabilistic − deterministic get a paired bootstrap interval
over programmes (programmes resampled with replacement, both predictors on the same draw).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.damage.hvi import ShotSet
from breachkit.damage.probabilistic import ProbitBLE

__all__ = ["CVResult", "choose_threshold", "design", "leave_one_source_out", "metrics"]

_EPS = 1e-12


def design(shots: ShotSet) -> NDArray[np.float64]:
    """X for `ProbitBLE`: (ln(d/d_c), V_n [km s⁻¹], θ [rad]) per shot."""
    return np.column_stack(
        [np.log(shots.diameter_m / shots.critical_m), shots.normal_speed_km_s, shots.angle_rad]
    )


def choose_threshold(
    p: NDArray[np.float64], y: NDArray[np.bool_], max_unsafe_share: float
) -> float:
    """Threshold on P(fail) with the best accuracy among those whose unsafe-miss share of the
    failed shots is ≤ `max_unsafe_share` (ties: the lowest threshold, the safer one)."""
    cand = np.unique(np.concatenate([p, [0.0]]))
    pred = p[None, :] >= cand[:, None]
    acc = (pred == y[None, :]).mean(axis=1)
    n_fail = max(int(y.sum()), 1)
    unsafe = (~pred & y[None, :]).sum(axis=1) / n_fail
    ok = unsafe <= max_unsafe_share + 1e-12
    acc = np.where(ok, acc, -1.0)
    best = np.flatnonzero(acc == acc.max())
    return float(cand[best[0]])


def metrics(
    p: NDArray[np.float64], pred: NDArray[np.bool_], y: NDArray[np.bool_]
) -> dict[str, float]:
    """Log-loss [nat], Brier, accuracy, unsafe misses (share of failed, share of all) [-]."""
    yf = y.astype(float)
    n = max(y.size, 1)
    with np.errstate(divide="ignore"):
        lp = np.where(y, np.log(p), np.log1p(-p))
    ll = float(-np.mean(lp)) if y.size else np.nan
    unsafe = int((~pred & y).sum())
    return {
        "n": int(y.size),
        "n_failed": int(y.sum()),
        "log_loss": float(ll),
        "brier": float(np.mean((p - yf) ** 2)) if y.size else np.nan,
        "accuracy": float((pred == y).mean()) if y.size else np.nan,
        "unsafe": unsafe,
        "unsafe_of_failed": unsafe / max(int(y.sum()), 1),
        "unsafe_of_all": unsafe / n,
    }


@dataclass
class CVResult:
    """Pooled held-out predictions of one family and their scores."""

    key: str
    ble: str
    y: NDArray[np.bool_]
    source: NDArray[Any]
    p_prob: NDArray[np.float64]
    pred_prob: NDArray[np.bool_]
    pred_det: NDArray[np.bool_]
    thresholds: dict[str, float] = field(default_factory=dict)

    def scores(self) -> dict[str, dict[str, float]]:
        """{"deterministic": metrics, "probabilistic": metrics}."""
        return {
            "deterministic": metrics(self.pred_det.astype(float), self.pred_det, self.y),
            "probabilistic": metrics(self.p_prob, self.pred_prob, self.y),
        }

    def bootstrap(self, rng: np.random.Generator, n_boot: int = 2000) -> dict[str, list[float]]:
        """95 % paired-bootstrap intervals over programmes of probabilistic − deterministic:
        accuracy, unsafe share of failed, unsafe share of all."""
        src, inv = np.unique(self.source, return_inverse=True)
        inv = inv.reshape(-1)

        def per(v: NDArray[Any]) -> NDArray[np.float64]:
            return np.asarray(
                np.bincount(inv, weights=v.astype(float), minlength=src.size), dtype=float
            )

        n, nf = per(np.ones_like(self.y)), per(self.y)
        c_p, c_d = per(self.pred_prob == self.y), per(self.pred_det == self.y)
        u_p, u_d = per(~self.pred_prob & self.y), per(~self.pred_det & self.y)
        w = rng.multinomial(src.size, np.full(src.size, 1.0 / src.size), size=n_boot).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            tot, totf = w @ n, w @ nf
            d_acc = (w @ c_p - w @ c_d) / tot
            d_uf = (w @ u_p - w @ u_d) / totf
            d_ua = (w @ u_p - w @ u_d) / tot

        def ci(x: NDArray[np.float64]) -> list[float]:
            x = x[np.isfinite(x)]
            return [float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))]

        return {
            "accuracy": ci(d_acc),
            "unsafe_of_failed": ci(d_uf),
            "unsafe_of_all": ci(d_ua),
        }


def leave_one_source_out(shots: ShotSet, model: ProbitBLE | None = None) -> CVResult:
    """Leave-one-programme-out predictions of `shots` (unscored rows, NaN d_c, dropped)."""
    s = shots.subset(np.isfinite(shots.critical_m))
    if np.unique(s.source).size < 2:
        raise InputError(f"{shots.ble}: one test programme only; leave-one-source-out impossible")
    X, y = design(s), s.failed.astype(bool)
    det = s.diameter_m >= s.critical_m
    p = np.full(y.size, np.nan)
    pred = np.zeros(y.size, dtype=bool)
    thr: dict[str, float] = {}
    for src in np.unique(s.source):
        test = s.source == src
        train = ~test
        if y[train].min() == y[train].max():  # one outcome only in training: keep the BLE line
            p[test], pred[test] = det[test].astype(float), det[test]
            thr[str(src)] = float("nan")
            continue
        m = _clone(model).fit(X[train], y[train], groups=s.source[train])
        p_train = m.predict_proba(X[train])[:, 1]
        det_unsafe = (~det[train] & y[train]).sum() / max(int(y[train].sum()), 1)
        t = choose_threshold(p_train, y[train], float(det_unsafe))
        p[test] = m.predict_proba(X[test])[:, 1]
        pred[test] = p[test] >= t
        thr[str(src)] = t
    return CVResult(shots.key, shots.ble, y, s.source, np.clip(p, _EPS, 1 - _EPS), pred, det, thr)


def _clone(model: ProbitBLE | None) -> ProbitBLE:
    if model is None:
        return ProbitBLE()
    return type(model)(
        regimes=model.regimes,
        obliquity=model.obliquity,
        random_effect=model.random_effect,
        n_quadrature=model.n_quadrature,
    )
