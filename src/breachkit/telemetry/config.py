"""The ``[telemetry]`` section of a case file and `analyze_case`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from breachkit._core.casefile import load_section, read_case
from breachkit.telemetry import leak
from breachkit.telemetry.analysis import LeakAnalysis, analyze
from breachkit.telemetry.io import read_telemetry
from breachkit.telemetry.vessels import GasVessel, GenericDecay, LiquidLoop, Vessel

__all__ = ["TelemetryConfig", "analyze_case"]


class TelemetryConfig(BaseModel):
    """``[telemetry]``: the file, its channel and unit, and the vessel it measures."""

    model_config = ConfigDict(extra="forbid")

    file: str
    channel: str
    unit: str
    time_column: str | None = None
    kind: Literal["gas", "liquid", "generic"]
    volume_m3: float | None = Field(default=None, gt=0)
    temperature_k: float | None = Field(default=None, gt=0)
    liquid_volume_m3: float | None = Field(default=None, gt=0)
    gas_volume_m3: float | None = Field(default=None, gt=0)
    density_kg_m3: float | None = Field(default=None, gt=0)
    polytropic_index: float = Field(default=1.0, ge=1.0, le=5.0 / 3.0)
    discharge_coefficient: float = Field(default=leak.DEFAULT_DISCHARGE_COEFFICIENT, gt=0.0, le=1.0)
    synthetic: bool = False
    source: str = ""

    def vessel(self, where: str) -> Vessel:
        from breachkit._core.errors import InputError

        if self.kind == "gas":
            if self.volume_m3 is None or self.temperature_k is None:
                raise InputError(f"{where}: [telemetry] kind gas needs volume_m3 and temperature_k")
            return GasVessel(self.volume_m3, self.temperature_k)
        if self.kind == "liquid":
            if None in (self.liquid_volume_m3, self.gas_volume_m3, self.density_kg_m3):
                raise InputError(
                    f"{where}: [telemetry] kind liquid needs liquid_volume_m3, gas_volume_m3 and "
                    "density_kg_m3"
                )
            assert self.liquid_volume_m3 and self.gas_volume_m3 and self.density_kg_m3
            return LiquidLoop(
                self.liquid_volume_m3, self.gas_volume_m3, self.density_kg_m3, self.polytropic_index
            )
        return GenericDecay()


def analyze_case(case_dir: str | Path) -> LeakAnalysis:
    """Read a case's ``[telemetry]`` section and analyse the channel it names."""
    case = read_case(case_dir)
    cfg = load_section(case, "telemetry", TelemetryConfig)
    assert cfg is not None
    path = case.resolve_path(cfg.file, field="[telemetry] file")
    series = read_telemetry(path, cfg.channel, cfg.unit, time_column=cfg.time_column)
    return analyze(
        series, cfg.vessel(case.path.name), discharge_coefficient=cfg.discharge_coefficient
    )
