"""Case-file sections of the risk part and `run_case`.

Sections owned here (each a top-level TOML table; every value should carry a ``source``):

``[vehicle]``
    ``model`` (a built-in `breachkit.geometry` model name) **or** ``mesh`` (a file, relative to the
    case folder) with ``length_unit_m``, optional ``regions`` (mapping or TOML file), ``repair``
    (default false: zero-area faces, duplicate vertices... are refused, not silently fixed) and
    ``allow_open``; ``shields`` maps a region
    to ``{preset = "...", params = {...}, source = "..."}``.
``[orbit]``
    ``altitude_km`` and ``inclination_deg`` (circular orbit), **or** ``tle = ["line 1", "line 2"]``
    (mean altitude and inclination taken from the TLE through sgp4).
``[attitude]``
    ``mode`` (``"+XVV"``/``"-XVV"``) with ``yaw_deg``, ``pitch_deg``, ``roll_deg`` (TEA), or
    ``quaternion_wxyz`` (body→LVLH).
``[docking]``
    ``vehicle`` (built-in vehicle), ``port`` (station port), ``station`` (built-in station).
``[[exposure.windows]]``
    ``label``, ``start``, ``end`` (ISO 8601 UTC).
``[environment]``
    ``populations``, ``meteoroid_model``, ``f107_sfu``, ``debris_density``, ``psi_table``,
    ``sporadic_model``, ``flux_tables``, ``flux_files``, ``debris_model``, ``debris_orbits`` (the
    keys `breachkit.environment` reads; see `breachkit.environment.builder.build_environment`).
``[risk]``
    ``regions`` (the regions evaluated; all other faces only cast shadows), ``min_faces``
    (refine the evaluated regions by 4-splits to at least this many faces), ``n_directions``,
    ``shower_times``, ``shower_positions``, ``shower_raan``, ``n_cos_bins``,
    ``impact_min_diameter_mm``, ``shadowing``, ``mc_samples``, ``seed``, ``hole_size_mm`` and
    ``uncertainty`` overrides.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from breachkit._core.casefile import CaseFile, load_section, read_case
from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc
from breachkit.environment.config import FluxFileSection

__all__ = [
    "AttitudeConfig",
    "CaseRun",
    "DockedVehicleConfig",
    "DockingConfig",
    "EnvironmentConfig",
    "ExposureConfig",
    "OrbitConfig",
    "RiskCase",
    "RiskConfig",
    "ShieldConfig",
    "VehicleConfig",
    "WindowConfig",
    "load_risk_case",
    "run_case",
]

#: Lowest altitude accepted for an orbit: below ~150 km a circular orbit decays within hours
#: (drag), and the flux models' Earth shielding assumes an atmosphere top at 100 km.
MIN_ALTITUDE_KM = 150.0


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShieldConfig(_Section):
    """One region's shield: a `breachkit.damage` preset name and its parameters (SI)."""

    preset: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    source: str = ""


class VehicleConfig(_Section):
    model: str | None = None
    name: str | None = None
    mesh: str | None = None
    length_unit_m: float = Field(default=1.0, gt=0)
    regions: str | dict[str, list[Any]] | None = None
    repair: bool = False
    allow_open: bool = False
    shields: dict[str, ShieldConfig] = Field(default_factory=dict)
    source: str = ""

    @model_validator(mode="after")
    def _one_geometry(self) -> VehicleConfig:
        if (self.model is None) == (self.mesh is None):
            raise ValueError("give exactly one of 'model' (built-in) or 'mesh' (file)")
        return self


