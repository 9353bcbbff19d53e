"""Line of sight from a region of a surface model to a distant point source (a meteor-shower
radiant): the area fraction that faces it, and the fraction that also sees it past the rest of
the model (station shadowing, `breachkit.geometry.visibility`).

For faces i of the region with areas Aᵢ and outward unit normals nᵢ, and a unit direction u
towards the source (in the model's frame):

    f_facing(u)  = Σᵢ Aᵢ [nᵢ·u > 0] / Σᵢ Aᵢ
    f_clear(u)   = Σᵢ Aᵢ [nᵢ·u > 0] sᵢ(u) / Σᵢ Aᵢ
    Aₚ(u)        = Σᵢ Aᵢ max(0, nᵢ·u) sᵢ(u)          (projected unobstructed area [m²])

with sᵢ(u) ∈ [0, 1] the fraction of face i's sample points whose ray towards u leaves the
model without hitting another face (the ray tracer of `breachkit.geometry.shadowing`, one ray
per sample point; `samples_per_face` points per face on a barycentric lattice). f_facing is the
"no shadowing" fraction; f_clear ≤ f_facing. A parallel beam from a source at infinity is
assumed (a meteor stream: its particles arrive parallel to the apparent radiant). Geometry, not
a published model: the result is exact for the mesh up to the sampling of sᵢ (error ≲ one
sample spacing of the shadow edge, i.e. O(1/√samples_per_face) of a face at the edge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = ["RadiantLineOfSight", "radiant_line_of_sight", "region_faces"]


@dataclass(frozen=True)
class RadiantLineOfSight:
    """`radiant_line_of_sight` for nd directions: arrays of shape (nd,) (floats for one)."""

    fraction_facing: Any  # f_facing [1]: no shadowing
    fraction_clear: Any  # f_clear [1]: facing and unobstructed by the rest of the model
    projected_area_clear_m2: Any  # Aₚ [m²]
    projected_area_facing_m2: Any  # Σ A max(0, n·u), no shadowing [m²]
    area_m2: float  # Σ A of the region [m²]
    n_faces: int
    samples_per_face: int
    backend: str

    def to_dict(self) -> dict[str, Any]:
        def f(x: Any) -> Any:
            a = np.asarray(x, dtype=float)
            return float(a) if a.ndim == 0 else a.tolist()

        return {
            "fraction_facing": f(self.fraction_facing),
            "fraction_clear": f(self.fraction_clear),
            "projected_area_clear_m2": f(self.projected_area_clear_m2),
            "projected_area_facing_m2": f(self.projected_area_facing_m2),
            "area_m2": self.area_m2,
            "n_faces": self.n_faces,
            "samples_per_face": self.samples_per_face,
            "backend": self.backend,
        }


def region_faces(model: Any, region: str) -> NDArray[np.int64]:
    """Indices of the faces of `region` (its full name or its last component) in `model`."""
    names = list(model.region_names)
    match = [n for n in names if n == region or n.split("/")[-1] == region.split("/")[-1]]
    exact = [n for n in match if n == region]
    pick = exact or match
    if len(pick) != 1:
        raise InputError(
            f"region {region!r}: {'not' if not pick else 'ambiguous'} in the model "
            f"(regions: {', '.join(names)})"
        )
    return np.flatnonzero(np.asarray(model.region_index) == names.index(pick[0])).astype(np.int64)


def radiant_line_of_sight(
    model: Any,
    faces: ArrayLike | Sequence[int],
    directions: ArrayLike,
    *,
    samples_per_face: int = 16,
    backend: str = "auto",
) -> RadiantLineOfSight:
    """Area fractions of the `faces` of `model` that face, and that see, a distant source.

    Parameters
    ----------
    model
        A `breachkit.geometry.SurfaceModel` holding everything that can block (station, docked
        vehicles), in the frame of `directions`.
    faces
        Indices of the region's faces in `model`.
    directions
        (3,) or (nd, 3) directions towards the source in the model's frame [-] (normalised).
    samples_per_face
        Ray origins per face (a square number) for the unobstructed fraction sᵢ.
    backend
        Ray tracer: ``"auto"``, ``"embree"`` or ``"numpy"`` (`breachkit.geometry.visibility`).
    """
    from breachkit.geometry.shadowing import visibility

    u = np.asarray(directions, dtype=float)
    single = u.ndim == 1
    u = np.atleast_2d(u)
    if u.shape[1:] != (3,) or not np.all(np.isfinite(u)):
        raise InputError("directions: need finite (3,) or (nd, 3) vectors")
    norm = np.linalg.norm(u, axis=1)
    if np.any(norm == 0):
        raise InputError("directions: a zero vector has no direction")
    u = u / norm[:, None]
    sel = np.asarray(faces, dtype=np.int64).ravel()
    if sel.size == 0:
        raise InputError("faces: the region has no faces")
    areas = np.asarray(model.areas, dtype=float)[sel]
    normals = np.asarray(model.normals, dtype=float)[sel]
    total = float(areas.sum())
    if not total > 0:
        raise InputError("faces: the region has zero area")
    cos = normals @ u.T  # (n_sel, nd)
    front = cos > 0
    vis = visibility(model, u, faces=sel, samples_per_face=samples_per_face, backend=backend)
    order = np.argsort(vis.faces, kind="stable")
    back = np.empty_like(order)
    back[np.argsort(sel, kind="stable")] = order  # vis rows → the order of `sel`
    clear = vis.fraction if vis.fraction is not None else vis.visible.astype(float)
    s = np.where(front, np.asarray(clear, dtype=float)[back], 0.0)
    f_face = (areas[:, None] * front).sum(axis=0) / total
    f_clear = (areas[:, None] * s).sum(axis=0) / total
    ap_face = (areas[:, None] * np.clip(cos, 0.0, None)).sum(axis=0)
    ap_clear = (areas[:, None] * np.clip(cos, 0.0, None) * s).sum(axis=0)

    def out(a: NDArray[np.float64]) -> Any:
        return float(a[0]) if single else a

    return RadiantLineOfSight(
        fraction_facing=out(f_face),
        fraction_clear=out(f_clear),
        projected_area_clear_m2=out(ap_clear),
        projected_area_facing_m2=out(ap_face),
        area_m2=total,
        n_faces=int(sel.size),
        samples_per_face=int(samples_per_face),
        backend=vis.backend,
    )
