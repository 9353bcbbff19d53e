"""Load triangle meshes (STL, OBJ, PLY, glTF/GLB) into a `SurfaceModel`, checked and tagged.

* OBJ is read by breachkit's own reader (it keeps ``g``/``o`` group and ``usemtl`` material names
  per face exactly); STL, PLY, glTF and GLB go through trimesh (``pip install
  'breachkit[geometry]'``), whose scene geometry names and material names tag the faces.
* Regions: ``"groups"`` (OBJ groups/objects, glTF meshes, STL solids), ``"materials"``, a TOML
  file or a mapping ``{region: [name glob | [first_face, stop_face], ...]}``; by default groups
  when the file has several, else one region named after the file.
* Checks, in this order: NaN/infinite vertices used by a face (refused), duplicate vertices
  (merged silently), degenerate faces (zero area or repeated vertex: dropped with a
  `MeshRepairWarning`), inconsistent winding (re-oriented with a warning), closed bodies wound
  inside-out (flipped with a warning), open edges (refused unless ``allow_open=True``, then
  warned). With ``repair=False`` every repairable problem is refused instead.
"""

from __future__ import annotations

import fnmatch
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.geometry.surface import MeshRepairWarning, SurfaceModel

__all__ = ["check_mesh", "load_mesh"]

_FORMATS = {".stl", ".obj", ".ply", ".gltf", ".glb"}


def _trimesh() -> Any:
    try:
        import trimesh
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "loading meshes needs trimesh: pip install 'breachkit[geometry]'"
        ) from exc
    return trimesh


#: Largest vertex index and coordinate an OBJ file may hold (2³¹ vertices; 10⁶ file units is
#: 1000 km in metres): beyond, the number is damaged, not a spacecraft.
_MAX_INDEX = 2**31
_MAX_COORDINATE = 1e6


def _read_obj(path: Path) -> tuple[NDArray[np.float64], NDArray[np.int64], list[str], list[str]]:
    """Vertices, triangles (polygons fan-split) and per-face group and material names."""
    verts: list[list[float]] = []
    faces: list[tuple[int, int, int]] = []
    groups: list[str] = []
    mats: list[str] = []
    group, mat = "", ""
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            key = parts[0]
            try:
                if key == "v":
                    verts.append([float(x) for x in parts[1:4]])
                    if len(parts) < 4:
                        raise ValueError("fewer than 3 coordinates")
                elif key in ("g", "o"):
                    group = " ".join(parts[1:]) or group
                elif key == "usemtl":
                    mat = " ".join(parts[1:])
                elif key == "f":
                    idx = []
                    for tok in parts[1:]:
                        i = int(tok.split("/")[0])
                        if abs(i) > _MAX_INDEX:
                            raise ValueError(f"vertex index {i} is out of any mesh's range")
                        idx.append(i - 1 if i > 0 else len(verts) + i)
                    if len(idx) < 3:
                        raise ValueError("a face needs at least 3 vertices")
                    for k in range(1, len(idx) - 1):
                        faces.append((idx[0], idx[k], idx[k + 1]))
                        groups.append(group)
                        mats.append(mat)
            except ValueError as exc:
                raise InputError(f"{path}: line {lineno}: {exc}") from None
    v = np.array(verts, dtype=float).reshape(-1, 3)
    f = np.array(faces, dtype=np.int64).reshape(-1, 3)
    big = np.isfinite(v) & (np.abs(v) > _MAX_COORDINATE)
    if big.any():
        k = int(np.nonzero(big.any(axis=1))[0][0])
        raise InputError(
            f"{path}: vertex {k + 1} has a coordinate beyond {_MAX_COORDINATE:g} file units "
            "(no spacecraft is that large: a damaged number or a unit slip)"
        )
    if f.size and (f.min() < 0 or f.max() >= v.shape[0]):
        raise InputError(f"{path}: a face refers to a vertex that does not exist")
    return v, f, groups, mats


