"""The compiled (numba) inner loops give the numpy implementation's answers.

`breachkit._core.kernels` chooses between them; every test that needs numba or embreex skips
cleanly without it. Equality is exact for booleans and counts (the same rays are traced, the
same bits come back) and to 1e-12 relative for sums (the compiled contraction adds in another
order).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.kernels import numba_kernels
from breachkit.geometry import SurfaceModel, iss_with_ms22_and_ms21, soyuz_ms
from breachkit.geometry.primitives import box
from breachkit.geometry.shadowing import EmbreeScene, embree_available, plan_rays, visibility

HAVE_NUMBA = numba_kernels("auto") is not None
needs_numba = pytest.mark.skipif(not HAVE_NUMBA, reason="numba absent (extra 'speed')")
needs_embree = pytest.mark.skipif(not embree_available(), reason="embreex absent")


def _directions(n: int, seed: int) -> np.ndarray:
    d = np.random.default_rng(seed).normal(size=(n, 3))
    return d / np.linalg.norm(d, axis=1)[:, None]


def test_choice_by_name_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert numba_kernels("numpy") is None
    with pytest.raises(InputError, match="kernels: 'fast'"):
        numba_kernels("fast")
    monkeypatch.setenv("BREACHKIT_KERNELS", "numpy")
    assert numba_kernels("auto") is None
    monkeypatch.setenv("BREACHKIT_KERNELS", "gpu")
    with pytest.raises(InputError, match="BREACHKIT_KERNELS"):
        numba_kernels("auto")


def test_missing_numba_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # an entry of None in sys.modules makes the import fail as if numba were not installed
    monkeypatch.setitem(sys.modules, "breachkit._core._numba_kernels", None)
    assert numba_kernels("auto") is None
    with pytest.raises(ImportError, match=r"breachkit\[speed\]"):
        numba_kernels("numba")


@needs_numba
@needs_embree
@pytest.mark.parametrize("keep_order", [True, False])
@pytest.mark.parametrize("samples", [1, 4])
def test_visibility_same_rays_and_answers(keep_order: bool, samples: int) -> None:
    """Docked ISS assembly (concave, with hull points): identical visibility and ray counts."""
    model = iss_with_ms22_and_ms21()
    u = _directions(150, 3)
    faces = np.random.default_rng(4).permutation(model.n_faces)[:3000]
    kw = {"backend": "embree", "faces": faces, "keep_order": keep_order}
    a = visibility(model, u, kernels="numpy", samples_per_face=samples, **kw)
    b = visibility(model, u, kernels="numba", samples_per_face=samples, **kw)
    assert a.rays_traced > 0 and a.rays_skipped_hull > 0
    assert np.array_equal(a.visible, b.visible)
    assert (a.rays_traced, a.rays_skipped_backface, a.rays_skipped_hull) == (
        b.rays_traced,
        b.rays_skipped_backface,
        b.rays_skipped_hull,
    )
    if samples > 1:
        assert a.fraction is not None and b.fraction is not None
        assert np.array_equal(a.fraction, b.fraction)


@needs_numba
@needs_embree
def test_compiled_bookkeeping_around_embreex_when_no_direct_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where breachkit's own Embree binding cannot load (another wheel layout), the compiled
    gather/scatter around embreex's call is used: same bits, same counts."""
    from breachkit.geometry import _embree_direct

    model = iss_with_ms22_and_ms21()
    u = _directions(80, 12)
    a = visibility(model, u, backend="embree", kernels="numpy")
    monkeypatch.setattr(_embree_direct, "load", lambda: None)
    nk = numba_kernels("numba")
    calls = {"gather": 0}
    gather = nk.gather_direction

    def counted(*args):
        calls["gather"] += 1
        return gather(*args)

    monkeypatch.setattr(nk, "gather_direction", counted)
    with EmbreeScene(model) as es:
        assert es.direct() is None
        b = visibility(model, u, backend="embree", kernels="numba", scene=es)
    assert calls["gather"] == 80
    assert np.array_equal(a.visible, b.visible) and a.rays_traced == b.rays_traced


@needs_numba
@needs_embree
def test_direct_scene_matches_embreex_ray_by_ray() -> None:
    """breachkit's own binding of embreex's Embree library answers every ray as embreex does,
    including origins on the surface and rays grazing edges of an axis-aligned box."""
    nk = numba_kernels("numba")
    model = soyuz_ms()
    rng = np.random.default_rng(7)
    with EmbreeScene(model, threads=1) as es:
        ds = es.direct()
        assert ds is not None and ds.handle != 0 and ds.occluded1 != 0
        plan = plan_rays(model, np.arange(model.n_faces), offset_m=1e-5 * model.scale)
        origins = np.concatenate(
            [plan.origins32, rng.uniform(-5, 5, size=(2000, 3)).astype(np.float32)]
        )
        mism = 0
        for u in _directions(40, 8).astype(np.float32):
            ref = es.occluded_along(origins, u)
            out = np.empty(origins.shape[0], dtype=bool)
            nk.occluded_along(ds.occluded1, ds.handle, origins, u, out)
            mism += int((ref != out).sum())
        assert mism == 0
    assert es.direct() is not None  # rebuilt on demand after close
    es.close()
    es.close()  # idempotent


