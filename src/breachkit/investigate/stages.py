"""The default stages: each calls one part's public API and reports its headline numbers.

Order: environment → risk → telemetry → fleet → attribution → crew return. Each stage states the
case.toml sections it needs (its skip rule) and the part it calls; each reported number names that
call and the case section as its source.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breachkit.investigate.pipeline import InvestigationContext, Section, Stage
from breachkit.investigate.provenance import jsonable, quantity, table

__all__ = [
    "AttributionStage",
    "CrewReturnStage",
    "EnvironmentStage",
    "FleetStage",
    "RiskStage",
    "TelemetryStage",
    "default_stages",
]

DAY_S = 86400.0


def _as_dict(result: Any) -> dict[str, Any]:
    return dict(result.to_dict()) if hasattr(result, "to_dict") else dict(result)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _pair(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, Mapping):
        lo = value.get("low", value.get("lo", value.get("lower")))
        hi = value.get("high", value.get("hi", value.get("upper")))
        if lo is not None or hi is not None:
            return lo, hi
    return None


# ---------------------------------------------------------------------------------------------
class EnvironmentStage(Stage):
    """Fluxes at the incident, active showers, each shower's reach of the damaged region.

    Reads the incident time through the attribution part's ``[incident]`` model, the orbit and
    environment choices through the risk part's ``[orbit]``/``[environment]`` models, the damaged
    region through ``[evidence] damaged_region``; calls `breachkit.environment` for the physics.
    """

    name = "environment"
    title = "Environment"
    part = "breachkit.environment"
    requires = ("incident", "orbit")

    def check(self, context: InvestigationContext) -> None:
        from breachkit._core.casefile import load_section
        from breachkit.attribution.config import EvidenceSection, IncidentSection
        from breachkit.risk.config import EnvironmentConfig, OrbitConfig

        load_section(context.case, "incident", IncidentSection)
        load_section(context.case, "orbit", OrbitConfig)
        load_section(context.case, "environment", EnvironmentConfig, required=False)
        load_section(context.case, "evidence", EvidenceSection, required=False)
        if context.case.has("vehicle"):
            from breachkit.risk.config import build_surface, load_risk_case

            build_surface(load_risk_case(context.case_dir))

    def run(self, context: InvestigationContext) -> Any:
        from breachkit._core.casefile import load_section
        from breachkit._core.timeutil import parse_utc
        from breachkit.attribution.config import EvidenceSection, IncidentSection
        from breachkit.investigate.environment_check import check_environment
        from breachkit.risk.config import EnvironmentConfig, OrbitConfig

        case = context.case
        inc = load_section(case, "incident", IncidentSection)
        orb = load_section(case, "orbit", OrbitConfig)
        envc = load_section(case, "environment", EnvironmentConfig, required=False)
        ev = load_section(case, "evidence", EvidenceSection, required=False)
        assert inc is not None and orb is not None
        envc = envc if envc is not None else EnvironmentConfig()
        altitude_m, inclination_rad = orb.circular()
        region = ev.damaged_region if ev is not None and ev.damaged_region else None
        return check_environment(
            time_utc=parse_utc(inc.time_utc, field="[incident] time_utc"),
            altitude_m=altitude_m,
            inclination_rad=inclination_rad,
            populations=envc.populations,
            meteoroid_model=envc.meteoroid_model,
            f107_sfu=envc.f107_sfu,
            debris_density=envc.debris_density,
            psi_table=envc.psi_table,
            sporadic_model=envc.sporadic_model,
            case_dir=context.case_dir if (region and case.has("vehicle")) else None,
            damaged_region=region if case.has("vehicle") else None,
            orbit=orb.orbit(),
            position_known=orb.position_known,
        )

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = result.to_dict()
        src = (
            "breachkit.environment (build_environment, shower functions) at the incident time; "
            "case.toml [incident] time_utc, [orbit], [environment]"
        )
        sec = Section()
        sec.text.append(
            f"Incident time {d['time_utc']}; circular orbit {d['altitude_m'] / 1e3:.0f} km, "
            f"{d['inclination_deg']:.2f}°."
        )
        sizes = [f"≥ {x:g} mm" for x in d["flux_sizes_mm"]]
        sec.tables.append(
            table(
                "Flux on a randomly tumbling plate at the incident [m⁻² yr⁻¹]",
                ["population", *sizes, "mean speed [km/s]"],
                [
                    [
                        n,
                        *v,
                        (d["mean_speed_m_s"].get(n) or math.nan) / 1e3 if n != "total" else None,
                    ]
                    for n, v in d["flux_per_m2_per_year"].items()
                ],
                src,
                note="cumulative flux above each diameter; year = Julian year",
            )
        )
        for n, psrc in d["population_sources"].items():
            sec.assumptions.append(f"Population {n}: {psrc}")
        shw = d["showers"]
        check_src = (
            "breachkit.environment.showers (active_shower_codes, shower_zhr, radiant_j2000, "
            "radiant_track, shower_to_sporadic_ratio) with the damaged region's faces from "
            "breachkit.geometry (case.toml [vehicle], [docking], [attitude], [evidence] "
            "damaged_region); breachkit.investigate.environment_check"
        )
        if shw:
            sec.tables.append(
                table(
                    "Meteor showers within ±3.5 days of the incident",
                    [
                        "shower",
                        "ZHR at incident [h⁻¹]",
                        "ZHR max [h⁻¹]",
                        "peak (UTC)",
                        "radiant RA [°]",
                        "radiant Dec [°]",
                        "shower : sporadic flux ≥ 0.3 mm",
                        "radiant above the limb (fraction of orbit)",
                        "reach fraction of the damaged region",
                        "smallest angle radiant–face normal [°]",
                    ],
                    [
                        [
                            f"{x['name']} ({x['code']})",
                            x["zhr_at_incident"],
                            x["zhr_max"],
                            x["peak_utc"],
                            x["ra_deg"],
                            x["dec_deg"],
                            x["flux_ratio_by_size"].get("0.3 mm"),
                            x["visible_fraction"],
                            x["reach_fraction"],
                            x["min_angle_to_region_deg"],
                        ]
                        for x in shw
                    ],
                    check_src,
                    note=(
                        "reach fraction: mean over 72 orbit positions"
                        + (
                            " at the known node"
                            if any("orbit node known" in n for n in d["notes"])
                            else " × 12 node longitudes"
                        )
                        + " of (radiant above the Earth+100 km limb) × (area fraction of the "
                        "damaged region facing the apparent radiant); station shadowing not "
                        "included"
                    ),
                )
            )
            for x in shw:
                if x.get("azimuth_at_incident_deg") is not None:
                    facing = (
                        ""
                        if x.get("reach_at_incident") is None
                        else f"; {x['reach_at_incident']:.0%} of the damaged region's area faced "
                        "it (station shadowing not included)"
                    )
                    sec.text.append(
                        f"At the incident instant the {x['name']} radiant, as seen from the "
                        f"moving vehicle, stood at azimuth {x['azimuth_at_incident_deg']:.1f}° "
                        f"(from ram towards starboard) and elevation "
                        f"{x['elevation_at_incident_deg']:+.1f}° (towards zenith) in LVLH, "
                        + ("above" if x["above_limb_at_incident"] else "below")
                        + f" the Earth's limb{facing}."
                    )
                    if x.get("reach_at_incident") is not None:
                        sec.quantities[f"reach_now_{x['code']}"] = quantity(
                            x["reach_at_incident"],
                            "1",
                            check_src,
                            label=f"{x['name']}: area fraction of {d['damaged_region']} facing "
                            "the radiant at the incident instant",
                        )
                if x["reach_fraction"] is not None:
                    sec.quantities[f"reach_{x['code']}"] = quantity(
                        x["reach_fraction"],
                        "1",
                        check_src,
                        label=f"{x['name']}: reach fraction of {d['damaged_region']}",
                    )
                sec.quantities[f"flux_ratio_{x['code']}"] = quantity(
                    x["flux_ratio_by_size"].get("0.3 mm"),
                    "1",
                    check_src,
                    label=f"{x['name']}: flux ratio to sporadic above 0.3 mm at the incident",
                    note="Earth-frame cross-section fluxes, shower focusing included",
                )
        else:
            sec.text.append("No meteor shower was active within ±3.5 days of the incident.")
        if d["damaged_region"] is None and not any("damaged_region" in n for n in d["notes"]):
            sec.text.append(
                "No damaged region could be placed on a vehicle model (no [evidence] "
                "damaged_region or no [vehicle]): shower reach not evaluated."
            )
        sec.assumptions.extend(d["notes"])
        return sec


# ---------------------------------------------------------------------------------------------
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


class TelemetryStage(Stage):
    """Leak onset, hole size, signature and Bayes factors (`breachkit.telemetry.analyze_case`)."""

    name = "telemetry"
    title = "Telemetry"
    part = "breachkit.telemetry"
    requires = ("telemetry",)

    def check(self, context: InvestigationContext) -> None:
        from breachkit._core.casefile import load_section
        from breachkit.telemetry import TelemetryConfig

        cfg = load_section(context.case, "telemetry", TelemetryConfig)
        assert cfg is not None
        context.case.resolve_path(cfg.file, field="[telemetry] file")

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.telemetry import analyze_case

        return analyze_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = "breachkit.telemetry.analyze_case; case.toml [telemetry]"
        sec = Section()
        tel = context.case.data.get("telemetry", {})
        if isinstance(tel, Mapping) and tel.get("synthetic"):
            sec.text.append(
                "The pressure record of this case is SYNTHETIC (case.toml [telemetry] synthetic = "
                "true): generated from the public figures, not measured. Its numbers test the "
                "method; they are not evidence about the incident."
            )
        sec.quantities["leak"] = quantity(
            bool(d.get("leak")),
            "1",
            src,
            label="leak found",
            note=f"Bayes factor leak : no leak = {format(_num(d.get('leak_bayes_factor')) or 0.0, '.3g')}",
        )
        sec.quantities["onset_utc"] = quantity(
            d.get("onset_utc"),
            "UTC",
            src,
            interval=_pair(d.get("onset_ci_utc")),
            level=0.95,
            label="leak onset",
        )
        sec.quantities["hole_diameter_m"] = quantity(
            _num(d.get("hole_diameter_m")),
            "m",
            src,
            interval=_pair(d.get("hole_diameter_ci_m")),
            level=0.95,
            label="equivalent hole diameter",
            note=f"sharp-edged orifice, discharge coefficient {d.get('discharge_coefficient')}",
        )
        sec.quantities["signature"] = quantity(d.get("signature"), "1", src, label="signature")
        sec.quantities["growing_bayes_factor"] = quantity(
            _num(d.get("growing_bayes_factor")),
            "1",
            src,
            label="Bayes factor growing : sudden hole",
        )
        sec.quantities["depletion_utc"] = quantity(
            d.get("depletion_utc"),
            "UTC",
            src,
            interval=_pair(d.get("depletion_ci_utc")),
            level=0.95,
            label="loop runs dry",
        )
        for line in d.get("evidence", []) or []:
            sec.text.append(str(line))
        plot = _telemetry_plot(result, src)
        if plot is not None:
            sec.plots.append(plot)
        return sec


def _telemetry_plot(result: Any, source: str, max_points: int = 1500) -> dict[str, Any] | None:
    """Pressure (bin means) and the leak fit against hours since the record's start."""
    import numpy as np

    fit = getattr(result, "fit", None)
    series = getattr(result, "series", None)
    curves = getattr(fit, "curves", None)
    if not curves or series is None or "t_s" not in curves:
        return None
    t = np.asarray(curves["t_s"], dtype=float)
    step = max(1, t.size // max_points)
    hours = (t[::step] / 3600.0).tolist()
    out = [{"label": "data (bin means)", "y": np.asarray(curves["y"])[::step].tolist()}]
    if "fit" in curves:
        out.append(
            {
                "label": f"leak fit ({result.signature})",
                "y": np.asarray(curves["fit"])[::step].tolist(),
            }
        )
    vlines = []
    onset_s = getattr(fit, "onset_s", None)
    if getattr(result, "leak", False) and onset_s is not None and math.isfinite(onset_s):
        vlines.append({"x": onset_s / 3600.0, "label": "onset"})
    start = getattr(series, "start", None)
    return {
        "title": f"{series.channel}: pressure record and leak fit",
        "kind": "line",
        "x": hours,
        "series": out,
        "vlines": vlines,
        "xlabel": f"hours since {start:%Y-%m-%d %H:%M:%S} UTC" if start else "hours",
        "ylabel": "pressure [Pa]"
        if getattr(series, "quantity", "") == "pressure"
        else "value [SI]",
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


class FleetStage(Stage):
    """Cluster significance and the production-change posterior (`breachkit.fleet`).

    The fleet's radiator penetration rate per docked day comes from the risk stage when it ran,
    otherwise from the case's ``[attribution] impact_rate`` (the attribution part's model).
    """

    name = "fleet"
    title = "Fleet statistics"
    part = "breachkit.fleet"
    requires = ("incident",)
    seed = 20221215
    n_sim = 200_000

    def skip_reason(self, context: InvestigationContext) -> Any:
        base = super().skip_reason(context)
        if base is not None:
            return base
        if context.result_of("risk") is None and not context.case.has("attribution"):
            return (
                "not_in_case",
                "not in this case: no impact rate (the risk stage did not run and case.toml "
                "has no [attribution] impact_rate)",
            )
        return None

    def rate(self, context: InvestigationContext) -> tuple[tuple[float, float, float], str]:
        risk = context.result_of("risk")
        if risk is not None:
            r = risk_rate(risk)
            if r is not None:
                return r, RISK_RATE_SOURCE
        from breachkit.attribution import load_attribution_case

        _, _, _, at = load_attribution_case(context.case_dir)
        if at.impact_rate is None:
            from breachkit._core.errors import InputError

            raise InputError("case.toml: [attribution] impact_rate is missing")
        ir = at.impact_rate
        return (ir.mean_per_day, ir.lo_per_day, ir.hi_per_day), (
            f"case.toml [attribution] impact_rate: {ir.source}"
        )

    def run(self, context: InvestigationContext) -> Any:
        import numpy as np

        from breachkit.fleet.analysis import fleet_summary

        rate, source = self.rate(context)
        summary = fleet_summary(rate, rng=np.random.default_rng(self.seed), n_sim=self.n_sim)
        return FleetStageResult(summary, rate, source)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = result.summary
        sources = d.get("sources", {})
        base = (
            "breachkit.fleet.analysis.fleet_summary on the bundled fleet records "
            f"({sources.get('fleet', 'fleet.csv')}; events: {sources.get('events', '')}); "
            f"radiator penetration rate from {result.rate_source}"
        )
        sec = Section()
        sec.text.append(
            "The fleet statistics concern the external-loop coolant leaks of the Soyuz and "
            "Progress fleet (MS-22 and MS-21) under the rate below, whatever the case's vehicle."
        )
        mean, lo, hi = result.rate
        sec.quantities["rate_per_day"] = quantity(
            mean,
            "d⁻¹",
            result.rate_source,
            interval=(lo, hi),
            label="radiator penetrations per docked day (used for every flight)",
        )
        cl = d.get("cluster", {}) or {}
        sec.quantities["cluster_p_value"] = quantity(
            _num(d.get("cluster_p_value")),
            "1",
            base,
            label=(
                f"P(≥ {cl.get('k_in_window', 2)} coolant-loop penetrations within "
                f"{format(_num(cl.get('window_days')) or 58.0, 'g')} days) under impacts only"
            ),
            note=f"scan statistic, Monte Carlo with {cl.get('n_sim')} histories at the mean rate",
        )
        sec.quantities["cluster_p_value_given_n"] = quantity(
            _num(d.get("cluster_p_value_given_n")),
            "1",
            base,
            label="the same, given the observed number of events (bunching only)",
        )
        sec.quantities["count_p_value"] = quantity(
            _num(d.get("count_p_value")),
            "1",
            base,
            label="P(N ≥ observed leaks) in the fleet, rate uncertain",
        )
        sec.quantities["count_cdf"] = quantity(
            _num(d.get("count_cdf")),
            "1",
            base,
            label="P(N ≤ observed leaks) in the fleet: is the rate compatible with so few?",
            note="a small value says the rate predicts more penetrations than the fleet had",
        )
        pc = d.get("production_change", {}) or {}
        sec.quantities["production_change_probability"] = quantity(
            _num(d.get("production_change_probability")),
            "1",
            base + "; " + str(pc.get("event_filter", "")),
            label="posterior probability that the defect rate changed along the production sequence",
        )
        if pc:
            sec.text.append(
                f"Most probable change between {pc.get('change_after')} and "
                f"{pc.get('change_before')}; design-series Bayes factor "
                f"{format(_num(pc.get('design_bayes_factor')) or math.nan, '.3g')}."
            )
            sec.tables.append(
                table(
                    "Production change: rates before and after the most probable change",
                    ["quantity", "value"],
                    [
                        ["rate before [d⁻¹]", _num(pc.get("rate_before_per_day"))],
                        ["rate after [d⁻¹]", _num(pc.get("rate_after_per_day"))],
                        ["vehicles in the sequence", len(pc.get("vehicles", []) or [])],
                        ["leak events counted", sum(pc.get("counts", []) or [])],
                    ],
                    base,
                )
            )
        if cl:
            exp = cl.get("expected") or [None, None, None]
            sec.tables.append(
                table(
                    "Cluster under the impact-only hypothesis",
                    ["quantity", "value"],
                    [
                        ["events", cl.get("n_events")],
                        ["flights", cl.get("n_flights")],
                        ["expected penetrations (mean)", _num(exp[0])],
                        ["expected penetrations (low)", _num(exp[1])],
                        ["expected penetrations (high)", _num(exp[2])],
                        ["scan p-value at the high rate", _num(cl.get("scan_pvalue_hi"))],
                        ["P(N ≤ observed)", _num(cl.get("count_cdf_uncertain"))],
                    ],
                    base,
                )
            )
        return sec


@dataclass
class FleetStageResult:
    """`fleet_summary`'s dictionary with the rate it was given and where that rate came from."""

    summary: dict[str, Any]
    rate: tuple[float, float, float]
    rate_source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate_per_day": list(self.rate),
            "rate_source": self.rate_source,
            **jsonable(self.summary),
        }


class AttributionStage(Stage):
    """P(impact) vs P(defect) with each evidence's likelihood ratio (`attribute_case`).

    Inputs taken from earlier stages (each named as the source of the evidence it feeds):

    * risk → ``impact_rate`` (failures per day of the evaluated regions, headline window) and
      ``impact_rate_at_event`` (the same in the shortest window ending at the incident);
    * telemetry → ``telemetry_bayes_factor`` = 1 / (Bayes factor growing : sudden), i.e. sudden :
      growing as the attribution part defines it; only when a leak was found;
    * environment → ``shower_flux_ratio`` and ``shower_reach_fraction`` of the case's
      ``[evidence.shower]``, passed only when the risk gives no rate at the event (the
      attribution then weighs `ShowerTiming` instead of `ImpactTiming`).
    """

    name = "attribution"
    title = "Attribution"
    part = "breachkit.attribution"
    requires = ("incident", "evidence", "attribution")

    def inputs(self, context: InvestigationContext) -> dict[str, Any]:
        """The keyword arguments taken from earlier stages (absent where a stage did not run)."""
        kwargs: dict[str, Any] = {}
        self.input_sources: dict[str, str] = {}
        tele = context.result_of("telemetry")
        if tele is not None:
            td = _as_dict(tele)
            gbf = _num(td.get("growing_bayes_factor"))
            if td.get("leak") and gbf is not None and gbf > 0:
                kwargs["telemetry_bayes_factor"] = 1.0 / gbf
                self.input_sources["telemetry_bayes_factor"] = (
                    "1 / (Bayes factor growing : sudden) from breachkit.telemetry.analyze_case"
                )
        risk = context.result_of("risk")
        if risk is not None:
            from breachkit._core.casefile import load_section
            from breachkit._core.timeutil import parse_utc
            from breachkit.attribution import RatePrior
            from breachkit.attribution.config import IncidentSection

            r = risk_rate(risk)
            if r is not None:
                kwargs["impact_rate"] = RatePrior(*r, source=RISK_RATE_SOURCE)
                self.input_sources["impact_rate"] = RISK_RATE_SOURCE
            inc = load_section(context.case, "incident", IncidentSection)
            assert inc is not None
            at_event = risk_rate_at_event(risk, parse_utc(inc.time_utc))
            if at_event is not None and r is not None:
                kwargs["impact_rate_at_event"] = at_event[1]
                self.input_sources["impact_rate_at_event"] = (
                    f"breachkit.risk window {at_event[0]!r} ending at the incident "
                    "(showers, attitude and shadowing of that moment)"
                )
        env = context.result_of("environment")
        shower_name = (
            ((context.case.data.get("evidence") or {}).get("shower") or {}).get("name")
            if isinstance(context.case.data.get("evidence"), Mapping)
            else None
        )
        if env is not None and shower_name and "impact_rate_at_event" not in kwargs:
            sh = env.shower(str(shower_name))
            if sh is not None and sh.reach_fraction is not None:
                kwargs["shower_reach_fraction"] = sh.reach_fraction
                kwargs["shower_flux_ratio"] = sh.flux_ratio_by_size["0.3 mm"]
                self.input_sources["shower_reach_fraction"] = (
                    "environment stage: reach of the damaged region by the radiant"
                )
                self.input_sources["shower_flux_ratio"] = (
                    "environment stage: shower : sporadic flux above 0.3 mm at the incident"
                )
        return kwargs

    def check(self, context: InvestigationContext) -> None:
        from breachkit.attribution import load_attribution_case

        load_attribution_case(context.case_dir)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.attribution import attribute_case

        return attribute_case(context.case_dir, **self.inputs(context))

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = _as_dict(result)
        src = (
            "breachkit.attribution.attribute_case; case.toml [incident], [evidence], [attribution]"
        )
        sec = Section()
        sec.quantities["posterior_impact"] = quantity(
            _num(d.get("posterior_impact")), "1", src, label="P(impact)"
        )
        sec.quantities["posterior_defect"] = quantity(
            _num(d.get("posterior_defect")), "1", src, label="P(defect)"
        )
        for h, p in (d.get("posterior") or {}).items():
            if h not in ("impact", "defect"):
                sec.quantities[f"posterior_{h}"] = quantity(_num(p), "1", src, label=f"P({h})")
        evidence = []
        for ev in d.get("evidence", []) or []:
            evidence.append(
                {
                    "name": ev.get("name"),
                    "likelihood_ratio": _num(ev.get("likelihood_ratio")),
                    "sentence": ev.get("sentence") or ev.get("explanation"),
                    "source": ev.get("source") or src,
                }
            )
        sec.extra["evidence"] = evidence
        label = d.get("verdict") or d.get("sentence")
        sec.extra["verdict"] = label
        pi, pd = _num(d.get("posterior_impact")), _num(d.get("posterior_defect"))
        if label is not None and pi is not None and pd is not None:
            n = len(evidence)
            basis = (
                f"{n} piece{'s' if n != 1 else ''} of evidence and the prior rates of the causes"
                if n
                else "the prior rates of the causes alone (no evidence recorded)"
            )
            sec.extra["verdict_sentence"] = (
                f"Verdict: {label}. P(impact) = {pi:.3g}, P(defect) = {pd:.3g}, from {basis} "
                "(breachkit.attribution)."
            )
        used = getattr(self, "input_sources", {})
        if used:
            sec.tables.append(
                table(
                    "Inputs taken from earlier stages",
                    ["argument of attribute_case", "taken from"],
                    [[k, v] for k, v in used.items()],
                    "breachkit.investigate.stages.AttributionStage.inputs",
                )
            )
        rates = d.get("rates") or {}
        if rates:
            sec.tables.append(
                table(
                    "Prior rates per day of exposure",
                    ["cause", "mean [d⁻¹]", "low [d⁻¹]", "high [d⁻¹]", "source"],
                    [
                        [
                            h,
                            _num(r.get("mean")),
                            _num(r.get("lo")),
                            _num(r.get("hi")),
                            r.get("source"),
                        ]
                        for h, r in rates.items()
                        if isinstance(r, Mapping)
                    ],
                    src,
                )
            )
        sens = d.get("sensitivity") or []
        if sens:
            sec.tables.append(
                table(
                    "Sensitivity: P(impact) when each uncertain input goes to the ends of its range",
                    ["input", "low", "P(impact) at low", "high", "P(impact) at high"],
                    [
                        [
                            r.get("input"),
                            r.get("low"),
                            _num(r.get("posterior_impact_low")),
                            r.get("high"),
                            _num(r.get("posterior_impact_high")),
                        ]
                        for r in sens
                    ],
                    src,
                )
            )
        for n in d.get("notes", []) or []:
            sec.assumptions.append(f"Attribution: {n}")
        return sec


class CrewReturnStage(Stage):
    """Ranked crew-return options and thermal peaks (`breachkit.ops.plan_case`)."""

    name = "crew_return"
    title = "Crew return"
    part = "breachkit.ops"
    requires = ("ops",)

    def check(self, context: InvestigationContext) -> None:
        from breachkit.ops import load_ops

        load_ops(context.case)

    def run(self, context: InvestigationContext) -> Any:
        from breachkit.ops import plan_case

        return plan_case(context.case_dir)

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        d = jsonable(_as_dict(result))
        src = "breachkit.ops.plan_case; case.toml [ops]"
        sec = Section()
        sec.text.append(
            f"Situation {d.get('situation_utc')}: {d.get('damaged_vehicle')} lost its "
            f"{d.get('damage_system')}."
        )
        options = d.get("options", []) or []
        rows = []
        for o in options:
            sc = o.get("scores", {}) or {}
            rows.append(
                [
                    o.get("rank"),
                    o.get("name"),
                    o.get("kind"),
                    (o.get("return_utc") or "")[:10] or None,
                    _num(o.get("mission_length_days")),
                    _num(sc.get("thermal_risk")),
                    _num(sc.get("total_crew_days_without_assured_ride")),
                    _num(sc.get("emergency_probability")),
                    sc.get("certified_life_violation_count"),
                    _num(sc.get("risk_index")) if o.get("feasible") else "infeasible",
                ]
            )
        if rows:
            sec.tables.append(
                table(
                    "Options, best first",
                    [
                        "rank",
                        "option",
                        "kind",
                        "crew home",
                        "mission length [d]",
                        "thermal risk",
                        "crew-days without an assured ride",
                        "P(emergency return needed during the wait)",
                        "certified-life violations",
                        "risk index",
                    ],
                    rows,
                    src,
                )
            )
            best = options[0]
            sec.quantities["best_mission_length_days"] = quantity(
                _num(best.get("mission_length_days")),
                "d",
                src,
                label=f"mission length of the best option ({best.get('kind')})",
            )
            for a in best.get("actions", []) or []:
                sec.text.append(f"Best option: {a}.")
        th = d.get("thermal", {}) or {}
        peaks = th.get("peak_cabin_temperature_c", {}) or {}
        if peaks:
            rh = th.get("peak_relative_humidity", {}) or {}
            wb = th.get("peak_wet_bulb_c", {}) or {}
            sec.tables.append(
                table(
                    "Descent module without the external loop: peaks from undocking to landing",
                    [
                        "crew aboard",
                        "peak cabin air [°C]",
                        "peak relative humidity",
                        "peak wet bulb [°C]",
                    ],
                    [[str(k), _num(v), _num(rh.get(k)), _num(wb.get(k))] for k, v in peaks.items()],
                    src + " (breachkit.ops.thermal lumped model)",
                    note=(
                        f"design cabin maximum {th.get('design_cabin_max_c')} °C; emergency limit "
                        f"{th.get('emergency_cabin_limit_c')} °C"
                    ),
                )
            )
            if th.get("calibration"):
                sec.assumptions.append(f"Crew-return thermal model: {th['calibration']}")
        if d.get("emergency_rate_basis"):
            sec.assumptions.append(
                f"Emergency-return rate {format(_num(d.get('emergency_rate_per_year')) or 0.0, '.3g')}"
                f" per year: {d['emergency_rate_basis']}"
            )
        return sec


def default_stages() -> list[Stage]:
    """The investigation's stages in order."""
    return [
        EnvironmentStage(),
        RiskStage(),
        TelemetryStage(),
        FleetStage(),
        AttributionStage(),
        CrewReturnStage(),
    ]
