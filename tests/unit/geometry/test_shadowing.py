"""Shadowing: analytic cases, the hull skip proof, and numpy == embree on concave models."""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.environment.directional import DirectionGrid
from breachkit.geometry import SurfaceModel, iss_with_ms22_and_ms21, soyuz_ms
from breachkit.geometry.primitives import box, revolve
from breachkit.geometry.shadowing import embree_available, visibility

BACKENDS = [
    "numpy",
    pytest.param(
        "embree", marks=pytest.mark.skipif(not embree_available(), reason="embreex absent")
    ),
]


def _plates(gap: float = 1.0, small: float = 0.2, big: float = 2.0) -> SurfaceModel:
    """A small thin plate (region 'target', top face at z=0) under a big thin plate at z=gap."""
    t = 0.01
    target = box([small, small, t], "target", center=[0, 0, -t / 2])
    shield = box([big, big, t], "shield", center=[0, 0, gap + t / 2])
    return SurfaceModel.concatenate([target, shield])


@pytest.mark.parametrize("backend", BACKENDS)
def test_plate_shadowed_inside_blocked_cone_only(backend: str) -> None:
    # The target's top face (normal +z) centroids lie within 0.1 m of the axis; the shield's lower
    # face spans ±1 m at height 1 m. A ray from a point r ≤ 0.1 m off axis at polar angle θ
    # hits the shield iff it leaves the ±1 m square above 1 m height: all rays with
    # tan θ < (1 − 0.1)/1 are blocked, all with tan θ > (1 + 0.1)·√2 / 1 miss (the corner).
    m = _plates()
    top = np.nonzero(m.region_mask("target") & (m.normals[:, 2] > 0.99))[0]
    theta = np.radians(np.arange(1.0, 89.0, 2.0))
    phi = np.radians(17.0)
    u = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], 1)
    v = visibility(m, u, backend=backend, faces=top)
    blocked_cone = np.tan(theta) < 0.9
    clear = np.tan(theta) > 1.1 * np.sqrt(2)
    assert not v.visible[:, blocked_cone].any()
    assert v.visible[:, clear].all()
    # and from below (n·u < 0) the top face is a back face: skipped, not visible
    vb = visibility(m, -u, backend=backend, faces=top)
    assert not vb.visible.any() and vb.rays_traced == 0
    assert vb.rays_skipped_backface == top.size * len(u)


@pytest.mark.parametrize("backend", BACKENDS)
def test_convex_body_everything_unblocked_and_all_skipped(backend: str) -> None:
    c = revolve([0.0, 0.5, 2.0], [1.0, 1.2, 0.4], ["a", "b"], segments=24, cap_regions=("a", "b"))
    u = DirectionGrid.fibonacci(300).vectors
    v = visibility(c, u, backend=backend)
    np.testing.assert_array_equal(v.visible, c.normals @ u.T > 0)
    # every face of a convex body lies on its hull: every front ray is proven, none traced
    assert v.rays_traced == 0
    assert v.rays_skipped_hull == int(v.front.sum())
    assert v.rays_skipped == c.n_faces * len(u)
    # and tracing them all instead gives the same answer
    w = visibility(c, u, backend=backend, use_hull=False)
    np.testing.assert_array_equal(w.visible, v.visible)
    assert w.rays_traced == int(v.front.sum())


@pytest.mark.parametrize("backend", BACKENDS)
def test_hull_proof_matches_tracing_on_concave_model(backend: str) -> None:
    m = soyuz_ms(segments=16)
    u = DirectionGrid.fibonacci(150).vectors
    a = visibility(m, u, backend=backend)
    b = visibility(m, u, backend=backend, use_hull=False)
    assert a.rays_skipped_hull > 0
    np.testing.assert_array_equal(a.visible, b.visible)
    # concave: some front-facing rays are blocked
    assert (a.front & ~a.visible).any()


def test_hull_proof_not_applied_inside_a_cavity() -> None:
    # A cup: the floor's centroid is on the hull plane z=0 only from outside; inside the cup
    # the floor faces +z into the cavity, so it must be traced (and is blocked sideways).
    floor = box([2, 2, 0.1], "floor", center=[0, 0, 0.05])
    wall = box([0.1, 2, 1.0], "wall", center=[1.05, 0, 0.5])
    m = SurfaceModel.concatenate([floor, wall])
    top = np.nonzero(m.region_mask("floor") & (m.normals[:, 2] > 0.99))[0]
    u = np.array([[0.99, 0, 0.141], [-0.99, 0, 0.141]])
    u /= np.linalg.norm(u, axis=1)[:, None]
    v = visibility(m, u, backend="numpy", faces=top)
    # the floor's top face at x near +0.5 looking towards +x at 8° elevation hits the wall
    assert not v.visible[:, 0].all()
    assert v.visible[:, 1].all()


