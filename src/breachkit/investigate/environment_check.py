"""The environment at the incident: fluxes, active showers, and whether each shower's radiant
could reach the damaged region (the Geminid "wrong direction" question of Soyuz MS-22).

Everything physical is computed by `breachkit.environment` (the LVLH environment at an instant,
shower activity, the apparent radiant along the orbit, shower-to-sporadic flux ratios); this
module only composes those calls with the damaged region's face normals from `breachkit.geometry`
(through the risk part's case builders) and keeps the numbers with their sources.

The reach fraction of a shower is the mean over orbit positions (72 arguments of latitude) and,
because the node of a circular case orbit is unknown, 12 node longitudes, of
``visible · a``, where ``visible`` is 1 when the radiant is above the Earth + 100 km limb and ``a``
is the area fraction of the damaged region whose outward normal has a positive component along
the apparent radiant direction (as seen from the moving vehicle). Shadowing by the station is not
included here; the risk engine's timing evidence (a short window ending at the incident) includes
it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

__all__ = ["EnvironmentCheck", "ShowerCheck", "check_environment"]

#: Sizes of the flux table [mm] (cumulative flux above each diameter).
FLUX_TABLE_SIZES_MM = (0.1, 0.3, 1.0, 3.0, 10.0)
#: Orbit sampling of the reach fraction.
N_POSITIONS = 72
N_NODES = 12
JULIAN_YEAR_S = 3.15576e7


@dataclass
class ShowerCheck:
    """One shower near the incident time."""

    code: str
    name: str
    zhr_at_incident: float
    zhr_max: float
    peak_utc: str
    ra_deg: float
    dec_deg: float
    flux_ratio_by_size: dict[str, float]
    reach_fraction: float | None
    visible_fraction: float
    min_angle_to_region_deg: float | None
    #: at the incident instant, when the vehicle's position is known (else None): the apparent
    #: radiant in LVLH (azimuth from ram towards starboard, elevation towards zenith) [deg],
    #: whether it was above the Earth + 100 km limb, and the area fraction of the damaged region
    #: facing it (station shadowing not included)
    azimuth_at_incident_deg: float | None = None
    elevation_at_incident_deg: float | None = None
    above_limb_at_incident: bool | None = None
    reach_at_incident: float | None = None
    #: the apparent radiant at the incident instant as a unit LVLH vector towards the source
    relative_lvlh_at_incident: list[float] | None = None
    #: `breachkit.risk.radiant.radiant_line_of_sight` of the damaged region at the incident
    #: (station shadowing included), with the attitude it used and its variants; set by the
    #: environment stage
    line_of_sight_at_incident: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EnvironmentCheck:
    """What the environment stage found (see module docstring)."""

    time_utc: str
    altitude_m: float
    inclination_deg: float
    populations: list[str]
    flux_sizes_mm: tuple[float, ...]
    flux_per_m2_per_year: dict[str, list[float]]
    mean_speed_m_s: dict[str, float]
    population_sources: dict[str, str]
    showers: list[ShowerCheck]
    damaged_region: str | None
    region_faces: int
    region_area_m2: float | None
    notes: list[str] = field(default_factory=list)

    def shower(self, name_or_code: str) -> ShowerCheck | None:
        key = name_or_code.strip().lower()
        for s in self.showers:
            if key in (s.code.lower(), s.name.lower()):
                return s
        return None

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["showers"] = [s.to_dict() for s in self.showers]
        return d


class _RegionNotInModel(Exception):
    """The damaged region named in [evidence] is not a region of the vehicle model."""


def _region_normals_lvlh(case_dir: Any, region: str) -> tuple[str, Any, Any]:
    """(region name in the model, normals in LVLH (n, 3), areas (n,)) of the damaged region."""
    from breachkit.risk.config import build_attitude, build_surface, load_risk_case

    rc = load_risk_case(case_dir)
    surface = build_surface(rc)
    names = list(surface.region_names)
    match = [n for n in names if n == region or n.endswith("/" + region)]
    if not match:
        raise _RegionNotInModel(
            f"[evidence] damaged_region {region!r} is not a region of the vehicle model "
            f"(regions: {', '.join(names)}): the shower reach was not evaluated"
        )
    name = match[0]
    mask = np.asarray(surface.region_index) == names.index(name)
    normals_body = np.asarray(surface.normals)[mask]
    areas = np.asarray(surface.areas)[mask]
    m = np.asarray(build_attitude(rc).lvlh_to_body, dtype=float)
    return name, normals_body @ m, areas


def check_environment(
    *,
    time_utc: datetime,
    altitude_m: float,
    inclination_rad: float,
    populations: Sequence[str],
    meteoroid_model: str,
    f107_sfu: float | None,
    debris_density: str,
    psi_table: str,
    sporadic_model: str = "isotropic",
    case_dir: Any = None,
    damaged_region: str | None = None,
    window_days: float = 7.0,
    orbit: Any = None,
    position_known: bool = False,
) -> EnvironmentCheck:
    """Fluxes at the incident, showers within ±window_days/2, and each shower's reach fraction.

    `orbit` (a `CircularOrbit` of the same altitude and inclination) may carry a known node
    (`epoch` set): the shower geometry is then evaluated at the node of the incident instant and
    averaged over orbit positions only; otherwise over positions and `N_NODES` nodes. With
    `position_known` (the orbit's argument of latitude at its epoch is the vehicle's), each shower
    also gets its apparent radiant and reach at the incident instant itself.
    """
    from breachkit._core.orbit import CircularOrbit
    from breachkit.environment.builder import (
        active_shower_codes,
        build_environment,
        node_at,
        shower_node_samples,
    )
    from breachkit.environment.meteoroids import sphere_mass
    from breachkit.environment.showers import (
        DEFAULT_SHOWER_DENSITY_KG_M3,
        get_shower,
        peak_time,
        radiant_j2000,
        radiant_track,
        shower_to_sporadic_ratio,
        shower_zhr,
    )

    if orbit is None:
        orbit = CircularOrbit(altitude_m=altitude_m, inclination_rad=inclination_rad)
    notes: list[str] = []
    node_now = node_at(orbit, time_utc)
    if node_now is not None:
        notes.append(
            f"orbit node known: Ω = {np.degrees(node_now) % 360.0:.2f}° at the incident "
            f"(case [orbit], propagated from {orbit.epoch:%Y-%m-%dT%H:%M:%SZ} with the J2 rate); "
            "shower geometry averaged over orbit positions only"
        )
    pops = list(populations)
    if "debris" in pops and f107_sfu is None:
        pops.remove("debris")
        notes.append("debris not evaluated: the case gives no [environment] f107_sfu")
    env = build_environment(
        orbit,
        time_utc,
        populations=pops,
        meteoroid_model=meteoroid_model,
        f107_sfu=f107_sfu,
        debris_density=debris_density,
        psi_table=psi_table,
        sporadic_model=sporadic_model,
    )
    sizes_m = np.asarray(FLUX_TABLE_SIZES_MM) * 1e-3
    flux: dict[str, list[float]] = {}
    speed: dict[str, float] = {}
    sources: dict[str, str] = {}
    for p in env:
        flux[p.name] = [
            float(x) * JULIAN_YEAR_S for x in np.atleast_1d(p.random_plate_flux(sizes_m))
        ]
        speed[p.name] = float(p.mean_speed_m_s())
        sources[p.name] = p.source
    if len(flux) > 1:
        flux["total"] = [sum(v[k] for v in flux.values()) for k in range(sizes_m.size)]

    region_name: str | None = None
    normals = areas = None
    if damaged_region and case_dir is not None:
        try:
            region_name, normals, areas = _region_normals_lvlh(case_dir, damaged_region)
        except _RegionNotInModel as exc:
            notes.append(str(exc))

    half = timedelta(days=window_days / 2.0)
    showers: list[ShowerCheck] = []
    u = 2.0 * np.pi * (np.arange(N_POSITIONS) + 0.5) / N_POSITIONS
    nodes = shower_node_samples(orbit, time_utc, N_NODES)
    for code in active_shower_codes(time_utc - half, time_utc + half):
        s = get_shower(code)
        rad = radiant_j2000(s, time_utc)
        peak = peak_time(s, time_utc.year)
        if abs((peak - time_utc).days) > 180:
            peak = peak_time(s, time_utc.year + (1 if peak < time_utc else -1))
        ratios: dict[str, float] = {}
        for d_mm in (0.1, 0.3, 1.0):
            m = float(sphere_mass(d_mm * 1e-3, DEFAULT_SHOWER_DENSITY_KG_M3))
            ratios[f"{d_mm:g} mm"] = float(shower_to_sporadic_ratio(s, m, time_utc, altitude_m))
        vis_all: list[Any] = []
        reach_terms: list[Any] = []
        min_angle = None
        for node in nodes:
            tr = radiant_track(s, orbit, time_utc, u, float(node))
            vis = np.asarray(tr["visible"], dtype=float)
            vis_all.append(vis)
            if normals is not None and areas is not None:
                rel = np.asarray(tr["relative_lvlh"], dtype=float)  # (n_pos, 3)
                cos = normals @ rel.T  # (n_faces, n_pos)
                facing = (cos > 0).astype(float)
                a = (areas[:, None] * facing).sum(axis=0) / areas.sum()
                reach_terms.append(vis * a)
                if np.any(vis > 0):
                    best = float(np.max(cos[:, vis > 0]))
                    ang = float(np.degrees(np.arccos(np.clip(best, -1.0, 1.0))))
                    min_angle = ang if min_angle is None else min(min_angle, ang)
        reach = float(np.mean(reach_terms)) if reach_terms else None
        now: dict[str, Any] = {}
        if position_known and node_now is not None and orbit.epoch is not None:
            dt = (time_utc - orbit.epoch).total_seconds()
            u_now = orbit.argument_of_latitude_rad + 2.0 * np.pi / orbit.period_s * dt
            tr = radiant_track(s, orbit, time_utc, np.array([u_now]), node_now)
            up = bool(np.asarray(tr["visible"])[0] > 0)
            now = {
                "azimuth_at_incident_deg": float(np.degrees(tr["relative_azimuth_rad"][0]) % 360.0),
                "elevation_at_incident_deg": float(np.degrees(tr["relative_elevation_rad"][0])),
                "above_limb_at_incident": up,
                "relative_lvlh_at_incident": [
                    float(x) for x in np.asarray(tr["relative_lvlh"], dtype=float)[0]
                ],
            }
            if normals is not None and areas is not None:
                cos0 = normals @ np.asarray(tr["relative_lvlh"], dtype=float)[0]
                now["reach_at_incident"] = (
                    float((areas * (cos0 > 0)).sum() / areas.sum()) if up else 0.0
                )
        showers.append(
            ShowerCheck(
                code=code,
                name=s.name,
                zhr_at_incident=float(shower_zhr(s, time_utc)),
                zhr_max=float(s.zhr_max),
                peak_utc=peak.strftime("%Y-%m-%dT%H:%M:%SZ"),
                ra_deg=float(np.degrees(np.arctan2(rad[1], rad[0])) % 360.0),
                dec_deg=float(np.degrees(np.arcsin(np.clip(rad[2], -1.0, 1.0)))),
                flux_ratio_by_size=ratios,
                reach_fraction=reach,
                visible_fraction=float(np.mean(vis_all)),
                min_angle_to_region_deg=min_angle,
                **now,
            )
        )
    return EnvironmentCheck(
        time_utc=time_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        altitude_m=float(altitude_m),
        inclination_deg=float(np.degrees(inclination_rad)),
        populations=pops,
        flux_sizes_mm=FLUX_TABLE_SIZES_MM,
        flux_per_m2_per_year=flux,
        mean_speed_m_s=speed,
        population_sources=sources,
        showers=showers,
        damaged_region=region_name,
        region_faces=0 if areas is None else int(areas.size),
        region_area_m2=None if areas is None else float(areas.sum()),
        notes=notes,
    )
