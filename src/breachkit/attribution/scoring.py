"""Scores of probabilistic predictions of a binary outcome: Brier score, expected calibration
error with its sampling floor, reliability table and diagram, ROC AUC (used by the
simulation-based calibration, `breachkit.attribution.calibration`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = [
    "brier_score",
    "ece_null",
    "expected_calibration_error",
    "plot_reliability",
    "reliability_table",
    "roc_auc",
]


# -----------------------------------------------------------------------------------
def _check_scores(p: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    pa, ya = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    if pa.shape != ya.shape or pa.ndim != 1 or pa.size == 0:
        raise InputError("scores: need two 1-D arrays of the same non-zero length")
    if np.any(~np.isfinite(pa)) or np.any((pa < 0) | (pa > 1)):
        raise InputError("scores: probabilities must be finite and in [0, 1]")
    if np.any((ya != 0) & (ya != 1)):
        raise InputError("scores: outcomes must be 0 or 1")
    return pa, ya


def brier_score(p: ArrayLike, y: ArrayLike) -> float:
    """Brier score mean((p − y)²) [-] (Brier 1950): 0 perfect, 0.25 for a constant 0.5."""
    pa, ya = _check_scores(p, y)
    return float(np.mean((pa - ya) ** 2))


def reliability_table(p: ArrayLike, y: ArrayLike, n_bins: int = 10) -> dict[str, NDArray[Any]]:
    """Reliability diagram data: equal-width bins of p; per bin the count, mean p and observed
    frequency of y = 1 with its binomial standard error (NaN in empty bins)."""
    pa, ya = _check_scores(p, y)
    if n_bins < 1:
        raise InputError(f"n_bins: {n_bins} must be >= 1")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.searchsorted(edges, pa, side="right") - 1, 0, n_bins - 1)
    count = np.bincount(idx, minlength=n_bins).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.bincount(idx, weights=pa, minlength=n_bins) / count
        freq = np.bincount(idx, weights=ya, minlength=n_bins) / count
        se = np.sqrt(freq * (1 - freq) / count)
    return {"edges": edges, "count": count, "mean_p": mean_p, "frequency": freq, "se": se}


def expected_calibration_error(p: ArrayLike, y: ArrayLike, n_bins: int = 10) -> float:
    """ECE = Σ_b (n_b / n) |mean p_b − freq_b| over equal-width bins [-] (Naeini et al. 2015).

    A perfectly calibrated predictor still scores ~ sqrt(bins / n) from sampling noise."""
    t = reliability_table(p, y, n_bins)
    ok = t["count"] > 0
    n = t["count"][ok].sum()
    return float(np.sum(t["count"][ok] / n * np.abs(t["mean_p"][ok] - t["frequency"][ok])))


def ece_null(
    p: ArrayLike, n_bins: int = 10, *, rng: np.random.Generator, n_draws: int = 200
) -> dict[str, float]:
    """ECE of a perfectly calibrated predictor with these same predictions: outcomes redrawn as
    y ~ Bernoulli(p) `n_draws` times; the mean and 95th percentile are the sampling floor an
    observed ECE is compared with (above the 95th percentile: miscalibration detected)."""
    pa = np.asarray(p, dtype=float)
    e = [
        expected_calibration_error(pa, (rng.random(pa.size) < pa).astype(float), n_bins)
        for _ in range(n_draws)
    ]
    return {"mean": float(np.mean(e)), "p95": float(np.percentile(e, 95))}


def roc_auc(p: ArrayLike, y: ArrayLike) -> float:
    """Area under the ROC curve = P(p of a random positive > p of a random negative), ties
    counted ½ (Mann–Whitney U / (n₁ n₀), Hanley & McNeil 1982). NaN with one class only."""
    from scipy.stats import rankdata

    pa, ya = _check_scores(p, y)
    n1 = int(ya.sum())
    n0 = ya.size - n1
    if n1 == 0 or n0 == 0:
        return math.nan
    r = rankdata(pa)
    return float((r[ya == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def plot_reliability(studies: Mapping[str, Any], path: Any) -> Any:
    """Reliability diagram (observed frequency vs mean P(impact) per bin, ±1 s.e.) of studies."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5.0), dpi=120)
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--", label="perfect calibration")
    for label, s in studies.items():
        t = s.reliability_
        ok = t["count"] > 0
        ax.errorbar(t["mean_p"][ok], t["frequency"][ok], yerr=t["se"][ok], marker="o",
                    capsize=2, label=f"{label} (ECE {s.ece_:.3f}, AUC {s.auc_:.2f})")  # fmt: skip
    ax.set_xlabel("predicted P(impact) (bin mean)")
    ax.set_ylabel("observed fraction of impacts")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title("Blind synthetic incidents: reliability", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