def _read_trimesh(
    path: Path,
) -> tuple[NDArray[np.float64], NDArray[np.int64], list[str], list[str]]:
    trimesh = _trimesh()
    try:
        loaded = trimesh.load(str(path), process=False)
    except Exception as exc:  # trimesh raises many types on bad files
        raise InputError(
            f"{path}: cannot be read as a mesh ({type(exc).__name__}: {exc})"
        ) from None
    items: list[tuple[str, Any, NDArray[np.float64]]] = []
    if isinstance(loaded, trimesh.Scene):
        for node in loaded.graph.nodes_geometry:
            transform, gname = loaded.graph[node]
            items.append((str(gname), loaded.geometry[gname], np.asarray(transform, dtype=float)))
    elif isinstance(loaded, trimesh.Trimesh):
        items.append((path.stem, loaded, np.eye(4)))
    else:
        raise InputError(f"{path}: holds no triangle mesh (got {type(loaded).__name__})")
    verts, faces, groups, mats = [], [], [], []
    off = 0
    for name, g, tf in items:
        if not isinstance(g, trimesh.Trimesh):
            continue
        v = np.asarray(g.vertices, dtype=float)
        v = v @ tf[:3, :3].T + tf[:3, 3]
        f = np.asarray(g.faces, dtype=np.int64)
        if np.linalg.det(tf[:3, :3]) < 0:
            f = f[:, [0, 2, 1]]
        mat = getattr(getattr(g.visual, "material", None), "name", None) or ""
        verts.append(v)
        faces.append(f + off)
        groups += [name] * f.shape[0]
        mats += [str(mat)] * f.shape[0]
        off += v.shape[0]
    if not faces:
        raise InputError(f"{path}: holds no triangle mesh")
    return np.concatenate(verts), np.concatenate(faces), groups, mats


def _region_spec(
    regions: str | Path | Mapping[str, Sequence[Any]] | None, path: Path
) -> tuple[str, Mapping[str, Sequence[Any]] | None, str]:
    """(mode, mapping, label) where mode is auto/groups/materials/mapping."""
    if regions is None:
        return "auto", None, ""
    if isinstance(regions, Mapping):
        return "mapping", regions, "regions mapping"
    if isinstance(regions, str) and regions in ("groups", "materials"):
        return regions, None, ""
    p = Path(regions)
    if p.suffix.lower() != ".toml":
        raise InputError(f"regions: {regions!r} is not 'groups', 'materials' or a .toml file")
    if not p.is_file():
        raise InputError(f"regions: {p}: no such file")
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{p}: not valid TOML ({exc})") from None
    table = data.get("regions")
    if not isinstance(table, dict) or not table:
        raise InputError(f"{p}: [regions] table missing or empty")
    return "mapping", table, str(p)


def _assign(
    path: Path,
    mode: str,
    mapping: Mapping[str, Sequence[Any]] | None,
    label: str,
    groups: list[str],
    mats: list[str],
) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    nf = len(groups)
    if mode == "auto":
        mode = "groups" if len(set(groups)) > 1 else "single"
    if mode == "single":
        return np.zeros(nf, dtype=np.int64), (path.stem,)
    if mode in ("groups", "materials"):
        keys = groups if mode == "groups" else mats
        keys = [k or "default" for k in keys]
        names = tuple(dict.fromkeys(keys))
        lut = {n: i for i, n in enumerate(names)}
        return np.array([lut[k] for k in keys], dtype=np.int64), names
    assert mapping is not None
    idx = np.full(nf, -1, dtype=np.int64)
    names = tuple(str(k) for k in mapping)
    garr = np.array(groups, dtype=object)
    marr = np.array(mats, dtype=object)
    for r, (region, items) in enumerate(mapping.items()):
        if not isinstance(items, list | tuple):
            raise InputError(
                f"{label}: region {region!r}: expected a list of names or [first, stop] face ranges"
            )
        for it in items:
            if isinstance(it, str):
                sel = np.array([fnmatch.fnmatchcase(g, it) for g in garr], dtype=bool)
                sel |= np.array([fnmatch.fnmatchcase(m, it) for m in marr], dtype=bool)
                idx[(idx < 0) & sel] = r
            elif (
                isinstance(it, list | tuple)
                and len(it) == 2
                and all(isinstance(x, int) for x in it)
            ):
                a, b = int(it[0]), int(it[1])
                if not 0 <= a < b <= nf:
                    raise InputError(
                        f"{label}: region {region!r}: face range [{a}, {b}) outside 0..{nf}"
                    )
                idx[a:b] = r
            else:
                raise InputError(
                    f"{label}: region {region!r}: item {it!r} is neither a name glob nor [first, stop]"
                )
    missing = np.nonzero(idx < 0)[0]
    if missing.size:
        what = groups[missing[0]] or mats[missing[0]] or "(unnamed)"
        raise InputError(
            f"{path}: {missing.size} faces (first: face {missing[0]}, group/material {what!r}) match no region in {label}; add a '*' entry to catch the rest"
        )
    return idx, names


