"""The 3-D scene of a finished investigation: the station and vehicle mesh coloured by risk.

Used by the workbench (the whole scene, `build_scene`) and by the report (the neighbourhood of
the vehicle, `risk_view`, kept in results.json so the report stays a function of it). Presentation
only: every number here is read from the risk stage's result (no physics). The scene
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

__all__ = ["build_scene", "direction_from_az_el", "risk_view"]

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


_VIRIDIS = np.array(
    [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], dtype=float
)


def _viridis(t: np.ndarray) -> np.ndarray:
    x = np.clip(t, 0.0, 1.0) * (len(_VIRIDIS) - 1)
    i = np.minimum(x.astype(int), len(_VIRIDIS) - 2)
    f = (x - i)[:, None]
    return _VIRIDIS[i] + f * (_VIRIDIS[i + 1] - _VIRIDIS[i])


def _png(rgb: np.ndarray) -> bytes:
    """A PNG file of an (h, w, 3) uint8 image (zlib, no dependency)."""
    import struct
    import zlib

    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    head = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _face_colours(values: np.ndarray, shade: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    finite = np.isfinite(values) & (values > 0)
    logs = np.log10(values[finite])
    lo, hi = (float(np.percentile(logs, 2)), float(logs.max())) if logs.size else (0.0, 1.0)
    hi = max(hi, lo + 1e-6)
    colour = np.tile([154.0, 160.0, 166.0], (values.size, 1))
    colour[finite] = _viridis((np.log10(values[finite]) - lo) / (hi - lo))
    colour[np.isfinite(values) & ~finite] = [46.0, 10.0, 58.0]
    return np.clip(colour * shade[:, None], 0, 255), (lo, hi)


def _rasterise(xy: np.ndarray, tri: np.ndarray, colour: np.ndarray, size: int) -> np.ndarray:
    """Fill each projected triangle in the given (back-to-front) order: painter's algorithm."""
    img = np.empty((size, size, 3))
    img[:] = (16.0, 22.0, 28.0)
    for f in range(tri.shape[0]):
        p = xy[tri[f]]
        x0, y0 = np.floor(p.min(axis=0)).astype(int)
        x1, y1 = np.ceil(p.max(axis=0)).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, size - 1), min(y1, size - 1)
        if x1 < x0 or y1 < y0:
            continue
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1) + 0.5, np.arange(y0, y1 + 1) + 0.5)
        (ax, ay), (bx, by), (cx, cy) = p
        den = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
        if abs(den) < 1e-12:
            continue
        w1 = ((by - cy) * (gx - cx) + (cx - bx) * (gy - cy)) / den
        w2 = ((cy - ay) * (gx - cx) + (ax - cx) * (gy - cy)) / den
        inside = (w1 >= -1e-9) & (w2 >= -1e-9) & (w1 + w2 <= 1 + 1e-9)
        img[y0 : y1 + 1, x0 : x1 + 1][inside] = colour[f]
    return img.astype(np.uint8)


def _view_direction(normal: np.ndarray, failures: np.ndarray, given: Any) -> np.ndarray:
    """The viewing direction (from the viewer into the scene), unit vector."""
    if given is not None:
        d = np.asarray(given, dtype=float)
    else:
        facing = (failures[:, None] * normal).sum(axis=0)
        if not np.linalg.norm(facing) > 0:
            facing = np.array([0.6, 0.6, 0.0])
        facing /= np.linalg.norm(facing)
        d = -facing + np.array([0.0, 0.0, 0.58])  # from the risk side, 30° above (zenith is −z)
    return d / np.linalg.norm(d)


def risk_view(
    scene: dict[str, Any],
    size: int = 560,
    reach: float = 5.0,
    view_dir: Any = None,
) -> dict[str, Any]:
    """A static picture of the target's neighbourhood: a PNG (data URI) and its colour range.

    Orthographic projection along `view_dir` (default: looking at the faces that carry the most
    expected failures, from 30° above them; zenith up), faces within `reach` target radii, drawn
    back to front and shaded by their angle to the view; colour = log10 expected failures per m²
    (grey: faces that only cast shadows).
    """
    import base64

    verts = np.asarray(scene["vertices"], dtype=float).reshape(-1, 3)
    tri = np.asarray(scene["faces"], dtype=np.int64).reshape(-1, 3)
    values = np.array([np.nan if v is None else float(v) for v in scene["failures_per_m2"]])
    centre = np.asarray(scene["target"]["centre"], dtype=float)
    radius = float(scene["target"]["radius"])
    tri_pts = verts[tri] - centre
    near = np.linalg.norm(tri_pts.mean(axis=1), axis=1) <= reach * radius
    tri, tri_pts, values = tri[near], tri_pts[near], values[near]
    cross = np.cross(tri_pts[:, 1] - tri_pts[:, 0], tri_pts[:, 2] - tri_pts[:, 0])
    normal = cross / np.maximum(np.linalg.norm(cross, axis=1, keepdims=True), 1e-300)
    d = _view_direction(normal, np.linalg.norm(cross, axis=1) / 2 * np.nan_to_num(values), view_dir)
    right = np.cross(d, [0.0, 0.0, -1.0])
    if np.linalg.norm(right) < 1e-6:
        right = np.cross(d, [1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, d)
    shade = 0.45 + 0.55 * np.abs(normal @ d)
    colour, (lo, hi) = _face_colours(values, shade)
    scale = 0.45 * size / (0.6 * reach * radius)
    rel = verts - centre
    xy = np.stack([size / 2 + scale * (rel @ right), size / 2 - scale * (rel @ up)], axis=1)
    order = np.argsort(tri_pts.mean(axis=1) @ d)[::-1]  # far (along d, away from the viewer) first
    img = _rasterise(xy, tri[order], colour[order], size)
    uri = "data:image/png;base64," + base64.b64encode(_png(img)).decode()
    return {
        "png": uri,
        "log10_range": [lo, hi],
        "window": scene["window"],
        "faces_drawn": int(tri.shape[0]),
        "source": scene["source"],
    }
