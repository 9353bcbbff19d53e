"""The probabilistic half of the BLE validation report: out-of-sample scores, variants, fits.

`probabilistic_section` runs leave-one-source-out cross-validation (`breachkit.damage.crossval`)
on every shot family with a fitted scatter, renders the side-by-side table (deterministic BLE
against `ProbitBLE`), the model-variant table and the paired-bootstrap intervals, and returns
the JSON payload and the parameters fitted on all shots (the content of
``breachkit/data/ble_scatter.toml``). `reliability_png` draws the reliability diagram.
Called by ``python -m breachkit.damage.scoring``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from breachkit.damage.crossval import CVResult, design, leave_one_source_out
from breachkit.damage.hvi import ShotSet
from breachkit.damage.probabilistic import ProbitBLE

__all__ = ["VARIANTS", "fit_all", "params_toml", "probabilistic_section", "reliability_png"]

#: The model variants compared (name → ProbitBLE options); "regimes" is the default model.
VARIANTS = {
    "margin only": {"regimes": False, "obliquity": False},
    "regimes (default)": {"regimes": True, "obliquity": False},
    "regimes + obliquity": {"regimes": True, "obliquity": True},
}

#: Seed of the paired bootstrap (explicit `numpy.random.Generator`, reproducible report).
BOOTSTRAP_SEED = 20261202
N_BOOT = 2000


def _fmt(x: float, pct: bool = False) -> str:
    if not np.isfinite(x):
        return "∞" if x > 0 else "–"
    return f"{100 * x:.1f} %" if pct else f"{x:.3f}"


def _ci(c: list[float]) -> str:
    return f"[{100 * c[0]:+.1f}, {100 * c[1]:+.1f}] pp"


#: A fit whose slope sits at this lower bound has found no signal in the BLE's margin.
_SLOPE_FLOOR = 0.051


def fit_all(sets: list[ShotSet]) -> tuple[dict[str, ProbitBLE], list[str]]:
    """The default `ProbitBLE` fitted on all shots of each family with a key, and the families
    left out with the reason (one programme only; no signal in the margin)."""
    out, left = {}, []
    for s in sets:
        if not s.key:
            continue
        sub = s.subset(np.isfinite(s.critical_m))
        if np.unique(sub.source).size < 2:
            continue
        m = ProbitBLE().fit(design(sub), sub.failed, groups=sub.source)
        if m.slope_ < _SLOPE_FLOOR:
            left.append(
                f"- {s.ble}: the fitted slope sits at its lower bound ({m.slope_:.3f}): the "
                "BLE's margin ln(d/d_c) carries no usable signal on these shots (failures at "
                "d/d_c ≈ 0.1 next to holds at d/d_c ≈ 1.4), so no scatter is shipped."
            )
            continue
        out[s.key] = m
    return out, left


def _cv_rows(sets: list[ShotSet]) -> tuple[list[CVResult], list[str], dict[str, Any]]:
    results, lines, variants = [], [], {}
    for s in sets:
        if not s.key:
            continue
        if np.unique(s.source[np.isfinite(s.critical_m)]).size < 2:
            lines.append(
                f"- {s.ble}: one test programme only ({s.source[0]}), no cross-validation and "
                "no fitted scatter."
            )
            continue
        var = {}
        for name, opts in VARIANTS.items():
            r = leave_one_source_out(s, ProbitBLE(**opts))
            var[name] = r.scores()["probabilistic"]
            if name == "regimes (default)":
                results.append(r)
        variants[s.key] = var
    return results, lines, variants


def probabilistic_section(sets: list[ShotSet]) -> tuple[list[str], dict[str, Any], str]:
    """(markdown lines, JSON payload, console table) of the probabilistic scoring."""
    results, skipped, variants = _cv_rows(sets)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    md = [
        "## Out of sample: deterministic BLE against its probabilistic form",
        "",
        "Leave-one-source-out cross-validation: each test programme (the tables' `source`) is "
        "predicted by a `ProbitBLE` fitted on the other programmes only; the decision threshold "
        "on P(fail) is chosen on the training programmes only (best training accuracy with a "
        "training unsafe-miss share no worse than the deterministic BLE's). The deterministic "
        "BLE has nothing to fit; it is scored on the same shots. A 0/1 prediction has Brier "
        "score = error rate and infinite log-loss. **Unsafe misses** are given as a share of the "
        "perforated (failed) shots, the usual published figure, and as a share of all shots.",
        "",
        "| family (BLE) | shots | programmes | predictor | log-loss | Brier | accuracy | "
        "unsafe / perforated | unsafe / all |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    console = [
        f"{'family':<16} {'predictor':<14} {'log-loss':>8} {'Brier':>6} {'acc':>7} "
        f"{'unsafe/perf':>11} {'unsafe/all':>10}"
    ]
    payload: dict[str, Any] = {"families": {}, "bootstrap_seed": BOOTSTRAP_SEED}
    boot_md = [
        "",
        f"Paired bootstrap over programmes ({N_BOOT} draws, seed {BOOTSTRAP_SEED}), 95 % "
        "interval of probabilistic − deterministic (percentage points; negative unsafe = fewer "
        "unsafe misses):",
        "",
        "| family | Δ accuracy | Δ unsafe / perforated | Δ unsafe / all |",
        "| --- | --- | --- | --- |",
    ]
    for r in results:
        sc = r.scores()
        n_src = int(np.unique(r.source).size)
        for who, m in sc.items():
            md.append(
                f"| {r.key} ({r.ble}) | {m['n']} | {n_src} | {who} | {_fmt(m['log_loss'])} | "
                f"{_fmt(m['brier'])} | {_fmt(m['accuracy'], True)} | "
                f"{_fmt(m['unsafe_of_failed'], True)} ({m['unsafe']}/{m['n_failed']}) | "
                f"{_fmt(m['unsafe_of_all'], True)} |"
            )
            console.append(
                f"{r.key:<16} {who:<14} {_fmt(m['log_loss']):>8} {_fmt(m['brier']):>6} "
                f"{_fmt(m['accuracy'], True):>7} {_fmt(m['unsafe_of_failed'], True):>11} "
                f"{_fmt(m['unsafe_of_all'], True):>10}"
            )
        b = r.bootstrap(rng, N_BOOT)
        boot_md.append(
            f"| {r.key} | {_ci(b['accuracy'])} | {_ci(b['unsafe_of_failed'])} | "
            f"{_ci(b['unsafe_of_all'])} |"
        )
        payload["families"][r.key] = {"ble": r.ble, "scores": sc, "bootstrap_95": b}
    md += boot_md
    md += [
        "",
        "Model variants (leave-one-source-out, the probabilistic predictor only). The default "
        "(regime offsets, no obliquity term) was chosen after comparing these three on the "
        "Whipple shots, so its margin over the deterministic line is slightly optimistic:",
        "",
        "| family | variant | log-loss | Brier | accuracy | unsafe / perforated |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for key, var in variants.items():
        for name, m in var.items():
            md.append(
                f"| {key} | {name} | {_fmt(m['log_loss'])} | {_fmt(m['brier'])} | "
                f"{_fmt(m['accuracy'], True)} | {_fmt(m['unsafe_of_failed'], True)} |"
            )
    payload["variants"] = variants
    if skipped:
        md += ["", "Not fitted:", "", *skipped]
    md += ["", "Reliability diagram (pooled held-out predictions): `ble_reliability.png`.", ""]
    payload["_cv"] = results
    return md, payload, "\n".join(console)


def fitted_section(models: dict[str, ProbitBLE], left: list[str]) -> list[str]:
    """Markdown table of the parameters fitted on all shots (shipped in ble_scatter.toml)."""
    out = [
        "## Fitted scatter (all shots; shipped in `breachkit/data/ble_scatter.toml`)",
        "",
        "P(fail) = Φ((ln(d/d_c) − μ_r)/σ) for a shield from a new test programme; μ_r by speed "
        "regime (V_n = V cos θ), σ = √(1 + τ²)/β_x. e^μ is the median failure diameter over d_c.",
        "",
        "| family | shots | programmes | β_x | τ | σ (ln d) | e^μ ballistic | e^μ shatter | "
        "e^μ hypervelocity |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, m in models.items():
        mu, sig = m.log_margin(np.array([2.0, 5.0, 8.0]), np.zeros(3))
        out.append(
            f"| {key} | {m.n_shots_} | {m.n_sources_} | {m.slope_:.3f} | {m.tau_:.3f} | "
            f"{sig:.3f} | {np.exp(mu[0]):.3f} | {np.exp(mu[1]):.3f} | {np.exp(mu[2]):.3f} |"
        )
    if left:
        out += ["", "Not shipped:", "", *left]
    return [*out, ""]


def params_toml(models: dict[str, ProbitBLE], bles: dict[str, str]) -> str:
    """The text of ``breachkit/data/ble_scatter.toml`` (deterministic formatting)."""
    lines = [
        "# Fitted scatter of the ballistic limit equations (breachkit.damage.probabilistic).",
        "# Generated by `python -m breachkit.damage.scoring --params ...` from the HVI shots of",
        "# pyBLOSSUM (snapshot fe0a7df, MIT licence); do not edit by hand.",
        "# P(fail) = Phi((ln(d/d_c) - mu_r)/sigma), mu_r = -(intercept + regime_offset_r)/slope,",
        "# sigma = sqrt(1 + tau^2)/slope; regimes: ballistic Vn <= 3 km/s, shatter, Vn >= 7 km/s.",
        "",
    ]
    for key, m in models.items():
        lines += [
            f"[{key}]",
            f'ble = "{bles[key]}"',
            f"slope = {m.slope_:.6f}",
            f"intercept = {m.intercept_:.6f}",
            "regime_offsets = [" + ", ".join(f"{x:.6f}" for x in m.regime_offsets_) + "]",
            f"obliquity = {m.obliquity_:.6f}",
            f"tau = {m.tau_:.6f}",
            f"n_shots = {m.n_shots_}",
            f"n_sources = {m.n_sources_}",
            f"n_failed = {m.n_failed_}",
            "",
        ]
    return "\n".join(lines)


def reliability_png(results: list[CVResult], path: Path) -> None:
    """Reliability diagram of the pooled held-out P(fail), one curve per family (matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            "the reliability diagram needs matplotlib: pip install 'breachkit[plot]'"
        ) from exc
    edges = np.linspace(0.0, 1.0, 11)
    fig, ax = plt.subplots(figsize=(5.5, 5.0), dpi=110)
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--", label="perfect calibration")
    for r in results:
        b = np.clip(np.digitize(r.p_prob, edges) - 1, 0, 9)
        n = np.bincount(b, minlength=10)
        keep = n >= 5
        mp = np.bincount(b, weights=r.p_prob, minlength=10)[keep] / n[keep]
        fo = np.bincount(b, weights=r.y.astype(float), minlength=10)[keep] / n[keep]
        ax.plot(mp, fo, marker="o", ms=3, lw=1.2, label=f"{r.key} ({r.y.size} shots)")
    ax.set_xlabel("predicted P(failure), held-out programme")
    ax.set_ylabel("observed failure fraction")
    ax.set_title("BLE reliability, leave-one-source-out\n(bins of 0.1 with ≥ 5 shots)", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
