"""The 3-D scene of a finished investigation: the station and vehicle mesh coloured by risk.

Presentation only: every number here is read from the risk stage's result (no physics). The scene
is the whole surface model of the risk run (body frame of the station, metres), each face carrying
its region and, for the faces the risk engine evaluated, its expected failures per m² over the
first exposure window; the camera target is the evaluated vehicle (the case's damaged region when
it is named); arrows give the ram direction and each shower's radiant at the incident (both turned
from LVLH into the body frame with the run's attitude), and the leak location where the case gives
it as a point.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["build_scene", "direction_from_az_el"]

MAX_FACES = 120_000  # above this the station's non-evaluated faces are thinned for the browser


def direction_from_az_el(azimuth_deg: float, elevation_deg: float) -> list[float]:
    """LVLH unit vector towards a source at (azimuth, elevation) (docs/conventions.md)."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    return [math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), -math.sin(el)]


def _risk_run(result: Any) -> Any | None:
    for outcome in getattr(result, "outcomes", ()):
        if outcome.name == "risk" and outcome.status == "done":
            return getattr(outcome.result, "run", None)
    return None


def _section(result: Any, name: str) -> dict[str, Any]:
    for outcome in getattr(result, "outcomes", ()):
        if outcome.name == name and outcome.status == "done" and outcome.section is not None:
            return outcome.section.to_dict()
    return {}


def _arrows(result: Any, lvlh_to_body: np.ndarray | None) -> list[dict[str, Any]]:
    rot = np.eye(3) if lvlh_to_body is None else np.asarray(lvlh_to_body, dtype=float)
    arrows = [{"label": "ram (+x LVLH)", "kind": "ram", "direction": (rot @ [1.0, 0, 0]).tolist()}]
    env = _section(result, "environment").get("extra", {})
    showers = env.get("showers") or []
    env_result = None
    for outcome in getattr(result, "outcomes", ()):
        if outcome.name == "environment" and outcome.status == "done":
            env_result = outcome.result
    if not showers and env_result is not None and hasattr(env_result, "to_dict"):
        showers = env_result.to_dict().get("showers") or []
    for s in showers:
        az, el = s.get("azimuth_at_incident_deg"), s.get("elevation_at_incident_deg")
        if az is None or el is None:
            continue
        u = rot @ np.asarray(direction_from_az_el(float(az), float(el)))
        arrows.append(
            {
                "label": f"{s.get('name', s.get('code', 'shower'))} radiant at the incident",
                "kind": "radiant",
                "direction": u.tolist(),
                "above_limb": bool(s.get("above_limb_at_incident", True)),
            }
        )
    return arrows


def _keep_faces(n_faces: int, evaluated: np.ndarray) -> np.ndarray:
    keep = np.ones(n_faces, dtype=bool)
    if n_faces > MAX_FACES:
        rest = np.flatnonzero(~evaluated)
        step = math.ceil(rest.size / max(MAX_FACES - int(evaluated.sum()), 1))
        keep[rest] = False
        keep[rest[::step]] = True
    return keep


def build_scene(result: Any, damaged_region: str | None = None) -> dict[str, Any] | None:
    """The scene dictionary of an `InvestigationResult`, or None when no risk stage ran."""
    run = _risk_run(result)
    if run is None:
        return None
    surface, risk = run.surface, run.result
    face_ids = np.asarray(run.face_ids, dtype=np.int64)
    n = int(surface.faces.shape[0])
    value = np.full(n, np.nan)
    failures = np.full(n, np.nan)
    table = risk.per_face_table()
    value[face_ids] = np.asarray(table["failures_per_m2"], dtype=float)
    failures[face_ids] = np.asarray(table["expected_failures"], dtype=float)
    evaluated = np.zeros(n, dtype=bool)
    evaluated[face_ids] = True
    keep = _keep_faces(n, evaluated)
    names = list(surface.region_names)
    region_index = np.asarray(surface.region_index)
    total = float(np.nansum(failures))
    target_mask = evaluated.copy()
    if damaged_region:
        hit = [i for i, r in enumerate(names) if r.split("/")[-1] == damaged_region]
        mask = np.isin(region_index, hit) & evaluated
        if mask.any():
            target_mask = mask
    verts = np.asarray(surface.vertices, dtype=float)
    tri = np.asarray(surface.faces, dtype=np.int64)
    target_pts = verts[np.unique(tri[target_mask].ravel())]
    centre = target_pts.mean(axis=0) if target_pts.size else verts.mean(axis=0)
    radius = float(np.linalg.norm(target_pts - centre, axis=1).max()) if target_pts.size else 1.0
    shields = {str(k): str(v) for k, v in (run.shields or {}).items()}
    return {
        "units": "m, body frame of the station model",
        "vertices": np.round(verts, 4).ravel().tolist(),
        "faces": tri[keep].ravel().tolist(),
        "region": region_index[keep].tolist(),
        "regions": names,
        "shields": {r: shields.get(r, "") for r in names},
        "failures_per_m2": [None if not math.isfinite(v) else float(v) for v in value[keep]],
        "failures": [None if not math.isfinite(v) else float(v) for v in failures[keep]],
        "total_failures": total,
        "window": risk.windows[0].label if risk.windows else "",
        "target": {"centre": centre.tolist(), "radius": max(radius, 0.5)},
        "arrows": _arrows(result, getattr(risk, "attitude", None)),
        "faces_shown": int(keep.sum()),
        "faces_total": n,
        "source": "breachkit risk engine (computed): expected failures per face over the window",
    }
