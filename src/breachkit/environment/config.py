"""Case-file sections read by the environment part: [orbit], [incident] (time only), [environment].

Other parts may read more fields from [orbit]/[incident]; extra keys are allowed here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EnvironmentSection", "IncidentTime", "OrbitSection"]


class OrbitSection(BaseModel):
    """[orbit]: a circular orbit."""

    model_config = ConfigDict(extra="allow")

    altitude_km: float = Field(gt=100.0, lt=36000.0)
    inclination_deg: float = Field(ge=0.0, le=180.0)
    raan_deg: float | None = None
    epoch_utc: str | None = None


class IncidentTime(BaseModel):
    """[incident]: the instant (or window) of interest, ISO 8601 UTC."""

    model_config = ConfigDict(extra="allow")

    time_utc: str
    window_end_utc: str | None = None


class EnvironmentSection(BaseModel):
    """[environment]: model choices (all optional)."""

    model_config = ConfigDict(extra="forbid")

    f107_sfu: float | None = Field(default=None, gt=0.0, lt=400.0)
    meteoroid_model: str = "grun-ssp30425"
    debris_density: str = "handbook-2.8"
    psi_table: str = "spenvis"
    populations: list[str] = ["sporadic", "showers", "debris"]
    #: breachkit flux tables (docs/environment.md §5) added as further populations; paths
    #: relative to the case folder.
    flux_tables: list[str] = []
    source: str | None = None
