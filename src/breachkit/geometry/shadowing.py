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
  ray origins ordered along a Morton (Z-order) curve so that consecutive rays are coherent (this
  changes no result and speeds Embree's traversal markedly), rays batched direction by direction
  in large contiguous float32 arrays and cast on `threads` threads (embreex releases the GIL).
  The n·u > 0 test is made once per distinct float32 face normal and shared by both backends.
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
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit.geometry.surface import SurfaceModel

__all__ = [
    "EmbreeScene",
    "RayBatch",
    "RayPlan",
    "Visibility",
    "embree_available",
    "hull_support",
    "morton_order",
    "plan_rays",
    "prefetched",
    "ray_batches",
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

    def close(self) -> None:
        """Shut the thread pool down."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

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


def hull_support(
    model: SurfaceModel, points: NDArray[np.float64]
) -> tuple[NDArray[np.float64], str]:
    """Outward normal of a hull supporting plane through each point, or zeros if none.

    Returns ((n, 3) normals, kind) with kind ``"hull"``, ``"planar"`` (model flat: the normal
    is the plane normal and both sides count) or ``"none"`` (no hull could be built).
    """
    from scipy.spatial import ConvexHull, QhullError

    pts = model.vertices[np.unique(model.faces)]
    out = np.zeros_like(points)
    if pts.shape[0] < 3:
        return out, "none"
    scale = max(model.scale, 1e-300)
    tol = _HULL_TOL * scale
    centred = pts - pts.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    if s[-1] <= tol:
        plane_n = vt[-1]
        off = (points - pts.mean(axis=0)) @ plane_n
        on = np.abs(off) <= tol
        out[on] = plane_n
        return out, "planar"
    try:
        hull = ConvexHull(pts)
    except QhullError:  # pragma: no cover - degenerate input caught above
        return out, "none"
    # m·x + b ≤ 0 inside, m outward unit; coplanar triangles of the hull share one plane
    eq = np.unique(np.round(hull.equations / tol) * tol, axis=0)
    m, b = eq[:, :3].copy(), eq[:, 3].copy()
    m /= np.linalg.norm(m, axis=1, keepdims=True)
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


def _dir_chunks(nd: int, n_pts: int, max_pairs: int) -> Iterator[slice]:
    step = max(1, max_pairs // max(n_pts, 1))
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
    prefetch: bool = False,
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
        Embree threads (default: all CPUs).
    max_rays_per_batch
        Upper bound on the (point, direction) pairs held at once (memory bound).
    scene
        A prebuilt `EmbreeScene` of `model` to reuse.
    prefetch
        Prepare the next batch of rays in a worker thread while the current one is cast.
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
    plan = plan_rays(model, sel, offset_m=offset_m, use_hull=use_hull, samples_per_face=k)
    n_pts = plan.n_points
    es: EmbreeScene | None = None
    own_scene = False
    if backend == "embree" and n_pts:
        if scene is None:
            es = EmbreeScene(model, threads)
            own_scene = True
        else:
            es = scene
    # direction-major work array in traversal order: row j = direction j
    hit_free = np.zeros((nd, n_pts), dtype=bool)
    front_tab = plan.front_table(u)
    traced = skipped_back = skipped_hull = 0
    np_ctx = _NumpyCaster(model) if backend == "numpy" else None
    try:
        batches = plan.batches(
            u, max_rays_per_batch, with_origins=es is not None, front_table=front_tab
        )
        for batch in prefetched(batches) if prefetch else batches:
            sl = batch.directions
            skipped_back += int(batch.front.size) - int(batch.n_front)
            skipped_hull += batch.n_proven
            traced += batch.n_rays
            hf = hit_free[sl]
            hf[...] = batch.front  # front and not yet shown blocked
            if batch.n_rays:
                if es is not None:
                    assert batch.ray_origins is not None
                    occ = es.occluded(batch.ray_origins, batch.ray_directions)
                else:
                    assert np_ctx is not None
                    occ = np_ctx.occluded(
                        plan.origins,
                        batch.points,
                        u[sl],
                        batch.local_direction(),
                        max_rays_per_batch,
                    )
                hit = np.flatnonzero(occ)
                row = np.searchsorted(batch.offsets, hit, side="right") - 1
                hf.reshape(-1)[row * n_pts + batch.points[hit]] = False
    finally:
        if own_scene and es is not None:
            es.close()
    # back to the caller's point order, one direction row at a time
    unperm = np.empty(n_pts, dtype=np.intp)
    unperm[plan.perm] = np.arange(n_pts)
    for j in range(nd):
        hit_free[j] = hit_free[j][unperm]

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
        rays_skipped_backface=skipped_back,
        rays_skipped_hull=skipped_hull,
        backend=backend,
        wall_s=time.perf_counter() - t0,
        fraction=fraction,
        front_table=front_tab,
        face_group=plan.group_caller[::k],
    )


def morton_order(points: NDArray[np.float64]) -> NDArray[np.int64]:
    """Indices that sort points along a 3-D Morton (Z-order) curve, 10 bits per axis."""
    if points.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    lo = points.min(axis=0)
    ext = float((points.max(axis=0) - lo).max()) or 1.0
    q = np.clip(((points - lo) / ext * 1023).astype(np.int64), 0, 1023)

    def spread(x: NDArray[np.int64]) -> NDArray[np.int64]:
        x = (x | (x << 16)) & 0x30000FF
        x = (x | (x << 8)) & 0x300F00F
        x = (x | (x << 4)) & 0x30C30C3
        return (x | (x << 2)) & 0x9249249

    code = spread(q[:, 0]) | (spread(q[:, 1]) << 1) | (spread(q[:, 2]) << 2)
    return np.argsort(code, kind="stable")


@dataclass(frozen=True, eq=False)
class RayPlan:
    """The ray origins of a visibility run, in traversal (Morton) order.

    Attributes
    ----------
    origins, origins32
        (n_points, 3) ray origins [m] (float64 and float32), point i lifted by `offset_m` along
        its face normal.
    normals
        (n_points, 3) face normal of each point.
    support
        (n_points, 3) outward normal of a hull supporting plane through the point, or zeros.
    planar
        The model is flat (support normals count in both directions).
    perm
        (n_points,) the caller's point index (face-major, then sample) of each traversal slot.
    group, group_caller
        (n_points,) index of each point's distinct float32 normal, in traversal and in caller
        order.
    group_normals
        (n_groups, 3) float32 distinct normals.
    """

    origins: NDArray[np.float64]
    origins32: NDArray[np.float32]
    normals: NDArray[np.float64]
    support: NDArray[np.float64]
    planar: bool
    perm: NDArray[np.int64]
    group: NDArray[np.intp]
    group_caller: NDArray[np.intp]
    group_normals: NDArray[np.float32]

    @cached_property
    def origins_rows(self) -> NDArray[np.void]:
        """`origins32` viewed as one 12-byte record per point."""
        return self.origins32.view(_ROW12).reshape(-1)

    def front_table(self, directions: NDArray[np.float64]) -> NDArray[np.bool_]:
        """(nd, n_groups) n·u > 0 for each direction and distinct normal (float32)."""
        u32 = np.ascontiguousarray(directions, dtype=np.float32)
        return np.ascontiguousarray((u32 @ self.group_normals.T) > 0)

    @property
    def n_points(self) -> int:
        return int(self.origins.shape[0])

    def batches(
        self,
        directions: NDArray[np.float64],
        max_rays_per_batch: int,
        *,
        with_origins: bool = True,
        front_table: NDArray[np.bool_] | None = None,
    ) -> Iterator[RayBatch]:
        """The rays to trace (see `ray_batches`), each batch carrying its origins."""
        return ray_batches(
            self,
            directions,
            max_rays_per_batch,
            with_origins=with_origins,
            front_table=front_table,
        )


def plan_rays(
    model: SurfaceModel,
    faces: NDArray[np.int64],
    *,
    offset_m: float,
    use_hull: bool = True,
    samples_per_face: int = 1,
) -> RayPlan:
    """Sample points, lifted origins and hull supports of the selected faces, Morton-ordered.

    Rays cast in spatially coherent order run markedly faster through Embree's BVH; the order
    changes no result.
    """
    k = samples_per_face
    pts = sample_points(model, faces, k).reshape(-1, 3)
    nrm = np.repeat(model.normals[faces], k, axis=0)
    if use_hull and pts.shape[0]:
        support, kind = hull_support(model, pts)
        planar = kind == "planar"
    else:
        support, planar = np.zeros_like(pts), False
    perm = morton_order(pts)
    pts, nrm, support = pts[perm], nrm[perm], support[perm]
    origins = pts + offset_m * nrm
    # faces of a refined or flat-panelled model share few distinct normals: n·u > 0 is decided
    # once per distinct float32 normal and spread to the points
    gn, group = np.unique(nrm.astype(np.float32), axis=0, return_inverse=True)
    group = group.reshape(-1).astype(np.intp)
    group_caller = np.empty_like(group)
    group_caller[perm] = group
    return RayPlan(
        origins,
        np.ascontiguousarray(origins, dtype=np.float32),
        nrm,
        support,
        planar,
        perm,
        group,
        group_caller,
        np.ascontiguousarray(gn),
    )


@dataclass(frozen=True, eq=False)
class RayBatch:
    """One batch of rays to trace, direction-major.

    Attributes
    ----------
    directions
        Slice of the direction axis this batch covers.
    front
        (ndc, n_pts) bool: n·u > 0.
    n_front, n_proven
        Front pairs, and front pairs proven unblocked by the hull.
    points
        (n_rays,) point index (traversal order) of each ray; the rays of local direction j are
        ``points[offsets[j]:offsets[j + 1]]``.
    offsets
        (ndc + 1,) start of each direction's rays.
    ray_directions
        (n_rays, 3) float32 direction of each ray (contiguous).
    ray_origins
        (n_rays, 3) float32 origin of each ray (contiguous), when origins were given.
    """

    directions: slice
    front: NDArray[np.bool_]
    n_front: int
    n_proven: int
    points: NDArray[np.int64]
    offsets: NDArray[np.int64]
    ray_directions: NDArray[np.float32]
    ray_origins: NDArray[np.float32] | None = None

    @property
    def n_rays(self) -> int:
        return int(self.points.size)

    def local_direction(self) -> NDArray[np.int64]:
        """(n_rays,) index of each ray's direction within the batch."""
        return np.repeat(np.arange(self.offsets.size - 1), np.diff(self.offsets))


def ray_batches(
    plan: RayPlan,
    directions: NDArray[np.float64],
    max_rays_per_batch: int,
    *,
    with_origins: bool = True,
    front_table: NDArray[np.bool_] | None = None,
) -> Iterator[RayBatch]:
    """The rays `visibility` traces, in batches of at most `max_rays_per_batch` pairs.

    Public so that a benchmark can cast exactly the same rays through a bare kernel. With
    `with_origins` each batch also carries its rays' origins, gathered contiguously.
    """
    n_pts = plan.n_points
    nd = directions.shape[0]
    ftab = plan.front_table(directions) if front_table is None else front_table
    u32 = np.ascontiguousarray(directions, dtype=np.float32)
    sup_idx = np.nonzero(np.any(plan.support != 0, axis=1))[0]
    s32 = np.ascontiguousarray(plan.support[sup_idx].T, dtype=np.float32)
    for sl in _dir_chunks(nd, n_pts, max_rays_per_batch):
        uc = u32[sl]
        front = np.take(ftab[sl], plan.group, axis=1)  # (ndc, n_pts), traversal order
        n_front = int(np.count_nonzero(front))
        todo = front
        n_proven = 0
        if sup_idx.size:
            sd = uc @ s32
            proven = (sd != 0) if plan.planar else (sd > 0)
            proven &= front[:, sup_idx]
            n_proven = int(np.count_nonzero(proven))
            if n_proven:
                todo = front.copy()
                todo[:, sup_idx] &= ~proven
        rows = [np.flatnonzero(r) for r in todo]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([r.size for r in rows], out=offsets[1:])
        points = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        # each direction repeated for its rays, as whole 12-byte rows
        rd = (
            np.repeat(uc.view(_ROW12).reshape(-1), np.diff(offsets)).view(np.float32).reshape(-1, 3)
        )
        ro = None
        if with_origins:
            # gather whole 12-byte rows at once (a void view is faster than a float gather)
            ro = np.take(plan.origins_rows, points).view(np.float32).reshape(-1, 3)
        yield RayBatch(sl, front, n_front, n_proven, points, offsets, rd, ro)


def prefetched(batches: Iterator[RayBatch]) -> Iterator[RayBatch]:
    """Yield the same batches, preparing the next one in a worker thread meanwhile.

    numpy releases the GIL in the heavy array operations and embreex releases it while
    casting, so preparing batch k+1 overlaps with casting batch k.
    """
    sentinel = None

    def nxt() -> RayBatch | None:
        return next(batches, sentinel)

    with ThreadPoolExecutor(1) as ex:
        fut = ex.submit(nxt)
        while True:
            item = fut.result()
            if item is None:
                return
            fut = ex.submit(nxt)
            yield item


class _NumpyCaster:
    """Exact occlusion test by orthographic projection along each direction (see module doc)."""

    def __init__(self, model: SurfaceModel) -> None:
        self.v = model.vertices
        self.f = model.faces
        self.normals = model.normals

    def occluded(
        self,
        origins: NDArray[np.float64],
        p_idx: NDArray[np.int64],
        dirs: NDArray[np.float64],
        d_idx: NDArray[np.int64],
        max_pairs: int,
    ) -> NDArray[np.bool_]:
        out = np.zeros(p_idx.size, dtype=bool)
        order = np.argsort(d_idx, kind="stable")
        ds = d_idx[order]
        starts = np.searchsorted(ds, np.arange(dirs.shape[0] + 1))
        for j in range(dirs.shape[0]):
            a, b = starts[j], starts[j + 1]
            if a == b:
                continue
            rows = order[a:b]
            out[rows] = self._one_direction(origins[p_idx[rows]], dirs[j], max_pairs)
        return out

    def _one_direction(
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
