"""Per-flight risk over the fleet record: every docking at its port, its dates, its environment.

For each docking d of the fleet record (one docked interval of a flight at one port) and each
evaluated region r of the vehicle (``pao_radiator``, ``pao_coolant_line``) the expected
penetrations are the risk engine's sum (docs/risk.md)

    N_d,r = f_r · Σ_p Σ_m Σ_j  G_p,r(m, j) · Q_d,p,r(m, j)

with the cos-θ table written in two factors:

* the **visible-area histogram** W_r(m, k) = Σ_{i ∈ r} A_i V_ik w_m(cos θ_ik) (the linear
  interpolation weights of cos θ on the engine's nodes c_m; the engine's own breakdown
  histogram), which depends only on the geometry, the port and the attitude — it is shared by
  every flight at that port (one visibility computation per port and attitude node);
* Q_d,p,r(m, j) = T_d · c_m · Σ_k W_r(m, k) F_p[k, j], the flux of docking d seen through it
  (T_d the docked time, F_p the population's cross-section flux per direction and speed cell);
* G_p,r(m, j) = S_p(d_c,r(v_j, arccos c_m, ρ_p)), the size fraction above the shield's critical
  diameter (0 where the BLE or the size table is outside its validity: no failures counted,
  exactly as the engine does).

N_d,r is then the engine's value to rounding (tested against `compute_risk`); expected impacts
use S_p(d_min) and no f_r. Because G does not involve the geometry and Q does not involve the
shield, a Monte Carlo draw of the shield, the meteoroid density or the BLE re-evaluates only G on
the (nodes × speeds) grid, and a flux factor or f_r scales N analytically
(`breachkit.risk.fleet_mc`).

Fleet rows and the station model: the record's port names (`breachkit.fleet.records`) are
mapped onto the ports of the built-in ``iss_simplified`` model; a port the model lacks is an
`InputError` unless `port_map` substitutes one, and every substitution is stated in the row.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.risk.faces import FaceSet

__all__ = [
    "DEFAULT_PORT_MAP",
    "EVALUATED_REGIONS",
    "VEHICLE_MODELS",
    "FleetDocking",
    "FleetRiskConfig",
    "FlightTables",
    "PortGeometry",
    "PortTables",
    "build_port_geometry",
    "fleet_dockings",
    "flight_tables",
    "nominal_shield_params",
    "port_tables",
    "size_fraction_above",
    "visible_area_histogram",
]

#: The built-in vehicle model used for each family of the record (Soyuz TMA-M and Progress M-M
#: fly the Soyuz MS / Progress MS shape: APPROXIMATION, stated in every row).
VEHICLE_MODELS: Mapping[str, str] = {"Soyuz": "soyuz_ms", "Progress": "progress_ms"}

#: Regions of the vehicle evaluated (all other faces only cast shadows).
EVALUATED_REGIONS: tuple[str, ...] = ("pao_radiator", "pao_coolant_line")

#: Record ports the station model does not have → (model port, why). Pirs (2001–2021) and Nauka
#: (2021–) sat on Zvezda's nadir port, where the model has Nauka + Prichal: a vehicle at Pirs or
#: Nauka nadir is placed at the model's Prichal nadir port, a few metres lower than it was.
DEFAULT_PORT_MAP: Mapping[str, tuple[str, str]] = {
    "pirs_nadir": (
        "prichal_nadir",
        "APPROXIMATION: Pirs (Zvezda nadir, 2001-2021) is not in the station model; placed at "
        "the model's Prichal nadir port (the same Zvezda nadir stack, lower)",
    ),
    "nauka_nadir": (
        "prichal_nadir",
        "APPROXIMATION: Nauka's nadir port is occupied by Prichal in the model; placed at "
        "Prichal nadir (one module lower)",
    ),
}


@dataclass(frozen=True)
class FleetRiskConfig:
    """Inputs of the fleet run that are the same for every docking (each with its source).

    Attributes
    ----------
    altitude_km, inclination_deg
        Circular orbit [km], [deg]; ISS inclination 51.64° (public TLEs); altitude an
        ASSUMPTION (no altitude history in the sources: the ISS flew 350–420 km in 2010–2025).
    n_directions, min_faces, n_cos_bins, impact_min_diameter_mm
        As in the case files' ``[risk]`` (docs/risk.md).
    shower_times, shower_positions, shower_raan
        Shower averaging per docking (coarser than a case: showers are ≈ 0.02 % of the risk).
    yaw_nodes_deg
        Attitude nodes (TEA yaw in +XVV, [deg]) at which the visibility is computed; the nominal
        attitude is yaw 0 (must be a node).
    shields
        Region (last name component) → ``(preset, params)`` of `breachkit.damage.get_shield`.
    """

    altitude_km: float = 415.0
    inclination_deg: float = 51.64
    n_directions: int = 2000
    min_faces: int = 2000
    n_cos_bins: int = 65
    impact_min_diameter_mm: float = 0.1
    shower_times: int = 4
    shower_positions: int = 12
    shower_raan: int = 3
    yaw_nodes_deg: tuple[float, ...] = (-10.0, -5.0, 0.0, 5.0, 10.0)
    shadowing: str = "auto"
    shields: Mapping[str, tuple[str, Mapping[str, Any]]] = field(
        default_factory=lambda: {
            "pao_radiator": ("radiator_generic", {}),
            "pao_coolant_line": ("radiator_generic", {"failure_area_fraction": 1.0}),
        }
    )

    def __post_init__(self) -> None:
        if 0.0 not in self.yaw_nodes_deg:
            raise InputError("fleet risk: yaw_nodes_deg must contain 0 (the nominal attitude)")
        if list(self.yaw_nodes_deg) != sorted(set(self.yaw_nodes_deg)):
            raise InputError("fleet risk: yaw_nodes_deg must be strictly increasing")

    def inputs(self) -> dict[str, Any]:
        """The JSON-able inputs (written beside the table)."""
        d = dataclasses.asdict(self)
        d["shields"] = {k: [p, dict(q)] for k, (p, q) in self.shields.items()}
        d["altitude_source"] = "ASSUMPTION (no ISS altitude history in the sources)"
        return d


# ----------------------------------------------------------------------------------------------
# the record's dockings


@dataclass(frozen=True)
class FleetDocking:
    """One docked interval of one flight (a relocation starts a new one)."""

    flight: str
    family: str
    series: str
    row: int
    port: str  # the record's port (``module_side``)
    model_port: str  # the station model's port used
    port_note: str  # "" or why another port was used
    vehicle_model: str
    dock: datetime
    undock: datetime

    @property
    def docked_s(self) -> float:
        return (self.undock - self.dock).total_seconds()


def fleet_dockings(
    flights: Sequence[Any],
    station_ports: Sequence[str],
    *,
    port_map: Mapping[str, tuple[str, str]] = DEFAULT_PORT_MAP,
    source: str = "fleet.csv",
) -> tuple[list[FleetDocking], list[str]]:
    """The dockings of `flights` (`breachkit.fleet.records.FlightRow`) and the rows left out.

    A docking whose port is neither a model port nor in `port_map` raises `InputError` naming the
    row. Flights that never docked are left out silently; a docking with no port in the record,
    or an interval with no end (no undock and no end date), is left out and named in the second
    list.
    """
    out: list[FleetDocking] = []
    skipped: list[str] = []
    for f in flights:
        where = f"{source}: row {f.row} ({f.vehicle.name})"
        if f.dock is None:
            continue
        if not f.intervals and not f.port_text.strip():
            skipped.append(f"{where}: docked {f.dock.date()}, no port in the record")
            continue
        if not f.intervals:
            raise InputError(f"{where}: dock_port {f.port_text!r} names no station port")
        model = VEHICLE_MODELS.get(f.vehicle.family)
        if model is None:
            raise InputError(f"{where}: no vehicle model for family {f.vehicle.family!r}")
        for iv in f.intervals:
            end = iv.end or (f.end if f.end is not None and f.end >= iv.start else None)
            if end is None:
                skipped.append(f"{where}: docked {iv.start.date()} at {iv.port}, no undock date")
                continue
            if iv.port in station_ports:
                mport, note = iv.port, ""
            elif iv.port in port_map:
                mport, note = port_map[iv.port]
            else:
                raise InputError(
                    f"{where}: port {iv.port!r} is not a port of the station model "
                    f"(ports: {', '.join(station_ports)}) and has no substitution"
                )
            if end <= iv.start:
                continue
            out.append(
                FleetDocking(
                    f.vehicle.name,
                    f.vehicle.family,
                    f.vehicle.design_series,
                    f.row,
                    iv.port,
                    mport,
                    note,
                    model,
                    iv.start,
                    end,
                )
            )
    return out, skipped


# ----------------------------------------------------------------------------------------------
# geometry per (vehicle model, port)


@dataclass(frozen=True, eq=False)
class PortGeometry:
    """A vehicle docked at one port of the station model: the evaluated faces and the mesh."""

    vehicle_model: str
    port: str
    surface: Any  # SurfaceModel: station + vehicle (all faces shadow)
    faces: FaceSet  # the evaluated faces (refined), region names as in `surface`
    sel: NDArray[np.intp]  # their indices in `surface`
    regions: tuple[str, ...]  # evaluated region names, full (``vehicle/pao_radiator``)


def build_port_geometry(vehicle_model: str, port: str, min_faces: int) -> PortGeometry:
    """The station with the vehicle at `port`, evaluated regions refined to ≥ `min_faces`."""
    from breachkit.geometry import SurfaceModel
    from breachkit.geometry import models as gm

    station = gm.iss_simplified()
    if port not in [p.name for p in station.ports]:
        raise InputError(f"fleet risk: {port!r} is not a port of iss_simplified")
    vehicle = gm.dock(getattr(gm, vehicle_model)(), station, port).renamed("vehicle/")
    regions = tuple(f"vehicle/{r}" for r in EVALUATED_REGIONS)
    rest = [n for n in vehicle.region_names if n not in regions]
    parts = [station.renamed("iss/")]
    if rest:
        parts.append(vehicle.select_regions(rest))
    evaluated = vehicle.select_regions(list(regions))
    if evaluated.n_faces < min_faces:
        evaluated = evaluated.refined(min_faces)
    parts.append(dataclasses.replace(evaluated, ports=()))
    surface = SurfaceModel.concatenate(parts)
    full = FaceSet.from_surface(surface)
    names = list(surface.region_names)
    sel = np.flatnonzero(np.isin(full.region_index, [names.index(r) for r in regions]))
    faces = FaceSet(
        full.normals[sel],
        full.areas[sel],
        full.region_index[sel],
        full.region_names,
        full.centroids[sel] if full.centroids is not None else None,
    )
    return PortGeometry(vehicle_model, port, surface, faces, sel, regions)


def visible_area_histogram(
    faces: FaceSet,
    regions: Sequence[int],
    dirs_body: NDArray[np.float64],
    visible: NDArray[np.bool_] | None,
    nodes: NDArray[np.float64],
    chunk: int = 1 << 22,
) -> NDArray[np.float64]:
    """W[r, m, k] = Σ_{faces i of region r} A_i V_ik w_m(cos θ_ik) [m²] (front faces only).

    w_m are the linear-interpolation weights of cos θ_ik = n_i·u_k on `nodes` (so that
    Σ_m W[r, m, k] c_m = Σ_i A_i V_ik cos θ_ik exactly). `visible` (faces × directions) or None.
    """
    nd, m = dirs_body.shape[0], nodes.size
    out = np.zeros((len(regions), m, nd))
    step = max(1, chunk // max(nd, 1))
    cols = np.arange(nd)
    for ri, r in enumerate(regions):
        idx = np.flatnonzero(faces.region_index == r)
        flat = out[ri].reshape(-1)
        for s in range(0, idx.size, step):
            part = idx[s : s + step]
            c = faces.normals[part] @ dirs_body.T  # (nf, nd)
            w = np.where(c > 0.0, faces.areas[part][:, None], 0.0)
            if visible is not None:
                w = w * visible[part]
            u = np.clip(c, 0.0, 1.0) * (m - 1)
            b = np.minimum(u.astype(np.intp), m - 2)
            t = u - b
            flat += np.bincount(
                (b * nd + cols).ravel(), weights=(w * (1.0 - t)).ravel(), minlength=m * nd
            )
            flat += np.bincount(
                ((b + 1) * nd + cols).ravel(), weights=(w * t).ravel(), minlength=m * nd
            )
    return out


@dataclass(frozen=True, eq=False)
class PortTables:
    """The visible-area histograms of one (vehicle, port) at every attitude node."""

    vehicle_model: str
    port: str
    regions: tuple[str, ...]
    region_areas_m2: tuple[float, ...]
    yaw_nodes_deg: tuple[float, ...]
    nodes: NDArray[np.float64]
    #: direction-set key → (LVLH directions (nd, 3), W (n_yaw, nreg, m, nd))
    histograms: dict[bytes, tuple[NDArray[np.float64], NDArray[np.float64]]]
    rays_traced: int
    visibility_calls: int


def _direction_key(vectors: NDArray[np.float64]) -> bytes:
    return np.round(vectors, 12).tobytes()


def port_tables(
    geom: PortGeometry, direction_sets: Sequence[NDArray[np.float64]], cfg: FleetRiskConfig
) -> PortTables:
    """Visibility and histograms of `geom` for each LVLH direction set and attitude node.

    One `breachkit.geometry.shadowing.visibility` call per (direction set, attitude node); every
    flight at this port reuses them.
    """
    from breachkit.geometry.attitude import iss_flight_attitude

    nodes = np.linspace(0.0, 1.0, cfg.n_cos_bins)
    names = list(geom.faces.region_names)
    reg = [names.index(r) for r in geom.regions]
    areas = tuple(float(geom.faces.areas[geom.faces.region_index == r].sum()) for r in reg)
    hist: dict[bytes, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
    traced = calls = 0
    scene, backend = _scene(geom, cfg.shadowing)
    try:
        for dirs in direction_sets:
            key = _direction_key(dirs)
            if key in hist:
                continue
            w = np.zeros((len(cfg.yaw_nodes_deg), len(reg), nodes.size, dirs.shape[0]))
            for yi, yaw in enumerate(cfg.yaw_nodes_deg):
                att = iss_flight_attitude("+XVV", math.radians(yaw), 0.0, 0.0)
                body = dirs @ np.asarray(att.lvlh_to_body).T
                vis = None
                if backend is not None:
                    from breachkit.geometry.shadowing import visibility

                    res = visibility(
                        geom.surface,
                        body,
                        backend=backend,
                        faces=geom.sel,
                        scene=scene,
                        keep_order=True,
                    )
                    vis = np.asarray(res.visible, dtype=bool)
                    traced += int(getattr(res, "rays_traced", 0))
                    calls += 1
                w[yi] = visible_area_histogram(geom.faces, reg, body, vis, nodes)
            hist[key] = (dirs, w)
    finally:
        if scene is not None:
            scene.close()
    return PortTables(
        geom.vehicle_model,
        geom.port,
        geom.regions,
        areas,
        tuple(cfg.yaw_nodes_deg),
        nodes,
        hist,
        traced,
        calls,
    )


def _scene(geom: PortGeometry, shadowing: str) -> tuple[Any, str | None]:
    if shadowing == "none":
        return None, None
    from breachkit.geometry.shadowing import EmbreeScene, embree_available

    if shadowing == "embree" or (shadowing == "auto" and embree_available()):
        return EmbreeScene(geom.surface), "embree"
    return None, "numpy" if shadowing in ("auto", "numpy") else shadowing


# ----------------------------------------------------------------------------------------------
# one docking's flux through the histograms


@dataclass(frozen=True, eq=False)
class PopulationTable:
    """One population of one docking: Q (n_yaw, nreg, m, ns), impacts (n_yaw, nreg)."""

    name: str
    kind: str
    speed_m_s: NDArray[np.float64]
    density_kg_m3: float
    diameter_grid_m: NDArray[np.float64]
    cumulative_fraction: NDArray[np.float64]
    q: NDArray[np.float64]
    impacts: NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class FlightTables:
    """Everything the nominal and Monte Carlo evaluation of one docking needs."""

    docking: FleetDocking
    f107_sfu: float
    f107_note: str
    decimal_year: float
    populations: tuple[PopulationTable, ...]
    showers: tuple[str, ...]


def docking_environment(d: FleetDocking, cfg: FleetRiskConfig) -> tuple[Any, Any]:
    """The LVLH environment over the docking (sporadic, active showers, NASA-91 debris at its
    mid-time with the F10.7 of the year before it) and the `F107Value` used."""
    from breachkit._core.orbit import CircularOrbit
    from breachkit.environment.builder import build_environment
    from breachkit.environment.solar import f107_previous_year

    orbit = CircularOrbit(
        altitude_m=cfg.altitude_km * 1e3, inclination_rad=math.radians(cfg.inclination_deg)
    )
    mid = d.dock + (d.undock - d.dock) / 2
    f107 = f107_previous_year(mid.astimezone(UTC), hold_last=True)
    env = build_environment(
        orbit,
        d.dock,
        d.undock,
        n_directions=cfg.n_directions,
        n_times=cfg.shower_times,
        n_positions=cfg.shower_positions,
        n_raan=cfg.shower_raan,
        f107_sfu=f107.f107_sfu,
    )
    return env, f107


def flight_tables(
    d: FleetDocking, env: Any, f107: Any, pt: PortTables, impact_min_diameter_m: float
) -> FlightTables:
    """Q and impact tables of docking `d` in environment `env` through the port's histograms
    (impacts count particles ≥ `impact_min_diameter_m` [m])."""
    from breachkit._core.timeutil import decimal_year

    t = d.docked_s
    pops = []
    for pop in env:
        key = _direction_key(pop.directions.vectors)
        if key not in pt.histograms:
            raise InputError(f"fleet risk: population {pop.name} has a direction grid not traced")
        _, w = pt.histograms[key]  # (ny, nreg, m, nd)
        q = t * pt.nodes[None, None, :, None] * np.einsum("yrmk,kj->yrmj", w, pop.flux)
        s_min = float(pop.size_fraction(impact_min_diameter_m))
        h = pop.flux.sum(axis=1) * s_min  # (nd,)
        imp = t * np.einsum("yrmk,m,k->yr", w, pt.nodes, h)
        pops.append(
            PopulationTable(
                pop.name,
                pop.kind,
                np.asarray(pop.speed_m_s, float),
                float(pop.density_kg_m3),
                np.asarray(pop.diameter_grid_m, float),
                np.asarray(pop.cumulative_fraction, float),
                q,
                imp,
            )
        )
    showers = tuple(p.name for p in env if p.kind == "meteoroid" and p.name != "sporadic")
    mid = d.dock + (d.undock - d.dock) / 2
    return FlightTables(d, f107.f107_sfu, f107.note, float(decimal_year(mid)), tuple(pops), showers)


def size_fraction_above(
    diameter_grid_m: NDArray[np.float64],
    cumulative_fraction: NDArray[np.float64],
    d_m: NDArray[np.float64],
) -> NDArray[np.float64]:
    """S(d): log-log interpolation of a population's cumulative size fraction; NaN outside.

    The same interpolation as `breachkit.environment.directional.Population.size_fraction`,
    without its warnings (the caller counts NaN cells as unassessed).
    """
    ld = np.log(diameter_grid_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        lf = np.log(cumulative_fraction)
        x = np.log(np.where(np.isfinite(d_m) & (d_m > 0), d_m, np.nan))
    out = np.exp(np.interp(x, ld, lf))
    return np.where((x >= ld[0]) & (x <= ld[-1]), out, np.nan)


def nominal_shield_params(cfg: FleetRiskConfig) -> dict[str, tuple[str, dict[str, Any]]]:
    """Region → (preset, params) of the nominal shields."""
    return {r: (p, dict(q)) for r, (p, q) in cfg.shields.items()}
