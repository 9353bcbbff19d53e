"""The risk engine: expected impacts and failures per face, PNP, breakdowns, exposure windows.

For face i (area A_i, outward normal n_i, region r(i) with shield s_r) over a window of length T:

    N_i = T · f_r · A_i · Σ_p Σ_k Σ_j  F_p[k, j] · S_p(d_c,r(v_j, θ_ik, ρ_p)) · cos θ_ik · V_ik

with cos θ_ik = n_i·u_k > 0 only, F_p the population's cross-section flux per (direction k, speed
j) cell [m⁻² s⁻¹] above its reference diameter, S_p its cumulative size fraction, d_c the shield's
critical diameter, V_ik the visibility (1 unless other geometry blocks the way in) and f_r the
shield's failure-area fraction. Expected impacts use the same sum with d_c replaced by a fixed
minimum diameter (`impact_min_diameter_m`) and without f_r. PNP = exp(−Σ N_i).

Numerical choice (the "cos-θ table"). Faces of one region share one shield, so the only
face-dependence of the inner sum is through cos θ. For every (region, population) the engine
tabulates K(c, k) = c · Σ_j F[k, j] · S(d_c(v_j, arccos c)) on `n_cos_bins` equally spaced nodes
c ∈ [0, 1] and interpolates linearly in c for each (face, direction). Tabulating c·G instead of G
makes K(0) = 0 exact (grazing impacts carry no area) and makes the table exact whenever d_c does not
depend on the angle (then K is linear in c). The error for an angle-dependent BLE is the linear
interpolation error h²/8 · max|∂²K/∂c²| with h = 1/(n_cos_bins − 1); docs/risk.md and
tests/validation/risk/test_cos_table.py quantify it against the direct evaluation
(`n_cos_bins=None`), which evaluates d_c at every (face, direction, speed).

Memory stays bounded: faces are processed in chunks of about `chunk_elements` (face × direction)
pairs; the per-region breakdown comes from a histogram W_r(c-node, k) of visible area accumulated
over the chunks, contracted with each population's table afterwards, so the per-face gathers are
done once per window, not once per population.

Implementation: the per-chunk sums have a numpy implementation and, with numba installed (extra
``speed``), a compiled one (`breachkit._core._numba_kernels.contract_chunk`: the same sums in
one pass without temporaries, added in another order); `kernels` chooses, and tests hold them
equal to 1e-12.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.kernels import numba_kernels
from breachkit._core.spatial import morton_codes
from breachkit._core.validity import ValidityWarning
from breachkit.environment.directional import Environment, Population
from breachkit.risk.faces import FaceSet
from breachkit.risk.result import RiskResult, WindowResult
from breachkit.risk.shield import Shield, scattered_size_fraction
from breachkit.risk.uncertainty import UncertaintyFactor, factor_for

__all__ = [
    "DEFAULT_CHUNK_ELEMENTS",
    "DEFAULT_IMPACT_MIN_DIAMETER_M",
    "DEFAULT_VISIBILITY_CHUNK_ELEMENTS",
    "ExposureWindow",
    "FaceSet",
    "compute_risk",
]

#: (face × direction) pairs held at once by default: ~128 MB per float64 work array.
DEFAULT_CHUNK_ELEMENTS = 1 << 24

#: (face × direction) pairs per visibility call by default: ~67 MB of booleans, two held at once
#: (small enough that the contraction of one overlaps the tracing of the next).
DEFAULT_VISIBILITY_CHUNK_ELEMENTS = 1 << 26

#: Faces per block of the per-group visibility product (a (directions × block) float buffer).
_BLOCK = 256
_KERNEL_BLOCK = 4096  # faces per column block of the compiled contraction (3 × 32 KiB of sums)

#: Expected impacts count particles of diameter ≥ 100 µm unless stated otherwise [m].
DEFAULT_IMPACT_MIN_DIAMETER_M = 1.0e-4

VisibilityFn = Callable[[NDArray[np.intp], NDArray[np.float64]], Any]


@dataclass(frozen=True)
class ExposureWindow:
    """One exposure: a label, its length and the environment (LVLH or body frame) during it.

    Parameters
    ----------
    label
        Short name, e.g. ``"docked"``.
    environment
        The populations during the window.
    duration_s
        Length of the window [s] (> 0).
    start, end
        The window's UTC instants, if it has them (informational once `duration_s` is set).
    """

    label: str
    environment: Environment
    duration_s: float
    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.duration_s) or self.duration_s <= 0:
            raise InputError(
                f"exposure window {self.label!r}: duration {self.duration_s!r} s must be > 0 "
                "(does it end before it starts?)"
            )

    @classmethod
    def between(
        cls, label: str, start: datetime, end: datetime, environment: Environment
    ) -> ExposureWindow:
        """The window from `start` to `end` (UTC); `InputError` if it ends before it starts."""
        dt = (end - start).total_seconds()
        if dt <= 0:
            raise InputError(
                f"exposure window {label!r}: end {end.isoformat()} is not after start "
                f"{start.isoformat()}"
            )
        return cls(label, environment, dt, start, end)


@dataclass
class _Entry:
    """One (window, population) pair in the body frame."""

    window: int
    pop_index: int
    population: Population
    duration_s: float


@dataclass
class _ShadowStats:
    rays_traced: int = 0
    rays_skipped: int = 0
    backends: set[str] = field(default_factory=set)
    #: called when `compute_risk` ends (e.g. shutting down a ray tracer's thread pool)
    closers: list[Callable[[], None]] = field(default_factory=list)


def _body_directions(pop: Population, attitude: NDArray[np.float64] | None) -> NDArray[np.float64]:
    frame = pop.directions.frame
    if frame == "body":
        return pop.directions.vectors
    if frame != "lvlh":
        raise InputError(f"population {pop.name}: frame {frame!r} is neither 'lvlh' nor 'body'")
    if attitude is None:
        return pop.directions.vectors
    return np.asarray(pop.directions.vectors @ attitude.T)


def _visibility_provider(
    faces: FaceSet, visibility: Any, stats: _ShadowStats, kernels: str = "auto"
) -> Callable[[NDArray[np.intp], NDArray[np.float64], int], NDArray[np.bool_] | None]:
    """A function (face indices, directions, group id) -> bool (n_sel, nd), or None (all visible)."""
    if visibility is None or visibility is False:
        stats.backends.add("none")
        return lambda idx, dirs, g: None
    if isinstance(visibility, np.ndarray):
        arr = np.asarray(visibility, dtype=bool)
        if arr.ndim != 2 or arr.shape[0] != len(faces):
            raise InputError(f"visibility: array shape {arr.shape} is not (n_faces, n_directions)")
        stats.backends.add("precomputed")

        def from_array(
            idx: NDArray[np.intp], dirs: NDArray[np.float64], g: int
        ) -> NDArray[np.bool_]:
            if arr.shape[1] != dirs.shape[0]:
                raise InputError(
                    f"visibility: array has {arr.shape[1]} directions, environment has "
                    f"{dirs.shape[0]}"
                )
            return arr[idx]

        return from_array
    fn: VisibilityFn
    if isinstance(visibility, str):
        if faces.surface is None:
            raise InputError(f"visibility={visibility!r} needs faces built from a SurfaceModel")
        from breachkit.geometry.shadowing import visibility as geometry_visibility

        backend = visibility
        surface = faces.surface
        scenes: list[Any] = []  # one Embree scene for the whole run, built on first use

        def traced(idx: NDArray[np.intp], dirs: NDArray[np.float64]) -> Any:
            from breachkit.geometry.shadowing import EmbreeScene, embree_available

            if backend in ("embree", "auto") and not scenes and embree_available():
                scenes.append(EmbreeScene(surface))
                stats.closers.append(scenes[0].close)
            return geometry_visibility(
                surface,
                dirs,
                backend=backend,
                faces=idx,
                keep_order=True,
                scene=scenes[0] if scenes else None,
                kernels=kernels,
            )

        fn = traced
    elif callable(visibility):
        fn = visibility
    else:
        raise InputError(f"visibility: unsupported value {visibility!r}")

    def call(idx: NDArray[np.intp], dirs: NDArray[np.float64], g: int) -> NDArray[np.bool_]:
        out = fn(idx, dirs)
        vis = getattr(out, "visible", out)
        stats.rays_traced += int(getattr(out, "rays_traced", 0))
        stats.rays_skipped += int(getattr(out, "rays_skipped", 0))
        backend = getattr(out, "backend", None)
        if backend is not None:
            stats.backends.add(str(backend))
        v = np.asarray(vis, dtype=bool)
        if v.shape != (idx.size, dirs.shape[0]):
            raise InputError(
                f"visibility: returned shape {v.shape}, expected {(idx.size, dirs.shape[0])}"
            )
        return v

    return call


def _critical(shield: Shield, v: ArrayLike, ang: ArrayLike, rho: float) -> NDArray[np.float64]:
    return np.asarray(shield.critical_diameter(v, ang, rho), dtype=float)


def _scattered(
    pop: Population,
    shield: Shield,
    speed: ArrayLike,
    angle: ArrayLike,
    dc: NDArray[np.float64],
    notes: set[str],
) -> NDArray[np.float64]:
    """E_z[S_p(d_c e^(μ+σz))] with the shield's ``perforation_scatter``; the step if it has none."""
    name = getattr(shield, "name", "?")
    fn = getattr(shield, "perforation_scatter", None)
    if fn is None:
        notes.add(f"shield {name}: no BLE scatter, step at d_c kept")
        return np.asarray(pop.size_fraction(dc), dtype=float)
    mu, sigma, label = fn(speed, angle, pop.density_kg_m3)
    g, clipped = scattered_size_fraction(
        pop.size_fraction,
        dc,
        np.broadcast_to(mu, np.shape(dc)),
        float(sigma),
        (pop.size_range.low, pop.size_range.high),
    )
    notes.add(f"shield {name}: BLE scatter {label}")
    if clipped:
        notes.add(f"population {pop.name}: BLE scatter quadrature clipped to its size table")
    return g


