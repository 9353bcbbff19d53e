"""The risk stage: expected penetrations and PNP per region, and the rates it hands on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import quantity, table
from breachkit.investigate.stages._common import DAY_S, _as_dict, _num, _pair


class RiskStage(Stage):
    """Expected impacts and failures of the vehicle over its exposure (`breachkit.risk.run_case`)."""

    name = "risk"
    title = "Impact risk"
    part = "breachkit.risk"
    # [risk] says what to evaluate (regions, sampling); [vehicle] alone only describes the vehicle
    # (the environment and fleet parts read it too), so a case without [risk] is not a risk case.
    requires = ("vehicle", "exposure", "risk")

    def check(self, context: InvestigationContext) -> None:
        from breachkit.risk.config import load_risk_case

        load_risk_case(context.case_dir)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.risk.config import run_case_full

        return RiskStageResult(run_case_full(context.case_dir))

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result.result)
        src = (
            "breachkit.risk.run_case; case.toml [vehicle], [orbit], [attitude], [docking], "
            "[exposure], [environment], [risk]"
        )
        sec = Section()
        window = d.get("window")
        if window:
            sec.text.append(f"Headline window: {window}.")
        sec.quantities["expected_failures"] = quantity(
            _num(d.get("expected_failures")),
            "1",
            src,
            interval=_pair(d.get("interval")),
            label="expected failures (penetrations that cause the failure)",
            note="interval from the risk part's flux and ballistic-limit uncertainty factors",
        )
        sec.quantities["pnp"] = quantity(
            _num(d.get("pnp")),
            "1",
            src,
            interval=_pair(d.get("pnp_interval")),
            label="probability of no failure (PNP)",
        )
        _scatter_quantities(sec, result, src)
        dmin = _num(d.get("impact_min_diameter_m"))
        sec.quantities["expected_impacts"] = quantity(
            _num(d.get("expected_impacts")),
            "1",
            src,
            label="expected impacts"
            + (f" (particles ≥ {dmin * 1e6:.0f} µm)" if dmin is not None else ""),
        )
        windows = d.get("windows") or []
        if len(windows) > 1:
            sec.tables.append(
                table(
                    "Exposure windows",
                    ["window", "start", "end", "days", "expected failures", "PNP"],
                    [
                        [
                            w.get("label"),
                            w.get("start"),
                            w.get("end"),
                            (_num(w.get("duration_s")) or 0.0) / 86400.0,
                            _num(w.get("expected_failures")),
                            _num(w.get("pnp")),
                        ]
                        for w in windows
                    ],
                    src,
                )
            )
        if len(windows) > 1:
            pops = list((windows[0].get("breakdown") or {}).get("by_population") or {})
            sec.tables.append(
                table(
                    "Share of expected failures by population in each window",
                    ["window", *pops],
                    [
                        [
                            w.get("label"),
                            *[
                                _share(
                                    w.get("breakdown") or {}, p, _num(w.get("expected_failures"))
                                )
                                for p in pops
                            ],
                        ]
                        for w in windows
                    ],
                    src,
                    note=(
                        "a short window ending at the incident shows which populations could "
                        "reach the evaluated regions at that moment (showers' radiants, attitude "
                        "and station shadowing included)"
                    ),
                )
            )
        breakdown = d.get("breakdown") or {}
        by_pop = breakdown.get("by_population") or {}
        if by_pop:
            sec.tables.append(
                table(
                    "By population",
                    ["population", "kind", "expected impacts", "expected failures", "model"],
                    [
                        [
                            n,
                            v.get("kind"),
                            _num(v.get("expected_impacts")),
                            _num(v.get("expected_failures")),
                            (d.get("population_sources") or {}).get(n),
                        ]
                        for n, v in by_pop.items()
                    ],
                    src,
                )
            )
        by_region = breakdown.get("by_region") or {}
        if by_region:
            sec.tables.append(
                table(
                    "By region",
                    ["region", "shield", "area [m²]", "expected impacts", "expected failures"],
                    [
                        [
                            n,
                            v.get("shield"),
                            _num(v.get("area_m2")),
                            _num(v.get("expected_impacts")),
                            _num(v.get("expected_failures")),
                        ]
                        for n, v in by_region.items()
                    ],
                    src,
                )
            )
            sec.plots.append(
                {
                    "title": "Expected failures by region",
                    "kind": "bar",
                    "x": list(by_region),
                    "series": [
                        {
                            "label": "expected failures",
                            "y": [_num(v.get("expected_failures")) for v in by_region.values()],
                        }
                    ],
                    "ylabel": "expected failures",
                    "source": src,
                }
            )
        risk_map = _risk_map(result.result, src)
        if risk_map is not None:
            sec.plots.append(risk_map)
        factors = d.get("uncertainty_factors") or {}
        for n, f in factors.items():
            if isinstance(f, Mapping):
                sec.assumptions.append(
                    f"Flux/ballistic-limit uncertainty of {n}: factor {f.get('low')} to "
                    f"{f.get('high')} ({f.get('source')})."
                )
        for region, sh in result.shields().items():
            for a in sh.get("assumptions", []):
                sec.assumptions.append(f"Shield of {region} ({sh.get('preset')}): {a}")
        mc = result.run.monte_carlo
        if mc is not None:
            m = mc.to_dict()
            sec.quantities["mc_expected_failures"] = quantity(
                m.get("expected_failures"),
                "1",
                src + " (Monte Carlo, [risk] mc_samples)",
                label=f"Monte Carlo check of expected failures ({m.get('window')})",
                note=f"standard error {format(m.get('standard_error') or 0.0, '.2g')}",
            )
        numerics = d.get("numerics") or {}
        if numerics:
            sec.assumptions.append(
                "Risk numerics: "
                + ", ".join(f"{k} = {v}" for k, v in numerics.items() if v is not None)
                + "."
            )
        return sec


def _scatter_quantities(sec: Section, result: Any, src: str) -> None:
    """PNP and expected failures with the BLEs' fitted scatter (additive; absent if not run)."""
    rs = getattr(result.run, "result_scatter", None)
    if rs is None:
        return
    d = _as_dict(rs)
    notes = [n for n in d.get("validity_notes") or [] if "BLE scatter" in n]
    judgement = any("judgement" in n for n in notes)
    note = (
        "P(failure | d) = Φ((ln(d/d_c) − μ)/σ) integrated instead of the step at d_c "
        "(breachkit ProbitBLE fitted to 1,740 real HVI shots, docs/validation/ble.md)"
        + (
            "; JUDGEMENT: this shield type has no shots of its own, the Whipple fit's σ is "
            "transferred and the BLE's median kept"
            if judgement
            else ""
        )
    )
    ssrc = "BLE scatter fitted to the pyBLOSSUM HVI shots (S. Ryan, MIT licence); " + src
    sec.quantities["expected_failures_ble_scatter"] = quantity(
        _num(d.get("expected_failures")),
        "1",
        ssrc,
        interval=_pair(d.get("interval")),
        label="expected failures with the BLE's scatter",
        note=note,
    )
    sec.quantities["pnp_ble_scatter"] = quantity(
        _num(d.get("pnp")),
        "1",
        ssrc,
        interval=_pair(d.get("pnp_interval")),
        label="probability of no failure (PNP) with the BLE's scatter",
        note=note,
    )


