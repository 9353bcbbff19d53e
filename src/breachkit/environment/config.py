"""Case-file sections read by the environment part: [orbit], [incident] (time only), [environment].

Other parts may read more fields from [orbit]/[incident]; extra keys are allowed here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "DEBRIS_MODELS",
    "EnvironmentSection",
    "FluxFileSection",
    "IncidentTime",
    "OrbitSection",
    "check_sporadic_model",
]

#: `[environment] debris_model`: "nasa91" (default: NASA-91 with crossing circular orbits),
#: "kessler" (NASA-91 level and sizes, eccentric-orbit directions and speeds, Kessler 1981),
#: "table" (no model debris: the debris comes from flux_tables / flux_files only).
DEBRIS_MODELS = ("nasa91", "kessler", "table")


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


class FluxFileSection(BaseModel):
    """One `[[environment.flux_files]]` entry: a native MASTER-2009 or MEM 3 output.

    The conventions the files do not state have no default here: the readers refuse a file
    whose conventions are not all declared (docs/environment.md §5.4).
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["master-2009", "mem3-igloo"]
    #: folder (MASTER-2009 run) or file (MEM 3 igloo), relative to the case folder
    path: str
    name: str | None = None
    # MASTER-2009
    azimuth_zero: str | None = None
    azimuth_positive: str | None = None
    elevation_positive: str | None = None
    direction: str | None = None
    flux_area: str | None = None
    stem: str | None = None
    kind: Literal["debris", "meteoroid"] | None = None
    # MEM 3 igloo
    frame: str | None = None
    theta_zero: str | None = None
    theta_positive: str | None = None
    phi_positive: str | None = None
    values: str | None = None
    limiting_mass_kg: float | None = Field(default=None, gt=0.0)
    density_kg_m3: float | None = Field(default=None, gt=0.0)
    source: str | None = None

    def reader_options(self, resolved_path: str) -> dict[str, object]:
        """The keyword options of `read_flux_file`, with the path resolved by the caller."""
        out = self.model_dump(exclude={"source"}, exclude_none=True)
        out["path"] = resolved_path
        return out


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
    #: native MASTER-2009 / MEM 3 outputs added as further populations (§5.4)
    flux_files: list[FluxFileSection] = []
    #: debris model for the "debris" population (`DEBRIS_MODELS`); the default is unchanged
    debris_model: Literal["nasa91", "kessler", "table"] = "nasa91"
    #: for debris_model = "kessler": a CelesTrak SATCAT CSV (relative to the case folder) whose
    #: objects in orbit at the window's middle give the orbits; default: the assumed orbit mix
    debris_orbits: str | None = None
    source: str | None = None

    @field_validator("sporadic_model")
    @classmethod
    def _known_sporadic_model(cls, v: str) -> str:
        return check_sporadic_model(v)
