"""Pydantic models of the crew-return sections of ``case.toml`` (all under the ``[ops]`` table).

``[ops]`` situation_utc · ``[ops.station]`` · ``[[ops.vehicles]]`` · ``[[ops.crew]]`` ·
``[ops.damage]`` · ``[[ops.replacements]]`` · ``[ops.thermal]`` · ``[ops.scoring]``.
Dates are ISO 8601 UTC strings (``2022-12-15`` or ``2022-12-15T00:45:00Z``). `load_ops` validates
the lot and the cross-references between them, raising one-line `InputError`s.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from breachkit._core.casefile import CaseFile, load_section, read_case
from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc

__all__ = [
    "CrewConfig",
    "DamageConfig",
    "OpsConfig",
    "ReplacementConfig",
    "ScoringConfig",
    "StationConfig",
    "VehicleConfig",
    "load_ops",
]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _utc(v: object) -> datetime:
    if isinstance(v, datetime):
        from breachkit._core.timeutil import to_utc

        return to_utc(v)
    if hasattr(v, "isoformat") and not isinstance(v, str):  # a TOML date
        return parse_utc(v.isoformat() + "T00:00:00Z")
    if isinstance(v, str):
        s = v if "T" in v else v + "T00:00:00Z"
        try:
            return parse_utc(s)
        except InputError:
            raise ValueError(f"cannot parse {v!r} as an ISO 8601 UTC date") from None
    raise ValueError(f"{v!r} is not a date")


class StationConfig(_Base):
    """``[ops.station]``: the station and the record used for the emergency-return rate."""

    name: str
    crewed_since_utc: datetime
    emergency_returns_to_date: int = Field(0, ge=0)
    emergency_rate_per_year: float | None = Field(None, ge=0)
    source: str = ""

    _d = field_validator("crewed_since_utc", mode="before")(_utc)


class VehicleConfig(_Base):
    """``[[ops.vehicles]]``: a docked crew vehicle (a lifeboat)."""

    name: str
    family: str
    seats: int = Field(ge=0)
    contingency_seats: int = Field(0, ge=0)
    seat_liners: list[str] = Field(default_factory=list)
    docked_utc: datetime
    certified_docked_life_days: float = Field(gt=0)
    planned_undock_utc: datetime
    can_fly_uncrewed: bool = True
    ballast_for_empty_seat: bool = False
    source: str = ""

    _d = field_validator("docked_utc", "planned_undock_utc", mode="before")(_utc)


class CrewConfig(_Base):
    """``[[ops.crew]]``: one crew member and the vehicle he or she is assigned to."""

    name: str
    vehicle: str = Field(min_length=1)
    launch_utc: datetime
    pilot: bool = False
    source: str = ""

    _d = field_validator("launch_utc", mode="before")(_utc)


class DamageConfig(_Base):
    """``[ops.damage]``: the damaged vehicle and what it lost."""

    vehicle: str
    system: Literal["external_thermal_loop", "propulsion", "none"]
    incident_utc: datetime
    crewed_return_risk: float | None = Field(None, ge=0, le=1)
    source: str = ""

    _d = field_validator("incident_utc", mode="before")(_utc)


class ReplacementConfig(_Base):
    """``[[ops.replacements]]``: a vehicle that could bring empty seats up.

    The earliest launch is `earliest_launch_utc`, or `nominal_launch_utc` minus
    `max_acceleration_days` of compressed processing.
    """

    name: str
    family: str
    empty_seats: int = Field(ge=1)
    earliest_launch_utc: datetime | None = None
    nominal_launch_utc: datetime | None = None
    max_acceleration_days: float = Field(0.0, ge=0)
    launch_to_dock_days: float = Field(2.0, ge=0)
    certified_docked_life_days: float = Field(gt=0)
    planned_undock_utc: datetime | None = None
    uncrewed: bool = True
    source: str = ""

    _d = field_validator(
        "earliest_launch_utc", "nominal_launch_utc", "planned_undock_utc", mode="before"
    )(lambda v: None if v is None else _utc(v))


class ScoringConfig(_Base):
    """``[ops.scoring]``: limits and weights of the option scoring (defaults in docs/ops.md)."""

    design_cabin_max_c: float = 25.0
    planned_return_cabin_limit_c: float = 35.0
    emergency_cabin_limit_c: float = 40.0
    acceptable_return_risk: float = Field(1.0 / 270.0, gt=0, le=1)
    extension_weight_per_crew_year: float = Field(0.01, ge=0)
    return_preparation_days: float = Field(7.0, ge=0)
    redistribution_days: float = Field(7.0, ge=0)


class OpsConfig(_Base):
    """The whole ``[ops]`` table after validation."""

    situation_utc: datetime
    source: str = ""
    station: StationConfig
    vehicles: list[VehicleConfig]
    crew: list[CrewConfig]
    damage: DamageConfig
    replacements: list[ReplacementConfig] = Field(default_factory=list)
    thermal: dict[str, float] = Field(default_factory=dict)
    scoring: ScoringConfig = Field(default_factory=lambda: ScoringConfig.model_validate({}))

    _d = field_validator("situation_utc", mode="before")(_utc)

    @field_validator("scoring")
    @classmethod
    def _limits(cls, v: ScoringConfig) -> ScoringConfig:
        if not (v.design_cabin_max_c < v.planned_return_cabin_limit_c <= v.emergency_cabin_limit_c):
            raise ValueError(
                "need design_cabin_max_c < planned_return_cabin_limit_c <= emergency_cabin_limit_c"
            )
        return v


class _Top(_Base):
    model_config = ConfigDict(extra="allow", frozen=True)
    situation_utc: datetime
    source: str = ""
    _d = field_validator("situation_utc", mode="before")(_utc)


def _check(cfg: OpsConfig, file: str) -> None:
    vehicles = {v.name: v for v in cfg.vehicles}
    if len(vehicles) != len(cfg.vehicles):
        raise InputError(f"{file}: [[ops.vehicles]]: vehicle names must be unique")
    names = [c.name for c in cfg.crew]
    if len(set(names)) != len(names):
        raise InputError(f"{file}: [[ops.crew]]: crew names must be unique")
    for c in cfg.crew:
        if c.vehicle not in vehicles:
            raise InputError(
                f"{file}: [[ops.crew]] {c.name}: vehicle {c.vehicle!r} is not one of the docked "
                f"vehicles {sorted(vehicles)}"
            )
    for v in cfg.vehicles:
        assigned = [c.name for c in cfg.crew if c.vehicle == v.name]
        if len(assigned) > v.seats:
            raise InputError(
                f"{file}: [[ops.vehicles]] {v.name}: {len(assigned)} crew assigned but only "
                f"{v.seats} seats"
            )
        if len(v.seat_liners) > v.seats + v.contingency_seats:
            raise InputError(
                f"{file}: [[ops.vehicles]] {v.name}: {len(v.seat_liners)} seat liners exceed "
                f"{v.seats} seats + {v.contingency_seats} contingency seats"
            )
        for liner in v.seat_liners:
            if liner not in names:
                raise InputError(
                    f"{file}: [[ops.vehicles]] {v.name}: seat liner {liner!r} is not a crew member"
                )
        if v.planned_undock_utc <= v.docked_utc:
            raise InputError(
                f"{file}: [[ops.vehicles]] {v.name}: planned_undock_utc before docking"
            )
    for c in cfg.crew:
        holders = [v.name for v in cfg.vehicles if c.name in v.seat_liners]
        if holders and holders != [c.vehicle]:
            raise InputError(
                f"{file}: [[ops.crew]] {c.name}: seat liner is in {holders}, not in {c.vehicle!r}"
            )
    if cfg.damage.vehicle not in vehicles:
        raise InputError(
            f"{file}: [ops.damage] vehicle: {cfg.damage.vehicle!r} is not a docked vehicle"
        )
    if cfg.damage.system == "propulsion" and cfg.damage.crewed_return_risk is None:
        raise InputError(
            f"{file}: [ops.damage] crewed_return_risk: required when system = 'propulsion'"
        )
    if cfg.situation_utc < cfg.damage.incident_utc:
        raise InputError(f"{file}: [ops] situation_utc: before [ops.damage] incident_utc")
    for r in cfg.replacements:
        if r.earliest_launch_utc is None and r.nominal_launch_utc is None:
            raise InputError(
                f"{file}: [[ops.replacements]] {r.name}: give earliest_launch_utc or "
                "nominal_launch_utc"
            )
        launch = r.earliest_launch_utc or r.nominal_launch_utc
        assert launch is not None
        if launch < cfg.damage.incident_utc:
            raise InputError(
                f"{file}: [[ops.replacements]] {r.name}: launch {launch.date()} is before the "
                f"incident ({cfg.damage.incident_utc.date()})"
            )
    from breachkit.ops.thermal import DEFAULT_PARAMETERS

    DEFAULT_PARAMETERS.with_overrides(cfg.thermal)


def load_ops(case: CaseFile | str | Path) -> OpsConfig:
    """Validate the ``[ops]`` sections of a case; one-line `InputError` on any problem."""
    cf = case if isinstance(case, CaseFile) else read_case(case)
    file = cf.path.name
    top = load_section(cf, "ops", _Top)
    assert top is not None
    raw = dict(cf.data["ops"])
    raw.pop("source", None)
    for key in ("station", "damage"):
        if key not in raw:
            raise InputError(f"{file}: section [ops.{key}] is missing")
    for key in ("vehicles", "crew"):
        if not raw.get(key):
            raise InputError(f"{file}: section [[ops.{key}]] is missing")
    # validate each sub-table with its own section name in the message
    load_section(cf, "ops.station", StationConfig)
    load_section(cf, "ops.damage", DamageConfig)
    for key, model in (("vehicles", VehicleConfig), ("crew", CrewConfig)):
        for i, _item in enumerate(raw[key]):
            sub = CaseFile(cf.path, {"x": raw[key][i]})
            try:
                load_section(sub, "x", model)
            except InputError as exc:
                raise InputError(str(exc).replace("[x]", f"[[ops.{key}]] #{i + 1}", 1)) from None
    for i, _item in enumerate(raw.get("replacements", [])):
        sub = CaseFile(cf.path, {"x": raw["replacements"][i]})
        try:
            load_section(sub, "x", ReplacementConfig)
        except InputError as exc:
            raise InputError(str(exc).replace("[x]", f"[[ops.replacements]] #{i + 1}", 1)) from None
    cfg = load_section(cf, "ops", OpsConfig)
    assert cfg is not None
    _check(cfg, file)
    return cfg
