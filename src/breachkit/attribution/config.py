"""Pydantic models of the case.toml sections the attribution part owns: ``[incident]``,
``[evidence]`` and ``[attribution]``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from breachkit._core.timeutil import parse_utc

__all__ = [
    "AttributionSection",
    "EvidenceSection",
    "HardItem",
    "HoleLocationItem",
    "IncidentSection",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncidentSection(_Strict):
    """``[incident]``: what happened, when, to which vehicle, and what was officially found."""

    key: str
    time_utc: str
    vehicle: str
    system: str
    description: str
    official_finding: Literal["impact", "defect", "not_impact", "unknown"]
    official_finding_source: str = ""
    source: str

    @field_validator("time_utc")
    @classmethod
    def _time(cls, v: str) -> str:
        parse_utc(v, field="time_utc")
        return v


class ShowerItem(_Strict):
    name: str
    flux_ratio: float = Field(ge=0)
    reach_fraction: float = Field(ge=0, le=1)
    mean_ratio: float = Field(default=0.0, ge=0)
    flux_ratio_range: tuple[float, float] | None = None
    reach_fraction_range: tuple[float, float] | None = None
    source: str


class LocationItem(_Strict):
    region: str
    impact_fraction: float = Field(ge=0, le=1)
    area_fraction: float = Field(gt=0, le=1)
    impact_fraction_range: tuple[float, float] | None = None
    source: str


class BandItem(_Strict):
    """A band of one region along a body axis (face centroids in [lo_m, hi_m))."""

    name: str
    region: str
    axis: Literal["x", "y", "z"]
    lo_m: float
    hi_m: float

    @model_validator(mode="after")
    def _ordered(self) -> BandItem:
        if not self.lo_m < self.hi_m:
            raise ValueError(f"band {self.name!r}: need lo_m < hi_m")
        return self


class HoleLocationItem(_Strict):
    """``[evidence.hole_location]``: where the hole was found, among the parts of the system where
    a leak could be (risk regions), for the computed location evidence
    (`breachkit.attribution.physical`)."""

    regions: list[str] = Field(min_length=1)
    candidates: list[str] = Field(min_length=1)
    flaw_density: dict[str, float] = Field(default_factory=dict)
    bands: list[BandItem] = Field(default_factory=list)
    label: Literal["confirmed", "single-source", "UNVERIFIED"] = "confirmed"
    use: bool = True
    source: str

    @model_validator(mode="after")
    def _inside(self) -> HoleLocationItem:
        outside = [r for r in self.regions if r not in self.candidates]
        if outside:
            raise ValueError(f"regions {outside} are not among the candidates")
        bad = [k for k, v in self.flaw_density.items() if not v >= 0]
        if bad:
            raise ValueError(f"flaw_density {bad}: must be >= 0")
        return self


class HardItem(_Strict):
    """One ``[[evidence.hard]]`` item: a preset name or explicit probabilities, with a source."""

    preset: str | None = None
    name: str | None = None
    p_given_impact: float | None = Field(default=None, ge=0, le=1)
    p_given_defect: float | None = Field(default=None, gt=0, le=1)
    p_given_impact_range: tuple[float, float] | None = None
    p_given_defect_range: tuple[float, float] | None = None
    explanation: str = ""
    others: dict[str, float] = Field(default_factory=dict)
    label: Literal["confirmed", "single-source", "UNVERIFIED"] = "confirmed"
    use: bool = True
    #: The item restates the official finding (e.g. the agencies' own test): a comparison only.
    restates_official_finding: bool = False
    source: str

    @model_validator(mode="after")
    def _named(self) -> HardItem:
        if self.preset is None and (
            self.name is None or self.p_given_impact is None or self.p_given_defect is None
        ):
            raise ValueError("give a preset, or a name with p_given_impact and p_given_defect")
        return self


class EvidenceSection(_Strict):
    """``[evidence]``: what a person recorded about the damage (each value with a source)."""

    hole_diameter_mm: float | None = Field(default=None, gt=0, le=1000)
    hole_sigma_log: float = Field(default=0.3, gt=0, le=3)
    hole_label: Literal["confirmed", "single-source", "UNVERIFIED"] = "confirmed"
    hole_source: str = ""
    use_hole: bool = True
    damaged_region: str = ""
    telemetry_bayes_factor: float | None = Field(default=None, gt=0)
    telemetry_bayes_factor_range: tuple[float, float] | None = None
    telemetry_source: str = ""
    shower: ShowerItem | None = None
    location: LocationItem | None = None
    hole_location: HoleLocationItem | None = None
    hard: list[HardItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sources(self) -> EvidenceSection:
        if self.hole_diameter_mm is not None and not self.hole_source:
            raise ValueError("hole_diameter_mm needs hole_source")
        if self.telemetry_bayes_factor is not None and not self.telemetry_source:
            raise ValueError("telemetry_bayes_factor needs telemetry_source")
        return self


class RateItem(_Strict):
    """A rate per day with a 90 % interval and its source."""

    mean_per_day: float = Field(gt=0)
    lo_per_day: float = Field(gt=0)
    hi_per_day: float = Field(gt=0)
    source: str

    @model_validator(mode="after")
    def _order(self) -> RateItem:
        if not self.lo_per_day <= self.mean_per_day <= self.hi_per_day:
            raise ValueError("need lo_per_day <= mean_per_day <= hi_per_day")
        return self


class DefectRateItem(_Strict):
    """The defect rate: explicit, or from the fleet (events over docked vehicle-days)."""

    events: int | None = Field(default=None, ge=0)
    exposure: Literal["fleet"] | None = None
    exposure_days: float | None = Field(default=None, gt=0)
    series: list[str] = Field(default_factory=lambda: ["Soyuz TMA-M", "Soyuz MS", "Progress M",
                                                       "Progress MS"])  # fmt: skip
    prior_shape: float = Field(default=0.5, gt=0)
    mean_per_day: float | None = Field(default=None, gt=0)
    lo_per_day: float | None = Field(default=None, gt=0)
    hi_per_day: float | None = Field(default=None, gt=0)
    source: str

    @model_validator(mode="after")
    def _one_way(self) -> DefectRateItem:
        explicit = self.mean_per_day is not None
        counted = self.events is not None
        if explicit == counted:
            raise ValueError("give either mean/lo/hi_per_day or events with exposure")
        if counted and (self.exposure is None) == (self.exposure_days is None):
            raise ValueError("give exposure = 'fleet' or exposure_days")
        if explicit and (self.lo_per_day is None or self.hi_per_day is None):
            raise ValueError("give lo_per_day and hi_per_day with mean_per_day")
        return self


class HoleModelItem(_Strict):
    impact_min_mm: float = Field(default=0.3, gt=0)
    impact_alpha: float = Field(default=2.5, gt=0)
    defect_min_mm: float = Field(default=0.05, gt=0)
    defect_max_mm: float = Field(default=10.0, gt=0)
    source: str = ""


class TelemetryModelItem(_Strict):
    p_sudden_impact: float = Field(default=0.95, ge=0, le=1)
    p_sudden_defect: float = Field(default=0.5, ge=0, le=1)
    source: str = ""


class FleetModelItem(_Strict):
    """``[attribution.fleet]``: the joint model of every leak of the part over the fleet."""

    #: Words naming the part in the fleet record's incident systems (default: the parenthesised
    #: part of [incident] system, e.g. "PAO radiator").
    part_keywords: list[str] = Field(default_factory=list)
    #: Design series whose dockings make the fleet (default: [attribution.defect_rate] series).
    series: list[str] = Field(default_factory=list)
    #: σ of ln k, the engine's model-form factor (judgement), before the rate's own interval.
    k_sigma_ln: float = Field(default=1.5, gt=0, le=5)
    k_source: str = (
        "JUDGEMENT: the risk engine's model-form uncertainty (environment model, ballistic limit "
        "of an unknown construction, geometry) taken as a factor e^1.5 ≈ 4.5 at one σ"
    )
    note: str = ""


class AttributionSection(_Strict):
    """``[attribution]``: hypotheses and their prior rates, and the models behind the evidence."""

    hypotheses: list[str] = Field(default_factory=lambda: ["impact", "defect"])
    impact_rate: RateItem | None = None
    defect_rate: DefectRateItem
    other_causes: dict[str, RateItem] = Field(default_factory=dict)
    hole_model: HoleModelItem = Field(default_factory=HoleModelItem)
    telemetry_model: TelemetryModelItem = Field(default_factory=TelemetryModelItem)
    fleet: FleetModelItem = Field(default_factory=FleetModelItem)
    #: Weigh evidence built on a SYNTHETIC series (a what-if; never for a real verdict).
    what_if_synthetic: bool = False

    @model_validator(mode="after")
    def _hyps(self) -> AttributionSection:
        if self.hypotheses[:2] != ["impact", "defect"]:
            raise ValueError("hypotheses must start with 'impact', 'defect'")
        missing = [h for h in self.hypotheses[2:] if h not in self.other_causes]
        if missing:
            raise ValueError(f"no [attribution.other_causes.{missing[0]}] rate")
        return self