class OrbitConfig(_Section):
    altitude_km: float | None = None
    inclination_deg: float | None = Field(default=None, ge=0, le=180)
    tle: list[str] | None = None
    #: Node (RAAN) [deg] at `epoch_utc` (with altitude_km + inclination_deg; both or neither):
    #: the node is then known at every instant (J2 rate) and not averaged over. A TLE carries
    #: its own node and epoch.
    raan_deg: float | None = None
    epoch_utc: str | None = None
    #: Argument of latitude [deg] at `epoch_utc` (optional, with raan_deg): the position on the
    #: orbit is then known too, and the environment stage gives the radiant at the incident.
    argument_of_latitude_deg: float | None = None
    source: str = ""

    @field_validator("altitude_km")
    @classmethod
    def _above_atmosphere(cls, v: float | None) -> float | None:
        if v is not None and (not math.isfinite(v) or v < MIN_ALTITUDE_KM):
            raise ValueError(
                f"{v} km is below the atmosphere (an orbit needs >= {MIN_ALTITUDE_KM:g} km)"
            )
        return v

    @field_validator("epoch_utc")
    @classmethod
    def _utc(cls, v: str | None) -> str | None:
        if v is not None:
            from breachkit._core.timeutil import parse_utc

            try:
                parse_utc(v)
            except (ValueError, InputError) as exc:
                raise ValueError(f"{v!r} is not an ISO 8601 UTC time") from exc
        return v

    @model_validator(mode="after")
    def _one_form(self) -> OrbitConfig:
        circ = self.altitude_km is not None or self.inclination_deg is not None
        if circ and self.tle is not None:
            raise ValueError("give either altitude_km + inclination_deg or tle, not both")
        if self.tle is None and (self.altitude_km is None or self.inclination_deg is None):
            raise ValueError("give altitude_km and inclination_deg (or a tle)")
        if self.tle is not None and len(self.tle) != 2:
            raise ValueError("tle must be a list of the two TLE lines")
        if (self.raan_deg is None) != (self.epoch_utc is None):
            raise ValueError("give raan_deg and epoch_utc (the instant of that node) together")
        if self.tle is not None and self.raan_deg is not None:
            raise ValueError("raan_deg/epoch_utc go with altitude_km + inclination_deg, not a tle")
        if self.argument_of_latitude_deg is not None and self.raan_deg is None:
            raise ValueError("argument_of_latitude_deg needs raan_deg and epoch_utc")
        return self

    @property
    def position_known(self) -> bool:
        """The vehicle's position on the orbit at any instant is known (TLE, or node, epoch
        and argument of latitude)."""
        return self.tle is not None or self.argument_of_latitude_deg is not None

    def orbit(self) -> Any:
        """The `breachkit._core.orbit.CircularOrbit`: with the node known (TLE, or raan_deg +
        epoch_utc, propagated with the J2 rate) or unknown (altitude + inclination only)."""
        from breachkit._core.orbit import CircularOrbit

        if self.tle is not None:
            from breachkit.environment.tle import orbit_from_tle

            return orbit_from_tle(self.tle[0], self.tle[1])  # node, epoch, J2 node rate
        alt_m, inc_rad = self.circular()
        if self.raan_deg is None or self.epoch_utc is None:
            return CircularOrbit(altitude_m=alt_m, inclination_rad=inc_rad)  # node unknown
        from breachkit._core.timeutil import parse_utc
        from breachkit.environment.tle import orbit_with_node

        return orbit_with_node(
            alt_m,
            inc_rad,
            math.radians(self.raan_deg),
            parse_utc(self.epoch_utc),  # checked when the case was read
            math.radians(self.argument_of_latitude_deg or 0.0),
        )

    def circular(self) -> tuple[float, float]:
        """(altitude [m], inclination [rad]); from the TLE's mean motion when a TLE is given."""
        if self.tle is None:
            assert self.altitude_km is not None and self.inclination_deg is not None
            return self.altitude_km * 1e3, math.radians(self.inclination_deg)
        try:
            from sgp4.api import Satrec
        except ImportError as exc:  # pragma: no cover
            raise InputError("[orbit] tle needs sgp4: pip install breachkit[orbit]") from exc
        from breachkit._core.units import MU_EARTH, R_EARTH_EQUATORIAL

        sat = Satrec.twoline2rv(self.tle[0], self.tle[1])
        if sat.error != 0 or not sat.no_kozai > 0:
            raise InputError(f"[orbit] tle: sgp4 cannot read these lines (error {sat.error})")
        n = sat.no_kozai / 60.0  # rad/min → rad/s
        a = (MU_EARTH / n**2) ** (1.0 / 3.0)
        alt = a - R_EARTH_EQUATORIAL
        if alt < MIN_ALTITUDE_KM * 1e3:
            raise InputError(
                f"[orbit] tle: mean altitude {alt / 1e3:.1f} km is below the atmosphere "
                f"(needs >= {MIN_ALTITUDE_KM:g} km)"
            )
        return alt, float(sat.inclo)


