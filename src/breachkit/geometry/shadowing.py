"""Shadowing: for each face and each flux direction, is the way in blocked by other geometry?

Method
------
For face i (centroid c_i, outward normal n_i) and direction u (unit vector **towards the
source**), particles from u reach the face's front side only if the ray ``c_i + ε n_i + t u``,
t > 0, meets no triangle of the model. ε (`offset_m`) lifts the origin off the face so that the
face itself and its neighbours are not hit through rounding.

Two kinds of (face, direction) pairs are decided without tracing and reported as skipped:

* **back faces**: n_i·u ≤ 0. No particle from u strikes the front of the face (the risk
  integrand max(0, n·u) is zero there). `visible` is **False** for them: "no flux arrives on the
  exposed side", which is what a risk contraction needs; `Visibility.front` tells them apart from
  faces that are front-facing but blocked.
* **hull proof**: let H be the convex hull of all the model's vertices, and let the face's ray
  origin p lie on the boundary of H, in the supporting plane of a hull facet with outward unit
  normal m (m·x ≤ h for every point x of the model, m·p = h). If m·u > 0, then every point of the
  ray p + t u with t > 0 has m·x = h + t m·u > h, i.e. lies strictly outside H, so the ray cannot
  meet any part of the model: the pair is unblocked. The proof needs only that (i) the hull is of
  **all** geometry that can block (the whole model, not the selected faces), (ii) p is on the
  plane (we accept |m·p − h| ≤ 1e-9 × model size, far below `offset_m`), and (iii) m·u > 0
  strictly. It holds for any face with its origin on the hull, whatever its own normal; a face
  lying on the hull but facing inward (n = −m) is never skipped by it because n·u > 0 implies
  m·u < 0. For a flat (coplanar) model every ray leaving the plane is unblocked.

Backends
--------
* ``"embree"``: Intel Embree through `embreex` (occlusion queries, float32), scene built once,
  ray origins ordered by point class and along a Morton (Z-order) curve within each class so
  that consecutive rays are coherent (this changes no result and speeds Embree's traversal
  markedly), rays cast direction by direction from one contiguous float32 origin array (the direction passed once per
  call), on `threads` threads (embreex releases the GIL), each thread building, casting and
  writing back whole directions. The n·u > 0 test is made once per point class (distinct
  float32 normal, see `RayPlan`), the hull proof once per hull point, both shared by both
  backends.
* ``"numpy"``: exact pure-numpy fallback. For each direction u, every triangle and every ray
  origin is projected orthographically onto the plane ⟂ u; a ray is blocked iff its projected
  origin lies inside a projected triangle whose depth along u at that point exceeds the origin's
  (the same test as Möller–Trumbore, written in the projection plane). Candidates come from a
  uniform 2-D grid over the projected origins, so the cost is about O(faces + candidates) per
  direction; work is chunked to bound memory.

Fractional visibility: with ``samples_per_face = k > 1`` each face is sampled at k fixed interior
points (a deterministic barycentric lattice), `fraction` holds the unblocked fraction and
`visible` is ``fraction ≥ 0.5``.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.kernels import numba_kernels
from breachkit._core.spatial import morton_codes
from breachkit.geometry.surface import SurfaceModel

__all__ = [
    "EmbreeScene",
    "RayPlan",
    "Visibility",
    "embree_available",
    "hull_support",
    "plan_rays",
    "sample_points",
    "visibility",
]

_HULL_TOL = 1e-9
_ROW12 = np.dtype((np.void, 12))  # one float32 (x, y, z) row as a single record


@dataclass(frozen=True, eq=False)
class Visibility:
    """Result of `visibility`.

    Attributes
    ----------
    visible
        (n_sel, nd) bool: True where the face's front side is reached from direction j unblocked.
        False for back faces (n·u ≤ 0) and for blocked rays. It is the transpose view of a
        direction-major array (Fortran-ordered); ``np.ascontiguousarray`` it if a C-ordered copy
        is needed.
    faces
        (n_sel,) indices of the selected faces in the model.
    directions
        (nd, 3) unit directions towards the source, in the model's frame.
    rays_traced, rays_skipped_backface, rays_skipped_hull
        Ray counts (each sample point counts once per direction).
    backend
        ``"embree"`` or ``"numpy"``.
    wall_s
        Wall-clock time of the call [s].
    fraction
        (n_sel, nd) unblocked fraction of sample points, or None when one point per face.
    front_table, face_group
        (nd, n_groups) n·u > 0 per distinct face normal, and each selected face's normal group;
        `front` expands them.
    """

    visible: NDArray[np.bool_]
    faces: NDArray[np.int64]
    directions: NDArray[np.float64]
    rays_traced: int
    rays_skipped_backface: int
    rays_skipped_hull: int
    backend: str
    wall_s: float
    fraction: NDArray[np.float64] | None = field(repr=False, default=None)
    front_table: NDArray[np.bool_] = field(
        repr=False, default_factory=lambda: np.zeros((0, 0), bool)
    )
    face_group: NDArray[np.intp] = field(repr=False, default_factory=lambda: np.zeros(0, np.intp))

    @property
    def front(self) -> NDArray[np.bool_]:
        """(n_sel, nd) bool: n·u > 0 (the face's front side faces the source), as decided by
        the run (float32, per distinct normal)."""
        return self.front_table[:, self.face_group].T

    @property
    def rays_skipped(self) -> int:
        """Rays decided without tracing (back faces + hull proof)."""
        return self.rays_skipped_backface + self.rays_skipped_hull

    def to_dict(self) -> dict[str, Any]:
        """Counts and timing (not the matrix)."""
        return {
            "faces": int(self.faces.size),
            "directions": int(self.directions.shape[0]),
            "rays_traced": self.rays_traced,
            "rays_skipped": self.rays_skipped,
            "rays_skipped_backface": self.rays_skipped_backface,
            "rays_skipped_hull": self.rays_skipped_hull,
            "backend": self.backend,
            "wall_s": self.wall_s,
            "visible_fraction_of_front": float(self.visible.sum() / max(int(self.front.sum()), 1)),
        }

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in self.to_dict().items())
        return f"<table><tr><th>Visibility</th><th></th></tr>{rows}</table>"

    def __rich__(self) -> object:
        from rich.table import Table

        t = Table(title="Visibility")
        t.add_column("quantity")
        t.add_column("value", justify="right")
        for k, v in self.to_dict().items():
            t.add_row(k, str(v))
        return t


def embree_available() -> bool:
    """True when embreex can be imported."""
    try:
        import embreex.rtcore_scene  # noqa: F401
    except ImportError:
        return False
    return True


class EmbreeScene:
    """An embreex scene of a model's triangles (float32), built once, cast from many threads.

    Parameters
    ----------
    model
        The geometry to cast against.
    threads
        Number of threads that cast rays in parallel (default: number of CPUs).
    """

    def __init__(self, model: SurfaceModel, threads: int | None = None) -> None:
        try:
            from embreex import rtcore_scene
            from embreex.mesh_construction import TriangleMesh
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "the embree backend needs embreex: pip install 'breachkit[geometry]'"
            ) from exc
        self.scene = rtcore_scene.EmbreeScene()
        self._mesh = TriangleMesh(
            scene=self.scene,
            vertices=np.ascontiguousarray(model.vertices, dtype=np.float32),
            indices=np.ascontiguousarray(model.faces, dtype=np.int32),
        )
        self.threads = max(1, int(threads or os.cpu_count() or 1))
        self._pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        self._model = model
        self._direct: Any = None
        self._direct_lock = threading.Lock()

    def direct(self) -> Any:
        """The same triangles in a scene of this module's own Embree binding
        (`breachkit.geometry._embree_direct.DirectScene`), built on first use, for the compiled
        ray kernels; None when that binding cannot load the library."""
        from breachkit.geometry import _embree_direct

        with self._direct_lock:
            if self._direct is None:
                self._direct = False  # not loadable, or the build failed: embreex's path
                if _embree_direct.load() is not None:
                    try:
                        self._direct = _embree_direct.DirectScene(
                            self._model.vertices, self._model.faces
                        )
                    except RuntimeError:
                        pass
            return self._direct or None

    def occluded(
        self, origins: NDArray[np.float32], directions: NDArray[np.float32]
    ) -> NDArray[np.bool_]:
        """(n,) True where the ray from each origin along each direction hits a triangle (t > 0)."""
        n = origins.shape[0]
        if n == 0:
            return np.zeros(0, dtype=bool)
        if self._pool is None or n < 4096:
            return np.asarray(self.scene.run(origins, directions, query="OCCLUDED")) != -1
        bounds = np.linspace(0, n, self.threads + 1).astype(int)
        out = np.empty(n, dtype=bool)

        def work(k: int) -> None:
            a, b = bounds[k], bounds[k + 1]
            out[a:b] = (
                np.asarray(self.scene.run(origins[a:b], directions[a:b], query="OCCLUDED")) != -1
            )

        list(self._pool.map(work, range(self.threads)))
        return out

    def occluded_along(
        self, origins: NDArray[np.float32], direction: NDArray[np.float32]
    ) -> NDArray[np.bool_]:
        """(n,) True where the ray from each origin along the one `direction` hits a triangle.

        One embreex call on the calling thread (the direction is passed once, as a (1, 3)
        array, which embreex applies to every ray).
        """
        if origins.shape[0] == 0:
            return np.zeros(0, dtype=bool)
        d = np.ascontiguousarray(np.reshape(direction, (1, 3)), dtype=np.float32)
        return np.asarray(self.scene.run(origins, d, query="OCCLUDED")) != -1

    def map_ranges(self, fn: Callable[[range], None], n: int, per_task: int = 4) -> None:
        """Call ``fn(range)`` over 0..n in tasks of `per_task` items on the scene's threads."""
        tasks = [range(a, min(n, a + per_task)) for a in range(0, n, per_task)]
        if self._pool is None:
            for t in tasks:
                fn(t)
        else:
            for _ in self._pool.map(fn, tasks):
                pass

    def close(self) -> None:
        """Shut the thread pool down and release the compiled kernels' scene."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        with self._direct_lock:
            if self._direct:
                self._direct.close()
            self._direct = None

    def __enter__(self) -> EmbreeScene:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sample_points(model: SurfaceModel, faces: NDArray[np.int64], k: int) -> NDArray[np.float64]:
    """(len(faces), k, 3) sample points on each face [m]: the centroid for k=1, else a lattice.

    The k points are the centres of a regular subdivision of the triangle (k must be a square
    number m², giving the m² congruent sub-triangles' centroids), so each stands for 1/k of the
    face area.
    """
    tri = model.triangles[faces]
    if k == 1:
        return tri.mean(axis=1)[:, None, :]
    m = round(np.sqrt(k))
    if m * m != k:
        raise InputError(f"samples_per_face: {k} is not a square number (1, 4, 9, 16, ...)")
    bary = []
    for i in range(m):
        for j in range(m - i):
            # upward sub-triangle (i, j)
            bary.append(((i + 1 / 3) / m, (j + 1 / 3) / m))
            if i + j < m - 1:
                bary.append(((i + 2 / 3) / m, (j + 2 / 3) / m))
    b = np.array(bary)
    w = np.stack([1 - b[:, 0] - b[:, 1], b[:, 0], b[:, 1]], axis=1)  # (k, 3)
    return np.einsum("kc,fcd->fkd", w, tri)


_HULLS: weakref.WeakKeyDictionary[SurfaceModel, tuple[str, Any, Any]] = weakref.WeakKeyDictionary()


def _hull_planes(
    model: SurfaceModel,
) -> tuple[str, NDArray[np.float64], NDArray[np.float64]]:
    """(kind, (n, 3) outward unit normals m, (n,) offsets b) of the model's convex hull planes
    (m·x + b ≤ 0 inside; coplanar hull triangles merged), or of its plane when it is flat.

    Memoised per model object (a model is immutable): the engine asks for the same model's
    hull once per visibility call.
    """
    hit = _HULLS.get(model)
    if hit is not None:
        return hit
    from scipy.spatial import ConvexHull, QhullError

    pts = model.vertices[np.unique(model.faces)]
    res: tuple[str, Any, Any]
    tol = _HULL_TOL * max(model.scale, 1e-300)
    if pts.shape[0] < 3:
        res = ("none", np.zeros((0, 3)), np.zeros(0))
    else:
        mean = pts.mean(axis=0)
        _, s, vt = np.linalg.svd(pts - mean, full_matrices=False)
        if s[-1] <= tol:
            res = ("planar", vt[-1][None, :], np.array([-(vt[-1] @ mean)]))
        else:
            try:
                hull = ConvexHull(pts)
            except QhullError:  # pragma: no cover - degenerate input caught above
                res = ("none", np.zeros((0, 3)), np.zeros(0))
            else:
                eq = np.unique(np.round(hull.equations / tol) * tol, axis=0)
                m, b = eq[:, :3].copy(), eq[:, 3].copy()
                m /= np.linalg.norm(m, axis=1, keepdims=True)
                res = ("hull", m, b)
    _HULLS[model] = res
    return res


def hull_support(
    model: SurfaceModel,
    points: NDArray[np.float64],
    normals: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.float64], str]:
    """Outward normal of a hull supporting plane through each point, or zeros if none.

    Returns ((n, 3) normals, kind) with kind ``"hull"``, ``"planar"`` (model flat: the normal
    is the plane normal and both sides count) or ``"none"`` (no hull could be built).

    With `normals` ((n, 3), the normal of the face each point lies on), a point is tested only
    against the hull planes nearly parallel to its face (|m·n| > 0.999): a face whose centroid
    lies on a hull plane lies wholly in it (its vertices are all on the inner side, their mean on
    the plane), so other planes cannot hold it. A point missed this way (only a face tilted
    out of its hull plane by more than the tolerance allows) is simply traced, never wrongly
    skipped.
    """
    out = np.zeros_like(points)
    kind, m, b = _hull_planes(model)
    tol = _HULL_TOL * max(model.scale, 1e-300)
    if kind == "none":
        return out, "none"
    if kind == "planar":
        on = np.abs(points @ m[0] + b[0]) <= tol
        out[on] = m[0]
        return out, "planar"
    if normals is not None:
        gn, gid = _unique_rows32(normals)
        cand = np.abs(gn.astype(np.float64) @ m.T) > 0.999  # (n_normal_groups, n_planes)
        if not cand.any():
            return out, "hull"
        order = np.argsort(gid, kind="stable")
        starts = np.searchsorted(gid[order], np.arange(gn.shape[0] + 1))
        best = np.full(points.shape[0], -np.inf)
        for g, f in zip(*np.nonzero(cand), strict=True):
            idx = order[starts[g] : starts[g + 1]]
            d = points[idx] @ m[f] + b[f]
            better = (d >= -tol) & (d > best[idx])
            best[idx[better]] = d[better]
            out[idx[better]] = m[f]
        return out, "hull"
    step = 65536
    for a in range(0, points.shape[0], step):
        d = points[a : a + step] @ m.T + b
        on = np.nonzero(d.max(axis=1) >= -tol)[0]
        if on.size:
            out[a + on] = m[np.argmax(d[on], axis=1)]
    return out, "hull"


def _unit_directions(directions: ArrayLike) -> NDArray[np.float64]:
    u = np.asarray(directions, dtype=float)
    if u.ndim == 1 and u.shape == (3,):
        u = u[None, :]
    if u.ndim != 2 or u.shape[1] != 3:
        raise InputError(f"directions: shape {u.shape} is not (nd, 3)")
    n = np.linalg.norm(u, axis=1)
    if not np.all(np.isfinite(n)) or np.any(n == 0):
        raise InputError("directions: NaN, infinite or zero vectors")
    return u / n[:, None]


def _select(model: SurfaceModel, faces: ArrayLike | None) -> NDArray[np.int64]:
    if faces is None:
        return np.arange(model.n_faces, dtype=np.int64)
    f = np.asarray(faces)
    if f.dtype == bool:
        if f.shape != (model.n_faces,):
            raise InputError(
                f"faces: boolean mask of shape {f.shape}, model has {model.n_faces} faces"
            )
        return np.nonzero(f)[0].astype(np.int64)
    f = f.astype(np.int64).reshape(-1)
    if f.size and (f.min() < 0 or f.max() >= model.n_faces):
        raise InputError("faces: an index is out of range")
    return f


def _dir_chunks(nd: int, width: int, max_pairs: int) -> Iterator[slice]:
    step = max(1, max_pairs // max(width, 1))
    for a in range(0, nd, step):
        yield slice(a, min(nd, a + step))


def visibility(
    model: SurfaceModel,
    directions: ArrayLike,
    *,
    backend: str = "auto",
    faces: ArrayLike | None = None,
    offset_m: float | None = None,
    use_hull: bool = True,
    samples_per_face: int = 1,
    threads: int | None = None,
    max_rays_per_batch: int = 4_000_000,
    scene: EmbreeScene | None = None,
    keep_order: bool = False,
    kernels: str = "auto",
) -> Visibility:
    """Which (face, direction) pairs see the source unblocked (see the module docstring).

    Parameters
    ----------
    model
        The whole geometry (everything that can block), in the frame of `directions`.
    directions
        (nd, 3) unit vectors towards the source [-] (normalised here).
    backend
        ``"auto"`` (Embree when embreex is installed, else numpy), ``"embree"`` or ``"numpy"``.
    faces
        Indices (or a boolean mask) of the faces to evaluate; all faces by default. Every face of
        the model still blocks.
    offset_m
        Lift of each ray origin along its face normal [m]; default 1e-5 × the model's
        bounding-box diagonal (at least 1 µm).
    use_hull
        Skip the rays proven unblocked by the convex hull.
    samples_per_face
        Sample points per face (a square number); > 1 fills `Visibility.fraction`.
    threads
        Embree threads (default: all CPUs; the scene's own when `scene` is given).
    max_rays_per_batch
        Memory bound: (point class or hull point × direction) table entries and numpy-backend
        candidate pairs held at once.
    scene
        A prebuilt `EmbreeScene` of `model` to reuse.
    keep_order
        Trace the faces in the order given (see `plan_rays`) instead of reordering them: for a
        caller whose order is already spatially coherent; saves the pass that puts each
        direction's result back in the caller's order.
    kernels
        Per-direction ray bookkeeping of the Embree backend: ``"auto"``, ``"numba"`` or
        ``"numpy"`` (see `breachkit._core.kernels`); the same rays and the same answer.

    Notes
    -----
    Work is done direction by direction. The points are grouped in classes that share a
    float32 normal (`plan_rays`), so the back-face test is decided once per (class, direction),
    and the hull proof is applied to the few points on the hull; the rays of one direction are
    then gathered from one contiguous, class-then-Morton-ordered origin array (or the caller's
    order, with `keep_order`). With the Embree backend, each worker thread builds, casts (one
    direction shared by all rays of the call) and writes back whole directions, so the
    bookkeeping runs in parallel with, not between, the casts.
    """
    t0 = time.perf_counter()
    u = _unit_directions(directions)
    sel = _select(model, faces)
    if backend == "auto":
        backend = "embree" if embree_available() else "numpy"
    if backend not in ("embree", "numpy"):
        raise InputError(f"backend: {backend!r} is not one of auto, embree, numpy")
    k = int(samples_per_face)
    if k < 1:
        raise InputError(f"samples_per_face: {k} must be >= 1")
    if offset_m is None:
        offset_m = max(1e-5 * model.scale, 1e-6)
    if not np.isfinite(offset_m) or offset_m < 0:
        raise InputError(f"offset_m: {offset_m} must be finite and >= 0")

    n_sel, nd = sel.size, u.shape[0]
    plan = plan_rays(
        model,
        sel,
        offset_m=offset_m,
        use_hull=use_hull,
        samples_per_face=k,
        keep_order=keep_order,
    )
    n_pts = plan.n_points
    front_tab = plan.front_table(u)
    # direction-major result in the caller's point order: row j = direction j
    hit_free = np.empty((nd, n_pts), dtype=bool)
    es: EmbreeScene | None = None
    own_scene = False
    if backend == "embree" and n_pts:
        es = scene if scene is not None else EmbreeScene(model, threads)
        own_scene = scene is None
    np_ctx = _NumpyCaster(model) if backend == "numpy" else None
    nk = numba_kernels(kernels) if es is not None else None
    # with the compiled kernels, rays go to Embree without returning to Python
    direct = es.direct() if (nk is not None and es is not None) else None
    local = threading.local()  # per-thread ray buffers of the compiled path
    origins_flat = plan.origins32.reshape(-1)
    u32 = np.ascontiguousarray(u, dtype=np.float32)
    try:
        n_front_j = np.zeros(nd, dtype=np.int64)
        n_traced_j = np.zeros(nd, dtype=np.int64)
        # per chunk of directions: (directions × classes) and (directions × hull points) tables
        width = max(plan.n_classes, int(plan.hull_points.size))
        for sl in _dir_chunks(nd, width, max_rays_per_batch):
            # the per-class table is only needed by the numpy bookkeeping
            front_c = plan.class_front(front_tab[sl]) if nk is None else None
            proven_c = plan.hull_proven_table(u32[sl]) if direct is not None else None
            n_front_j[sl] = front_tab[sl].astype(np.int64) @ plan.group_sizes

            def work_compiled(js: range, sl: slice = sl, front_c: Any = front_c) -> None:
                # one pass per direction over the classes: front flags, traced origins and
                # their slots into this thread's buffers; one pass back over the traced rays
                assert nk is not None and es is not None
                bufs = getattr(local, "bufs", None)
                if bufs is None:
                    bufs = local.bufs = (
                        np.empty(3 * n_pts, dtype=np.float32),
                        np.empty(n_pts, dtype=np.int64),
                        np.empty(n_pts, dtype=bool),
                    )
                org, slot, scratch = bufs
                for jl in js:
                    j = sl.start + jl
                    row = hit_free[j] if plan.identity else scratch
                    n = nk.gather_direction(
                        front_tab[j],
                        plan.class_group,
                        plan.class_start,
                        plan.hull_points,
                        plan.hull_proven(u32[j]),
                        origins_flat,
                        row,
                        org,
                        slot,
                    )
                    n_traced_j[j] = n
                    if n:
                        ids = es.scene.run(
                            org[: 3 * n].reshape(n, 3), u32[j : j + 1], query="OCCLUDED"
                        )
                        nk.scatter_unblocked(row, slot[:n], np.asarray(ids))
                    if not plan.identity:
                        np.take(row, plan.unperm, out=hit_free[j], mode="clip")

            def work_direct(js: range, sl: slice = sl, proven: Any = proven_c) -> None:
                # whole directions set up, cast and written back in one compiled call
                assert nk is not None and direct is not None
                nk.cast_directions(
                    direct.occluded1,
                    direct.handle,
                    sl.start + js.start,
                    sl.start + js.stop,
                    sl.start,
                    front_tab,
                    plan.class_group,
                    plan.class_start,
                    plan.hull_points,
                    proven,
                    plan.origins32,
                    u32,
                    plan.perm,
                    plan.identity,
                    hit_free,
                    n_traced_j,
                )

            def work(js: range, sl: slice = sl, front_c: Any = front_c) -> None:
                for jl in js:
                    j = sl.start + jl
                    if plan.identity:  # write straight into the result row
                        row = hit_free[j]
                        row[...] = plan.expand(front_c[jl])
                    else:
                        row = plan.expand(front_c[jl])
                    mask = plan.traced_mask(row, u32[j])
                    n = int(np.count_nonzero(mask))
                    n_traced_j[j] = n
                    if n:
                        if es is not None:
                            # unblocked where embree reports no geometry hit (-1)
                            ids = es.scene.run(
                                plan.take_origins32(mask), u32[j : j + 1], query="OCCLUDED"
                            )
                            row[mask] = np.asarray(ids) == -1
                        else:
                            assert np_ctx is not None
                            occ = np_ctx.one_direction(plan.origins[mask], u[j], max_rays_per_batch)
                            row[mask] = ~occ
                    if not plan.identity:
                        np.take(row, plan.unperm, out=hit_free[j], mode="clip")  # (no buffering)

            ndc = sl.stop - sl.start
            if es is not None:
                fn = work if nk is None else (work_compiled if direct is None else work_direct)
                es.map_ranges(fn, ndc)
            else:
                work(range(ndc))
        n_front = int(n_front_j.sum())
        traced = int(n_traced_j.sum())
    finally:
        if own_scene and es is not None:
            es.close()

    visible: NDArray[np.bool_]
    fraction: NDArray[np.float64] | None
    if k == 1:
        visible = hit_free.T
        fraction = None
    else:
        fraction = hit_free.reshape(nd, n_sel, k).mean(axis=2).T
        visible = cast(NDArray[np.bool_], fraction >= 0.5)
    return Visibility(
        visible=visible,
        faces=sel,
        directions=u,
        rays_traced=traced,
        rays_skipped_backface=nd * n_pts - n_front,
        rays_skipped_hull=n_front - traced,
        backend=backend,
        wall_s=time.perf_counter() - t0,
        fraction=fraction,
        front_table=front_tab,
        face_group=plan.group_caller[::k],
    )


@dataclass(frozen=True, eq=False)
class RayPlan:
    """The ray origins of a visibility run, in traversal order.

    The points are sorted by **class** — a distinct float32 face normal — and along a Morton curve
    within each class (with `plan_rays` keep_order: the caller's order, classes being its runs of
    equal normal). Every point of a class has the same back-face test for a given direction, so
    it is decided per (class, direction); the hull proof is then applied to the few points that
    lie on the hull. The rays of a direction are taken in this order (spatially coherent, which
    speeds Embree's traversal).

    Attributes
    ----------
    identity
        The traversal order is the caller's (``perm`` is the identity; `plan_rays` keep_order).
    origins, origins32
        (n_points, 3) ray origins [m] (float64 and float32), point i lifted by `offset_m` along
        its face normal.
    planar
        The model is flat (hull normals count in both directions).
    perm
        (n_points,) the caller's point index (face-major, then sample) of each traversal slot.
    group_caller
        (n_points,) index of each point's distinct float32 normal, in the caller's order.
    group_normals
        (n_groups, 3) float32 distinct normals.
    class_start
        (n_classes + 1,) first traversal slot of each class (classes are contiguous).
    class_group
        (n_classes,) the normal group of each class.
    hull_points
        (n_hull,) traversal slots of the points that lie on a hull supporting plane.
    hull_normals
        (n_hull, 3) float32 outward normal of that plane.
    """

    identity: bool
    origins: NDArray[np.float64]
    origins32: NDArray[np.float32]
    planar: bool
    perm: NDArray[np.int64]
    group_caller: NDArray[np.intp]
    group_normals: NDArray[np.float32]
    class_start: NDArray[np.int64]
    class_group: NDArray[np.intp]
    hull_points: NDArray[np.intp]
    hull_normals: NDArray[np.float32]

    @cached_property
    def origins_rows(self) -> NDArray[np.void]:
        """`origins32` viewed as one 12-byte record per point."""
        return self.origins32.view(_ROW12).reshape(-1)

    @cached_property
    def class_sizes(self) -> NDArray[np.int64]:
        """(n_classes,) points per class."""
        return np.diff(self.class_start)

    @cached_property
    def group_sizes(self) -> NDArray[np.int64]:
        """(n_groups,) points per distinct normal."""
        sizes = np.zeros(self.group_normals.shape[0], dtype=np.int64)
        np.add.at(sizes, self.class_group, self.class_sizes)
        return sizes

    @cached_property
    def unperm(self) -> NDArray[np.intp]:
        """(n_points,) traversal slot of each caller point (inverse of `perm`)."""
        out = np.empty(self.n_points, dtype=np.intp)
        out[self.perm] = np.arange(self.n_points)
        return out

    @property
    def n_points(self) -> int:
        return int(self.origins.shape[0])

    @property
    def n_classes(self) -> int:
        return int(self.class_group.size)

    def front_table(self, directions: NDArray[np.float64]) -> NDArray[np.bool_]:
        """(nd, n_groups) n·u > 0 for each direction and distinct normal (float32)."""
        u32 = np.ascontiguousarray(directions, dtype=np.float32)
        return np.ascontiguousarray((u32 @ self.group_normals.T) > 0)

    def class_front(self, front_table: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """(nd, n_classes) n·u > 0 per class, from `front_table` ((nd, n_groups))."""
        return np.take(front_table, self.class_group, axis=1)

    def hull_proven(self, u32: NDArray[np.float32]) -> NDArray[np.bool_]:
        """(n_hull,) for each of `hull_points`: its ray along `u32` is proven unblocked."""
        return self.hull_proven_table(np.reshape(u32, (1, 3)))[0]

    def hull_proven_table(self, u32: NDArray[np.float32]) -> NDArray[np.bool_]:
        """(nd, n_hull) `hull_proven` for each row of `u32` ((nd, 3) float32).

        m·u is summed elementwise in float32 (no BLAS), so that every caller gets the same bits
        for the same pair whatever the batch.
        """
        hn = self.hull_normals
        u = np.asarray(u32, dtype=np.float32)
        sd = hn[None, :, 0] * u[:, 0, None]
        sd += hn[None, :, 1] * u[:, 1, None]
        sd += hn[None, :, 2] * u[:, 2, None]
        return np.ascontiguousarray((sd != 0) if self.planar else (sd > 0))

    def traced_mask(self, front: NDArray[np.bool_], u32: NDArray[np.float32]) -> NDArray[np.bool_]:
        """(n_points,) the points traced along direction `u32`: front-facing (`front`, traversal
        order) and not proven unblocked by the hull (a copy; `front` is not changed)."""
        mask = front.copy()
        if self.hull_points.size:
            mask[self.hull_points[self.hull_proven(u32)]] = False
        return mask

    def expand(self, per_class: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """(n_points,) per-point copy (traversal order) of a (n_classes,) per-class flag."""
        return np.repeat(per_class, self.class_sizes)

    def take_origins32(self, mask: NDArray[np.bool_]) -> NDArray[np.float32]:
        """(n, 3) contiguous float32 origins of the points where `mask` (traversal order)."""
        return self.origins_rows[mask].view(np.float32).reshape(-1, 3)

    def direction_rays(
        self, directions: NDArray[np.float64], max_pairs: int = 4_000_000
    ) -> Iterator[tuple[int, NDArray[np.bool_], NDArray[np.float32]]]:
        """(j, traced mask, float32 origins) of the rays `visibility` traces along direction j.

        The mask is over points in traversal order; the origins are those points' origins, in
        that order. Public so that a benchmark can cast exactly the same rays through a bare
        kernel.
        """
        u32 = np.ascontiguousarray(directions, dtype=np.float32)
        ftab = self.front_table(directions)
        for sl in _dir_chunks(u32.shape[0], self.n_classes, max_pairs):
            front_c = self.class_front(ftab[sl])
            for jl in range(sl.stop - sl.start):
                mask = self.traced_mask(self.expand(front_c[jl]), u32[sl.start + jl])
                if mask.any():
                    yield sl.start + jl, mask, self.take_origins32(mask)


def _unique_rows32(a: NDArray[np.float64]) -> tuple[NDArray[np.float32], NDArray[np.intp]]:
    """Distinct float32 rows of an (n, 3) array (bitwise; −0 and +0 differ) and each row's index.

    A lexsort of the rows' bit patterns: several times faster than ``np.unique(axis=0)``.
    """
    a32 = np.ascontiguousarray(a, dtype=np.float32)
    if a32.shape[0] == 0:
        return a32[:0], np.zeros(0, dtype=np.intp)
    bits = a32.view(np.uint32)
    order = np.lexsort((bits[:, 2], bits[:, 1], bits[:, 0]))
    b = bits[order]
    new = np.r_[True, np.any(b[1:] != b[:-1], axis=1)]
    inv = np.empty(a32.shape[0], dtype=np.intp)
    inv[order] = np.cumsum(new) - 1
    return np.ascontiguousarray(a32[order[new]]), inv


def plan_rays(
    model: SurfaceModel,
    faces: NDArray[np.int64],
    *,
    offset_m: float,
    use_hull: bool = True,
    samples_per_face: int = 1,
    keep_order: bool = False,
) -> RayPlan:
    """Sample points, lifted origins and hull supports of the selected faces, class-then-Morton
    ordered (see `RayPlan`). The order changes no result.

    With `keep_order` the caller's order is kept (``perm`` is the identity) and the classes are
    the runs of equal (normal, hull plane) in it: for a caller that has already ordered its
    faces coherently (e.g. by normal, then along a Morton curve) and wants the result without
    a reordering pass.
    """
    k = samples_per_face
    pts = sample_points(model, faces, k).reshape(-1, 3)
    nrm = np.repeat(model.normals[faces], k, axis=0)
    if use_hull and pts.shape[0]:
        support, kind = hull_support(model, pts, nrm)
        planar = kind == "planar"
    else:
        support, planar = np.zeros_like(pts), False
    # faces of a refined or flat-panelled model share few distinct normals
    gn, group = _unique_rows32(nrm)
    if keep_order:
        perm = np.arange(pts.shape[0], dtype=np.int64)
    else:
        perm = np.lexsort((morton_codes(pts), group)).astype(np.int64)
    pts, nrm, support, group = pts[perm], nrm[perm], support[perm], group[perm]
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if perm.size else perm
    class_start = np.r_[first, perm.size].astype(np.int64)
    hull_points = np.flatnonzero(np.any(support != 0, axis=1)).astype(np.intp)
    origins = pts + offset_m * nrm
    group_caller = np.empty_like(group)
    group_caller[perm] = group
    return RayPlan(
        keep_order,
        origins,
        np.ascontiguousarray(origins, dtype=np.float32),
        planar,
        perm,
        group_caller,
        np.ascontiguousarray(gn),
        class_start,
        group[first].astype(np.intp),
        hull_points,
        np.ascontiguousarray(support[hull_points], dtype=np.float32),
    )


class _NumpyCaster:
    """Exact occlusion test by orthographic projection along each direction (see module doc)."""

    def __init__(self, model: SurfaceModel) -> None:
        self.v = model.vertices
        self.f = model.faces
        self.normals = model.normals

    def one_direction(
        self, q: NDArray[np.float64], u: NDArray[np.float64], max_pairs: int
    ) -> NDArray[np.bool_]:
        # orthonormal basis (e1, e2, u)
        h = np.array([1.0, 0, 0]) if abs(u[0]) < 0.9 else np.array([0, 1.0, 0])
        e1 = np.cross(u, h)
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(u, e1)
        basis = np.stack([e1, e2, u], axis=1)
        vp = self.v @ basis  # (nv, 3): x, y in the plane, depth along u
        qp = q @ basis
        # triangles that are not edge-on and reach beyond the nearest origin
        tri = vp[self.f]  # (nf, 3, 3)
        keep = np.abs(self.normals @ u) > 1e-12
        keep &= tri[:, :, 2].max(axis=1) > qp[:, 2].min()
        lo_q = qp[:, :2].min(axis=0)
        hi_q = qp[:, :2].max(axis=0)
        tmin = tri[:, :, :2].min(axis=1)
        tmax = tri[:, :, :2].max(axis=1)
        keep &= np.all(tmax >= lo_q, axis=1) & np.all(tmin <= hi_q, axis=1)
        tid = np.nonzero(keep)[0]
        result = np.zeros(q.shape[0], dtype=bool)
        if tid.size == 0:
            return result
        tri = tri[tid]
        tmin, tmax = tmin[tid], tmax[tid]
        # uniform grid over the origins' bounding box
        ext = np.maximum(hi_q - lo_q, 1e-12)
        ncell_target = max(16, min(4 * max(tid.size, q.shape[0]), 2_000_000))
        hcell = max(float(np.sqrt(ext[0] * ext[1] / ncell_target)), float(ext.max()) / 4096, 1e-12)
        nx = int(ext[0] // hcell) + 1
        ny = int(ext[1] // hcell) + 1
        ix0 = np.clip(((tmin[:, 0] - lo_q[0]) // hcell).astype(np.int64), 0, nx - 1)
        ix1 = np.clip(((tmax[:, 0] - lo_q[0]) // hcell).astype(np.int64), 0, nx - 1)
        iy0 = np.clip(((tmin[:, 1] - lo_q[1]) // hcell).astype(np.int64), 0, ny - 1)
        iy1 = np.clip(((tmax[:, 1] - lo_q[1]) // hcell).astype(np.int64), 0, ny - 1)
        wx = ix1 - ix0 + 1
        cnt = wx * (iy1 - iy0 + 1)
        rep = np.repeat(np.arange(tid.size), cnt)
        local = np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        cells = (iy0[rep] + local // wx[rep]) * nx + ix0[rep] + local % wx[rep]
        o = np.argsort(cells, kind="stable")
        cells_sorted = cells[o]
        tri_of = rep[o]
        qcx = np.clip(((qp[:, 0] - lo_q[0]) // hcell).astype(np.int64), 0, nx - 1)
        qcy = np.clip(((qp[:, 1] - lo_q[1]) // hcell).astype(np.int64), 0, ny - 1)
        qcell = qcy * nx + qcx
        s0 = np.searchsorted(cells_sorted, qcell, "left")
        s1 = np.searchsorted(cells_sorted, qcell, "right")
        n_c = s1 - s0
        # chunk query points so candidate pairs stay below max_pairs
        csum = np.cumsum(n_c)
        a = 0
        while a < q.shape[0]:
            base = csum[a - 1] if a else 0
            b = int(np.searchsorted(csum, base + max_pairs, "right"))
            b = max(b, a + 1)
            cnt_q = n_c[a:b]
            qi = np.repeat(np.arange(a, b), cnt_q)
            off = np.arange(qi.size) - np.repeat(np.cumsum(cnt_q) - cnt_q, cnt_q)
            ti = tri_of[np.repeat(s0[a:b], cnt_q) + off]
            result[a:b] |= self._test(qp, qi, tri, ti, a, b)
            a = b
        return result

    @staticmethod
    def _test(
        qp: NDArray[np.float64],
        qi: NDArray[np.int64],
        tri: NDArray[np.float64],
        ti: NDArray[np.int64],
        a: int,
        b: int,
    ) -> NDArray[np.bool_]:
        if qi.size == 0:
            return np.zeros(b - a, dtype=bool)
        p = qp[qi]
        t = tri[ti]
        A, B, C = t[:, 0], t[:, 1], t[:, 2]

        def cross2(u: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
            return u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]

        w0 = cross2(B[:, :2] - p[:, :2], C[:, :2] - p[:, :2])
        w1 = cross2(C[:, :2] - p[:, :2], A[:, :2] - p[:, :2])
        w2 = cross2(A[:, :2] - p[:, :2], B[:, :2] - p[:, :2])
        area = w0 + w1 + w2
        inside = ((w0 >= 0) & (w1 >= 0) & (w2 >= 0)) | ((w0 <= 0) & (w1 <= 0) & (w2 <= 0))
        inside &= area != 0
        with np.errstate(invalid="ignore", divide="ignore"):
            depth = (w0 * A[:, 2] + w1 * B[:, 2] + w2 * C[:, 2]) / area
        hit = inside & (depth > p[:, 2])
        return np.bincount(qi[hit] - a, minlength=b - a).astype(bool)