def _share(breakdown: Mapping[str, Any], population: str, total: float | None) -> float | None:
    v = ((breakdown.get("by_population") or {}).get(population) or {}).get("expected_failures")
    x = _num(v)
    if x is None or not total:
        return None
    return x / total


@dataclass
class RiskStageResult:
    """The risk part's `CaseRun` (RiskResult, Monte Carlo, shields) as the risk stage's result."""

    run: Any

    @property
    def result(self) -> Any:
        return self.run.result

    def shields(self) -> dict[str, Any]:
        from breachkit.risk.config import shields_table

        return dict(shields_table(self.run.shields))

    def evaluated_regions(self) -> list[str]:
        return list(self.result.breakdown()["by_region"])

    def to_dict(self) -> dict[str, Any]:
        mc = self.run.monte_carlo
        return {
            "risk": self.result.to_dict(),
            "monte_carlo": None if mc is None else mc.to_dict(),
            "shields": self.shields(),
        }


def _risk_map(result: Any, source: str, max_points: int = 3000) -> dict[str, Any] | None:
    """The evaluated faces unrolled around their axis of revolution, coloured by failures per m².

    Presentation only. The axis is the direction least represented in the face normals (the
    smallest eigenvector of Σ A n nᵀ: the axis of a cylinder or shallow cone); its position is a
    least-squares circle fit (Kåsa) of the centroids projected on the plane across it. Each face
    is then drawn at (position along the axis, azimuth about it).
    """
    import numpy as np

    per_face = getattr(result, "per_face_table", None)
    if per_face is None:
        return None
    cols = per_face()
    needed = ("centroid_x_m", "normal_x", "failures_per_m2", "area_m2")
    if any(k not in cols for k in needed):
        return None
    c = np.stack([np.asarray(cols[f"centroid_{a}_m"], dtype=float) for a in "xyz"], axis=1)
    n = np.stack([np.asarray(cols[f"normal_{a}"], dtype=float) for a in "xyz"], axis=1)
    area = np.asarray(cols["area_m2"], dtype=float)
    f = np.asarray(cols["failures_per_m2"], dtype=float)
    keep = np.isfinite(f) & (f > 0)
    if keep.sum() < 3:
        return None
    _, vecs = np.linalg.eigh((n[keep] * area[keep, None]).T @ n[keep])
    axis = vecs[:, 0]
    e1 = np.cross(axis, [1.0, 0.0, 0.0])
    if np.linalg.norm(e1) < 1e-6:
        e1 = np.cross(axis, [0.0, 1.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(axis, e1)
    p, q = c @ e1, c @ e2
    a_mat = np.stack([p[keep], q[keep], np.ones(int(keep.sum()))], axis=1)
    sol, *_ = np.linalg.lstsq(a_mat, p[keep] ** 2 + q[keep] ** 2, rcond=None)
    p0, q0 = sol[0] / 2.0, sol[1] / 2.0
    az = np.degrees(np.arctan2(q - q0, p - p0)) % 360.0
    along = c @ axis
    idx = np.flatnonzero(keep)
    if idx.size > max_points:
        idx = idx[np.linspace(0, idx.size - 1, max_points).astype(int)]
    return {
        "title": "Risk map: evaluated faces unrolled around their axis, failures per m²",
        "kind": "scatter",
        "x": along[idx].tolist(),
        "series": [{"label": "faces", "y": az[idx].tolist()}],
        "c": np.log10(f[idx]).tolist(),
        "clabel": "log10 expected failures per m²",
        "xlabel": "position along the axis [m]",
        "ylabel": "azimuth about the axis [°]",
        "equal_aspect": False,
        "source": source,
    }


RISK_RATE_SOURCE = (
    "breachkit.risk.run_case → breachkit.fleet.exposure.rate_from_risk_result: expected failures "
    "of the evaluated regions ([risk] regions) over the headline window, per day; interval from "
    "the risk part's uncertainty factors"
)


def risk_rate(risk: Any) -> tuple[float, float, float] | None:
    """Failures per docked day (mean, lo, hi) [d⁻¹] of the evaluated regions, headline window."""
    from breachkit.fleet.exposure import rate_from_risk_result

    res = risk.result
    rate = rate_from_risk_result(res, risk.evaluated_regions(), window=res.windows[0].label)
    return rate if rate[0] > 0 and rate[1] > 0 else None


def risk_rate_at_event(risk: Any, event_utc: Any) -> tuple[str, float] | None:
    """(window label, failures per day) of the shortest risk window (< 2 days, not the headline
    window) that ends within a minute of the event, or None when the case has no such window."""
    from breachkit.fleet.exposure import rate_from_risk_result

    res = risk.result
    best = None
    for w in res.windows[1:]:
        if w.end is None or w.duration_s <= 0 or w.duration_s > 2 * DAY_S:
            continue
        if abs((w.end - event_utc).total_seconds()) > 60.0:
            continue
        if best is None or w.duration_s < best.duration_s:
            best = w
    if best is None:
        return None
    rate = rate_from_risk_result(res, risk.evaluated_regions(), window=best.label)
    return best.label, rate[0]