class AttitudeConfig(_Section):
    mode: Literal["+XVV", "-XVV"] = "+XVV"
    yaw_deg: float = 0.0
    pitch_deg: float = 0.0
    roll_deg: float = 0.0
    quaternion_wxyz: list[float] | None = None
    source: str = ""

    @field_validator("quaternion_wxyz")
    @classmethod
    def _unit(cls, q: list[float] | None) -> list[float] | None:
        if q is not None:
            if len(q) != 4 or not all(math.isfinite(x) for x in q):
                raise ValueError("quaternion_wxyz needs 4 finite numbers")
            if abs(math.sqrt(sum(x * x for x in q)) - 1.0) > 1e-6:
                raise ValueError("quaternion_wxyz must have unit norm")
        return q


class DockedVehicleConfig(_Section):
    vehicle: str
    port: str
    name: str
    source: str = ""


class DockingConfig(_Section):
    """The vehicle of `[vehicle]` docked at `port` of a built-in `station`; more vehicles in `also`.

    The body frame is then the station's; region names get prefixes (``"<station_name>/"``,
    ``"<vehicle name>/"``).
    """

    port: str
    station: str = "iss_simplified"
    station_name: str = "iss"
    also: list[DockedVehicleConfig] = Field(default_factory=list)
    source: str = ""


class WindowConfig(_Section):
    label: str = Field(min_length=1)
    start: str
    end: str
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> WindowConfig:
        s = parse_utc(self.start, field="start")
        e = parse_utc(self.end, field="end")
        if e <= s:
            raise ValueError(
                f"window {self.label!r} ends ({self.end}) before it starts ({self.start})"
            )
        return self

    @property
    def start_utc(self) -> datetime:
        return parse_utc(self.start, field="start")

    @property
    def end_utc(self) -> datetime:
        return parse_utc(self.end, field="end")


