"""Case-file sections read by the environment part: [orbit], [incident] (time only), [environment].

Other parts may read more fields from [orbit]/[incident]; extra keys are allowed here.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["EnvironmentSection", "IncidentTime", "OrbitSection", "check_sporadic_model"]


def check_sporadic_model(value: str) -> str:
    """`value` if it names a directional sporadic model (`SPORADIC_DIRECTIONAL_MODELS`).

    Raises ValueError (pydantic turns it into the one-line ``[environment] sporadic_model``
    message of `breachkit._core.casefile.load_section`).
    """
    from breachkit.environment.sporadic import SPORADIC_DIRECTIONAL_MODELS

    if value not in SPORADIC_DIRECTIONAL_MODELS:
        raise ValueError(f"must be one of {sorted(SPORADIC_DIRECTIONAL_MODELS)}")
    return value


class OrbitSection(BaseModel):
    """[orbit]: a circular orbit."""

    model_config = ConfigDict(extra="allow")

    altitude_km: float | None = Field(default=None, gt=100.0, lt=36000.0)
    inclination_deg: float | None = Field(default=None, ge=0.0, le=180.0)
    #: Node (RAAN) [deg] at `epoch_utc`: both or neither. With them the node at the incident is
    #: known (propagated with the J2 rate) and shower fluxes are not averaged over nodes.
    raan_deg: float | None = None
    epoch_utc: str | None = None
    #: Or the two lines of a TLE (altitude from its mean motion, inclination, node and epoch).
    tle: list[str] | None = None

    @model_validator(mode="after")
    def _node_with_epoch(self) -> OrbitSection:
        if (self.raan_deg is None) != (self.epoch_utc is None):
            raise ValueError("give raan_deg and epoch_utc (the instant of that node) together")
        if self.tle is not None:
            if len(self.tle) != 2:
                raise ValueError("tle must be a list of the two TLE lines")
            if self.altitude_km is not None or self.raan_deg is not None:
                raise ValueError("give either a tle or altitude_km + inclination_deg, not both")
        elif self.altitude_km is None or self.inclination_deg is None:
            raise ValueError("give altitude_km and inclination_deg (or a tle)")
        return self


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
    #: Directional sporadic model: "isotropic" (default) or "sources" (opt-in source structure,
    #: docs/environment.md §11).
    sporadic_model: str = "isotropic"
    populations: list[str] = ["sporadic", "showers", "debris"]
    #: breachkit flux tables (docs/environment.md §5) added as further populations; paths
    #: relative to the case folder.
    flux_tables: list[str] = []
    source: str | None = None

    @field_validator("sporadic_model")
    @classmethod
    def _known_sporadic_model(cls, v: str) -> str:
        return check_sporadic_model(v)