def check_mesh(
    vertices: NDArray[np.float64],
    faces: NDArray[np.int64],
    region_index: NDArray[np.int64],
    *,
    source: str,
    repair: bool = True,
    allow_open: bool = False,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Check and repair a raw triangle mesh (see the module docstring); returns the fixed arrays."""
    v = np.asarray(vertices, dtype=float)
    f = np.asarray(faces, dtype=np.int64)
    r = np.asarray(region_index, dtype=np.int64)
    if f.shape[0] == 0:
        raise InputError(f"{source}: the mesh has no faces")

    def problem(msg: str) -> None:
        if not repair:
            raise InputError(f"{source}: {msg}")
        warnings.warn(f"{source}: {msg} (repaired)", MeshRepairWarning, stacklevel=3)

    bad_v = ~np.all(np.isfinite(v), axis=1)
    if bad_v.any():
        used_bad = np.unique(f[bad_v[f].any(axis=1)])
        if used_bad.size:
            raise InputError(
                f"{source}: {int(bad_v.sum())} vertices are NaN or infinite (first: vertex {int(np.nonzero(bad_v)[0][0])}), used by faces; cannot repair"
            )
        v = np.where(bad_v[:, None], 0.0, v)
    scale = float(np.linalg.norm(np.ptp(v[np.unique(f)], axis=0))) or 1.0
    # merge duplicate vertices (STL stores each corner separately)
    key = np.round(v / (1e-9 * scale)).astype(np.int64)
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inv = inv.reshape(-1)
    v = v[first]
    f = inv[f]
    # degenerate faces
    t = v[f]
    area2 = np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)
    degenerate = (
        (area2 <= 1e-12 * scale * scale)
        | (f[:, 0] == f[:, 1])
        | (f[:, 1] == f[:, 2])
        | (f[:, 0] == f[:, 2])
    )
    if degenerate.any():
        if degenerate.all():
            raise InputError(f"{source}: every face has zero area")
        problem(
            f"{int(degenerate.sum())} zero-area faces (first: face {int(np.nonzero(degenerate)[0][0])}) dropped"
        )
        f, r = f[~degenerate], r[~degenerate]
    # edges
    e = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    und = np.sort(e, axis=1)
    _, uinv, ucount = np.unique(und, axis=0, return_inverse=True, return_counts=True)
    open_edges = int((ucount == 1).sum())
    nonmanifold = int((ucount > 2).sum())
    # inconsistent: an edge shared by exactly two faces that both traverse it the same way
    manifold = ucount[uinv.reshape(-1)] == 2
    _, dcount = np.unique(e[manifold], axis=0, return_counts=True)
    if (dcount > 1).any():
        if not repair:
            raise InputError(f"{source}: inconsistent face winding (neighbouring normals disagree)")
        f, n_flipped = _fix_winding(f)
        problem(
            f"inconsistent winding: {n_flipped} faces re-oriented to agree with their neighbours"
        )
    if open_edges:
        msg = f"{open_edges} open edges (the surface is not closed)"
        if not allow_open:
            raise InputError(f"{source}: {msg}; pass allow_open=True for deliberate open panels")
        warnings.warn(
            f"{source}: {msg}; outward normals are taken as wound", MeshRepairWarning, stacklevel=2
        )
    elif nonmanifold == 0:
        # closed: the signed volume of each connected body must be positive (outward normals)
        f = _orient_bodies(v, f, problem)
    return v, f, r


def _fix_winding(f: NDArray[np.int64]) -> tuple[NDArray[np.int64], int]:
    """Re-orient faces so that neighbours across each two-face edge agree (breadth-first from
    the first face of each connected patch). Returns the faces and the number flipped."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    nf = f.shape[0]
    e = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    owner = np.tile(np.arange(nf), 3)
    und = np.sort(e, axis=1)
    _, inv, cnt = np.unique(und, axis=0, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    two = cnt[inv] == 2
    order = np.argsort(inv[two], kind="stable")
    e2 = e[two][order]
    fa = owner[two][order][0::2]
    fb = owner[two][order][1::2]
    disagree = np.all(e2[0::2] == e2[1::2], axis=1)  # same directed edge: normals disagree
    g = coo_matrix((np.ones(fa.size), (fa, fb)), shape=(nf, nf)).tocsr()
    g = (g + g.T).tocsr()
    rel = coo_matrix((disagree.astype(float) + 1.0, (fa, fb)), shape=(nf, nf)).tocsr()
    rel = (rel + rel.T).tocsr()  # 2 = disagree, 1 = agree
    flip = np.zeros(nf, dtype=bool)
    _, labels = connected_components(g, directed=False)
    for seed in np.unique(labels, return_index=True)[1]:
        nodes, pred = breadth_first_order(g, int(seed), directed=False)
        for node in nodes[1:]:
            parent = pred[node]
            flip[node] = flip[parent] ^ (rel[parent, node] == 2)
    out = f.copy()
    out[flip] = out[flip][:, [0, 2, 1]]
    return out, int(flip.sum())


def _orient_bodies(v: NDArray[np.float64], f: NDArray[np.int64], problem: Any) -> NDArray[np.int64]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = v.shape[0]
    a = np.concatenate([f[:, 0], f[:, 1], f[:, 2]])
    b = np.concatenate([f[:, 1], f[:, 2], f[:, 0]])
    g = coo_matrix((np.ones(a.size), (a, b)), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    body = lab[f[:, 0]]
    t = v[f]
    vol6 = np.einsum("ij,ij->i", t[:, 0], np.cross(t[:, 1], t[:, 2]))
    vol = np.bincount(body, weights=vol6)
    inverted = np.nonzero(vol < 0)[0]
    if inverted.size:
        sel = np.isin(body, inverted)
        problem(f"{inverted.size} closed bodies wound inside-out ({int(sel.sum())} faces flipped)")
        f = f.copy()
        f[sel] = f[sel][:, [0, 2, 1]]
    return f


def load_mesh(
    path: str | Path,
    *,
    length_unit_m: float = 1.0,
    regions: str | Path | Mapping[str, Sequence[Any]] | None = None,
    repair: bool = True,
    allow_open: bool = False,
) -> SurfaceModel:
    """Read a mesh file into a checked `SurfaceModel`.

    Parameters
    ----------
    path
        An ``.stl``, ``.obj``, ``.ply``, ``.gltf`` or ``.glb`` file.
    length_unit_m
        Length of one file unit [m] (e.g. 0.001 for a file in millimetres).
    regions
        ``None`` (groups if several, else one region named after the file), ``"groups"``,
        ``"materials"``, a ``.toml`` file with a ``[regions]`` table, or a mapping
        ``{region: [name glob or [first_face, stop_face], ...]}``.
    repair
        Repair what can be repaired, with a `MeshRepairWarning`; False refuses instead.
    allow_open
        Accept open edges (a deliberate open panel) with a warning.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such mesh file")
    ext = p.suffix.lower()
    if ext not in _FORMATS:
        raise InputError(
            f"{p}: unsupported mesh format {ext!r} (use {', '.join(sorted(_FORMATS))})"
        )
    if not np.isfinite(length_unit_m) or length_unit_m <= 0:
        raise InputError(f"length_unit_m: {length_unit_m} must be finite and > 0")
    mode, mapping, label = _region_spec(regions, p)
    v, f, groups, mats = _read_obj(p) if ext == ".obj" else _read_trimesh(p)
    if f.shape[0] == 0:
        raise InputError(f"{p}: the mesh has no faces")
    ridx, names = _assign(p, mode, mapping, label, groups, mats)
    v, f, ridx = check_mesh(
        v * length_unit_m, f, ridx, source=str(p), repair=repair, allow_open=allow_open
    )
    used = np.unique(f)
    remap = np.full(v.shape[0], -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    return SurfaceModel(v[used], remap[f], ridx, names)
