"""Closed triangle meshes of simple solids, wound outward, with a region per part.

Every builder returns a `SurfaceModel`. Axes: surfaces of revolution are built about the +x axis
and then moved with `SurfaceModel.transformed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit.geometry.surface import SurfaceModel

__all__ = ["box", "revolve", "rotation_between", "spheroid_profile"]


def _orient_outward(
    vertices: NDArray[np.float64], faces: NDArray[np.int64], inside: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Flip faces whose normal points towards `inside` points (one per face)."""
    t = vertices[faces]
    n = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])
    c = t.mean(axis=1)
    flip = np.einsum("ij,ij->i", n, c - inside) < 0
    out = faces.copy()
    out[flip] = out[flip][:, [0, 2, 1]]
    return out


def revolve(
    x: ArrayLike,
    r: ArrayLike,
    band_regions: Sequence[str],
    *,
    segments: int = 32,
    cap_regions: tuple[str | None, str | None] = (None, None),
    azimuth_region: Callable[[NDArray[np.float64], NDArray[np.int64]], NDArray[np.bool_]]
    | None = None,
    azimuth_region_name: str | None = None,
) -> SurfaceModel:
    """A closed surface of revolution about the +x axis.

    Parameters
    ----------
    x
        (k,) increasing axial stations [m].
    r
        (k,) radius at each station [m], > 0.
    band_regions
        (k-1,) region name of each band between consecutive stations.
    segments
        Number of azimuth segments.
    cap_regions
        Region names of the flat end discs at x[0] (facing −x) and x[-1] (facing +x); ``None``
        leaves that end open (use only where another part closes it).
    azimuth_region, azimuth_region_name
        Optional: a function (azimuth of each quad's centre [rad], band index) → bool selecting
        side faces that belong to `azimuth_region_name` instead of their band's region (used
        for a coolant-line strip along a cylinder).
    """
    xs = np.asarray(x, dtype=float)
    rs = np.asarray(r, dtype=float)
    k = xs.size
    if rs.shape != xs.shape or k < 2 or len(band_regions) != k - 1:
        raise InputError("revolve: x, r and band_regions do not match")
    if np.any(rs <= 0) or np.any(np.diff(xs) < 0):
        raise InputError("revolve: radii must be > 0 and stations non-decreasing")
    phi = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    ring = np.stack(
        [
            np.repeat(xs, segments),
            np.outer(rs, np.cos(phi)).ravel(),
            np.outer(rs, np.sin(phi)).ravel(),
        ],
        axis=1,
    )
    names: list[str] = []

    def rid(name: str) -> int:
        if name not in names:
            names.append(name)
        return names.index(name)

    i = np.arange(k - 1)[:, None]
    j = np.arange(segments)[None, :]
    j1 = (j + 1) % segments
    a = (i * segments + j).ravel()
    b = (i * segments + j1).ravel()
    c = ((i + 1) * segments + j1).ravel()
    d = ((i + 1) * segments + j).ravel()
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    band = np.broadcast_to(i, (k - 1, segments)).ravel()
    reg = np.array([rid(n) for n in band_regions], dtype=np.int64)[band]
    if azimuth_region is not None and azimuth_region_name is not None:
        az = np.broadcast_to((phi + np.pi / segments)[None, :], (k - 1, segments)).ravel()
        sel = np.asarray(azimuth_region(az, band), dtype=bool)
        reg = np.where(sel, rid(azimuth_region_name), reg)
    reg = np.concatenate([reg, reg])
    verts = ring
    # Winding (a, b, c) with a→b along +φ and a→c along the profile gives the normal
    # dx·e_r − dr·e_x, the outward normal of a solid whose profile has non-decreasing x.
    face_list = [faces]
    reg_list = [reg]
    for end, cap in ((0, cap_regions[0]), (k - 1, cap_regions[1])):
        if cap is None:
            continue
        centre = verts.shape[0]
        verts = np.concatenate([verts, [[xs[end], 0.0, 0.0]]])
        jj = np.arange(segments)
        ring_a = end * segments + jj
        ring_b = end * segments + (jj + 1) % segments
        cen = np.full(segments, centre)
        # (centre, j, j+1) faces +x; reverse it for the aft cap
        fc = np.stack([cen, ring_a, ring_b], 1) if end else np.stack([cen, ring_b, ring_a], 1)
        face_list.append(fc)
        reg_list.append(np.full(segments, rid(cap)))
    f = np.concatenate(face_list)
    # drop degenerate faces where consecutive stations coincide with equal radius
    t = verts[f]
    area2 = np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)
    keep = area2 > 1e-12
    return SurfaceModel(verts, f[keep], np.concatenate(reg_list)[keep], tuple(names))


