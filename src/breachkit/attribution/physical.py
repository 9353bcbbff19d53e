"""Computed physical evidence: where the hole is and how large it is, from the risk engine.

**Location.** Under *impact* a failure lands where the risk engine puts the expected failures: the
probability that it is in the observed part A of the candidate set C (the parts of the system
where a leak of that system could be, e.g. the PAO radiator and the coolant line feeding it) is

    p_I(A) = Σ_{f ∈ A} N_fail,f / Σ_{f ∈ C} N_fail,f

with N_fail,f the engine's expected failures of face (or region) f over the exposure (orientation,
shadowing by the station, environment and shield all included). Under *defect* a flaw is taken as
equally likely per unit of *susceptible* area, the area over the coolant-carrying wall (region
area × the shield's ``failure_area_fraction``, i.e. the tube footprint of a radiator), times an
optional relative flaw density per region (weld and joint density when a case gives it):

    p_D(A) = Σ_{f ∈ A} w_f a_f / Σ_{f ∈ C} w_f a_f,         LR = p_I(A) / p_D(A).

Uniform flaw density (w = 1) is an ASSUMPTION stated wherever the item is shown: no weld or joint
map of the Soyuz/Progress radiator is public (../shared/research/incidents.md §9 "not found").

**Hole size.** No citable thin-wall hole-diameter relation (hole diameter as a function of
projectile diameter, speed and wall thickness, with its validity range) was found in the sources
searched for this project (searches, 2026-12-02, in the pages/docs/code corpora: Maiden, Sawle,
Fish–Summers, Carrasquilla, Hill, Gardner/McDonnell foil holes, ESABASE2 damage equations,
Cour-Palais and Schonberg bumper-hole relations; the ESABASE2 technical description and NASA
TP-2003-210788 were found only as cover pages, an uncited code fragment with D_h/d coefficients
was not usable). So the impact-hole distribution here is the risk engine's distribution of the
**impactor diameters of the particles that fail the wall** (computed: Monte Carlo of the case,
`breachkit.risk.montecarlo`) times a hole-to-impactor diameter ratio that is a JUDGEMENT
(log-uniform between ``ratio_lo`` and ``ratio_hi``, default 1–3: a hypervelocity particle that
perforates a ductile sheet leaves a hole no smaller than itself, and holes of a few projectile
diameters are typical of thin sheets; not sourced). The resulting `HoleSize` item is therefore of
class *judgement*, not *computed*.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.attribution.evidence import HoleSize, Location

__all__ = [
    "HOLE_SIZE_RELATION",
    "Band",
    "LocationModel",
    "hole_size_from_monte_carlo",
    "impact_hole_samples",
    "location_from_faces",
    "location_from_risk",
    "physical_evidence_for_case",
]

#: What is known of a thin-wall hole-diameter relation (shown with the hole-size item).
HOLE_SIZE_RELATION: dict[str, str] = {
    "status": "not found",
    "text": (
        "no citable thin-wall hole-diameter relation with a validity range was found; the impact "
        "hole sizes are the risk engine's failing-impactor diameters times a judged hole/impactor "
        "ratio"
    ),
    "evidence_class": "judgement",
}


@dataclass(frozen=True)
class LocationModel:
    """P(location | impact) and P(location | defect) over the candidate parts of one system.

    Parameters
    ----------
    parts
        Names of the candidate parts (regions, or region bands).
    expected_failures
        The risk engine's expected failures of each part over the exposure [-].
    susceptible_area_m2
        Area over the coolant-carrying wall of each part [m²] (area × failure_area_fraction).
    flaw_density
        Relative flaw density per unit susceptible area of each part [-] (1 = uniform, the
        stated default assumption; weld/joint density when a case gives it).
    failures_low, failures_high
        Optional expected failures with the environment factors at their low/high ends, for the
        sensitivity range of p_I.
    """

    parts: tuple[str, ...]
    expected_failures: tuple[float, ...]
    susceptible_area_m2: tuple[float, ...]
    flaw_density: tuple[float, ...] | None = None
    failures_low: tuple[float, ...] | None = None
    failures_high: tuple[float, ...] | None = None
    source: str = ""

    def __post_init__(self) -> None:
        n = len(self.parts)
        if n == 0:
            raise InputError("location model: no candidate parts")
        for name, v in (
            ("expected_failures", self.expected_failures),
            ("susceptible_area_m2", self.susceptible_area_m2),
            ("flaw_density", self.flaw_density),
            ("failures_low", self.failures_low),
            ("failures_high", self.failures_high),
        ):
            if v is None:
                continue
            a = np.asarray(v, dtype=float)
            if a.shape != (n,) or np.any(~np.isfinite(a)) or np.any(a < 0):
                raise InputError(f"location model {name}: need {n} finite values >= 0, got {v}")
        if sum(self.expected_failures) <= 0:
            raise InputError("location model: the candidate parts have no expected failures")
        if float(np.dot(self._w(), self.susceptible_area_m2)) <= 0:
            raise InputError("location model: the candidate parts have no susceptible area")

    def _w(self) -> NDArray[np.float64]:
        n = len(self.parts)
        return np.ones(n) if self.flaw_density is None else np.asarray(self.flaw_density, float)

    def _mask(self, observed: Sequence[str]) -> NDArray[np.bool_]:
        unknown = [o for o in observed if o not in self.parts]
        if unknown or not observed:
            raise InputError(
                f"hole location {list(observed)}: must name parts among {list(self.parts)}"
            )
        return np.isin(np.asarray(self.parts, dtype=object), list(observed))

    @staticmethod
    def _share(values: Sequence[float] | NDArray[np.float64], mask: NDArray[np.bool_]) -> float:
        v = np.asarray(values, dtype=float)
        return float(v[mask].sum() / v.sum())

    def p_impact(self, observed: Sequence[str]) -> float:
        """P(the failure is in `observed` | impact) [-]."""
        return self._share(self.expected_failures, self._mask(observed))

    def p_defect(self, observed: Sequence[str]) -> float:
        """P(the failure is in `observed` | defect) [-]."""
        return self._share(self._w() * np.asarray(self.susceptible_area_m2), self._mask(observed))

    def likelihood_ratio(self, observed: Sequence[str]) -> float:
        """p_I / p_D of the observed parts."""
        return self.p_impact(observed) / self.p_defect(observed)

    def p_impact_range(self, observed: Sequence[str]) -> tuple[float, float] | None:
        """p_I with the environment factors at their ends (None without them)."""
        if self.failures_low is None or self.failures_high is None:
            return None
        m = self._mask(observed)
        a, b = self._share(self.failures_low, m), self._share(self.failures_high, m)
        return (min(a, b), max(a, b))

    def evidence(self, observed: Sequence[str], *, source: str = "") -> Location:
        """The `Location` evidence item (class *computed*) for a hole found in `observed`."""
        m = self._mask(observed)
        rng_ = self.p_impact_range(observed)
        flaws = (
            "uniform flaw density per susceptible area (ASSUMPTION)"
            if self.flaw_density is None
            else "flaw density per part from the case"
        )
        text = (
            f"risk engine expected failures over {', '.join(self.parts)}; defect: {flaws}"
            + (f"; {self.source}" if self.source else "")
            + (f"; {source}" if source else "")
        )
        return Location(
            " + ".join(np.asarray(self.parts, dtype=object)[m]),
            self.p_impact(observed),
            self.p_defect(observed),
            impact_fraction_range=rng_,
            source=text,
        )

    def to_dict(self, observed: Sequence[str]) -> dict[str, Any]:
        return {
            "parts": list(self.parts),
            "observed": list(observed),
            "expected_failures": list(self.expected_failures),
            "susceptible_area_m2": list(self.susceptible_area_m2),
            "flaw_density": None if self.flaw_density is None else list(self.flaw_density),
            "p_impact": self.p_impact(observed),
            "p_defect": self.p_defect(observed),
            "likelihood_ratio": self.likelihood_ratio(observed),
            "p_impact_range": self.p_impact_range(observed),
            "evidence_class": "computed",
            "assumption": "defect flaws uniform per susceptible area"
            if self.flaw_density is None
            else "",
        }


def location_from_risk(
    result: Any,
    parts: Sequence[str],
    failure_area_fraction: Mapping[str, float],
    *,
    window: str | None = None,
    flaw_density: Mapping[str, float] | None = None,
    source: str = "",
) -> LocationModel:
    """A `LocationModel` over whole regions from a `RiskResult` (``breakdown(window)``).

    `failure_area_fraction` gives each region's shield fraction of area over the coolant wall
    [-] (the radiator's tube footprint; 1 for a line).
    """
    by_region = result.breakdown(window)["by_region"]
    missing = [p for p in parts if p not in by_region]
    if missing:
        raise InputError(
            f"hole location candidates {missing}: not evaluated by the risk run "
            f"(evaluated: {', '.join(by_region)})"
        )
    for p in parts:
        if p not in failure_area_fraction:
            raise InputError(f"hole location: no failure_area_fraction for {p!r}")
    rows = [by_region[p] for p in parts]
    return LocationModel(
        tuple(parts),
        tuple(float(r["expected_failures"]) for r in rows),
        tuple(
            float(r["area_m2"]) * float(failure_area_fraction[p])
            for p, r in zip(parts, rows, strict=True)
        ),
        flaw_density=None
        if flaw_density is None
        else tuple(float(flaw_density.get(p, 1.0)) for p in parts),
        failures_low=tuple(float(r["interval"]["low"]) for r in rows),
        failures_high=tuple(float(r["interval"]["high"]) for r in rows),
        source=source or f"breachkit risk, window {window or 'first'}",
    )


@dataclass(frozen=True)
class Band:
    """A part of one region: its faces whose centroid coordinate along a body axis lies in
    [lo_m, hi_m) [m] (axis ``x``, ``y`` or ``z`` of the vehicle frame of the risk run)."""

    name: str
    region: str
    axis: str
    lo_m: float
    hi_m: float

    def mask(self, table: Mapping[str, NDArray[Any]]) -> NDArray[np.bool_]:
        col = f"centroid_{self.axis}_m"
        if self.axis not in ("x", "y", "z") or col not in table:
            raise InputError(f"band {self.name!r}: axis {self.axis!r} needs face centroids x/y/z")
        c = np.asarray(table[col], dtype=float)
        return (table["region"] == self.region) & (c >= self.lo_m) & (c < self.hi_m)


def location_from_faces(
    result: Any,
    bands: Sequence[Band],
    failure_area_fraction: Mapping[str, float],
    *,
    window: str | None = None,
    flaw_density: Mapping[str, float] | None = None,
) -> LocationModel:
    """A `LocationModel` over bands of regions from the risk engine's per-face table: where
    along a radiator or a line the failures land (bands may not overlap)."""
    table = result.per_face_table(window)
    masks = [b.mask(table) for b in bands]
    if np.any(np.sum(masks, axis=0) > 1):
        raise InputError("hole location bands overlap")
    for b, m in zip(bands, masks, strict=True):
        if b.region not in failure_area_fraction:
            raise InputError(f"band {b.name!r}: no failure_area_fraction for {b.region!r}")
        if not np.any(m):
            raise InputError(f"band {b.name!r}: no faces of {b.region!r} in [{b.lo_m}, {b.hi_m})")
    fails = tuple(float(np.sum(table["expected_failures"][m])) for m in masks)
    area = tuple(
        float(np.sum(table["area_m2"][m])) * float(failure_area_fraction[b.region])
        for b, m in zip(bands, masks, strict=True)
    )
    return LocationModel(
        tuple(b.name for b in bands),
        fails,
        area,
        flaw_density=None
        if flaw_density is None
        else tuple(float(flaw_density.get(b.name, 1.0)) for b in bands),
        source=f"breachkit risk per-face failures, window {window or 'first'}",
    )


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Failing:
    diameter_m: NDArray[np.float64]
    weight: NDArray[np.float64]


def _failing_particles(mc: Any, regions: Sequence[str] | None) -> _Failing:
    """Failing particles of a `MonteCarloResult` (optionally only on `regions`)."""
    mask = np.asarray(mc.fails, dtype=bool).copy()
    if regions is not None:
        names = list(mc.faces.region_names)
        unknown = [r for r in regions if r not in names]
        if unknown:
            raise InputError(f"impact hole sizes: regions {unknown} not in the Monte Carlo run")
        ids = [names.index(r) for r in regions]
        mask &= np.isin(np.asarray(mc.faces.region_index)[np.asarray(mc.face)], ids)
    if np.count_nonzero(mask) < 10:
        raise InputError(
            f"impact hole sizes: only {np.count_nonzero(mask)} failing particles sampled in "
            f"{list(regions) if regions else 'the regions'}; raise [risk] mc_samples"
        )
    return _Failing(np.asarray(mc.diameter_m[mask], float), np.asarray(mc.weight[mask], float))


def impact_hole_samples(
    mc: Any,
    *,
    rng: np.random.Generator,
    regions: Sequence[str] | None = None,
    n: int = 5000,
    ratio_lo: float = 1.0,
    ratio_hi: float = 3.0,
) -> NDArray[np.float64]:
    """Impact hole diameters [m]: failing-impactor diameters of a Monte Carlo risk run
    (resampled with their weights) times a hole/impactor ratio, log-uniform in
    [`ratio_lo`, `ratio_hi`] (JUDGEMENT: no sourced thin-wall hole-size relation, see module
    docstring). ``ratio_lo == ratio_hi`` gives a fixed ratio."""
    if not isinstance(rng, np.random.Generator):
        raise InputError("impact_hole_samples: rng must be a numpy.random.Generator")
    if not (0 < ratio_lo <= ratio_hi) or not math.isfinite(ratio_hi):
        raise InputError(f"hole/impactor ratio: need 0 < lo <= hi, got {ratio_lo}, {ratio_hi}")
    f = _failing_particles(mc, regions)
    idx = rng.choice(f.diameter_m.size, size=n, p=f.weight / f.weight.sum())
    ratio = np.exp(rng.uniform(math.log(ratio_lo), math.log(ratio_hi), n))
    return np.asarray(f.diameter_m[idx] * ratio)


@dataclass(frozen=True)
class HoleSizeFromRisk:
    """The hole-size item built from a Monte Carlo risk run, with its class and inputs."""

    item: HoleSize
    evidence_class: str = "judgement"
    inputs: dict[str, Any] = field(default_factory=dict)


def hole_size_from_monte_carlo(
    mc: Any,
    diameter_m: float,
    *,
    rng: np.random.Generator,
    sigma_log: float = 0.3,
    regions: Sequence[str] | None = None,
    ratio_lo: float = 1.0,
    ratio_hi: float = 3.0,
    defect_min_m: float = 0.05e-3,
    defect_max_m: float = 10e-3,
    n: int = 5000,
    source: str = "",
) -> HoleSizeFromRisk:
    """`HoleSize` with impact holes from the risk Monte Carlo (see `impact_hole_samples`);
    class *judgement* because of the hole/impactor ratio."""
    s = impact_hole_samples(mc, rng=rng, regions=regions, n=n, ratio_lo=ratio_lo, ratio_hi=ratio_hi)
    item = HoleSize(
        diameter_m,
        sigma_log=sigma_log,
        impact_samples_m=tuple(float(x) for x in s),
        defect_min_m=defect_min_m,
        defect_max_m=defect_max_m,
        source=(
            f"{source + '; ' if source else ''}impact holes: breachkit risk Monte Carlo failing-"
            f"impactor diameters x hole/impactor ratio {ratio_lo:g}-{ratio_hi:g} (JUDGEMENT: "
            "no sourced thin-wall hole-size relation); defect: log-uniform "
            f"{defect_min_m * 1e3:g}-{defect_max_m * 1e3:g} mm (ASSUMPTION)"
        ),
    )
    q = np.percentile(s, [5, 50, 95])
    return HoleSizeFromRisk(
        item,
        "judgement",
        {
            "ratio_lo": ratio_lo,
            "ratio_hi": ratio_hi,
            "impact_hole_percentiles_m": {"p5": q[0], "p50": q[1], "p95": q[2]},
            "relation": HOLE_SIZE_RELATION,
        },
    )


# --------------------------------------------------------------------------------------------
def physical_evidence_for_case(
    case_dir: Any,
    *,
    case_run: Any = None,
    rng: np.random.Generator | None = None,
    window: str | None = None,
) -> dict[str, Any]:
    """The computed location item and the risk-based hole-size item of a case folder.

    Reads ``[evidence] hole_location`` and the hole diameter; runs the case's risk part unless a
    `breachkit.risk.config.CaseRun` is passed. Returns ``{"location": {...}, "hole_size":
    {...}}`` with the `Evidence` items under ``"item"``, their class and their inputs (an entry is
    absent when the case lacks what it needs).
    """
    from breachkit.attribution.case import load_attribution_case

    _, _, ev, _ = load_attribution_case(case_dir)
    if case_run is None:
        from breachkit.risk.config import run_case_full

        case_run = run_case_full(case_dir)
    rng = rng if rng is not None else np.random.default_rng(20221215)
    out: dict[str, Any] = {}
    loc = ev.hole_location
    if loc is not None and loc.use:
        fractions = {
            p: float(getattr(case_run.shields[p], "failure_area_fraction", 1.0))
            for p in loc.candidates
            if p in case_run.shields
        }
        if loc.bands:  # candidates and regions name bands of regions
            bands = [Band(b.name, b.region, b.axis, b.lo_m, b.hi_m) for b in loc.bands]
            fractions = {
                b.region: float(getattr(case_run.shields[b.region], "failure_area_fraction", 1.0))
                for b in bands
                if b.region in case_run.shields
            }
            model = location_from_faces(
                case_run.result,
                [b for b in bands if b.name in loc.candidates],
                fractions,
                window=window,
                flaw_density=loc.flaw_density or None,
            )
        else:
            model = location_from_risk(
                case_run.result,
                loc.candidates,
                fractions,
                window=window,
                flaw_density=loc.flaw_density or None,
            )
        out["location"] = {
            "item": model.evidence(loc.regions, source=f"{loc.source} ({loc.label})"),
            "evidence_class": "computed",
            **model.to_dict(loc.regions),
        }
    d_mm = ev.hole_diameter_mm
    if d_mm is not None and ev.use_hole and case_run.monte_carlo is not None:
        regions: list[str] | None = None
        if loc is not None:
            of_band = {b.name: b.region for b in loc.bands}
            regions = sorted({of_band.get(r, r) for r in loc.regions})
        h = hole_size_from_monte_carlo(
            case_run.monte_carlo,
            d_mm * 1e-3,
            rng=rng,
            sigma_log=ev.hole_sigma_log,
            regions=regions,
            source=f"{ev.hole_source} ({ev.hole_label})",
        )
        out["hole_size"] = {
            "item": h.item,
            "evidence_class": h.evidence_class,
            "likelihood_ratio": h.item.likelihood_ratio(),
            **h.inputs,
        }
    return out


def _main(argv: Sequence[str] | None = None) -> int:
    """``python -m breachkit.attribution.physical CASE_DIR``: print the two items as JSON."""
    import json
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m breachkit.attribution.physical CASE_DIR", file=sys.stderr)
        return 2
    try:
        res = physical_evidence_for_case(args[0])
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for v in res.values():
        item = v.pop("item")
        v["explanation"] = item.explain()
        v["likelihood_ratio"] = item.likelihood_ratio()
    print(json.dumps(res, indent=2, default=float))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