@pytest.mark.skipif(not embree_available(), reason="embreex absent")
def test_numpy_equals_embree_on_docked_assembly() -> None:
    m = iss_with_ms22_and_ms21(segments=12, vehicle_segments=12)
    u = DirectionGrid.fibonacci(40).vectors
    faces = np.nonzero(
        m.region_mask(
            [
                "soyuz_ms22/pao_radiator",
                "soyuz_ms22/solar_arrays",
                "iss/rassvet",
                "progress_ms21/pao_radiator",
            ]
        )
    )[0]
    a = visibility(m, u, backend="numpy", faces=faces)
    b = visibility(m, u, backend="embree", faces=faces, threads=2)
    assert a.rays_traced == b.rays_traced > 0
    np.testing.assert_array_equal(a.visible, b.visible)
    # the station really shadows the docked Soyuz radiator
    assert (a.front & ~a.visible).any()


def test_fractional_visibility_half_shadowed_plate() -> None:
    # a blocker covering exactly the x<0 half of a square target, seen from straight above
    target = box([1.0, 1.0, 0.01], "target", center=[0, 0, -0.005])
    blocker = box([0.5, 1.0, 0.01], "blocker", center=[-0.25 - 1e-7, 0, 1.0])
    m = SurfaceModel.concatenate([target, blocker])
    top = np.nonzero(m.region_mask("target") & (m.normals[:, 2] > 0.99))[0]
    v = visibility(m, [[0.0, 0.0, 1.0]], backend="numpy", faces=top, samples_per_face=16)
    assert v.fraction is not None
    frac = np.sum(v.fraction[:, 0] * m.areas[top]) / m.areas[top].sum()
    assert frac == pytest.approx(0.5, abs=1e-12)


def test_bad_arguments() -> None:
    m = box([1, 1, 1], "b")
    with pytest.raises(InputError, match="directions"):
        visibility(m, np.zeros((2, 3)))
    with pytest.raises(InputError, match="backend"):
        visibility(m, [[0, 0, 1.0]], backend="optix")
    with pytest.raises(InputError, match="square"):
        visibility(m, [[0, 0, 1.0]], samples_per_face=3)
    with pytest.raises(InputError, match="faces"):
        visibility(m, [[0, 0, 1.0]], faces=[99])


@pytest.mark.parametrize("backend", BACKENDS)
def test_flat_model_every_ray_off_the_plane_is_unblocked(backend: str) -> None:
    # a flat square of two triangles (normal +z): the hull is the plane itself
    v = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=float)
    f = np.array([[0, 1, 2], [0, 2, 3]])
    m = SurfaceModel(v, f, np.zeros(2, dtype=np.int64), ("plate",))
    u = DirectionGrid.fibonacci(50).vectors
    vis = visibility(m, u, backend=backend)
    np.testing.assert_array_equal(vis.visible, np.broadcast_to(u[:, 2] > 0, (2, 50)))
    assert vis.rays_traced == 0 and vis.rays_skipped_hull == int((u[:, 2] > 0).sum()) * 2


def test_hull_is_of_the_whole_model_not_the_selection() -> None:
    # selecting only the shadowed target must not make its top face a hull face
    m = _plates()
    top = np.nonzero(m.region_mask("target") & (m.normals[:, 2] > 0.99))[0]
    v = visibility(m, [[0.0, 0.0, 1.0]], backend="numpy", faces=top)
    assert v.rays_skipped_hull == 0 and v.rays_traced == top.size
    assert not v.visible.any()


@pytest.mark.parametrize("backend", BACKENDS)
def test_keep_order_changes_only_the_traversal(backend: str) -> None:
    """Tracing in the caller's (here shuffled) order gives the same answers, counts and
    normal groups as the class-then-Morton traversal."""
    m = soyuz_ms(segments=16)
    u = DirectionGrid.fibonacci(60).vectors
    sel = np.random.default_rng(3).permutation(m.n_faces)[: m.n_faces // 2]
    a = visibility(m, u, backend=backend, faces=sel)
    b = visibility(m, u, backend=backend, faces=sel, keep_order=True)
    np.testing.assert_array_equal(a.visible, b.visible)
    np.testing.assert_array_equal(a.front, b.front)
    assert (a.rays_traced, a.rays_skipped_backface, a.rays_skipped_hull) == (
        b.rays_traced,
        b.rays_skipped_backface,
        b.rays_skipped_hull,
    )
    assert (a.front & ~a.visible).any()  # something was blocked: the comparison is not empty
