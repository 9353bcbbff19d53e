"""Result objects of the risk engine: one `WindowResult` per exposure window, in a `RiskResult`."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # pragma: no cover
    from breachkit.risk.faces import FaceSet
    from breachkit.risk.uncertainty import UncertaintyFactor

__all__ = ["RiskResult", "WindowResult"]


def _pnp(n: float) -> float:
    return math.exp(-n) if math.isfinite(n) else float("nan")


@dataclass(frozen=True, eq=False)
class WindowResult:
    """Risk over one exposure window.

    Attributes
    ----------
    face_impacts, face_failures
        (n_faces,) expected impacts (d ≥ the impact minimum diameter) and failures per face [-].
    face_impacts_by_population
        (n_populations, n_faces) expected impacts per population and face [-].
    failures_by_population_region, impacts_by_population_region
        (n_populations, n_regions) expected failures / impacts [-].
    interval
        (low, high) on the expected failures from the environment factor ranges [-].
    """

    label: str
    start: datetime | None
    end: datetime | None
    duration_s: float
    face_impacts: NDArray[np.float64]
    face_failures: NDArray[np.float64]
    face_impacts_by_population: NDArray[np.float64]
    failures_by_population_region: NDArray[np.float64]
    impacts_by_population_region: NDArray[np.float64]
    interval: tuple[float, float]
    unassessed_impacts_by_population_region: NDArray[np.float64] | None = None

    @property
    def unassessed_impacts(self) -> float:
        """Expected impacts (d ≥ the impact minimum) in cells where the BLE or the size table is
        out of its validity range; they count no failures (the engine never extrapolates) [-]."""
        u = self.unassessed_impacts_by_population_region
        return 0.0 if u is None else float(u.sum())

    @property
    def expected_failures(self) -> float:
        """Σ over faces of expected failures N [-] (from the per-region breakdown)."""
        return float(self.failures_by_population_region.sum())

    @property
    def expected_impacts(self) -> float:
        """Σ over faces of expected impacts [-]."""
        return float(self.face_impacts.sum())

    @property
    def pnp(self) -> float:
        """Probability of no failure, exp(−N) [-]."""
        return _pnp(self.expected_failures)

    @property
    def pnp_interval(self) -> tuple[float, float]:
        """PNP at the high and the low end of the N interval [-]."""
        return (_pnp(self.interval[1]), _pnp(self.interval[0]))


@dataclass(frozen=True, eq=False)
class RiskResult:
    """Expected impacts and failures per face and window, with breakdowns and an interval.

    The headline figures (`expected_failures`, `pnp`, ...) are those of the first window.
    """

    windows: tuple[WindowResult, ...]
    population_names: tuple[str, ...]
    population_kinds: tuple[str, ...]
    population_sources: tuple[str, ...]
    region_names: tuple[str, ...]
    region_shields: tuple[str, ...]
    faces: FaceSet
    impact_min_diameter_m: float
    n_cos_bins: int | None
    n_directions: int
    uncertainty_factors: tuple[UncertaintyFactor, ...]
    rays_traced: int = 0
    rays_skipped: int = 0
    shadowing: str = "none"
    description: str = ""
    validity_notes: tuple[str, ...] = ()
    attitude: NDArray[np.float64] | None = None
    shields: dict[str, Any] = field(default_factory=dict)

    # ---- headline figures -------------------------------------------------------------------
    def window(self, label: str | None = None) -> WindowResult:
        """The window named `label` (the first one when None)."""
        if label is None:
            return self.windows[0]
        for w in self.windows:
            if w.label == label:
                return w
        raise KeyError(label)

    @property
    def expected_failures(self) -> float:
        return self.windows[0].expected_failures

    @property
    def expected_impacts(self) -> float:
        return self.windows[0].expected_impacts

    @property
    def pnp(self) -> float:
        return self.windows[0].pnp

    @property
    def interval(self) -> tuple[float, float]:
        return self.windows[0].interval

    def region_failures(self, region: str, window: str | None = None) -> float:
        """Expected failures of one region over a window [-]."""
        r = self.region_names.index(region)
        return float(self.window(window).failures_by_population_region[:, r].sum())

    def breakdown(self, window: str | None = None) -> dict[str, Any]:
        """Expected failures and impacts by population and by region for one window."""
        w = self.window(window)
        f, i = w.failures_by_population_region, w.impacts_by_population_region
        present = np.bincount(self.faces.region_index, minlength=len(self.region_names)) > 0
        regions = [r for r, ok in zip(self.region_names, present, strict=True) if ok]
        ridx = [self.region_names.index(r) for r in regions]
        return {
            "by_population": {
                n: {
                    "kind": k,
                    "expected_failures": float(f[p].sum()),
                    "expected_impacts": float(i[p].sum()),
                }
                for p, (n, k) in enumerate(
                    zip(self.population_names, self.population_kinds, strict=True)
                )
            },
            "by_region": {
                self.region_names[r]: {
                    "shield": self.region_shields[r],
                    "area_m2": float(self.faces.areas[self.faces.region_index == r].sum()),
                    "expected_failures": float(f[:, r].sum()),
                    "expected_impacts": float(i[:, r].sum()),
                    "interval": {
                        "low": float(
                            sum(u.low * f[p, r] for p, u in enumerate(self.uncertainty_factors))
                        ),
                        "high": float(
                            sum(u.high * f[p, r] for p, u in enumerate(self.uncertainty_factors))
                        ),
                    },
                    "by_population": {
                        n: float(f[p, r]) for p, n in enumerate(self.population_names)
                    },
                }
                for r in ridx
            },
        }

    def per_face_table(self, window: str | None = None) -> dict[str, NDArray[Any]]:
        """Columns of the per-face table of one window (face, region, area, N impacts/failures)."""
        w = self.window(window)
        fs = self.faces
        cols: dict[str, NDArray[Any]] = {
            "face": np.arange(len(fs)),
            "region": np.asarray(fs.region_names, dtype=object)[fs.region_index],
            "area_m2": fs.areas,
        }
        if fs.centroids is not None:
            for j, ax in enumerate("xyz"):
                cols[f"centroid_{ax}_m"] = fs.centroids[:, j]
        for j, ax in enumerate("xyz"):
            cols[f"normal_{ax}"] = fs.normals[:, j]
        cols["expected_impacts"] = w.face_impacts
        cols["expected_failures"] = w.face_failures
        cols["failures_per_m2"] = w.face_failures / fs.areas
        for p, n in enumerate(self.population_names):
            cols[f"impacts_{n}"] = w.face_impacts_by_population[p]
        return cols

    # ---- renderings -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (headline = first window) plus every window."""
        wins = []
        for w in self.windows:
            wins.append(
                {
                    "label": w.label,
                    "start": w.start,
                    "end": w.end,
                    "duration_s": w.duration_s,
                    "expected_failures": w.expected_failures,
                    "pnp": w.pnp,
                    "expected_impacts": w.expected_impacts,
                    "interval": {"low": w.interval[0], "high": w.interval[1]},
                    "pnp_interval": {"low": w.pnp_interval[0], "high": w.pnp_interval[1]},
                    "unassessed_impacts": w.unassessed_impacts,
                    "breakdown": self.breakdown(w.label),
                }
            )
        head = wins[0]
        return {
            "window": head["label"],
            "expected_failures": head["expected_failures"],
            "pnp": head["pnp"],
            "expected_impacts": head["expected_impacts"],
            "impact_min_diameter_m": self.impact_min_diameter_m,
            "interval": head["interval"],
            "pnp_interval": head["pnp_interval"],
            "unassessed_impacts": head["unassessed_impacts"],
            "validity_notes": list(self.validity_notes),
            "breakdown": head["breakdown"],
            "windows": wins,
            "uncertainty_factors": {
                n: {"low": f.low, "high": f.high, "source": f.source}
                for n, f in zip(self.population_names, self.uncertainty_factors, strict=True)
            },
            "population_sources": dict(
                zip(self.population_names, self.population_sources, strict=True)
            ),
            "numerics": {
                "faces": len(self.faces),
                "directions": self.n_directions,
                "n_cos_bins": self.n_cos_bins,
                "shadowing": self.shadowing,
                "rays_traced": self.rays_traced,
                "rays_skipped": self.rays_skipped,
            },
            "description": self.description,
        }

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for w in self.windows:
            lo, hi = w.interval
            rows.append(
                (
                    w.label,
                    f"{w.duration_s / 86400.0:.4g} d",
                    f"{w.expected_impacts:.4g}",
                    f"{w.expected_failures:.4g} [{lo:.3g}, {hi:.3g}]",
                    f"{w.pnp:.6f}",
                )
            )
        return rows

    def _repr_html_(self) -> str:
        head = (
            "<tr><th>window</th><th>length</th><th>impacts (d ≥ "
            f"{self.impact_min_diameter_m * 1e3:g} mm)</th><th>failures N [interval]</th>"
            "<th>PNP</th></tr>"
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._rows()
        )
        bd = self.breakdown()
        pops = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{v['expected_failures']:.4g}</td></tr>"
            for n, v in bd["by_population"].items()
        )
        regs = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(v['shield'])}</td>"
            f"<td>{v['expected_failures']:.4g}</td></tr>"
            for n, v in bd["by_region"].items()
        )
        return (
            f"<div><b>RiskResult</b> {html.escape(self.description)}<table>{head}{body}</table>"
            f"<p>Window {html.escape(self.windows[0].label)} by population</p>"
            f"<table><tr><th>population</th><th>failures</th></tr>{pops}</table>"
            f"<table><tr><th>region</th><th>shield</th><th>failures</th></tr>{regs}</table></div>"
        )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table

        t = Table(title=f"MMOD risk {self.description}".strip())
        for col in (
            "window",
            "length",
            f"impacts (d ≥ {self.impact_min_diameter_m * 1e3:g} mm)",
            "failures N [interval]",
            "PNP",
        ):
            t.add_column(col)
        for row in self._rows():
            t.add_row(*row)
        tables: list[Any] = [t]
        for w in self.windows:
            bd = self.breakdown(w.label)
            tp = Table(title=f"{w.label}: by population")
            tp.add_column("population")
            tp.add_column("kind")
            tp.add_column("impacts")
            tp.add_column("failures")
            for n, v in bd["by_population"].items():
                tp.add_row(
                    n, v["kind"], f"{v['expected_impacts']:.4g}", f"{v['expected_failures']:.4g}"
                )
            tr = Table(title=f"{w.label}: by region")
            tr.add_column("region")
            tr.add_column("shield")
            tr.add_column("area m²")
            tr.add_column("impacts")
            tr.add_column("failures [interval]")
            for n, v in bd["by_region"].items():
                tr.add_row(
                    n,
                    v["shield"],
                    f"{v['area_m2']:.3g}",
                    f"{v['expected_impacts']:.4g}",
                    f"{v['expected_failures']:.4g} [{v['interval']['low']:.3g}, "
                    f"{v['interval']['high']:.3g}]",
                )
            tables += [tp, tr]
        return Group(*tables)
