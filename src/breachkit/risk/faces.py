"""The faces the risk engine integrates over (`FaceSet`): normals, areas, regions, the mesh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError


@dataclass(frozen=True, eq=False)
class FaceSet:
    """The faces the engine needs: normals, areas, regions (and the mesh, to ray-trace and plot).

    Parameters
    ----------
    normals
        (nf, 3) outward unit normals in the body frame [-].
    areas
        (nf,) face areas [m²], > 0.
    region_index
        (nf,) index into `region_names` of each face.
    region_names
        Region names.
    centroids
        (nf, 3) face centroids [m] (optional; used for plots).
    surface
        The `breachkit.geometry.SurfaceModel` these faces came from, if any (for ray tracing).
    """

    normals: NDArray[np.float64]
    areas: NDArray[np.float64]
    region_index: NDArray[np.intp]
    region_names: tuple[str, ...]
    centroids: NDArray[np.float64] | None = None
    surface: Any = None

    def __post_init__(self) -> None:
        n = np.asarray(self.normals, dtype=float)
        a = np.asarray(self.areas, dtype=float).reshape(-1)
        r = np.asarray(self.region_index).reshape(-1)
        if n.ndim != 2 or n.shape[1] != 3 or n.shape[0] != a.size or r.size != a.size:
            raise InputError(
                f"faces: normals {n.shape}, areas {a.shape} and region_index {r.shape} disagree"
            )
        bad = np.flatnonzero(~np.isfinite(n).all(axis=1) | ~np.isfinite(a))
        if bad.size:
            raise InputError(f"faces: face {int(bad[0])} has a NaN or infinite normal or area")
        bad = np.flatnonzero(a <= 0)
        if bad.size:
            raise InputError(f"faces: face {int(bad[0])} has zero area ({bad.size} such faces)")
        norms = np.linalg.norm(n, axis=1)
        if not np.allclose(norms, 1.0, atol=1e-6):
            raise InputError("faces: normals must have unit length")
        if not np.issubdtype(r.dtype, np.integer) or (
            r.size and (r.min() < 0 or r.max() >= len(self.region_names))
        ):
            raise InputError("faces: region_index must index region_names")
        object.__setattr__(self, "normals", n)
        object.__setattr__(self, "areas", a)
        object.__setattr__(self, "region_index", r.astype(np.intp))
        object.__setattr__(self, "region_names", tuple(self.region_names))
        if self.centroids is not None:
            object.__setattr__(self, "centroids", np.asarray(self.centroids, dtype=float))

    def __len__(self) -> int:
        return int(self.areas.size)

    @classmethod
    def from_surface(cls, model: Any) -> FaceSet:
        """Faces of a `breachkit.geometry.SurfaceModel` (anything with normals, areas, regions)."""
        return cls(
            normals=np.asarray(model.normals, dtype=float),
            areas=np.asarray(model.areas, dtype=float),
            region_index=np.asarray(model.region_index),
            region_names=tuple(model.region_names),
            centroids=np.asarray(model.centroids, dtype=float),
            surface=model,
        )
