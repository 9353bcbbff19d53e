"""The default stages: each calls one part's public API and reports its headline numbers.

Order: environment → risk → telemetry → fleet → attribution → crew return, one module each. Each
stage states the case.toml sections it needs (its skip rule) and the part it calls; each reported
number names that call and the case section as its source.
"""

from __future__ import annotations

from breachkit.investigate.pipeline import Stage
from breachkit.investigate.stages.attribution import AttributionStage
from breachkit.investigate.stages.crew_return import CrewReturnStage
from breachkit.investigate.stages.environment import EnvironmentStage
from breachkit.investigate.stages.fleet import FleetStage
from breachkit.investigate.stages.risk import RiskStage
from breachkit.investigate.stages.telemetry import TelemetryStage

__all__ = [
    "AttributionStage",
    "CrewReturnStage",
    "EnvironmentStage",
    "FleetStage",
    "RiskStage",
    "TelemetryStage",
    "default_stages",
]


def default_stages() -> list[Stage]:
    """The investigation's stages in order."""
    return [
        EnvironmentStage(),
        RiskStage(),
        TelemetryStage(),
        FleetStage(),
        AttributionStage(),
        CrewReturnStage(),
    ]
