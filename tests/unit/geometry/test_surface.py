"""SurfaceModel: derived quantities, transforms, concatenation, selection, refinement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.geometry import SurfaceModel
from breachkit.geometry.attitude import ypr_to_matrix
from breachkit.geometry.primitives import box, revolve


def test_box_normals_outward_and_area() -> None:
    b = box([1.0, 2.0, 3.0], "b", divisions=[2, 3, 1])
    assert b.areas.sum() == pytest.approx(2 * (1 * 2 + 2 * 3 + 1 * 3))
    # outward: normal points away from the centre for every face
    assert np.all(np.einsum("ij,ij->i", b.normals, b.centroids) > 0)


def test_cylinder_area_and_outward() -> None:
    c = revolve([0.0, 2.0], [1.0, 1.0], ["side"], segments=64, cap_regions=("aft", "fwd"))
    ra = c.region_areas()
    # inscribed polygon: side area 2 · (n sin(2π/n)/2 ·...) → perimeter n·2 sin(π/n)
    perim = 64 * 2 * np.sin(np.pi / 64)
    assert ra["side"] == pytest.approx(perim * 2.0)
    assert ra["aft"] == pytest.approx(0.5 * 64 * np.sin(2 * np.pi / 64))
    axis_pt = np.stack([c.centroids[:, 0], 0 * c.centroids[:, 0], 0 * c.centroids[:, 0]], 1)
    side = c.region_mask("side")
    assert np.all(np.einsum("ij,ij->i", c.normals[side], (c.centroids - axis_pt)[side]) > 0)
    assert np.all(c.normals[c.region_mask("fwd")][:, 0] > 0.999)
    assert np.all(c.normals[c.region_mask("aft")][:, 0] < -0.999)


def test_concatenate_merges_regions_and_select() -> None:
    a = box([1, 1, 1], "hull")
    b = box([1, 1, 1], "radiator", center=[3, 0, 0])
    c = box([1, 1, 1], "hull", center=[6, 0, 0])
    m = SurfaceModel.concatenate([a, b, c])
    assert m.region_names == ("hull", "radiator")
    assert m.region_areas() == pytest.approx({"hull": 12.0, "radiator": 6.0})
    r = m.select_regions("radiator")
    assert r.region_names == ("radiator",) and r.n_faces == 12
    assert r.centroids[:, 0].mean() == pytest.approx(3.0)
    with pytest.raises(InputError, match="not in this model"):
        m.select_regions("nope")


def test_subdivision_keeps_area_and_closedness() -> None:
    c = revolve([0.0, 1.0, 2.0], [1.0, 0.5, 0.8], ["a", "b"], segments=12, cap_regions=("a", "b"))
    r = c.refined(1000)
    assert r.n_faces >= 1000 and r.n_faces == c.n_faces * 4 ** round(
        np.log(r.n_faces / c.n_faces) / np.log(4)
    )
    assert r.region_areas() == pytest.approx(c.region_areas())
    # closed: every undirected edge is shared by exactly two faces, once each way
    e = np.concatenate([r.faces[:, [0, 1]], r.faces[:, [1, 2]], r.faces[:, [2, 0]]])
    _, cnt = np.unique(np.sort(e, axis=1), axis=0, return_counts=True)
    assert np.all(cnt == 2)
    _, dcnt = np.unique(e, axis=0, return_counts=True)
    assert np.all(dcnt == 1)


@settings(max_examples=25, deadline=None)
@given(
    st.floats(-np.pi, np.pi),
    st.floats(-1.5, 1.5),
    st.floats(-np.pi, np.pi),
    st.lists(st.floats(-100, 100), min_size=3, max_size=3),
)
def test_transform_preserves_areas_and_rotates_normals(
    y: float, p: float, r: float, t: list[float]
) -> None:
    b = box([1.0, 2.0, 0.5], "b")
    rot = ypr_to_matrix(y, p, r)
    m = b.transformed(rot, t)
    np.testing.assert_allclose(m.areas, b.areas, rtol=1e-9)
    np.testing.assert_allclose(m.normals, b.normals @ rot.T, atol=1e-9)
    np.testing.assert_allclose(m.centroids, b.centroids @ rot.T + np.array(t), atol=1e-9)


def test_bad_inputs() -> None:
    b = box([1, 1, 1], "b")
    with pytest.raises(InputError, match="rotation"):
        b.transformed(np.diag([1.0, 1.0, -1.0]))
    with pytest.raises(InputError, match="out of range"):
        SurfaceModel(b.vertices, b.faces + 100, b.region_index, b.region_names)
    v = b.vertices.copy()
    v[0, 0] = np.nan
    with pytest.raises(InputError, match="NaN"):
        SurfaceModel(v, b.faces, b.region_index, b.region_names)
