"""Geometry: triangle surface models with regions, loaders, built-in vehicles, attitude, docking
and shadowing.

Heavy dependencies (trimesh, embreex) are imported lazily inside the functions that need them.
"""

from __future__ import annotations

from breachkit.geometry.attitude import Attitude, iss_flight_attitude
from breachkit.geometry.io import load_mesh
from breachkit.geometry.models import (
    ISS_PORTS,
    dock,
    iss_simplified,
    iss_with_ms22_and_ms21,
    progress_ms,
    soyuz_ms,
    vehicle_dimensions,
)
from breachkit.geometry.surface import DockingPort, MeshRepairWarning, SurfaceModel

__all__ = [
    "ISS_PORTS",
    "Attitude",
    "DockingPort",
    "MeshRepairWarning",
    "SurfaceModel",
    "dock",
    "iss_flight_attitude",
    "iss_simplified",
    "iss_with_ms22_and_ms21",
    "load_mesh",
    "progress_ms",
    "soyuz_ms",
    "vehicle_dimensions",
]
