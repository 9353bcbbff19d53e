"""A triangulated outer surface with named regions: the geometry every other part consumes.

Conventions
-----------
* Lengths in metres, areas in m².
* Faces are wound counter-clockwise seen from outside, so the right-hand normal
  ``(b - a) × (c - a)`` points **outward** (towards the space the face is exposed to).
* Every face belongs to exactly one region; ``region_names[region_index[i]]`` names face i's region.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = ["DockingPort", "MeshRepairWarning", "SurfaceModel"]


class MeshRepairWarning(UserWarning):
    """A mesh was repaired on load (faces dropped, winding flipped, vertices merged)."""


@dataclass(frozen=True)
class DockingPort:
    """A docking interface: where it is and which way it faces, in the model's frame.

    Parameters
    ----------
    name
        Port name, e.g. ``"rassvet_nadir"``.
    position_m
        (3,) centre of the docking interface plane [m].
    axis
        (3,) unit vector normal to the interface, pointing **out of** the body that owns the port
        (towards where a visiting vehicle sits) [-].
    up
        (3,) unit reference vector perpendicular to `axis`, fixing the roll about the axis [-].
    """

    name: str
    position_m: tuple[float, float, float]
    axis: tuple[float, float, float]
    up: tuple[float, float, float]

    def __post_init__(self) -> None:
        a = np.asarray(self.axis, dtype=float)
        u = np.asarray(self.up, dtype=float)
        if a.shape != (3,) or u.shape != (3,) or np.asarray(self.position_m).shape != (3,):
            raise InputError(f"port {self.name}: position, axis and up must be 3-vectors")
        if abs(np.linalg.norm(a) - 1) > 1e-9 or abs(np.linalg.norm(u) - 1) > 1e-9:
            raise InputError(f"port {self.name}: axis and up must be unit vectors")
        if abs(float(a @ u)) > 1e-9:
            raise InputError(f"port {self.name}: up must be perpendicular to axis")

    def frame(self) -> NDArray[np.float64]:
        """(3, 3) matrix whose columns are axis, up, axis × up."""
        a = np.asarray(self.axis, dtype=float)
        u = np.asarray(self.up, dtype=float)
        return np.stack([a, u, np.cross(a, u)], axis=1)

    def transformed(
        self, rotation: NDArray[np.float64], translation: NDArray[np.float64]
    ) -> DockingPort:
        """The port moved with its model: ``x' = rotation @ x + translation``."""
        p = rotation @ np.asarray(self.position_m, dtype=float) + translation
        a = rotation @ np.asarray(self.axis, dtype=float)
        u = rotation @ np.asarray(self.up, dtype=float)
        return DockingPort(
            self.name, _t3(p), _t3(a / np.linalg.norm(a)), _t3(u / np.linalg.norm(u))
        )


def _t3(v: NDArray[np.float64]) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))