class ExposureConfig(_Section):
    windows: list[WindowConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ExposureConfig:
        labels = [w.label for w in self.windows]
        if len(set(labels)) != len(labels):
            raise ValueError(f"window labels must be unique, got {labels}")
        return self


class EnvironmentConfig(_Section):
    """[environment]: the same keys as `breachkit.environment`'s own reader of this section."""

    f107_sfu: float | None = Field(default=None, gt=0.0, lt=400.0)
    meteoroid_model: str = "grun-ssp30425"
    debris_density: str = "handbook-2.8"
    psi_table: str = "spenvis"
    sporadic_model: str = "isotropic"
    populations: list[str] = Field(default_factory=lambda: ["sporadic", "showers", "debris"])
    flux_tables: list[str] = Field(default_factory=list)
    flux_files: list[FluxFileSection] = Field(default_factory=list)
    debris_model: Literal["nasa91", "kessler", "table"] = "nasa91"
    debris_orbits: str | None = None
    source: str | None = None

    @field_validator("sporadic_model")
    @classmethod
    def _known_sporadic_model(cls, v: str) -> str:
        from breachkit.environment.config import check_sporadic_model

        return check_sporadic_model(v)


class UncertaintyConfig(_Section):
    low: float = Field(gt=0, le=1)
    high: float = Field(ge=1)
    source: str = Field(min_length=1)


class RiskConfig(_Section):
    regions: list[str] | None = None
    n_directions: int = Field(default=2000, ge=6)
    shower_times: int = Field(default=12, ge=1)
    shower_positions: int = Field(default=24, ge=1)
    shower_raan: int = Field(default=6, ge=1)
    n_cos_bins: int | None = Field(default=65, ge=2)
    min_faces: int = Field(default=0, ge=0)
    impact_min_diameter_mm: float = Field(default=0.1, gt=0)
    shadowing: Literal["auto", "embree", "numpy", "none"] = "auto"
    mc_samples: int = Field(default=0, ge=0)
    seed: int = 0
    hole_size_mm: list[float] | None = None
    uncertainty: dict[str, UncertaintyConfig] = Field(default_factory=dict)
    source: str = ""

    @field_validator("hole_size_mm")
    @classmethod
    def _range(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and (len(v) != 2 or not 0 <= v[0] < v[1]):
            raise ValueError("hole_size_mm must be [low, high] with 0 <= low < high")
        return v


@dataclass(frozen=True)
class RiskCase:
    """The validated risk sections of one case file."""

    case: CaseFile
    vehicle: VehicleConfig
    orbit: OrbitConfig
    attitude: AttitudeConfig
    docking: DockingConfig | None
    exposure: ExposureConfig
    environment: EnvironmentConfig
    risk: RiskConfig


def load_risk_case(path: str | Path) -> RiskCase:
    """Read and validate the risk sections of a case (folder or case.toml); one-line errors."""
    case = read_case(path)
    vehicle = load_section(case, "vehicle", VehicleConfig)
    orbit = load_section(case, "orbit", OrbitConfig)
    exposure = load_section(case, "exposure", ExposureConfig)
    attitude = load_section(case, "attitude", AttitudeConfig, required=False) or AttitudeConfig()
    docking = load_section(case, "docking", DockingConfig, required=False)
    environment = (
        load_section(case, "environment", EnvironmentConfig, required=False) or EnvironmentConfig()
    )
    risk = load_section(case, "risk", RiskConfig, required=False) or RiskConfig()
    assert vehicle is not None and orbit is not None and exposure is not None
    if vehicle.mesh is not None:
        case.resolve_path(vehicle.mesh, field="[vehicle] mesh")
    return RiskCase(case, vehicle, orbit, attitude, docking, exposure, environment, risk)


# ----------------------------------------------------------------------------------------------
# building the pieces (each one imports its part lazily; risk sits above geometry/damage/env)


def _where(rc: RiskCase, section: str, key: str) -> str:
    return f"{rc.case.path.name}: [{section}] {key}"


def build_surface(rc: RiskCase) -> Any:
    """The surface model in the body frame of the attitude (the station's frame when docked)."""
    from breachkit.geometry import models as gm

    v = rc.vehicle
    if v.mesh is not None:
        from breachkit.geometry import load_mesh

        path = rc.case.resolve_path(v.mesh, field="[vehicle] mesh")
        try:
            regions: Any = v.regions
            if isinstance(regions, str) and regions not in ("groups", "materials"):
                # "groups"/"materials" are modes of load_mesh, as on `breachkit geometry --regions`
                regions = rc.case.resolve_path(regions, field="[vehicle] regions")
            return load_mesh(
                path,
                length_unit_m=v.length_unit_m,
                regions=regions,
                repair=v.repair,
                allow_open=v.allow_open,
            )
        except InputError as exc:
            raise InputError(f"{_where(rc, 'vehicle', 'mesh')}: {exc}") from None
    assert v.model is not None
    builders = {n: getattr(gm, n) for n in gm.__all__ if callable(getattr(gm, n))}

    def build(section: str, key: str, name: str) -> Any:
        if name not in builders:
            raise InputError(
                f"{_where(rc, section, key)}: unknown built-in model {name!r} "
                f"(known: {', '.join(sorted(builders))})"
            )
        return builders[name]()

    vehicle = build("vehicle", "model", v.model)
    if rc.docking is None:
        return vehicle.renamed(f"{v.name}/") if v.name else vehicle
    d = rc.docking
    station = build("docking", "station", d.station)
    parts = [station.renamed(f"{d.station_name}/")]
    ports = [p.name for p in station.ports]
    docked = [(vehicle, d.port, v.name or v.model)] + [
        (build("docking", f"also[{j}].vehicle", o.vehicle), o.port, o.name)
        for j, o in enumerate(d.also)
    ]
    for i, (veh, port, name) in enumerate(docked):
        if port not in ports:
            key = "port" if i == 0 else f"also[{i - 1}].port"
            raise InputError(
                f"{_where(rc, 'docking', key)}: {port!r} is not a port of {d.station} "
                f"(ports: {', '.join(ports)})"
            )
        parts.append(gm.dock(veh, station, port).renamed(f"{name}/"))
    from breachkit.geometry import SurfaceModel

    return SurfaceModel.concatenate(parts)


def build_shields(rc: RiskCase, regions: list[str]) -> dict[str, Any]:
    """Region → shield from the `[vehicle.shields]` table (every evaluated region needs one)."""
    from breachkit.damage import get_shield

    out: dict[str, Any] = {}
    for r in regions:
        if r not in rc.vehicle.shields:
            raise InputError(f"{_where(rc, 'vehicle', 'shields')}: region {r!r} has no shield")
        sc = rc.vehicle.shields[r]
        try:
            out[r] = get_shield(sc.preset, **sc.params)
        except InputError as exc:
            raise InputError(f"{_where(rc, 'vehicle', f'shields.{r}')}: {exc}") from None
        except (KeyError, TypeError) as exc:
            raise InputError(f"{_where(rc, 'vehicle', f'shields.{r}')}: {exc}") from None
    return out


def build_attitude(rc: RiskCase) -> Any:
    """The body→LVLH attitude of the case (a `breachkit.geometry.attitude.Attitude`)."""
    from breachkit.geometry.attitude import Attitude, iss_flight_attitude

    a = rc.attitude
    if a.quaternion_wxyz is not None:
        return Attitude.from_quaternion(np.asarray(a.quaternion_wxyz), "quaternion")
    return iss_flight_attitude(
        a.mode, math.radians(a.yaw_deg), math.radians(a.pitch_deg), math.radians(a.roll_deg)
    )


def build_orbit(rc: RiskCase) -> Any:
    """The circular orbit of the case (`breachkit._core.orbit.CircularOrbit`)."""
    return rc.orbit.orbit()


def build_environment(rc: RiskCase, window: WindowConfig) -> Any:
    """The LVLH environment (sporadic, showers over the window, debris) for one window."""
    from breachkit.environment.builder import build_environment as env_build

    e = rc.environment
    tables = [
        str(rc.case.resolve_path(t, field=f"[environment] flux_tables[{i}]"))
        for i, t in enumerate(e.flux_tables)
    ]
    files = [
        f.reader_options(str(rc.case.resolve_path(f.path, field=f"[environment] flux_files[{i}]")))
        for i, f in enumerate(e.flux_files)
    ]
    try:
        orbits = None
        if e.debris_orbits is not None:
            from breachkit.environment.kessler_debris import read_satcat_orbits

            sat = rc.case.resolve_path(e.debris_orbits, field="[environment] debris_orbits")
            mid = window.start_utc + (window.end_utc - window.start_utc) / 2
            orbits = read_satcat_orbits(sat, mid.date())
        return env_build(
            build_orbit(rc),
            window.start_utc,
            window.end_utc,
            populations=e.populations,
            n_directions=rc.risk.n_directions,
            meteoroid_model=e.meteoroid_model,
            n_times=rc.risk.shower_times,
            n_positions=rc.risk.shower_positions,
            n_raan=rc.risk.shower_raan,
            f107_sfu=e.f107_sfu,
            debris_density=e.debris_density,
            psi_table=e.psi_table,
            tabulated=tables,
            sporadic_model=e.sporadic_model,
            debris_model=e.debris_model,
            debris_orbits=orbits,
            flux_files=files,
        )
    except InputError as exc:
        raise InputError(f"{rc.case.path.name}: [environment] {exc}") from None


def run_case(case_dir: str | Path) -> Any:
    """Run the risk part of a case folder and return its `RiskResult`."""
    return run_case_full(case_dir).result


@dataclass(frozen=True)
class CaseRun:
    """Everything one risk run of a case produced."""

    case: RiskCase
    result: Any  # RiskResult
    monte_carlo: Any  # MonteCarloResult | None
    surface: Any  # the full SurfaceModel (all faces, shadowing included)
    face_ids: Any  # indices in `surface` of the evaluated faces
    shields: dict[str, Any]
    #: the same run with each shield's fitted BLE scatter integrated (`compute_risk(...,
    #: ble_scatter=True)`); None when not computed
    result_scatter: Any = None


def run_case_full(case_dir: str | Path) -> CaseRun:
    """Run a case: the `RiskResult`, the Monte Carlo run (``[risk] mc_samples``) and the inputs."""
    from breachkit.risk.engine import ExposureWindow, FaceSet, compute_risk
    from breachkit.risk.montecarlo import monte_carlo
    from breachkit.risk.uncertainty import UncertaintyFactor

    rc = load_risk_case(case_dir)
    surface = build_surface(rc)
    names = list(surface.region_names)
    regions = rc.risk.regions if rc.risk.regions is not None else names
    for r in regions:
        if r not in names:
            raise InputError(
                f"{_where(rc, 'risk', 'regions')}: {r!r} is not a region of the vehicle "
                f"(regions: {', '.join(names)})"
            )
    if rc.risk.min_faces > 0:
        # refine only the evaluated regions (4-splits); the rest of the model still shadows
        evaluated = surface.select_regions(regions)
        if evaluated.n_faces < rc.risk.min_faces:
            rest = [n for n in names if n not in regions]
            parts = [surface.select_regions(rest)] if rest else []
            fine = dataclasses.replace(evaluated.refined(rc.risk.min_faces), ports=())
            surface = type(surface).concatenate([*parts, fine])
            names = list(surface.region_names)
    shields = build_shields(rc, regions)
    attitude = build_attitude(rc)
    windows = [
        ExposureWindow.between(w.label, w.start_utc, w.end_utc, build_environment(rc, w))
        for w in rc.exposure.windows
    ]
    full = FaceSet.from_surface(surface)
    sel = np.flatnonzero(np.isin(full.region_index, [names.index(r) for r in regions]))
    faces = FaceSet(
        full.normals[sel],
        full.areas[sel],
        full.region_index[sel],
        full.region_names,
        None if full.centroids is None else full.centroids[sel],
        surface=None,
    )
    shadow = rc.risk.shadowing
    vis: Any = None
    scene: Any = None
    if shadow != "none":
        from breachkit.geometry.shadowing import EmbreeScene, embree_available
        from breachkit.geometry.shadowing import visibility as geometry_visibility

        if shadow == "embree" or (shadow == "auto" and embree_available()):
            scene = EmbreeScene(surface)
        backend = "embree" if scene is not None else shadow

        def vis(idx: np.ndarray, dirs: np.ndarray) -> Any:
            return geometry_visibility(
                surface, dirs, backend=backend, faces=sel[idx], scene=scene, keep_order=True
            )

    try:
        unc = {
            k: UncertaintyFactor(u.low, u.high, u.source) for k, u in rc.risk.uncertainty.items()
        }
        lvlh_to_body = np.asarray(attitude.lvlh_to_body)
        result = compute_risk(
            faces,
            windows,
            shields,
            attitude=lvlh_to_body,
            visibility=vis,
            n_cos_bins=rc.risk.n_cos_bins,
            impact_min_diameter_m=rc.risk.impact_min_diameter_mm * 1e-3,
            uncertainty=unc or None,
            description=rc.case.folder.name,
        )
        # the same sums with P(failure | d) from the BLEs' fitted scatter instead of the step
        # at d_c (docs/damage.md, probabilistic BLEs): one more pass over the faces
        result_scatter = compute_risk(
            faces,
            windows,
            shields,
            attitude=lvlh_to_body,
            visibility=vis,
            n_cos_bins=rc.risk.n_cos_bins,
            impact_min_diameter_m=rc.risk.impact_min_diameter_mm * 1e-3,
            uncertainty=unc or None,
            description=rc.case.folder.name + " (BLE scatter)",
            ble_scatter=True,
        )
        mc = None
        if rc.risk.mc_samples > 0:
            mc = monte_carlo(
                faces,
                windows[0],
                shields,
                rng=np.random.default_rng(rc.risk.seed),
                n_samples=rc.risk.mc_samples,
                regions=regions,
                attitude=lvlh_to_body,
                visibility=vis,
                impact_min_diameter_m=rc.risk.impact_min_diameter_mm * 1e-3,
            )
    finally:
        if scene is not None:
            scene.close()
    return CaseRun(rc, result, mc, surface, sel, shields, result_scatter)


def shields_table(shields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Name, source and assumptions of each region's shield (for reports)."""
    return {
        r: {
            "preset": getattr(s, "name", ""),
            "source": getattr(s, "source", ""),
            "assumptions": list(getattr(s, "assumptions", [])),
            "failure_area_fraction": float(s.failure_area_fraction),
        }
        for r, s in shields.items()
    }
