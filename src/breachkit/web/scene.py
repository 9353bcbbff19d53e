"""The workbench's 3-D scene: `breachkit.investigate.scene.build_scene` (presentation only)."""

from __future__ import annotations

from breachkit.investigate.scene import build_scene, direction_from_az_el

__all__ = ["build_scene", "direction_from_az_el"]