@needs_numba
@needs_embree
def test_flat_and_convex_models_through_the_compiled_path() -> None:
    """Planar hull proof (every ray off the plane unblocked) and a convex box (all skipped)."""
    cube = box((1.0, 2.0, 3.0), "body", divisions=(2, 3, 4))
    u = _directions(64, 11)
    v = visibility(cube, u, backend="embree", kernels="numba")
    assert v.rays_traced == 0
    assert np.array_equal(v.visible, v.front)
    # a flat square of two triangles (normal +z): the hull is the plane itself
    sq = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
    flat = SurfaceModel(sq, np.array([[0, 1, 2], [0, 2, 3]]), np.zeros(2, dtype=np.int64), ("p",))
    w = visibility(flat, u, backend="embree", kernels="numba")
    assert w.rays_traced == 0
    assert np.array_equal(w.visible, np.broadcast_to(u[:, 2] > 0, (2, 64)))


def test_hull_proven_table_matches_per_direction() -> None:
    model = iss_with_ms22_and_ms21()
    plan = plan_rays(model, np.arange(model.n_faces), offset_m=1e-5 * model.scale)
    u32 = _directions(50, 5).astype(np.float32)
    tab = plan.hull_proven_table(u32)
    assert tab.shape == (50, plan.hull_points.size)
    for j in range(50):
        assert np.array_equal(tab[j], plan.hull_proven(u32[j]))


@needs_numba
@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=12),
    nd=st.integers(1, 30),
    off=st.integers(0, 5),
    block=st.sampled_from([1, 3, 16, 4096]),
    seed=st.integers(0, 2**32 - 1),
)
def test_contract_chunk_equals_numpy(
    sizes: list[int], nd: int, off: int, block: int, seed: int
) -> None:
    """The fused pass against a direct numpy evaluation of its definition: per face
    val_t[k, f] = Σ_j [c > 0] x[j, f] rhs_k(q, j), with rhs the table interpolated at c for
    each window and c · h for each entry; and the linear-interpolation histogram of visible
    area at (region, node, direction)."""
    nk = numba_kernels("numba")
    rng = np.random.default_rng(seed)
    counts = np.array(sizes, dtype=np.int64)
    first = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
    nf, ng = int(counts.sum()), counts.size
    nw, ne, nreg, m = 2, 3, 3, 7
    x = rng.random((nd, nf + off + 2)) < 0.6
    cu = rng.uniform(-1.0, 1.0, (ng, nd))
    cu[rng.random((ng, nd)) < 0.1] = 1.0  # the table's last node
    regu = rng.integers(0, nreg, ng).astype(np.intp)
    ktab = rng.random((nw, nreg, m, nd))
    h = rng.random((ne, nd))
    area = rng.random(nf)
    val_t = np.zeros((nw + ne, nf))
    hist = np.zeros(nreg * m * nd)
    nk.contract_chunk(
        x, off, first, counts, np.ascontiguousarray(cu.T), regu, ktab, h, area, block, val_t, hist
    )
    # reference, written from the definition
    xs = x[:, off : off + nf].astype(float)
    ref_val = np.zeros((nw + ne, nf))
    ref_hist = np.zeros((nreg, m, nd))
    for q in range(ng):
        a, b = first[q], first[q] + counts[q]
        r = regu[q]
        for j in range(nd):
            c = cu[q, j]
            if c <= 0:
                continue
            s = min(c, 1.0) * (m - 1)
            node = min(int(s), m - 2)
            t = s - node
            rhs = [(1 - t) * ktab[w, r, node, j] + t * ktab[w, r, node + 1, j] for w in range(nw)]
            rhs += [c * h[e, j] for e in range(ne)]
            ref_val[:, a:b] += np.outer(rhs, xs[j, a:b])
            vis_area = float(xs[j, a:b] @ area[a:b])
            ref_hist[r, node, j] += vis_area * (1 - t)
            ref_hist[r, node + 1, j] += vis_area * t
    np.testing.assert_allclose(val_t, ref_val, rtol=1e-12, atol=1e-12 * ref_val.max(initial=1.0))
    np.testing.assert_allclose(
        hist.reshape(nreg, m, nd), ref_hist, rtol=1e-12, atol=1e-12 * ref_hist.max(initial=1.0)
    )


@needs_numba
@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=15),
    seed=st.integers(0, 2**32 - 1),
)
def test_gather_direction_equals_numpy_plan(sizes: list[int], seed: int) -> None:
    """The compiled gather traces exactly the points the numpy mask traces, in order."""
    nk = numba_kernels("numba")
    rng = np.random.default_rng(seed)
    counts = np.array(sizes, dtype=np.int64)
    class_start = np.r_[0, np.cumsum(counts)].astype(np.int64)
    n_pts, n_cls = int(counts.sum()), counts.size
    n_groups = max(1, n_cls // 2)
    class_group = rng.integers(0, n_groups, n_cls).astype(np.intp)
    front_g = rng.random(n_groups) < 0.5
    hull_points = np.flatnonzero(rng.random(n_pts) < 0.3).astype(np.intp)
    proven = rng.random(hull_points.size) < 0.5
    origins = rng.random((n_pts, 3)).astype(np.float32)
    row = np.empty(n_pts, dtype=bool)
    org = np.empty(3 * n_pts, dtype=np.float32)
    slot = np.empty(n_pts, dtype=np.int64)
    n = nk.gather_direction(
        front_g, class_group, class_start, hull_points, proven, origins.reshape(-1), row, org, slot
    )
    front = np.repeat(front_g[class_group], counts)
    traced = front.copy()
    traced[hull_points[proven]] = False
    assert np.array_equal(row, front)
    assert n == int(traced.sum())
    assert np.array_equal(slot[:n], np.flatnonzero(traced))
    assert np.array_equal(org[: 3 * n].reshape(n, 3), origins[traced])