def spheroid_profile(
    x0: float, length: float, radius: float, n: int = 8, cut: float = 0.97
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Stations (x, r) of a spheroid of given length [m] and equatorial radius [m] from x0.

    The poles are cut at ``cut`` of the semi-axis (flat caps close them).
    """
    t = np.linspace(-np.arcsin(cut), np.arcsin(cut), n)
    half = 0.5 * length
    return x0 + half + half * np.sin(t), radius * np.cos(t)


def box(
    size: ArrayLike, region: str, *, center: ArrayLike = (0, 0, 0), divisions: ArrayLike = (1, 1, 1)
) -> SurfaceModel:
    """A closed axis-aligned box [m] split into a grid of (divisions) quads per side."""
    s = np.asarray(size, dtype=float)
    ctr = np.asarray(center, dtype=float)
    nd = np.maximum(np.asarray(divisions, dtype=int), 1)
    if np.any(s <= 0):
        raise InputError(f"box {region}: size {s.tolist()} must be > 0")
    parts = []
    for axis in range(3):
        u, v = [a for a in range(3) if a != axis]
        for sign in (-1.0, 1.0):
            gu = np.linspace(-0.5, 0.5, nd[u] + 1) * s[u]
            gv = np.linspace(-0.5, 0.5, nd[v] + 1) * s[v]
            uu, vv = np.meshgrid(gu, gv, indexing="ij")
            pts = np.zeros((uu.size, 3))
            pts[:, u] = uu.ravel()
            pts[:, v] = vv.ravel()
            pts[:, axis] = sign * 0.5 * s[axis]
            nv = nd[v] + 1
            i = np.arange(nd[u])[:, None]
            j = np.arange(nd[v])[None, :]
            a = (i * nv + j).ravel()
            b = ((i + 1) * nv + j).ravel()
            c = ((i + 1) * nv + j + 1).ravel()
            d = (i * nv + j + 1).ravel()
            f = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
            f = _orient_outward(pts, f, np.zeros((f.shape[0], 3)))
            parts.append(
                SurfaceModel(pts + ctr, f, np.zeros(f.shape[0], dtype=np.int64), (region,))
            )
    m = SurfaceModel.concatenate(parts)
    return _weld(m)


def _weld(m: SurfaceModel, tol: float = 1e-9) -> SurfaceModel:
    """Merge vertices closer than `tol` [m] (after rounding) so that edges are shared."""
    key = np.round(m.vertices / tol).astype(np.int64)
    _, first, inv = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return SurfaceModel(m.vertices[first], inv.reshape(-1)[m.faces], m.region_index, m.region_names)


def rotation_between(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """The proper rotation matrix taking unit vector a to unit vector b (shortest arc)."""
    ua = np.asarray(a, dtype=float)
    ub = np.asarray(b, dtype=float)
    ua = ua / np.linalg.norm(ua)
    ub = ub / np.linalg.norm(ub)
    v = np.cross(ua, ub)
    c = float(np.dot(ua, ub))
    if c < -1 + 1e-12:
        # 180°: rotate about any axis perpendicular to a
        p = np.array([1.0, 0, 0]) if abs(ua[0]) < 0.9 else np.array([0, 1.0, 0])
        axis = np.cross(ua, p)
        axis /= np.linalg.norm(axis)
        return 2 * np.outer(axis, axis) - np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx / (1 + c)
