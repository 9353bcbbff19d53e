"""`radiant_line_of_sight` on an analytic scene: a 1 m × 1 m plate (normal +z) under a
0.5 m × 1 m plate 1 m above it covering x ∈ [0, 0.5]. For a source in the x–z plane at angle θ
from +z (towards +x), a point (x, y) of the lower plate is shadowed when its ray reaches z = 1
inside the upper plate: x + tan θ ∈ [0, 0.5], so the clear fraction is 1 − |[0, 1] ∩
[−tan θ, 0.5 − tan θ]|, and the facing fraction is 1 for θ < 90°, 0 beyond."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.geometry.surface import SurfaceModel
from breachkit.risk.radiant import radiant_line_of_sight, region_faces

N = 40  # the lower plate in N × N squares: the shadow edge is resolved to 1/(N·√samples) m


def _grid(x0: float, x1: float, z: float, n: int, up: bool) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.linspace(x0, x1, n + 1), np.linspace(0.0, 1.0, n + 1)
    v = np.array([(x, y, z) for y in ys for x in xs])
    f = []
    for j in range(n):
        for i in range(n):
            a, b = j * (n + 1) + i, j * (n + 1) + i + 1
            c, d = a + n + 1, b + n + 1
            f += [(a, b, d), (a, d, c)] if up else [(a, d, b), (a, c, d)]
    return v, np.array(f)


def _scene() -> SurfaceModel:
    v1, f1 = _grid(0.0, 1.0, 0.0, N, up=True)
    v2, f2 = _grid(0.0, 0.5, 1.0, 4, up=False)  # the blocker faces down (any face blocks)
    return SurfaceModel(
        vertices=np.vstack([v1, v2]),
        faces=np.vstack([f1, f2 + len(v1)]),
        region_index=np.r_[np.zeros(len(f1), int), np.ones(len(f2), int)],
        region_names=("lower", "upper"),
    )


SCENE = _scene()
LOWER = region_faces(SCENE, "lower")


def _clear_analytic(theta: float) -> float:
    t = math.tan(theta)
    lo, hi = max(0.0, -t), min(1.0, 0.5 - t)
    return 1.0 - max(0.0, hi - lo)


@pytest.mark.parametrize("theta_deg", [0.0, 10.0, 14.0364, 30.0, 45.0, 60.0])
def test_plate_shadowed_by_a_plate(theta_deg: float) -> None:
    th = math.radians(theta_deg)
    r = radiant_line_of_sight(SCENE, LOWER, [math.sin(th), 0.0, math.cos(th)], backend="numpy")
    assert r.fraction_facing == pytest.approx(1.0)
    # tolerance: one sample spacing across the shadow edge, 1/(N·4) of the 1 m plate
    assert r.fraction_clear == pytest.approx(_clear_analytic(th), abs=1.0 / (N * 4) + 1e-9)
    assert r.projected_area_facing_m2 == pytest.approx(math.cos(th))
    assert r.projected_area_clear_m2 == pytest.approx(math.cos(th) * _clear_analytic(th),
                                                      abs=1.0 / (N * 4) + 1e-9)  # fmt: skip


def test_source_behind_the_plate_is_neither_facing_nor_clear() -> None:
    r = radiant_line_of_sight(SCENE, LOWER, [[0.3, 0.0, -1.0], [0.0, 0.0, 1.0]], backend="numpy")
    assert r.fraction_facing.tolist() == pytest.approx([0.0, 1.0])
    assert r.fraction_clear.tolist() == pytest.approx([0.0, 0.5], abs=1.0 / (N * 4))
    assert r.to_dict()["n_faces"] == LOWER.size


@settings(max_examples=25, deadline=None)
@given(th=st.floats(-80.0, 80.0), phi=st.floats(0.0, 360.0))
def test_clear_never_exceeds_facing(th: float, phi: float) -> None:
    t, p = math.radians(th), math.radians(phi)
    u = [math.sin(t) * math.cos(p), math.sin(t) * math.sin(p), math.cos(t)]
    r = radiant_line_of_sight(SCENE, LOWER, u, samples_per_face=1, backend="numpy")
    assert 0.0 <= r.fraction_clear <= r.fraction_facing + 1e-12 <= 1.0 + 1e-12
    assert r.projected_area_clear_m2 <= r.projected_area_facing_m2 + 1e-12


def test_bad_input() -> None:
    with pytest.raises(InputError, match="zero vector"):
        radiant_line_of_sight(SCENE, LOWER, [0.0, 0.0, 0.0])
    with pytest.raises(InputError, match="no faces"):
        radiant_line_of_sight(SCENE, [], [0.0, 0.0, 1.0])
    with pytest.raises(InputError, match="not in the model"):
        region_faces(SCENE, "radiator")
