"""Small objects for the risk tests: shields, populations and meshes built from arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from breachkit.environment.directional import DirectionGrid, Environment, Population

DIAMETERS = np.logspace(-6, 0, 61)  # 1 µm .. 1 m


def power_law_population(
    name: str,
    grid: DirectionGrid,
    flux_per_dir: np.ndarray,
    speeds: np.ndarray,
    speed_weights: np.ndarray,
    *,
    slope: float = 2.5,
    kind: str = "debris",
    density: float = 2800.0,
) -> Population:
    """F(≥d) = flux · (d/1e-4 m)^-slope on the given grid (reference diameter 100 µm)."""
    flux = np.outer(flux_per_dir, speed_weights / speed_weights.sum())
    frac = (DIAMETERS / 1e-4) ** (-slope)
    return Population(
        name=name,
        kind=kind,
        directions=grid,
        speed_m_s=speeds,
        flux=flux,
        reference_diameter_m=1e-4,
        diameter_grid_m=DIAMETERS,
        cumulative_fraction=frac,
        density_kg_m3=density,
        source="test power law",
    )


def isotropic(name: str, n: int, total_flux: float, **kw) -> Population:
    grid = DirectionGrid.fibonacci(n)
    return power_law_population(
        name, grid, np.full(n, total_flux / n), np.array([7e3, 12e3]), np.array([1.0, 1.0]), **kw
    )


@dataclass
class ConstantShield:
    """A test shield with a fixed critical diameter (follows the risk Shield protocol)."""

    critical_diameter_m: float
    failure_area_fraction: float = 1.0
    name: str = "test-constant"
    source: str = "test"
    assumptions: list[str] = field(default_factory=list)

    def critical_diameter(self, speed_m_s, angle_rad, projectile_density_kg_m3):
        return np.full(np.broadcast(speed_m_s, angle_rad).shape, self.critical_diameter_m)


@dataclass
class CosineShield:
    """d_c = d0 · (7 km/s / v)^(2/3) / cos(θ)^(1/2)·… an angle- and speed-dependent test BLE."""

    d0: float
    failure_area_fraction: float = 1.0
    name: str = "test-cosine"
    source: str = "test"
    assumptions: list[str] = field(default_factory=list)

    def critical_diameter(self, speed_m_s, angle_rad, projectile_density_kg_m3):
        v = np.asarray(speed_m_s, dtype=float)
        c = np.maximum(np.cos(np.asarray(angle_rad, dtype=float)), np.cos(np.radians(75.0)))
        return self.d0 * (7e3 / v) ** (2.0 / 3.0) * c ** (-0.5)


def env(*pops: Population) -> Environment:
    return Environment(tuple(pops))


def box_mesh(half: tuple[float, float, float], center=(0.0, 0.0, 0.0)):
    """Vertices and triangles of an axis-aligned box, outward-wound."""
    import trimesh

    m = trimesh.creation.box(extents=2 * np.asarray(half, dtype=float))
    m.apply_translation(center)
    return np.asarray(m.vertices), np.asarray(m.faces)


def plate_mesh(half_w: float, z: float, up: bool = True):
    """A square plate (two triangles) in the plane z, normal +z (up) or −z."""
    v = np.array(
        [[-half_w, -half_w, z], [half_w, -half_w, z], [half_w, half_w, z], [-half_w, half_w, z]]
    )
    f = np.array([[0, 1, 2], [0, 2, 3]]) if up else np.array([[0, 2, 1], [0, 3, 2]])
    return v, f


def faces_from(vertices, triangles, region_index, region_names):
    """A risk FaceSet from raw vertices/triangles."""
    from breachkit.risk import FaceSet

    tri = vertices[triangles]
    cr = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = 0.5 * np.linalg.norm(cr, axis=1)
    return FaceSet(
        cr / (2 * area[:, None]),
        area,
        np.asarray(region_index),
        tuple(region_names),
        tri.mean(axis=1),
    )


def ray_visibility(vertices, triangles):
    """Test oracle: brute-force Möller–Trumbore visibility (face centroid → direction)."""
    tri = vertices[triangles]
    v0, e1, e2 = tri[:, 0], tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    cent = tri.mean(axis=1)

    def vis(idx, dirs):
        out = np.ones((idx.size, dirs.shape[0]), dtype=bool)
        for a, i in enumerate(idx):
            o = cent[i]
            for k, d in enumerate(dirs):
                p = np.cross(d, e2)
                det = np.einsum("ij,ij->i", e1, p)
                ok = np.abs(det) > 1e-14
                inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
                s = o - v0
                u = np.einsum("ij,ij->i", s, p) * inv
                q = np.cross(s, e1)
                v = (q @ d) * inv
                t = np.einsum("ij,ij->i", e2, q) * inv
                hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 1e-9)
                hit[i] = False
                out[a, k] = not hit.any()
        return out

    return vis