@dataclass(frozen=True, eq=False)
class SurfaceModel:
    """A triangle surface with a region name per face.

    Parameters
    ----------
    vertices
        (nv, 3) vertex positions [m].
    faces
        (nf, 3) vertex indices of each triangle, counter-clockwise seen from outside.
    region_index
        (nf,) index into `region_names` of each face's region.
    region_names
        Names of the regions (unique).
    ports
        Docking ports of the model, in the same frame (optional).
    """

    vertices: NDArray[np.float64]
    faces: NDArray[np.int64]
    region_index: NDArray[np.int64]
    region_names: tuple[str, ...]
    ports: tuple[DockingPort, ...] = ()

    def __post_init__(self) -> None:
        v = np.ascontiguousarray(self.vertices, dtype=np.float64)
        f = np.ascontiguousarray(self.faces, dtype=np.int64)
        r = np.ascontiguousarray(self.region_index, dtype=np.int64)
        names = tuple(str(n) for n in self.region_names)
        if v.ndim != 2 or v.shape[1] != 3:
            raise InputError(f"SurfaceModel vertices: shape {v.shape} is not (nv, 3)")
        if f.ndim != 2 or f.shape[1] != 3:
            raise InputError(f"SurfaceModel faces: shape {f.shape} is not (nf, 3)")
        if r.shape != (f.shape[0],):
            raise InputError(
                f"SurfaceModel region_index: shape {r.shape} does not match {f.shape[0]} faces"
            )
        if f.size and (f.min() < 0 or f.max() >= v.shape[0]):
            raise InputError("SurfaceModel faces: a vertex index is out of range")
        if len(set(names)) != len(names):
            raise InputError(f"SurfaceModel region_names: duplicate names in {names}")
        if r.size and (r.min() < 0 or r.max() >= len(names)):
            raise InputError("SurfaceModel region_index: an index is out of range of region_names")
        if not np.all(np.isfinite(v)):
            raise InputError("SurfaceModel vertices: NaN or infinite coordinates")
        for arr in (v, f, r):
            arr.setflags(write=False)
        object.__setattr__(self, "vertices", v)
        object.__setattr__(self, "faces", f)
        object.__setattr__(self, "region_index", r)
        object.__setattr__(self, "region_names", names)
        object.__setattr__(self, "ports", tuple(self.ports))
        pnames = [p.name for p in self.ports]
        if len(set(pnames)) != len(pnames):
            raise InputError(f"SurfaceModel ports: duplicate names in {pnames}")

    # ------------------------------------------------------------------ derived quantities
    @property
    def n_faces(self) -> int:
        """Number of triangles."""
        return int(self.faces.shape[0])

    def __len__(self) -> int:
        return self.n_faces

    @cached_property
    def triangles(self) -> NDArray[np.float64]:
        """(nf, 3, 3) corner coordinates of each face [m]."""
        return self.vertices[self.faces]

    @cached_property
    def _cross(self) -> NDArray[np.float64]:
        t = self.triangles
        return np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])

    @cached_property
    def areas(self) -> NDArray[np.float64]:
        """(nf,) face areas [m²]."""
        a = 0.5 * np.linalg.norm(self._cross, axis=1)
        a.setflags(write=False)
        return a

    @cached_property
    def normals(self) -> NDArray[np.float64]:
        """(nf, 3) outward unit normals [-] (zero for a degenerate face)."""
        c = self._cross
        n = np.linalg.norm(c, axis=1, keepdims=True)
        out = np.divide(c, n, out=np.zeros_like(c), where=n > 0)
        out.setflags(write=False)
        return out

    @cached_property
    def centroids(self) -> NDArray[np.float64]:
        """(nf, 3) face centroids [m]."""
        c = self.triangles.mean(axis=1)
        c.setflags(write=False)
        return c

    @cached_property
    def bounds(self) -> NDArray[np.float64]:
        """(2, 3) lower and upper corners of the axis-aligned bounding box [m]."""
        return np.stack([self.vertices.min(axis=0), self.vertices.max(axis=0)])

    @property
    def scale(self) -> float:
        """Length of the bounding-box diagonal [m]."""
        return float(np.linalg.norm(self.bounds[1] - self.bounds[0]))

    def port(self, name: str) -> DockingPort:
        """The docking port called `name` (InputError if absent)."""
        for p in self.ports:
            if p.name == name:
                return p
        raise InputError(
            f"port {name!r}: not in this model (ports: {', '.join(p.name for p in self.ports) or 'none'})"
        )

    def region_of(self, name: str) -> int:
        """Index of region `name` (InputError if absent)."""
        try:
            return self.region_names.index(name)
        except ValueError:
            raise InputError(
                f"region {name!r}: not in this model (regions: {', '.join(self.region_names)})"
            ) from None

    def region_mask(self, names: str | Iterable[str]) -> NDArray[np.bool_]:
        """(nf,) True for faces in any of the named regions."""
        names = [names] if isinstance(names, str) else list(names)
        idx = [self.region_of(n) for n in names]
        return np.isin(self.region_index, idx)

    def region_areas(self) -> dict[str, float]:
        """Total area of each region [m²]."""
        s = np.bincount(self.region_index, weights=self.areas, minlength=len(self.region_names))
        return {n: float(a) for n, a in zip(self.region_names, s, strict=True)}

    # ------------------------------------------------------------------ operations
    def transformed(
        self, rotation: ArrayLike, translation: ArrayLike = (0.0, 0.0, 0.0)
    ) -> SurfaceModel:
        """The model moved rigidly: ``x' = rotation @ x + translation``.

        Parameters
        ----------
        rotation
            (3, 3) proper rotation matrix [-] (orthonormal, determinant +1).
        translation
            (3,) offset [m].
        """
        r = np.asarray(rotation, dtype=float)
        t = np.asarray(translation, dtype=float).reshape(3)
        if r.shape != (3, 3):
            raise InputError(f"rotation: shape {r.shape} is not (3, 3)")
        if not np.allclose(r @ r.T, np.eye(3), atol=1e-9) or np.linalg.det(r) < 0:
            raise InputError("rotation: not a proper rotation matrix (orthonormal, det +1)")
        return SurfaceModel(
            self.vertices @ r.T + t,
            self.faces,
            self.region_index,
            self.region_names,
            tuple(p.transformed(r, t) for p in self.ports),
        )

    def renamed(self, prefix: str) -> SurfaceModel:
        """The same model with every region name prefixed (``prefix + name``)."""
        return SurfaceModel(
            self.vertices,
            self.faces,
            self.region_index,
            tuple(prefix + n for n in self.region_names),
            tuple(replace(p, name=prefix + p.name) for p in self.ports),
        )

    @staticmethod
    def concatenate(models: Sequence[SurfaceModel]) -> SurfaceModel:
        """One model holding all faces of `models`; regions with the same name are merged.

        Ports are kept (their names must be distinct across the models).
        """
        if not models:
            raise InputError("SurfaceModel.concatenate: no models given")
        names: list[str] = []
        verts, faces, regs = [], [], []
        offset = 0
        for m in models:
            remap = np.empty(len(m.region_names), dtype=np.int64)
            for i, n in enumerate(m.region_names):
                if n not in names:
                    names.append(n)
                remap[i] = names.index(n)
            verts.append(m.vertices)
            faces.append(m.faces + offset)
            regs.append(remap[m.region_index] if m.n_faces else m.region_index)
            offset += m.vertices.shape[0]
        return SurfaceModel(
            np.concatenate(verts),
            np.concatenate(faces),
            np.concatenate(regs),
            tuple(names),
            tuple(p for m in models for p in m.ports),
        )

    def select_faces(self, mask: ArrayLike) -> SurfaceModel:
        """The sub-model of the faces where `mask` is True (unused vertices dropped)."""
        m = np.asarray(mask, dtype=bool)
        f = self.faces[m]
        used, inv = np.unique(f, return_inverse=True)
        return SurfaceModel(
            self.vertices[used],
            inv.reshape(-1, 3),
            self.region_index[m],
            self.region_names,
            self.ports,
        )

    def select_regions(self, names: str | Iterable[str]) -> SurfaceModel:
        """The sub-model of the named regions; region names of the result are only those kept."""
        names = [names] if isinstance(names, str) else list(names)
        sub = self.select_faces(self.region_mask(names))
        keep = [self.region_of(n) for n in dict.fromkeys(names)]
        remap = np.full(len(self.region_names), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        return SurfaceModel(
            sub.vertices,
            sub.faces,
            remap[sub.region_index],
            tuple(self.region_names[k] for k in keep),
            self.ports,
        )

    def subdivided(self) -> SurfaceModel:
        """Each triangle split into four at its edge midpoints (shared edges split once).

        The surface, its areas per region and its watertightness are unchanged; the face count
        is multiplied by 4.
        """
        f = self.faces
        edges = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
        key = np.sort(edges, axis=1)
        uniq, inv = np.unique(key, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        nv = self.vertices.shape[0]
        mids = 0.5 * (self.vertices[uniq[:, 0]] + self.vertices[uniq[:, 1]])
        nf = f.shape[0]
        m01, m12, m20 = (nv + inv[k * nf : (k + 1) * nf] for k in range(3))
        a, b, c = f[:, 0], f[:, 1], f[:, 2]
        # the four children of each face stay next to each other (spatial locality)
        new = np.stack(
            [
                np.stack([a, m01, m20], 1),
                np.stack([m01, b, m12], 1),
                np.stack([m20, m12, c], 1),
                np.stack([m01, m12, m20], 1),
            ],
            axis=1,
        ).reshape(-1, 3)
        return SurfaceModel(
            np.concatenate([self.vertices, mids]),
            new,
            np.repeat(self.region_index, 4),
            self.region_names,
            self.ports,
        )

    def refined(self, min_faces: int) -> SurfaceModel:
        """Subdivide (4-split) until the model has at least `min_faces` faces."""
        m = self
        if m.n_faces == 0:
            raise InputError("refined: the model has no faces")
        while m.n_faces < min_faces:
            m = m.subdivided()
        return m

    # ------------------------------------------------------------------ display
    def summary(self) -> dict[str, object]:
        """Face count, total area [m²], bounds [m] and area per region [m²]."""
        return {
            "faces": self.n_faces,
            "vertices": int(self.vertices.shape[0]),
            "area_m2": float(self.areas.sum()),
            "bounds_m": self.bounds.tolist(),
            "region_areas_m2": self.region_areas(),
        }

    def to_dict(self) -> dict[str, object]:
        """JSON-safe summary (not the full mesh)."""
        return self.summary()

    def __repr__(self) -> str:
        return (
            f"SurfaceModel(faces={self.n_faces}, vertices={self.vertices.shape[0]}, "
            f"regions={list(self.region_names)})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td>{a:.3f}</td></tr>" for n, a in self.region_areas().items()
        )
        return (
            f"<p>SurfaceModel: {self.n_faces} faces, {self.areas.sum():.2f} m²</p>"
            f"<table><tr><th>region</th><th>area [m²]</th></tr>{rows}</table>"
        )

    def __rich__(self) -> object:
        from rich.table import Table

        t = Table(title=f"SurfaceModel: {self.n_faces} faces")
        t.add_column("region")
        t.add_column("area [m²]", justify="right")
        for n, a in self.region_areas().items():
            t.add_row(n, f"{a:.3f}")
        return t
