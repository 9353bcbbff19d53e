"""The environment stage's geometric answer to "could the shower reach the damaged region?":
the area fraction of the region with an unobstructed line of sight to the apparent radiant at
the incident instant (`breachkit.risk.radiant.radiant_line_of_sight`, station shadowing by the
ray tracer), with the attitude it rests on and what would have to differ for the answer to be
zero (other attitudes, another instant along the orbit)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

#: Attitude offsets tried around the case's attitude (yaw, pitch, roll) [deg].
ATTITUDE_OFFSETS_DEG: tuple[tuple[float, float, float], ...] = tuple(
    (y, p, r)
    for y, p, r in [(d, 0.0, 0.0) for d in (-20.0, -10.0, 10.0, 20.0)]
    + [(0.0, d, 0.0) for d in (-20.0, -10.0, 10.0, 20.0)]
    + [(0.0, 0.0, d) for d in (-20.0, -10.0, 10.0, 20.0)]
)
#: Minutes either side of the incident sampled along the orbit (1-minute steps).
SWEEP_MIN = 46
#: Region refinement (4-splits) for the ray tracer: faces at least this many.
MIN_REGION_FACES = 2000


def _scene(case_dir: Any, region: str) -> tuple[Any, Any, Any, Any]:
    """(risk case, surface with the region refined, the region's face indices, attitude)."""
    import dataclasses

    from breachkit.risk.config import build_attitude, build_surface, load_risk_case
    from breachkit.risk.radiant import region_faces

    rc = load_risk_case(case_dir)
    surface = build_surface(rc)
    faces = region_faces(surface, region)
    name = surface.region_names[int(np.asarray(surface.region_index)[faces[0]])]
    part = surface.select_regions([name])
    if part.n_faces < MIN_REGION_FACES:
        rest = surface.select_regions([n for n in surface.region_names if n != name])
        fine = dataclasses.replace(part.refined(MIN_REGION_FACES), ports=())
        surface = type(surface).concatenate([rest, fine])
        faces = region_faces(surface, name)
    return rc, surface, faces, build_attitude(rc)


def line_of_sight(
    case_dir: Any, region: str, shower: Any, orbit: Any, time_utc: Any
) -> dict[str, Any]:
    """The line-of-sight answer for one shower at the incident (see the module docstring)."""
    from breachkit.environment.builder import node_at
    from breachkit.environment.showers import get_shower, radiant_track
    from breachkit.geometry.attitude import iss_flight_attitude
    from breachkit.risk.radiant import radiant_line_of_sight

    rc, surface, faces, att = _scene(case_dir, region)
    a = rc.attitude
    u_lvlh = np.asarray(shower.relative_lvlh_at_incident, dtype=float)
    up = bool(shower.above_limb_at_incident)
    base = radiant_line_of_sight(surface, faces, att.to_body(u_lvlh), samples_per_face=16)
    clear0 = base.fraction_clear if up else 0.0
    # other attitudes: the other flight mode, and yaw/pitch/roll offsets around the case's TEA
    variants: list[tuple[str, Any]] = []
    if a.quaternion_wxyz is None:
        other = "-XVV" if a.mode == "+XVV" else "+XVV"
        y0, p0, r0 = (math.radians(x) for x in (a.yaw_deg, a.pitch_deg, a.roll_deg))
        variants.append((other, iss_flight_attitude(other, y0, p0, r0)))
        for dy, dp, dr in ATTITUDE_OFFSETS_DEG:
            axis = "yaw" if dy else "pitch" if dp else "roll"
            lab = f"{a.mode}, {axis} {dy or dp or dr:+g}° from the case's TEA"
            m = iss_flight_attitude(
                a.mode, y0 + math.radians(dy), p0 + math.radians(dp), r0 + math.radians(dr)
            )
            variants.append((lab, m))
    dirs = np.array([m.to_body(u_lvlh) for _, m in variants]).reshape(-1, 3)
    var = radiant_line_of_sight(surface, faces, dirs, samples_per_face=4) if len(dirs) else None
    by_att = [
        {"attitude": lab, "fraction_clear": float(var.fraction_clear[k]) if up else 0.0,
         "fraction_facing": float(var.fraction_facing[k]) if up else 0.0}
        for k, (lab, _) in enumerate(variants)
    ] if var is not None else []  # fmt: skip
    # other instants along the orbit (same node, the radiant fixed over ±46 min)
    sweep: list[dict[str, float]] = []
    node = node_at(orbit, time_utc)
    if node is not None and orbit.epoch is not None:
        dt = (time_utc - orbit.epoch).total_seconds()
        n = 2.0 * np.pi / orbit.period_s
        mins = np.arange(-SWEEP_MIN, SWEEP_MIN + 1, dtype=float)
        u = orbit.argument_of_latitude_rad + n * (dt + 60.0 * mins)
        tr = radiant_track(get_shower(shower.code), orbit, time_utc, u, node)
        vis = np.asarray(tr["visible"], dtype=float) > 0
        rel = np.asarray(tr["relative_lvlh"], dtype=float)
        los = radiant_line_of_sight(surface, faces, att.to_body(rel), samples_per_face=4)
        fc = np.where(vis, np.asarray(los.fraction_clear, dtype=float), 0.0)
        sweep = [
            {"minutes": float(t), "fraction_clear": float(f)} for t, f in zip(mins, fc, strict=True)
        ]
    zero = [s["minutes"] for s in sweep if s["fraction_clear"] == 0.0]
    before = [t for t in zero if t < 0]
    after = [t for t in zero if t > 0]
    return {
        "shower": shower.name,
        "region": surface.region_names[int(np.asarray(surface.region_index)[faces[0]])],
        "above_limb": up,
        "fraction_facing_unshadowed": base.fraction_facing if up else 0.0,
        "fraction_clear_shadowed": clear0,
        "projected_area_clear_m2": base.projected_area_clear_m2 if up else 0.0,
        "region_area_m2": base.area_m2,
        "n_faces": base.n_faces,
        "samples_per_face": base.samples_per_face,
        "backend": base.backend,
        "attitude": att.label,
        "attitude_source": a.source or "case.toml [attitude] (no source given)",
        "port": rc.docking.port if rc.docking is not None else None,
        "port_source": rc.docking.source if rc.docking is not None else "",
        "by_attitude": by_att,
        "orbit_sweep": sweep,
        "minutes_to_no_line_of_sight": {
            "before": max(before) if before else None,
            "after": min(after) if after else None,
        },
    }


def agency_statement_warning(los: dict[str, Any]) -> dict[str, str] | None:
    """The warning when the computed line of sight contradicts the agencies' "wrong direction"
    statement (NASA ISS programme manager Montalbano, press briefing 2022-12-22, for both
    trajectory teams), with how robust that is and what would have to differ; None when the
    computed fraction at the incident is zero (agreement)."""
    f = los["fraction_clear_shadowed"]
    if not los["above_limb"] or f <= 0.0:
        return None
    zero_att = [v["attitude"].split(", ")[-1].replace(" from the case's TEA", "")
                for v in los["by_attitude"] if v["fraction_clear"] == 0.0]  # fmt: skip
    near = [p["fraction_clear"] for p in los["orbit_sweep"] if abs(p["minutes"]) <= 5.0]
    allv = [f] + [v["fraction_clear"] for v in los["by_attitude"]]
    m = los["minutes_to_no_line_of_sight"]
    when = []
    if m["before"] is not None:
        when.append(f"{-m['before']:.0f} min earlier")
    if m["after"] is not None:
        when.append(f"{m['after']:.0f} min later")
    att_txt = (
        "none of the attitudes tried gives zero"
        if not zero_att
        else "it is zero with " + ", ".join(zero_att)
    )
    robust = (
        f"The answer is knife-edge: within ±5 min of the leak onset the fraction ranges "
        f"{min(near):.0%}–{max(near):.0%}"
        if near
        else "The answer was not swept in time"
    ) + (
        f", and across the attitudes tried (the other flight mode, yaw/pitch/roll ±10° and ±20° "
        f"around the case's) {min(allv):.0%}–{max(allv):.0%}; the solar arrays and radiators "
        "of the station model are fixed, not sun-tracking."
    )
    return {
        "kind": "geminid_direction_disagrees",
        "text": (
            f"breachkit DISAGREES with the agencies' statement that the {los['shower']} came from "
            f"the wrong direction (NASA/Roscosmos trajectory teams, press briefing 2022-12-22): "
            f"at the leak instant {f:.0%} of {los['region']} ({los['projected_area_clear_m2']:.2f} "
            f"m² projected) had an unobstructed line of sight to the apparent radiant, station "
            f"shadowing included ({los['fraction_facing_unshadowed']:.0%} faced it without "
            f"shadowing), in the attitude {los['attitude']} ({los['attitude_source']}) at port "
            f"{los['port']}. {robust} For the statement to hold, the attitude would have to "
            f"differ ({att_txt}), or the vehicle be at another port, or the impact have happened "
            "at another point of the orbit (no line of sight "
            + (" or ".join(when) if when else "anywhere within ±46 min")
            + "), or the radiant be elsewhere than breachkit's IMO radiant with aberration. "
            "The agencies may also have used what breachkit lacks (the hole's position and "
            "orientation on the radiator, the actual TEA angles and array angles)."
        ),
    }
