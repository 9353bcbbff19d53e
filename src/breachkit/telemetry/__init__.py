"""Telemetry forensics: when a leak began, how big the hole is, sudden or growing, when it runs dry.

* `breachkit.telemetry.leak`: leak physics (pure functions).
* `read_telemetry`: CSV / Parquet / ISS-Mimic readers with a data-handling report.
* `simulate_leak`: synthetic telemetry for tests and what-ifs.
* `analyze` → `LeakAnalysis`; `analyze_case(case_dir)` reads a case's ``[telemetry]`` section.
"""

from __future__ import annotations

from breachkit.telemetry.analysis import LeakAnalysis, analyze, plot_analysis
from breachkit.telemetry.config import TelemetryConfig, analyze_case
from breachkit.telemetry.io import TelemetrySeries, read_telemetry
from breachkit.telemetry.simulate import SimulatedTelemetry, simulate_leak
from breachkit.telemetry.vessels import GasVessel, GenericDecay, LiquidLoop, make_vessel

__all__ = [
    "GasVessel",
    "GenericDecay",
    "LeakAnalysis",
    "LiquidLoop",
    "SimulatedTelemetry",
    "TelemetryConfig",
    "TelemetrySeries",
    "analyze",
    "analyze_case",
    "make_vessel",
    "plot_analysis",
    "read_telemetry",
    "simulate_leak",
]
