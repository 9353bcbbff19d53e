"""Monte Carlo mode: sample individual particles, decide each one with the shield's BLE.

For each population p the expected number of impacts Λ_p of particles with d ≥ d_min on the
selected faces is computed exactly (the same sum as the deterministic engine). Then n_p particles
are drawn from the joint distribution of (face, direction, speed, diameter):

* face i with probability ∝ λ_i = T · A_i · Σ_k cos θ_ik · V_ik · Σ_j F[k, j];
* direction k given i with probability ∝ cos θ_ik · V_ik · Σ_j F[k, j];
* speed bin j given k with probability ∝ F[k, j];
* diameter d ≥ d_min by inverting the population's cumulative size fraction
  (S(d)/S(d_min) = U, U uniform on (0, 1], log-log interpolation of the table);
* a particle whose critical diameter is out of the BLE's validity range (e.g. above 72 km/s) is
  *unassessed*: it counts no failure and is reported apart (no extrapolation);
* the particle lands on the failing part of the face with probability equal to the shield's
  `failure_area_fraction`.

Each particle stands for Λ_p / n_p expected impacts, so the expected failures are estimated by
Σ_p Λ_p · (fraction failing)_p with the binomial standard error
sqrt(Σ_p Λ_p² · q_p (1 − q_p) / n_p). The critical diameter is evaluated exactly at each particle's
(speed, angle), not through the cos-θ table, so agreement with `compute_risk` also checks the table.

**Hole size.** No hole-diameter equation for a thin radiator wall was sourced (docs/risk.md), so the
"hole size" distributions here are **impactor-diameter** distributions of failing particles: the
diameter of the particle that made a failure, not the diameter of the hole it left.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.validity import ValidityWarning
from breachkit.environment.directional import Population
from breachkit.risk.engine import (
    DEFAULT_IMPACT_MIN_DIAMETER_M,
    ExposureWindow,
    FaceSet,
    _body_directions,
    _ShadowStats,
    _visibility_provider,
)
from breachkit.risk.shield import Shield

__all__ = ["MonteCarloResult", "monte_carlo"]


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Sampled particles on the selected faces over one window.

    Attributes
    ----------
    face, population, diameter_m, speed_m_s, angle_rad, fails
        One entry per sampled particle: face index, population index, impactor diameter [m],
        impact speed [m s⁻¹], impact angle from the normal [rad], whether it is a failure.
    weight
        Expected impacts each sampled particle stands for [-].
    expected_impacts_by_population
        Λ_p, exact expected impacts with d ≥ `impact_min_diameter_m` [-].
    """

    window: str
    faces: FaceSet
    regions: tuple[str, ...]
    population_names: tuple[str, ...]
    impact_min_diameter_m: float
    face: NDArray[np.intp]
    population: NDArray[np.intp]
    diameter_m: NDArray[np.float64]
    speed_m_s: NDArray[np.float64]
    angle_rad: NDArray[np.float64]
    fails: NDArray[np.bool_]
    weight: NDArray[np.float64]
    expected_impacts_by_population: NDArray[np.float64]
    samples_by_population: NDArray[np.intp]
    unassessed: NDArray[np.bool_] | None = None
    validity_notes: tuple[str, ...] = ()

    @property
    def unassessed_impacts(self) -> tuple[float, float]:
        """Expected impacts (and standard error) whose critical diameter is out of the BLE's
        validity range; they count no failures [-]."""
        if self.unassessed is None:
            return 0.0, 0.0
        return self._estimate(self.unassessed)

    def _region_mask(self, region: str | Sequence[str] | None) -> NDArray[np.bool_]:
        if region is None:
            return np.ones(self.face.size, dtype=bool)
        names = [region] if isinstance(region, str) else list(region)
        for n in names:
            if n not in self.faces.region_names:
                raise InputError(f"region {n!r} is not one of {list(self.faces.region_names)}")
        ids = [self.faces.region_names.index(n) for n in names]
        return np.isin(self.faces.region_index[self.face], ids)

    def _estimate(self, mask: NDArray[np.bool_]) -> tuple[float, float]:
        mean = 0.0
        var = 0.0
        for p in range(len(self.population_names)):
            n = int(self.samples_by_population[p])
            if n == 0:
                continue
            lam = float(self.expected_impacts_by_population[p])
            q = float(np.count_nonzero(mask & (self.population == p))) / n
            mean += lam * q
            var += lam * lam * q * (1.0 - q) / n
        return mean, math.sqrt(var)

    @property
    def expected_failures(self) -> float:
        """Estimated expected failures on the selected faces [-]."""
        return self._estimate(self.fails)[0]

    @property
    def standard_error(self) -> float:
        """Standard error of `expected_failures` [-]."""
        return self._estimate(self.fails)[1]

    def expected_count(
        self,
        *,
        region: str | Sequence[str] | None = None,
        d_lo_m: float = 0.0,
        d_hi_m: float = math.inf,
        failing_only: bool = True,
    ) -> tuple[float, float]:
        """Expected number (and its standard error) of particles with d_lo ≤ d < d_hi [-]."""
        mask = self._region_mask(region) & (self.diameter_m >= d_lo_m) & (self.diameter_m < d_hi_m)
        if failing_only:
            mask &= self.fails
        return self._estimate(mask)

    def hole_size_probability(
        self,
        region: str | Sequence[str] | None,
        d_lo_m: float,
        d_hi_m: float,
        *,
        failing_only: bool = True,
    ) -> dict[str, float]:
        """P(at least one failing impactor with d_lo ≤ d < d_hi in the region over the window).

        "Hole size" is the impactor diameter here (see module docstring). Returns the expected
        number, its standard error and the Poisson probability 1 − exp(−N) [-].
        """
        if not (0 <= d_lo_m < d_hi_m):
            raise InputError(f"hole size range: need 0 <= d_lo < d_hi, got {d_lo_m}, {d_hi_m}")
        n, se = self.expected_count(
            region=region, d_lo_m=d_lo_m, d_hi_m=d_hi_m, failing_only=failing_only
        )
        return {
            "d_lo_m": d_lo_m,
            "d_hi_m": d_hi_m,
            "expected_number": n,
            "standard_error": se,
            "probability": 1.0 - math.exp(-n),
        }

    def diameter_histogram(
        self,
        bins_m: ArrayLike,
        *,
        region: str | Sequence[str] | None = None,
        failing_only: bool = True,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Expected number of (failing) impactors per diameter bin [-] and the bin edges [m]."""
        edges = np.asarray(bins_m, dtype=float)
        mask = self._region_mask(region)
        if failing_only:
            mask &= self.fails
        counts, _ = np.histogram(self.diameter_m[mask], bins=edges, weights=self.weight[mask])
        return counts, edges

    def to_dict(self) -> dict[str, Any]:
        edges = np.logspace(-4, -2, 9)
        counts, _ = self.diameter_histogram(edges)
        return {
            "window": self.window,
            "regions": list(self.regions),
            "samples": int(self.face.size),
            "expected_failures": self.expected_failures,
            "standard_error": self.standard_error,
            "impact_min_diameter_m": self.impact_min_diameter_m,
            "hole_size_is": "impactor diameter (no thin-wall hole-size equation sourced)",
            "unassessed_impacts": self.unassessed_impacts[0],
            "validity_notes": list(self.validity_notes),
            "failing_impactor_diameter_histogram": {
                "edges_m": edges,
                "expected_number": counts,
            },
        }


def _invert_size(pop: Population, d_min: float, u: NDArray[np.float64]) -> NDArray[np.float64]:
    """Diameters d with S(d) = u · S(d_min) (u in (0, 1]) by log-log inversion of the table [m]."""
    log_s_min = math.log(float(pop.size_fraction(d_min)))
    target = np.log(u) + log_s_min
    log_d = np.log(pop.diameter_grid_m)
    log_s = np.log(pop.cumulative_fraction)
    # log_s decreases with log_d; np.interp wants increasing abscissae
    d = np.exp(np.interp(target, log_s[::-1], log_d[::-1]))
    return np.maximum(d, d_min)


def monte_carlo(
    faces: FaceSet | Any,
    window: ExposureWindow,
    shields: Mapping[str, Shield],
    *,
    rng: np.random.Generator,
    n_samples: int = 100_000,
    regions: Sequence[str] | None = None,
    attitude: ArrayLike | None = None,
    visibility: Any = None,
    impact_min_diameter_m: float = DEFAULT_IMPACT_MIN_DIAMETER_M,
    chunk_elements: int = 1 << 22,
) -> MonteCarloResult:
    """Sample `n_samples` particles (d ≥ `impact_min_diameter_m`) hitting the selected faces.

    Parameters are those of `compute_risk`; `regions` restricts the faces (all when None) and
    `rng` is the explicit random generator. Samples are shared among populations in proportion
    to their expected impacts (at least one each).
    """
    if not isinstance(rng, np.random.Generator):
        raise InputError("monte_carlo: rng must be a numpy.random.Generator")
    if n_samples < 1:
        raise InputError(f"monte_carlo: n_samples {n_samples} must be >= 1")
    fs = faces if isinstance(faces, FaceSet) else FaceSet.from_surface(faces)
    names = tuple(fs.region_names) if regions is None else tuple(regions)
    for r in names:
        if r not in fs.region_names:
            raise InputError(f"monte_carlo regions: {r!r} is not one of {list(fs.region_names)}")
    ids = [fs.region_names.index(r) for r in names]
    sel = np.flatnonzero(np.isin(fs.region_index, ids)).astype(np.intp)
    if sel.size == 0:
        raise InputError(f"monte_carlo: no faces in regions {list(names)}")
    for r in {fs.region_names[i] for i in np.unique(fs.region_index[sel])}:
        if r not in shields:
            raise InputError(f"shields: region {r!r} has no shield")
    att = None if attitude is None else np.asarray(attitude, dtype=float)
    stats = _ShadowStats()
    vis_of = _visibility_provider(fs, visibility, stats)
    pops = list(window.environment)
    T = window.duration_s

    # visibility of the selected faces, computed once per distinct direction grid and kept
    # (n_selected × n_directions booleans: the memory bound of this mode)
    vis_cache: dict[bytes, NDArray[np.bool_] | None] = {}
    pos_in_sel = np.full(len(fs), -1, dtype=np.intp)
    pos_in_sel[sel] = np.arange(sel.size)

    def rows(p: Population, dirs: NDArray[np.float64], idx: NDArray[np.intp]) -> NDArray[Any]:
        key = np.round(dirs, 12).tobytes()
        if key not in vis_cache:
            vis_cache[key] = vis_of(sel, dirs, 0)
        v = vis_cache[key]
        c = fs.normals[idx] @ dirs.T
        front = c > 0
        if v is not None:
            front &= v[pos_in_sel[idx]]
        return np.where(front, c, 0.0)

    # exact Λ per face and population
    lam_face = np.zeros((len(pops), sel.size))
    body_dirs = [_body_directions(p, att) for p in pops]
    for pi, p in enumerate(pops):
        s_min = float(p.size_fraction(impact_min_diameter_m))
        fk = p.flux.sum(axis=1)
        chunk = max(1, int(chunk_elements // len(p.directions)))
        for a in range(0, sel.size, chunk):
            idx = sel[a : a + chunk]
            lam_face[pi, a : a + chunk] = (rows(p, body_dirs[pi], idx) @ fk) * fs.areas[idx]
        lam_face[pi] *= T * s_min
    lam = lam_face.sum(axis=1)
    total = float(lam.sum())
    if total <= 0:
        n_per = np.zeros(len(pops), dtype=np.intp)
    else:
        n_per = np.maximum(np.round(n_samples * lam / total).astype(np.intp), (lam > 0).astype(int))

    out: dict[str, list[NDArray[Any]]] = {
        k: [] for k in ("face", "pop", "d", "v", "ang", "fails", "w", "unassessed")
    }
    notes: set[str] = set()
    for pi, p in enumerate(pops):
        n = int(n_per[pi])
        if n == 0:
            continue
        face_local = rng.choice(sel.size, size=n, p=lam_face[pi] / lam[pi])
        face = sel[face_local]
        uniq, inv = np.unique(face, return_inverse=True)
        fk = p.flux.sum(axis=1)
        k = np.empty(n, dtype=np.intp)
        cos_k = np.empty(n)
        chunk = max(1, int(chunk_elements // len(p.directions)))
        for a in range(0, uniq.size, chunk):
            u_idx = uniq[a : a + chunk]
            cw = rows(p, body_dirs[pi], u_idx)
            cdf = np.cumsum(cw * fk[None, :], axis=1)
            members = np.flatnonzero((inv >= a) & (inv < a + u_idx.size))
            r_loc = inv[members] - a
            # one sorted key for all rows: row r occupies (r, r + 1]
            nd = cdf.shape[1]
            key = (cdf / cdf[:, -1:] + np.arange(u_idx.size)[:, None]).ravel()
            u = rng.random(members.size)
            pos = np.searchsorted(key, r_loc + u, side="right")
            kk = np.clip(pos - r_loc * nd, 0, nd - 1)
            k[members] = kk
            cos_k[members] = cw[r_loc, kk]
        fcdf = np.cumsum(p.flux, axis=1)
        uj = rng.random(n) * fcdf[k, -1]
        j = np.minimum((fcdf[k] < uj[:, None]).sum(axis=1), p.speed_m_s.size - 1)
        speed = p.speed_m_s[j]
        d = _invert_size(p, impact_min_diameter_m, 1.0 - rng.random(n))
        ang = np.arccos(np.clip(cos_k, 0.0, 1.0))
        reg = fs.region_index[face]
        fails = np.zeros(n, dtype=bool)
        on_fail_area = np.zeros(n, dtype=bool)
        u_area = rng.random(n)
        unassessed = np.zeros(n, dtype=bool)
        for r in np.unique(reg):
            m = reg == r
            sh = shields[fs.region_names[r]]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ValidityWarning)
                dc = np.asarray(
                    sh.critical_diameter(speed[m], ang[m], p.density_kg_m3), dtype=float
                )
            for w in caught:
                notes.add(f"population {p.name}, shield {getattr(sh, 'name', '?')}: {w.message}")
            fails[m] = np.isfinite(dc) & (d[m] >= np.nan_to_num(dc, nan=np.inf))
            unassessed[m] = ~np.isfinite(dc)
            on_fail_area[m] = u_area[m] < float(sh.failure_area_fraction)
        out["face"].append(face)
        out["pop"].append(np.full(n, pi, dtype=np.intp))
        out["d"].append(d)
        out["v"].append(speed)
        out["ang"].append(ang)
        out["fails"].append(fails & on_fail_area)
        out["w"].append(np.full(n, lam[pi] / n))
        out["unassessed"].append(unassessed)

    def cat(key: str, dtype: Any) -> NDArray[Any]:
        return np.concatenate(out[key]).astype(dtype) if out[key] else np.zeros(0, dtype=dtype)

    return MonteCarloResult(
        window=window.label,
        faces=fs,
        regions=names,
        population_names=tuple(p.name for p in pops),
        impact_min_diameter_m=impact_min_diameter_m,
        face=cat("face", np.intp),
        population=cat("pop", np.intp),
        diameter_m=cat("d", float),
        speed_m_s=cat("v", float),
        angle_rad=cat("ang", float),
        fails=cat("fails", bool),
        weight=cat("w", float),
        expected_impacts_by_population=lam,
        samples_by_population=n_per.astype(np.intp),
        unassessed=cat("unassessed", bool),
        validity_notes=tuple(sorted(notes)),
    )
