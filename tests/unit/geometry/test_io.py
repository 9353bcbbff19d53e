"""Mesh loading: formats, units, regions, checks and repairs (small meshes written here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.geometry import MeshRepairWarning, load_mesh
from breachkit.geometry.primitives import box

TET_V = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\n"


def _write(p: Path, text: str) -> Path:
    p.write_text(text)
    return p


def test_obj_groups_materials_and_unit(tmp_path: Path) -> None:
    # unit tetrahedron in millimetres, two groups, two materials
    obj = _write(
        tmp_path / "tet.obj",
        TET_V
        + "g shell\nusemtl white\nf 1 3 2\nf 1 2 4\ng radiator\nusemtl silver\nf 1 4 3\nf 2 3 4\n",
    )
    m = load_mesh(obj, length_unit_m=1e-3)
    assert m.region_names == ("shell", "radiator")
    assert m.areas.sum() == pytest.approx((1.5 + np.sqrt(3) / 2) * 1e-6)
    assert load_mesh(obj, regions="materials").region_names == ("white", "silver")
    # outward normals: every normal points away from the centroid of the solid
    c = m.vertices.mean(axis=0)
    assert np.all(np.einsum("ij,ij->i", m.normals, m.centroids - c) > 0)


def test_toml_region_mapping(tmp_path: Path) -> None:
    obj = _write(
        tmp_path / "tet.obj", TET_V + "g a\nf 1 3 2\nf 1 2 4\ng b\nf 1 4 3\ng c\nf 2 3 4\n"
    )
    toml = _write(tmp_path / "regions.toml", '[regions]\nradiator = ["b", "c"]\nhull = ["*"]\n')
    m = load_mesh(obj, regions=toml)
    assert m.region_names == ("radiator", "hull")
    assert m.region_index.tolist() == [1, 1, 0, 0]
    ranges = load_mesh(obj, regions={"first": [[0, 1]], "rest": ["*"]})
    assert ranges.region_index.tolist() == [0, 1, 1, 1]
    with pytest.raises(InputError, match="match no region"):
        load_mesh(obj, regions={"radiator": ["b"]})


def test_stl_and_ply_through_trimesh(tmp_path: Path) -> None:
    trimesh = pytest.importorskip("trimesh")
    b = box([2.0, 1.0, 0.5], "b")
    tm = trimesh.Trimesh(b.vertices, b.faces, process=False)
    for ext in ("stl", "ply", "glb"):
        p = tmp_path / f"box.{ext}"
        tm.export(p)
        m = load_mesh(p)
        assert m.areas.sum() == pytest.approx(2 * (2 + 1 + 0.5)), ext
        assert m.n_faces == 12
        assert np.all(np.einsum("ij,ij->i", m.normals, m.centroids) > 0), ext


def test_nan_vertex_refused(tmp_path: Path) -> None:
    obj = _write(
        tmp_path / "bad.obj",
        "v 0 0 nan\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n",
    )
    with pytest.raises(InputError, match=r"bad\.obj: 1 vertices are NaN"):
        load_mesh(obj)


def test_zero_area_face_dropped_with_warning_or_refused(tmp_path: Path) -> None:
    obj = _write(
        tmp_path / "z.obj", TET_V + "v 0.5 0 0\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\nf 1 5 2\n"
    )
    with pytest.warns(MeshRepairWarning, match="1 zero-area faces"):
        m = load_mesh(obj)
    assert m.n_faces == 4
    with pytest.raises(InputError, match=r"z\.obj: 1 zero-area faces"):
        load_mesh(obj, repair=False)


def test_inconsistent_winding_repaired(tmp_path: Path) -> None:
    # face 2 wound the wrong way relative to its neighbours
    obj = _write(tmp_path / "w.obj", TET_V + "f 1 3 2\nf 1 4 2\nf 1 4 3\nf 2 3 4\n")
    with pytest.warns(MeshRepairWarning, match="inconsistent winding"):
        m = load_mesh(obj)
    c = m.vertices.mean(axis=0)
    assert np.all(np.einsum("ij,ij->i", m.normals, m.centroids - c) > 0)
    with pytest.raises(InputError, match="inconsistent face winding"):
        load_mesh(obj, repair=False)


def test_inside_out_body_flipped(tmp_path: Path) -> None:
    obj = _write(tmp_path / "inv.obj", TET_V + "f 1 2 3\nf 1 4 2\nf 1 3 4\nf 2 4 3\n")
    with pytest.warns(MeshRepairWarning, match="inside-out"):
        m = load_mesh(obj)
    c = m.vertices.mean(axis=0)
    assert np.all(np.einsum("ij,ij->i", m.normals, m.centroids - c) > 0)


def test_open_edges_refused_unless_allowed(tmp_path: Path) -> None:
    obj = _write(tmp_path / "open.obj", TET_V + "f 1 3 2\nf 1 2 4\nf 1 4 3\n")
    with pytest.raises(InputError, match=r"open\.obj: 3 open edges"):
        load_mesh(obj)
    with pytest.warns(MeshRepairWarning, match="open edges"):
        m = load_mesh(obj, allow_open=True)
    assert m.n_faces == 3


def test_bad_paths_and_options(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such mesh file"):
        load_mesh(tmp_path / "missing.stl")
    bad = _write(tmp_path / "m.xyz", "")
    with pytest.raises(InputError, match="unsupported mesh format"):
        load_mesh(bad)
    obj = _write(tmp_path / "t.obj", TET_V + "f 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n")
    with pytest.raises(InputError, match="length_unit_m"):
        load_mesh(obj, length_unit_m=0.0)
    with pytest.raises(InputError, match=r"line 5"):
        load_mesh(_write(tmp_path / "b.obj", TET_V + "f 1 x 2\n"))
    garbage = _write(tmp_path / "g.stl", "solid x\n facet nonsense\n")
    with pytest.raises(InputError, match=r"g\.stl"):
        load_mesh(garbage)