def _fraction_above_critical(
    pop: Population,
    shield: Shield,
    speed: ArrayLike,
    angle: ArrayLike,
    notes: set[str],
    ble_scatter: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """S_p(d_c(v, θ)) and a mask of the cells where it is undefined (out of validity).

    With `ble_scatter`, a shield with a ``perforation_scatter(v, θ, ρ) -> (μ, σ, label)``
    method gets E_z[S_p(d_c e^(μ+σz))] instead (`scattered_size_fraction`: the step at d_c
    replaced by P(fail | d) = Φ((ln(d/d_c) − μ)/σ)); a shield without one keeps the step (noted).

    The shield's BLE and the population's size table follow the validity policy: outside their
    ranges they return NaN with a `ValidityWarning`. The engine does not extrapolate: those
    cells count no failures, their impacts are reported as *unassessed*, and the warnings'
    texts are kept in `notes` (strict mode still raises).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ValidityWarning)
        dc = _critical(shield, speed, angle, pop.density_kg_m3)
        ok = np.isfinite(dc)
        dc_ok = np.where(ok, dc, pop.reference_diameter_m)
        g = (
            _scattered(pop, shield, speed, angle, dc_ok, notes)
            if ble_scatter
            else np.asarray(pop.size_fraction(dc_ok), dtype=float)
        )
    for w in caught:
        if issubclass(w.category, ValidityWarning):
            notes.add(f"population {pop.name}, shield {getattr(shield, 'name', '?')}: {w.message}")
        else:  # pragma: no cover - re-emit anything else
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    bad = ~(ok & np.isfinite(g))
    return np.where(bad, 0.0, g), bad


def _cos_table(
    pop: Population,
    shield: Shield,
    nodes: NDArray[np.float64],
    duration_s: float,
    impact_fraction: float,
    notes: set[str],
    ble_scatter: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """K[m, k] = T · c_m · Σ_j F[k, j] · S(d_c(v_j, arccos c_m)) on the cos nodes; K[0] = 0.

    Also U[m, k], the same sum of impacts (d ≥ the impact minimum, fraction `impact_fraction`)
    over the cells where S(d_c) is undefined (out of the BLE's or the size table's validity).
    """
    c = nodes[1:]
    ang = np.arccos(np.clip(c, 0.0, 1.0))
    g, bad = _fraction_above_critical(
        pop, shield, pop.speed_m_s[None, :], ang[:, None], notes, ble_scatter
    )
    k = np.zeros((nodes.size, len(pop.directions)))
    u = np.zeros_like(k)
    k[1:] = duration_s * c[:, None] * (g @ pop.flux.T)
    if bad.any():
        u[1:] = duration_s * impact_fraction * c[:, None] * (bad.astype(float) @ pop.flux.T)
    return k, u


def _group_key(vectors: NDArray[np.float64]) -> bytes:
    return np.round(vectors, 12).tobytes()


def compute_risk(
    faces: FaceSet | Any,
    windows: Sequence[ExposureWindow] | ExposureWindow,
    shields: Mapping[str, Shield],
    *,
    attitude: ArrayLike | None = None,
    visibility: Any = None,
    n_cos_bins: int | None = 65,
    impact_min_diameter_m: float = DEFAULT_IMPACT_MIN_DIAMETER_M,
    uncertainty: Mapping[str, UncertaintyFactor] | None = None,
    chunk_elements: int = DEFAULT_CHUNK_ELEMENTS,
    visibility_chunk_elements: int = DEFAULT_VISIBILITY_CHUNK_ELEMENTS,
    description: str = "",
    kernels: str = "auto",
    ble_scatter: bool = False,
) -> RiskResult:
    """Expected impacts and failures on every face, over each exposure window.

    Parameters
    ----------
    faces
        A `FaceSet` or a `breachkit.geometry.SurfaceModel` (body frame, lengths [m]).
    windows
        One or more `ExposureWindow` (each with its environment and its duration [s]).
    shields
        Region name → shield (anything following the `Shield` protocol). Every region of `faces`
        needs one.
    attitude
        3×3 rotation taking LVLH vectors to the body frame (``u_body = attitude @ u_lvlh``), or
        an object with such a ``lvlh_to_body`` matrix (`breachkit.geometry.attitude.Attitude`);
        None when the body axes are the LVLH axes. Populations already in the ``"body"`` frame
        are not rotated.
    visibility
        Shadowing: None (no other geometry blocks anything), a backend name for
        `breachkit.geometry.shadowing.visibility` (``"auto"``, ``"embree"``, ``"numpy"``), a
        precomputed (n_faces, n_directions) bool array, or a callable
        ``(face_indices, directions) -> Visibility | bool array``.
    n_cos_bins
        Nodes of the cos-θ table (see module docstring); None evaluates d_c directly at every
        (face, direction, speed) — exact, slow, for validation.
    impact_min_diameter_m
        Expected impacts count particles of at least this diameter [m].
    uncertainty
        Flux factor ranges by population name or kind (defaults in `breachkit.risk.uncertainty`).
    chunk_elements
        Approximate number of (face × direction) pairs contracted at once (bounds memory).
    visibility_chunk_elements
        Approximate number of (face × direction) pairs per visibility call (rounded to whole
        contraction chunks); two calls' booleans are held at once.
    description
        Free text carried into the result.
    kernels
        Inner loops of the contraction and of a named shadowing backend: ``"auto"``,
        ``"numba"`` or ``"numpy"`` (`breachkit._core.kernels`); the same answer either way, to
        rounding (sums taken in another order).
    ble_scatter
        Integrate each shield's fitted P(failure | d) = Φ((ln(d/d_c) − μ)/σ) instead of the
        step at d_c (shields with a ``perforation_scatter`` method, e.g. the presets of
        `breachkit.damage.get_shield`; others keep the step, noted in `validity_notes`). The step
        is the limit σ → 0, μ = 0. See docs/damage.md (probabilistic BLEs).
    """
    fs = faces if isinstance(faces, FaceSet) else FaceSet.from_surface(faces)
    nk = numba_kernels(kernels)
    wins = [windows] if isinstance(windows, ExposureWindow) else list(windows)
    if not wins:
        raise InputError("compute_risk: no exposure windows given")
    labels = [w.label for w in wins]
    if len(set(labels)) != len(labels):
        raise InputError(f"exposure windows: duplicate labels in {labels}")
    used = np.unique(fs.region_index)
    missing = [fs.region_names[i] for i in used if fs.region_names[i] not in shields]
    if missing:
        raise InputError(f"shields: region {missing[0]!r} has no shield")
    if not (math.isfinite(impact_min_diameter_m) and impact_min_diameter_m > 0):
        raise InputError(f"impact_min_diameter_m: {impact_min_diameter_m!r} must be > 0")
    if n_cos_bins is not None and n_cos_bins < 2:
        raise InputError(f"n_cos_bins: {n_cos_bins} must be >= 2 (or None for direct evaluation)")
    if attitude is not None and hasattr(attitude, "lvlh_to_body"):
        attitude = attitude.lvlh_to_body
    att = None if attitude is None else np.asarray(attitude, dtype=float)
    if att is not None and (
        att.shape != (3, 3) or not np.allclose(att @ att.T, np.eye(3), atol=1e-8)
    ):
        raise InputError("attitude: must be a 3x3 rotation matrix")

    region_shields: list[Shield] = [
        shields[r] if r in shields else _NoShield() for r in fs.region_names
    ]
    used_regions = [int(r) for r in used]
    faf = np.array([float(s.failure_area_fraction) for s in region_shields])
    if np.any(~(faf > 0) | (faf > 1)):
        raise InputError("shields: failure_area_fraction must lie in (0, 1]")

    # populations: global names in order of first appearance
    pop_names: list[str] = []
    pop_kinds: dict[str, str] = {}
    pop_sources: dict[str, str] = {}
    groups: dict[bytes, tuple[NDArray[np.float64], list[_Entry]]] = {}
    for w, win in enumerate(wins):
        for pop in win.environment:
            if pop.name not in pop_kinds:
                pop_names.append(pop.name)
                pop_kinds[pop.name] = pop.kind
                pop_sources[pop.name] = pop.source
            dirs = _body_directions(pop, att)
            key = _group_key(dirs)
            if key not in groups:
                groups[key] = (dirs, [])
            groups[key][1].append(_Entry(w, pop_names.index(pop.name), pop, win.duration_s))
            lo, hi = pop.size_range.low, pop.size_range.high
            if not (lo <= impact_min_diameter_m <= hi):
                raise InputError(
                    f"impact_min_diameter_m: {impact_min_diameter_m:g} m is outside the size table "
                    f"of population {pop.name} ({lo:g}..{hi:g} m)"
                )

    nf, nw, npop, nreg = len(fs), len(wins), len(pop_names), len(fs.region_names)
    impacts = np.zeros((nw, npop, nf))
    failures = np.zeros((nw, nf))
    fail_breakdown = np.zeros((nw, npop, nreg))
    unassessed = np.zeros((nw, npop, nreg))
    notes: set[str] = set()
    stats = _ShadowStats()
    vis_of = _visibility_provider(fs, visibility, stats, kernels)
    nodes = None if n_cos_bins is None else np.linspace(0.0, 1.0, n_cos_bins)
    n_dirs_total = 0

    # faces sharing a normal (to 1e-9) and a region form a group; sorted so groups are contiguous
    gkey = np.concatenate([np.round(fs.normals, 9), fs.region_index[:, None].astype(float)], axis=1)
    _, g_first, group = np.unique(gkey, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    g_normals = fs.normals[g_first]
    g_region = fs.region_index[g_first]
    # within a group, faces go along a Morton curve of their centroids: a ray tracer given
    # them in this order can keep it (coherent rays, no reordering pass)
    if fs.centroids is not None and nf:
        order = np.lexsort((morton_codes(fs.centroids), group)).astype(np.intp)
    else:
        order = np.argsort(group, kind="stable").astype(np.intp)

    try:
        for g, (dirs, entries) in enumerate(groups.values()):
            nd = dirs.shape[0]
            n_dirs_total = max(n_dirs_total, nd)
            # impacts: h[e, k] = T Σ_j F[k, j] S(d_min)
            h = np.stack(
                [
                    e.duration_s
                    * e.population.flux.sum(axis=1)
                    * float(e.population.size_fraction(impact_min_diameter_m))
                    for e in entries
                ]
            )  # (ne, nd)
            ktab = None
            if nodes is not None:
                m = nodes.size
                ktab = np.zeros((nw, nreg, m, nd))
                tables: dict[tuple[int, int], tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
                for ei, e in enumerate(entries):
                    s_min = float(e.population.size_fraction(impact_min_diameter_m))
                    by_shield: dict[int, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
                    for r in used_regions:
                        sid = id(region_shields[r])  # regions sharing a shield object share a table
                        if sid not in by_shield:
                            by_shield[sid] = _cos_table(
                                e.population,
                                region_shields[r],
                                nodes,
                                e.duration_s,
                                s_min,
                                notes,
                                ble_scatter,
                            )
                        t, u = by_shield[sid]
                        tables[(ei, r)] = (t, u)
                        ktab[e.window, r] += t
                hist = np.zeros(nreg * m * nd)
            chunk = max(1, int(chunk_elements // max(nd, 1)))
            # visibility comes in super-chunks of whole multiples of `chunk` (fewer, larger ray
            # casts); the next super-chunk is traced in a worker thread (ray casting releases the
            # GIL) while this one is contracted: at most two super-chunks are held at once
            vchunk = max(chunk, (visibility_chunk_elements // max(nd, 1)) // chunk * chunk)
            prefetch = ThreadPoolExecutor(max_workers=1)
            # each super-chunk's faces are asked for in the contraction's (group) order, so that a
            # chunk is a plain column slice of the direction-major result (no gather); the ray
            # tracer orders its rays itself
            pending = prefetch.submit(vis_of, order[0:vchunk], dirs, g) if nf else None
            big_t: NDArray[np.bool_] | None = None  # (nd, n_super) view, direction-major
            buf = np.empty(0)
            big_start = 0
            try:
                for start in range(0, nf, chunk):
                    idx = order[start : start + chunk]
                    if start % vchunk == 0:
                        assert pending is not None
                        big = pending.result()
                        big_t, big_start = (None if big is None else big.T), start
                        nxt = start + vchunk
                        pending = (
                            prefetch.submit(vis_of, order[nxt : nxt + vchunk], dirs, g)
                            if nxt < nf
                            else None
                        )
                    # (nd, nc) visibility of this chunk, or None (all visible)
                    xv = (
                        None
                        if big_t is None
                        else big_t[:, start - big_start : start - big_start + idx.size]
                    )
                    # faces of one group share (normal, region): c, the front mask and the table values.
                    # `group[idx]` is sorted, so each group is a contiguous run of rows.
                    gi = group[idx]
                    first = np.flatnonzero(np.r_[True, gi[1:] != gi[:-1]])
                    ug = gi[first]
                    counts = np.diff(np.r_[first, gi.size])
                    inv = np.repeat(np.arange(ug.size), counts)
                    cu = np.einsum("gc,jc->gj", g_normals[ug], dirs)  # (n_groups_in_chunk, nd)
                    area = fs.areas[idx]
                    reg = fs.region_index[idx]
                    ne = h.shape[0]
                    kc = None
                    fail_val: NDArray[np.float64] | None
                    front: NDArray[np.bool_] | None = None
                    # compiled path (large groups, cos-θ tables): right-hand sides, the visible
                    # sums per face and the breakdown histogram in one pass, no temporaries
                    compiled = (
                        nk is not None
                        and xv is not None
                        and ktab is not None
                        and nodes is not None
                        and counts.mean() >= 8
                    )
                    if compiled:
                        assert nk is not None and ktab is not None and big_t is not None
                        if not big_t.flags.c_contiguous:  # e.g. from a user's callable
                            big_t = np.ascontiguousarray(big_t)
                        val_t = np.zeros((nw + ne, idx.size))
                        nk.contract_chunk(
                            big_t,
                            start - big_start,
                            first.astype(np.int64),
                            counts.astype(np.int64),
                            np.ascontiguousarray(cu.T),
                            np.ascontiguousarray(g_region[ug], dtype=np.intp),
                            ktab,
                            h,
                            area,
                            _KERNEL_BLOCK,
                            val_t,
                            hist,
                        )
                        fail_val = val_t[:nw]
                        imp = val_t[nw:].T
                    else:
                        frontu = cu > 0.0
                        cvu = np.where(frontu, cu, 0.0)
                        if ktab is not None and nodes is not None:
                            m = nodes.size
                            regu = g_region[ug]
                            su = np.clip(cu, 0.0, 1.0) * (m - 1)
                            b = np.minimum(su.astype(np.intp), m - 2)
                            t = su - b
                            flat = (regu[:, None] * m + b) * nd + np.arange(nd)[None, :]
                            # table values per (window, group, direction)
                            kc = np.stack(
                                [
                                    (1.0 - t) * ktab[w].reshape(-1)[flat]
                                    + t * ktab[w].reshape(-1)[flat + nd]
                                    for w in range(nw)
                                ]
                            )
                        if counts.mean() >= 8:
                            # large groups: the rows of a group share their right-hand side (front mask,
                            # cos θ, table values), so each is one product with the group's visibility
                            # block, taken direction-major as the tracer returns it (no transpose)
                            val = np.empty((idx.size, nw + ne))
                            sa = np.empty((ug.size, nd))
                            fmask = frontu.astype(float)
                            if xv is not None and buf.size < nd * _BLOCK:
                                buf = np.empty(nd * _BLOCK)
                            # right-hand sides of all groups at once: (n_ug, nd, nw + ne), zero where the
                            # group faces away
                            rhs_all = np.concatenate(
                                [
                                    np.zeros((ug.size, nd, nw))
                                    if kc is None
                                    else kc.transpose(1, 2, 0),
                                    cvu[:, :, None] * h.T[None, :, :],
                                ],
                                axis=2,
                            )
                            rhs_all *= fmask[:, :, None]
                            if xv is None:
                                val = np.repeat(rhs_all.sum(axis=1), counts, axis=0)
                                sa = fmask * np.add.reduceat(area, first)[:, None]
                            for q in range(ug.size if xv is not None else 0):
                                assert xv is not None
                                r0, r1 = int(first[q]), int(first[q] + counts[q])
                                rhs = rhs_all[q]
                                sa[q] = 0.0
                                # only the directions the group faces contribute (about half)
                                dsel = np.flatnonzero(frontu[q])
                                if dsel.size == 0:
                                    val[r0:r1] = 0.0
                                    continue
                                nds = dsel.size
                                rhs_t = np.ascontiguousarray(rhs[dsel].T)  # (m, nds)
                                sa_q = np.zeros(nds)
                                # blocks of columns small enough to stay in cache between the products,
                                # converted into one reused buffer (a fresh array per block costs page
                                # faults). einsum, not `@`: these skinny products are memory-bound, and
                                # a threaded BLAS would spin on the cores the ray tracer is using
                                for c0 in range(r0, r1, _BLOCK):
                                    c1 = min(r1, c0 + _BLOCK)
                                    xf = buf[: nds * (c1 - c0)].reshape(nds, c1 - c0)
                                    np.copyto(xf, xv[dsel, c0:c1])
                                    val[c0:c1] = np.einsum("kj,jf->fk", rhs_t, xf)
                                    sa_q += np.einsum("jf,f->j", xf, area[c0:c1])
                                sa[q, dsel] = sa_q
                            fail_val = val[:, :nw].T
                            imp = val[:, nw:]
                        else:
                            fu = frontu[inv]
                            front = fu if xv is None else (xv.T & fu)
                            vf = front.astype(float)
                            imp = np.einsum("ij,ej->ie", vf * cvu[inv], h)
                            fail_val = (
                                np.stack([np.einsum("ik,ik->i", vf, kc[w][inv]) for w in range(nw)])
                                if kc is not None
                                else None
                            )
                            sa = np.add.reduceat(vf * area[:, None], first, axis=0)
                    imp = imp * area[:, None]  # (nc, ne)
                    for ei, e in enumerate(entries):
                        impacts[e.window, e.pop_index, idx] += imp[:, ei]
                    if (kc is not None or compiled) and fail_val is not None:
                        for w in range(nw):
                            failures[w, idx] += fail_val[w] * area * faf[reg]
                        # visible area per group and direction, for the per-population breakdown
                        # (scatter-add of this chunk's few entries: a full-size bincount per chunk
                        # would sweep the whole regions × nodes × directions histogram each time)
                        if not compiled:  # (the compiled pass has added its own)
                            np.add.at(hist, flat.ravel(), (sa * (1.0 - t)).ravel())
                            np.add.at(hist, (flat + nd).ravel(), (sa * t).ravel())
                    else:
                        if front is None:
                            fu = frontu[inv]
                            front = fu if xv is None else (xv.T & fu)
                        c = fs.normals[idx] @ dirs.T
                        cv = np.where(front, c, 0.0)
                        ang = np.where(front, np.arccos(np.clip(c, 0.0, 1.0)), 0.0)
                        for e in entries:
                            pop = e.population
                            per_face = np.zeros(idx.size)
                            for r in np.unique(reg):
                                sel = reg == r
                                frac, bad = _fraction_above_critical(
                                    pop,
                                    region_shields[r],
                                    pop.speed_m_s[None, None, :],
                                    ang[sel][:, :, None],
                                    notes,
                                    ble_scatter,
                                )
                                per_face[sel] = np.einsum(
                                    "ik,ikj,kj->i", cv[sel], frac, pop.flux
                                ) * (e.duration_s * faf[r])
                                if bad.any():
                                    s_min = float(pop.size_fraction(impact_min_diameter_m))
                                    ua = np.einsum(
                                        "ik,ikj,kj->i", cv[sel], bad.astype(float), pop.flux
                                    )
                                    unassessed[e.window, e.pop_index, r] += float(
                                        (ua * area[sel]).sum() * e.duration_s * s_min
                                    )
                            per_face *= area
                            failures[e.window, idx] += per_face
                            np.add.at(fail_breakdown[e.window, e.pop_index], reg, per_face)
            finally:
                prefetch.shutdown(wait=True, cancel_futures=True)
            if ktab is not None and nodes is not None:
                hw = hist.reshape(nreg, nodes.size, nd)
                for (ei, r), (t, u) in tables.items():
                    e = entries[ei]
                    fail_breakdown[e.window, e.pop_index, r] += faf[r] * float((hw[r] * t).sum())
                    unassessed[e.window, e.pop_index, r] += float((hw[r] * u).sum())
    finally:
        for close in stats.closers:
            close()

    imp_breakdown = np.zeros((nw, npop, nreg))
    for w in range(nw):
        for p in range(npop):
            imp_breakdown[w, p] = np.bincount(
                fs.region_index, weights=impacts[w, p], minlength=nreg
            )

    factors = [factor_for(n, pop_kinds[n], uncertainty) for n in pop_names]
    results = []
    for w, win in enumerate(wins):
        by_pop = fail_breakdown[w].sum(axis=1)
        lo = float(sum(f.low * n for f, n in zip(factors, by_pop, strict=True)))
        hi = float(sum(f.high * n for f, n in zip(factors, by_pop, strict=True)))
        results.append(
            WindowResult(
                label=win.label,
                start=win.start,
                end=win.end,
                duration_s=win.duration_s,
                face_impacts=impacts[w].sum(axis=0),
                face_failures=failures[w],
                face_impacts_by_population=impacts[w],
                failures_by_population_region=fail_breakdown[w],
                impacts_by_population_region=imp_breakdown[w],
                interval=(lo, hi),
                unassessed_impacts_by_population_region=unassessed[w],
            )
        )
    return RiskResult(
        windows=tuple(results),
        population_names=tuple(pop_names),
        population_kinds=tuple(pop_kinds[n] for n in pop_names),
        population_sources=tuple(pop_sources[n] for n in pop_names),
        region_names=fs.region_names,
        region_shields=tuple(getattr(s, "name", type(s).__name__) for s in region_shields),
        faces=fs,
        impact_min_diameter_m=impact_min_diameter_m,
        n_cos_bins=n_cos_bins,
        n_directions=n_dirs_total,
        uncertainty_factors=tuple(factors),
        rays_traced=stats.rays_traced,
        rays_skipped=stats.rays_skipped,
        shadowing=",".join(sorted(stats.backends)),
        description=description,
        validity_notes=tuple(sorted(notes)),
        attitude=att,
        shields=dict(shields),
    )


class _NoShield:
    """Placeholder for a region with no faces and no shield (contributes nothing)."""

    name = "none"
    source = ""
    assumptions: list[str] = []  # noqa: RUF012
    failure_area_fraction = 1.0

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike, projectile_density_kg_m3: ArrayLike
    ) -> NDArray[np.float64]:
        return np.full(np.broadcast(speed_m_s, angle_rad).shape, np.inf)
