"""Spatial ordering helpers shared by the ray tracer and the risk engine."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["morton_codes"]


def morton_codes(points: NDArray[np.float64]) -> NDArray[np.int64]:
    """3-D Morton (Z-order) code of each point, 10 bits per axis over the points' bounding cube."""
    if points.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    lo = points.min(axis=0)
    ext = float((points.max(axis=0) - lo).max()) or 1.0
    q = np.clip(((points - lo) / ext * 1023).astype(np.int64), 0, 1023)

    def spread(x: NDArray[np.int64]) -> NDArray[np.int64]:
        x = (x | (x << 16)) & 0x30000FF
        x = (x | (x << 8)) & 0x300F00F
        x = (x | (x << 4)) & 0x30C30C3
        return (x | (x << 2)) & 0x9249249

    return spread(q[:, 0]) | (spread(q[:, 1]) << 1) | (spread(q[:, 2]) << 2)
