"""Compiled (numba) inner loops of ray bookkeeping and risk contraction.

Imported only through `breachkit._core.kernels`, which falls back to numpy when numba is not
installed (extra ``speed``). Every kernel has a numpy twin that gives the same answer (the sums
may differ in the last bits: they are taken in another order). All kernels release the GIL, so
they run in parallel with each other and with the ray tracer's threads.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic


@intrinsic
def _call_occluded1(typingctx, fn, scene, ray):
    """Call Embree's ``void rtcOccluded1(RTCScene, RTCRay*, RTCOccludedArguments*)`` at the
    address `fn` (args NULL: Embree's defaults). An indirect call through an address passed at
    run time, so that the compiled function holds no process-specific pointer and can be cached.
    """
    sig = types.void(types.uintp, types.uintp, types.uintp)

    def codegen(context, builder, signature, args):
        f, sc, r = args
        i8p = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i8p, i8p])
        fp = builder.inttoptr(f, fnty.as_pointer())
        builder.call(
            fp, [builder.inttoptr(sc, i8p), builder.inttoptr(r, i8p), ir.Constant(i8p, None)]
        )
        return context.get_dummy_value()

    return sig, codegen


@nb.njit(nogil=True, cache=True, inline="always")
def _ray_buffer():
    """A 12-float RTCRay inside a fresh buffer, at a 64-byte boundary (RTCRay needs 16)."""
    raw = np.empty(32, dtype=np.float32)
    off = ((64 - raw.ctypes.data % 64) % 64) // 4
    return raw[off : off + 12]


@nb.njit(nogil=True, cache=True, inline="always")
def _occluded(fn, scene, ray, ray_u, ox, oy, oz, dx, dy, dz):
    """One ray through ``rtcOccluded1``, set up as embreex sets it (tnear 0, tfar 1e37, all mask
    bits, time 0): True when Embree reports a hit (tfar set to −inf)."""
    ray[0] = ox
    ray[1] = oy
    ray[2] = oz
    ray[3] = 0.0
    ray[4] = dx
    ray[5] = dy
    ray[6] = dz
    ray[7] = 0.0
    ray[8] = 1e37
    ray_u[9] = 0xFFFFFFFF
    ray_u[10] = 0
    ray_u[11] = 0
    _call_occluded1(fn, scene, ray.ctypes.data)  # type: ignore[call-arg]
    return ray[8] == -np.inf


@nb.njit(nogil=True, cache=True, inline="always")
def _class_run(front_g, class_group, class_start, c):
    """(flag, first point, end point, next class) of the maximal run of consecutive classes from
    class c that share the front flag front_g[class_group[·]]: one block of points."""
    ncls = class_group.shape[0]
    flag = front_g[class_group[c]]
    c_end = c + 1
    while c_end < ncls and front_g[class_group[c_end]] == flag:
        c_end += 1
    return flag, class_start[c], class_start[c_end], c_end


@nb.njit(nogil=True, cache=True)
def cast_directions(
    fn,
    scene,
    j0,
    j1,
    p0,
    front_tab,
    class_group,
    class_start,
    hull_points,
    proven,
    origins,
    u32,
    perm,
    identity,
    out,
    n_traced,
):
    """Trace directions j0 .. j1 − 1 through Embree's ``rtcOccluded1`` and write the answers.

    fn: address of rtcOccluded1; scene: an RTCScene handle (committed). front_tab (nd, n_groups)
    bool; class_group, class_start, hull_points: see `gather_direction`; proven (n, n_hull) bool,
    row j − p0 for direction j; origins (n_points, 3) float32, traversal order; u32 (nd, 3)
    float32; perm (n_points,) int64, the caller's index of each traversal slot (used unless
    `identity`). Writes out[j, caller index] = the ray is front-facing and unblocked, and
    n_traced[j]. Each ray is set up as embreex sets it: tnear 0, tfar 1e37, mask all ones,
    time 0; it is occluded when Embree returns tfar = −inf.
    """
    ray = _ray_buffer()
    ray_u = ray.view(np.uint32)
    nh = hull_points.shape[0]
    ncls = class_group.shape[0]
    for j in range(j0, j1):
        fg = front_tab[j]
        pv = proven[j - p0]
        row = out[j]
        dx = u32[j, 0]
        dy = u32[j, 1]
        dz = u32[j, 2]
        n = 0
        h = 0
        c = 0
        while c < ncls:
            flag, a, b, c = _class_run(fg, class_group, class_start, c)
            if not flag:
                if identity:
                    rs = row[a:b]
                    for i in range(rs.shape[0]):
                        rs[i] = False
                else:
                    for p in range(a, b):
                        row[perm[p]] = False
                while h < nh and hull_points[h] < b:
                    h += 1
                continue
            for p in range(a, b):
                if h < nh and hull_points[h] == p:
                    skip = pv[h]
                    h += 1
                    if skip:  # proven unblocked by the hull: not traced
                        row[p if identity else perm[p]] = True
                        continue
                hit = _occluded(
                    fn, scene, ray, ray_u, origins[p, 0], origins[p, 1], origins[p, 2], dx, dy, dz
                )
                row[p if identity else perm[p]] = not hit
                n += 1
        n_traced[j] = n


@nb.njit(nogil=True, cache=True)
def occluded_along(fn, scene, origins, d, out):
    """out[i] = the ray from origins[i] along d hits the scene (Embree ``rtcOccluded1``, rays set
    up as in `cast_directions`): a bare cast, for benchmarks and tests.

    origins (n, 3) float32; d (3,) float32; out (n,) bool.
    """
    ray = _ray_buffer()
    ray_u = ray.view(np.uint32)
    for i in range(origins.shape[0]):
        out[i] = _occluded(
            fn, scene, ray, ray_u, origins[i, 0], origins[i, 1], origins[i, 2], d[0], d[1], d[2]
        )


@nb.njit(nogil=True, cache=True)
def gather_direction(
    front_g, class_group, class_start, hull_points, proven, origins, row, out_org, out_idx
):
    """Rays of one direction: write the front flag of every point into `row`, and the origins and
    traversal slots of the traced points (front-facing, not proven unblocked by the hull) into
    `out_org` and `out_idx`; return how many were traced.

    front_g (n_groups,) bool, n·u > 0 per distinct normal; class_group (n_classes,) int64, each
    class's normal; class_start (n_classes + 1,) int64, classes contiguous;
    hull_points (n_hull,) sorted int64 slots; proven (n_hull,) bool, hull point proven
    unblocked along this direction; origins (3 n_points,) float32, the (x, y, z) rows
    flattened; row (n_points,) bool out; out_org (>= 3 n_points,) float32 out, flattened
    likewise; out_idx (>= n_points,) int64 out.

    Consecutive classes with the same flag are taken as one run, and the points of a run between
    hull points are copied as blocks; every innermost loop runs over a 1-D slice from index 0
    (which lets LLVM vectorise it).
    """
    n = 0
    h = 0
    nh = hull_points.shape[0]
    ncls = class_group.shape[0]
    c = 0
    while c < ncls:
        flag, a, b, c = _class_run(front_g, class_group, class_start, c)
        rs = row[a:b]
        for i in range(rs.shape[0]):
            rs[i] = flag
        if not flag:
            while h < nh and hull_points[h] < b:
                h += 1
            continue
        p = a
        while p < b:
            e = hull_points[h] if (h < nh and hull_points[h] < b) else b
            src = origins[3 * p : 3 * e]
            dst = out_org[3 * n : 3 * (n + e - p)]
            for i in range(src.shape[0]):
                dst[i] = src[i]
            slots = out_idx[n : n + e - p]
            for i in range(slots.shape[0]):
                slots[i] = p + i
            n += e - p
            if e < b:  # hull point e: traced unless proven unblocked
                if not proven[h]:
                    out_org[3 * n] = origins[3 * e]
                    out_org[3 * n + 1] = origins[3 * e + 1]
                    out_org[3 * n + 2] = origins[3 * e + 2]
                    out_idx[n] = e
                    n += 1
                h += 1
                p = e + 1
            else:
                p = b
    return n


@nb.njit(nogil=True, cache=True)
def scatter_unblocked(row, idx, ids):
    """row[idx[i]] = (ids[i] == -1): a traced ray is unblocked when it hit no geometry."""
    for i in range(idx.shape[0]):
        row[idx[i]] = ids[i] == -1


@nb.njit(nogil=True, cache=True, fastmath={"reassoc", "contract"})
def contract_chunk(x, off, first, counts, cu_t, regu, ktab, h, area, block, val_t, hist):
    """The whole per-chunk risk contraction in one pass, without temporaries.

    For each face group q (faces first[q] .. first[q] + counts[q] − 1 of the chunk, sharing a
    normal and a region regu[q]) and direction j with c = cu_t[j, q] > 0:

    * the right-hand side: for each window w the cos-θ table interpolated at c,
      (1 − t) ktab[w, r, b, j] + t ktab[w, r, b + 1, j] with s = clip(c, 0, 1) (m − 1),
      b = min(⌊s⌋, m − 2), t = s − b; then c · h[e, j] for each entry e;
    * val_t[k, f] += x[j, off + f] · rhs[k] for every face f of the group (val_t zeroed by the
      caller): per face, the visible sum over directions;
    * hist[(r m + b) nd + j] += A (1 − t) and hist[... + nd] += A t, A = Σ_f x[j, off + f] area[f]
      (visible area), for the per-population breakdown.

    x (nd, n_cols) bool, C-contiguous, direction-major visibility; cu_t (nd, n_groups) cos θ;
    ktab (nw, nreg, m, nd); h (ne, nd); area (n_faces,). The same numbers as the numpy code in
    `compute_risk`, summed in another order. Faces are
    taken in column blocks of `block`; innermost loops run over 1-D slices from 0 (vectorised).
    """
    nw = ktab.shape[0]
    m = ktab.shape[2]
    nd = x.shape[0]
    ne = h.shape[0]
    nkk = nw + ne
    ng = first.shape[0]
    nc = area.shape[0]
    rhs = np.empty(nkk)
    qa = 0
    for c0 in range(0, nc, block):
        c1 = min(nc, c0 + block)
        while qa < ng and first[qa] + counts[qa] <= c0:
            qa += 1
        qb = qa
        while qb < ng and first[qb] < c1:
            qb += 1
        for j in range(nd):
            xr = x[j, off : off + nc]
            cj = cu_t[j]
            for q in range(qa, qb):
                c = cj[q]
                if not c > 0.0:
                    continue
                r = regu[q]
                su = min(c, 1.0) * (m - 1)
                b = min(int(su), m - 2)
                tt = su - b
                for w in range(nw):
                    rhs[w] = (1.0 - tt) * ktab[w, r, b, j] + tt * ktab[w, r, b + 1, j]
                for e in range(ne):
                    rhs[nw + e] = c * h[e, j]
                a = max(first[q], c0)
                bb = min(first[q] + counts[q], c1)
                xs = xr[a:bb]
                ar = area[a:bb]
                s = 0.0
                for f in range(xs.shape[0]):
                    s += xs[f] * ar[f]
                for k in range(nkk):
                    rk = rhs[k]
                    vk = val_t[k, a:bb]
                    for f in range(xs.shape[0]):
                        vk[f] += xs[f] * rk
                base = (r * m + b) * nd + j
                hist[base] += s * (1.0 - tt)
                hist[base + nd] += s * tt


def warm_up() -> None:
    """Compile (or load from the cache) every kernel for the argument types breachkit uses.

    The Embree kernels are called with no rays, so no function address is followed.
    """
    n = 4
    i64 = np.zeros(1, dtype=np.int64)
    cast_directions(
        0,
        0,
        0,
        0,
        0,
        np.zeros((1, 1), dtype=bool),
        np.zeros(1, dtype=np.intp),
        np.zeros(2, dtype=np.int64),
        np.zeros(0, dtype=np.intp),
        np.zeros((1, 0), dtype=bool),
        np.zeros((1, 3), dtype=np.float32),
        np.zeros((1, 3), dtype=np.float32),
        i64,
        True,
        np.zeros((1, 1), dtype=bool),
        i64,
    )
    occluded_along(
        0,
        0,
        np.zeros((0, 3), dtype=np.float32),
        np.zeros(3, dtype=np.float32),
        np.zeros(0, dtype=bool),
    )
    row = np.zeros(n, dtype=bool)
    gather_direction(
        np.ones(1, dtype=bool),
        np.zeros(1, dtype=np.intp),
        np.array([0, n], dtype=np.int64),
        np.array([1], dtype=np.int64),
        np.array([True]),
        np.zeros(3 * n, dtype=np.float32),
        row,
        np.zeros(3 * n, dtype=np.float32),
        np.zeros(n, dtype=np.int64),
    )
    scatter_unblocked(row, np.arange(2, dtype=np.int64), np.array([-1, 0], dtype=np.int32))
    contract_chunk(
        np.ones((2, n), dtype=bool),
        0,
        np.array([0], dtype=np.int64),
        np.array([n], dtype=np.int64),
        np.ones((2, 1)),
        np.zeros(1, dtype=np.intp),
        np.ones((1, 1, 3, 2)),
        np.ones((2, 2)),
        np.ones(n),
        4096,
        np.zeros((3, n)),
        np.zeros(12),
    )
