"""`analyze`: from a telemetry series to a `LeakAnalysis` (onset, hole, signature, depletion)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from breachkit._core.display import format_bayes_factor
from breachkit._core.errors import InputError
from breachkit.telemetry import leak
from breachkit.telemetry.inference import LeakFit, bin_series, fit_leak
from breachkit.telemetry.io import TelemetrySeries, read_telemetry
from breachkit.telemetry.vessels import GenericDecay, Vessel

__all__ = ["LeakAnalysis", "analyze", "plot_analysis"]


def _finite(x: float) -> float | None:
    return float(x) if x is not None and np.isfinite(x) else None


@dataclass
class LeakAnalysis:
    """What a pressure record says about a leak.

    Times are UTC; intervals are 95 % (posterior quantiles for a sudden hole, Laplace for a growing
    one). ``bayes_factor`` is BF(growing : sudden) when a leak is found, and BF(leak : no leak)
    otherwise; ``leak_bayes_factor`` is always BF(leak : no leak).
    """

    series: TelemetrySeries
    vessel: Vessel
    discharge_coefficient: float
    fit: LeakFit
    leak: bool
    signature: Literal["sudden", "growing", "none"]
    onset_utc: datetime | None
    onset_ci_s: tuple[float | None, float | None]
    onset_ci_utc: tuple[datetime | None, datetime | None]
    onset_before_record: bool
    hole_diameter_m: float | None
    hole_diameter_ci_m: tuple[float | None, float | None]
    cd_area_m2: float | None
    cd_area_ci_m2: tuple[float | None, float | None]
    leak_rate: dict[str, float]
    bayes_factor: float
    leak_bayes_factor: float
    growing_bayes_factor: float | None
    depletion_utc: datetime | None
    depletion_ci_utc: tuple[datetime | None, datetime | None]
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (NaN → None)."""
        f = self.fit
        return {
            "channel": self.series.channel,
            "source": self.series.source,
            "vessel": self.vessel.describe(),
            "discharge_coefficient": self.discharge_coefficient,
            "leak": self.leak,
            "signature": self.signature,
            "onset_utc": self.onset_utc,
            "onset_ci_s": list(self.onset_ci_s),
            "onset_ci_utc": list(self.onset_ci_utc),
            "onset_before_record": self.onset_before_record,
            "hole_diameter_m": self.hole_diameter_m,
            "hole_diameter_ci_m": list(self.hole_diameter_ci_m),
            "cd_area_m2": self.cd_area_m2,
            "cd_area_ci_m2": list(self.cd_area_ci_m2),
            "growth_law": f.growth_law if self.signature == "growing" else None,
            "growth_rate_s": f.growth_rate_s if self.signature == "growing" else None,
            "leak_rate": self.leak_rate,
            "bayes_factor": self.bayes_factor,
            "leak_bayes_factor": self.leak_bayes_factor,
            "growing_bayes_factor": self.growing_bayes_factor,
            "ln_leak_bayes_factor": self.fit.ln_bf_leak,
            "ln_growing_bayes_factor": self.fit.ln_bf_growing if self.leak else None,
            "depletion_utc": self.depletion_utc,
            "depletion_ci_utc": list(self.depletion_ci_utc),
            "pressure_at_onset": _finite(f.p0) if self.leak else None,
            "trend_per_s": _finite(f.trend_slope),
            "trend_se_per_s": _finite(f.trend_slope_se),
            "residual_sigma": _finite(f.sigma),
            "residual_lag1_autocorrelation": f.rho,
            "n_eff": f.n_eff,
            "evidence": list(self.evidence),
            "data_handling": self.series.report(),
        }

    def summary_lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for humans."""

        def t(x: datetime | None) -> str:
            return x.strftime("%Y-%m-%d %H:%M:%S UTC") if x else "—"

        rows = [("channel", f"{self.series.channel} ({self.series.unit})")]
        rows.append(("verdict", "LEAK" if self.leak else "no leak"))
        rows.append(("signature", self.signature))
        rows.append(("Bayes factor leak : no leak", format_bayes_factor(self.leak_bayes_factor)))
        if self.leak:
            lo, hi = self.onset_ci_s
            rows.append(
                (
                    "onset",
                    ("before the record (≤ " if self.onset_before_record else "")
                    + t(self.onset_utc)
                    + (")" if self.onset_before_record else "")
                    + (
                        f"  [{lo:+.0f} s, {hi:+.0f} s]" if lo is not None and hi is not None else ""
                    ),
                )
            )
            if self.hole_diameter_m is not None:
                a, b = self.hole_diameter_ci_m
                rows.append(
                    (
                        "equivalent hole diameter",
                        f"{self.hole_diameter_m * 1e3:.3g} mm  [{(a or 0) * 1e3:.3g}, "
                        f"{(b or 0) * 1e3:.3g}] (Cd = {self.discharge_coefficient:.3g})",
                    )
                )
            for k, v in self.leak_rate.items():
                rows.append((f"leak rate at onset: {k}", f"{v:.3g}"))
            if self.growing_bayes_factor is not None:
                rows.append(
                    (
                        "Bayes factor growing : sudden",
                        format_bayes_factor(self.growing_bayes_factor),
                    )
                )
        rows.append(
            (
                "depletion",
                t(self.depletion_utc)
                + (
                    f"  [{t(self.depletion_ci_utc[0])}, {t(self.depletion_ci_utc[1])}]"
                    if self.depletion_utc
                    else ""
                ),
            )
        )
        return rows

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self.summary_lines()
        )
        ev = "".join(f"<li>{html.escape(e)}</li>" for e in self.evidence)
        return f"<table>{rows}</table><ul>{ev}</ul>"

    def __rich__(self) -> Any:
        from rich.table import Table

        table = Table(title="Leak analysis", show_header=False)
        table.add_column("quantity", style="bold")
        table.add_column("value")
        for k, v in self.summary_lines():
            table.add_row(k, v)
        for e in self.evidence:
            table.add_row("evidence", e)
        return table


def _ci(a: float, b: float) -> tuple[float | None, float | None]:
    return (_finite(a), _finite(b))


def analyze(
    data: TelemetrySeries | str | Path,
    vessel: Vessel | None = None,
    *,
    channel: str | None = None,
    unit: str | None = None,
    time_column: str | None = None,
    discharge_coefficient: float = leak.DEFAULT_DISCHARGE_COEFFICIENT,
    depletion_threshold_pa: float | None = None,
    leak_threshold: float = 100.0,
    growing_threshold: float = 10.0,
    max_bins: int = 2000,
    **read_kwargs: Any,
) -> LeakAnalysis:
    """Analyse one pressure channel for a leak.

    Parameters
    ----------
    data
        A `TelemetrySeries`, or a file path (then `channel` and `unit` are required).
    vessel
        `GasVessel`, `LiquidLoop` or `GenericDecay` (default: generic, no hole size).
    discharge_coefficient
        Cd [-] used to turn the fitted Cd·A into an equivalent round-hole diameter; default
        π/(π+2) = 0.611 (sharp-edged orifice, Lienhard & Lienhard 1984).
    depletion_threshold_pa
        Level [SI] whose crossing is forecast; None: vessel default (gas 10 % of onset pressure,
        loop all liquid lost; trend: 0).
    leak_threshold, growing_threshold
        Bayes factors needed to declare a leak (default 100) and a growing hole (default 10).
    max_bins
        Decimation: the series is averaged into at most this many time bins.
    """
    if isinstance(data, TelemetrySeries):
        series = data
    else:
        if channel is None or unit is None:
            raise InputError("analyze: channel and unit are required when reading a file")
        series = read_telemetry(data, channel, unit, time_column=time_column, **read_kwargs)
    if not 0 < discharge_coefficient <= 1 or not np.isfinite(discharge_coefficient):
        raise InputError(f"discharge_coefficient: {discharge_coefficient!r} must be in (0, 1]")
    vessel = GenericDecay() if vessel is None else vessel
    if vessel.has_hole_size and series.quantity != "pressure":
        raise InputError(
            f"{series.channel}: a {vessel.name} vessel needs a pressure channel, "
            f"not {series.quantity}"
        )
    if len(series) < 8:
        raise InputError(f"{series.source}: channel {series.channel!r}: fewer than 8 samples")
    binned = bin_series(series.t_s, series.values, max_bins)
    if binned.t.size < 8:
        raise InputError(f"{series.source}: channel {series.channel!r}: fewer than 8 samples")
    fit = fit_leak(
        binned,
        vessel,
        quantum=series.quantum,
        leak_threshold=leak_threshold,
        growing_threshold=growing_threshold,
        depletion_threshold=depletion_threshold_pa,
    )
    if fit.leak and fit.signature == "sudden" and not fit.onset_before_record:
        _refine_onset_raw(series, fit, binned.n_raw / max(binned.t.size, 1))
    ev = list(fit.notes)
    bf_leak = float(np.exp(np.clip(fit.ln_bf_leak, -700, 700)))
    ev.insert(
        0,
        f"Bayes factor leak : no leak (drift line or broken line) = {bf_leak:.3g} "
        f"(threshold {leak_threshold:g}); residual σ = {fit.sigma:.3g} SI, "
        f"lag-1 ρ = {fit.rho:.2f}, n_eff = {fit.n_eff:.0f}",
    )
    if not fit.leak:
        ev.append(
            f"no leak: the data are explained as well by a drift (trend {fit.trend_slope:.3g} "
            f"± {fit.trend_slope_se:.3g} SI/s) as by a leak decay"
        )
    hole = hole_ci = cda = cda_ci = None
    rate: dict[str, float] = {}
    growing_bf: float | None = None
    onset = None
    onset_ci: tuple[float | None, float | None] = (None, None)
    onset_ci_utc: tuple[datetime | None, datetime | None] = (None, None)
    if fit.leak:
        growing_bf = float(np.exp(np.clip(fit.ln_bf_growing, -700, 700)))
        use_end = fit.signature == "growing"
        c = fit.cd_area_end_m2 if use_end else fit.cd_area_m2
        cci = fit.cd_area_end_ci_m2 if use_end else fit.cd_area_ci_m2
        if vessel.has_hole_size:
            cda, cda_ci = _finite(c), _ci(*cci)
            hole = _finite(float(leak.equivalent_hole_diameter(c, discharge_coefficient)))
            hole_ci = _ci(
                float(leak.equivalent_hole_diameter(cci[0], discharge_coefficient)),
                float(leak.equivalent_hole_diameter(cci[1], discharge_coefficient)),
            )
            rate = vessel.leak_rate(fit.p0, fit.cd_area_m2)
        else:
            rate = vessel.leak_rate(fit.p0, fit.cd_area_m2 * fit.p0)
        rate["pressure_rate_at_onset_pa_s"] = (
            -float(fit.cd_area_m2 * vessel.kappa(fit.p0) * fit.p0)
            if vessel.has_hole_size
            else -float(fit.cd_area_m2 * fit.p0)
        )
        t_on = fit.onset_s
        if fit.onset_before_record:
            t_on = min(t_on, 0.0)
            ev.append(
                f"the leak began before the record (posterior probability {fit.p_before_record:.2f});"
                " onset_utc is the latest possible onset (the record start)"
            )
            t_on = 0.0
            onset_ci = (_finite(fit.onset_ci_s[0] - 0.0), 0.0)
        else:
            onset_ci = (fit.onset_ci_s[0] - fit.onset_s, fit.onset_ci_s[1] - fit.onset_s)
        onset = series.utc(t_on)
        onset_ci_utc = (
            series.utc(fit.onset_ci_s[0]) if np.isfinite(fit.onset_ci_s[0]) else None,
            series.utc(fit.onset_ci_s[1]) if np.isfinite(fit.onset_ci_s[1]) else None,
        )
        ev.append(
            f"signature {fit.signature}: Bayes factor growing : sudden = {growing_bf:.3g} "
            f"(threshold {growing_threshold:g})"
        )
    depl = series.utc(fit.depletion_s) if np.isfinite(fit.depletion_s) else None
    depl_ci = (
        series.utc(fit.depletion_ci_s[0]) if np.isfinite(fit.depletion_ci_s[0]) else None,
        series.utc(fit.depletion_ci_s[1]) if np.isfinite(fit.depletion_ci_s[1]) else None,
    )
    if depl is None and not fit.leak:
        ev.append("no significant downward trend: no depletion forecast")
    return LeakAnalysis(
        series=series,
        vessel=vessel,
        discharge_coefficient=float(discharge_coefficient),
        fit=fit,
        leak=fit.leak,
        signature=fit.signature,
        onset_utc=onset,
        onset_ci_s=onset_ci,
        onset_ci_utc=onset_ci_utc,
        onset_before_record=bool(fit.leak and fit.onset_before_record),
        hole_diameter_m=hole,
        hole_diameter_ci_m=hole_ci or (None, None),
        cd_area_m2=cda,
        cd_area_ci_m2=cda_ci or (None, None),
        leak_rate=rate,
        bayes_factor=growing_bf if growing_bf is not None else bf_leak,
        leak_bayes_factor=bf_leak,
        growing_bayes_factor=growing_bf,
        depletion_utc=depl,
        depletion_ci_utc=depl_ci,
        evidence=ev,
    )


def _window_model(fit: LeakFit, tw: np.ndarray, yw: np.ndarray, onset: float) -> np.ndarray:
    """Sudden model on a raw window with the fitted rate, level and drift re-solved (linear)."""
    q = fit.sudden_params
    u = (tw - q["t_first"]) / q["T"]
    u0 = (onset - q["t_first"]) / q["T"]
    f = fit._ratio(q["lam"] * np.maximum(u - u0, 0.0))
    g = (u - u0) * f
    A = np.column_stack([f, g])
    coef, *_ = np.linalg.lstsq(A, yw, rcond=None)
    return np.asarray(A @ coef, dtype=float)


def _window_rss(fit: LeakFit, tw: np.ndarray, yw: np.ndarray, onset: float) -> float:
    r = yw - _window_model(fit, tw, yw, onset)
    return float(r @ r)


def _refine_onset_raw(series: TelemetrySeries, fit: LeakFit, per_bin: float) -> None:
    """Refine the onset of a sudden leak on the raw samples around the binned estimate.

    Bin means smear a kink over a bin, so the binned onset can be biased by a fraction of a bin.
    With the fitted level, drift and rate held fixed, the onset is profiled on the raw samples of
    a window of ±4 bins (Gaussian likelihood, σ² from the best residuals, AR(1) n_eff correction);
    the onset and its 95 % interval are then taken from that posterior. Only done when bins hold
    at least 10 samples (finer bins already resolve the kink).
    """
    if per_bin < 10.0:
        return
    t, y = series.t_s, series.values
    width = 4.0 * series.duration_s / max(series.t_s.size / per_bin, 1.0)
    lo, hi = fit.onset_s - width, fit.onset_s + width
    i0, i1 = np.searchsorted(t, [lo - width, hi + width])
    tw = t[i0:i1]
    yw = np.asarray(y[i0:i1], dtype=float)
    if tw.size < 20:
        return
    for _stage in range(3):  # zoom in until the grid resolves the posterior
        cands = np.linspace(lo, hi, 201)
        rss = np.empty(cands.size)
        for k, c in enumerate(cands):
            rss[k] = _window_rss(fit, tw, yw, float(c))
        kbest = int(np.argmin(rss))
        step = cands[1] - cands[0]
        sigma2_0 = rss[kbest] / tw.size
        inside = np.nonzero((rss - rss[kbest]) / sigma2_0 < 2 * 30.0)[0]
        if inside.size > 20 or step <= 0.5 * series.median_step_s:
            break
        lo = cands[max(inside[0] - 2, 0)]
        hi = cands[min(inside[-1] + 2, cands.size - 1)]
    res = yw - _window_model(fit, tw, yw, float(cands[kbest]))
    r0 = res - res.mean()
    den = float(r0 @ r0)
    rho = float(np.clip((r0[1:] @ r0[:-1]) / den, 0.0, 0.99)) if den > 0 else 0.0
    n_eff = tw.size * (1 - rho) / (1 + rho)
    sigma2 = rss[kbest] / tw.size
    lp = -0.5 * (rss - rss[kbest]) / sigma2 * (n_eff / tw.size)
    w = np.exp(lp - lp.max())
    w /= w.sum()
    c = np.cumsum(w)
    q = np.interp([0.025, 0.5, 0.975], c - 0.5 * w, cands)
    if q[0] <= cands[0] + 1e-9 or q[2] >= cands[-1] - 1e-9:
        fit.notes.append("raw-sample onset refinement: posterior not contained in ±4 bins, kept")
        return
    fit.onset_s = float(cands[kbest])
    fit.onset_ci_s = (float(min(q[0], fit.onset_s)), float(max(q[2], fit.onset_s)))
    fit.notes.append(
        f"onset refined on {tw.size} raw samples around the binned estimate "
        f"(kink smeared by {per_bin:.0f}-sample bin means)"
    )


def plot_analysis(result: LeakAnalysis, path: str | Path) -> Path:
    """Draw data, fit, trend and the onset band to a PNG (written atomically)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover
        raise ImportError("plotting needs matplotlib: pip install breachkit[plot]") from exc
    p = Path(path)
    c = result.fit.curves
    s = result.series
    hours = c["t_s"] / 3600.0
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(s.t_s / 3600.0, s.values, ".", ms=1.5, color="0.6", label="data")
    ax.plot(hours, c["y"], "-", lw=0.8, color="0.3", label="bin means")
    if "fit" in c:
        ax.plot(hours, c["fit"], "-", color="C3", lw=1.8, label=f"leak fit ({result.signature})")
    if not result.leak and "trend" in c:
        ax.plot(hours, c["trend"], "--", color="C0", label="drift trend")
    lo, hi = result.fit.onset_ci_s
    if result.leak and np.isfinite(lo) and np.isfinite(hi):
        ax.axvspan(lo / 3600.0, hi / 3600.0, color="C1", alpha=0.3, label="onset 95 %")
        ax.axvline(result.fit.onset_s / 3600.0, color="C1")
    ax.set_xlabel(f"hours since {s.start:%Y-%m-%d %H:%M:%S} UTC")
    ax.set_ylabel(f"{s.channel} [SI]")
    ax.set_title(f"{Path(s.source).name}: {'LEAK' if result.leak else 'no leak'}")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    tmp = p.with_name(p.name + ".tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(p)
    return p
