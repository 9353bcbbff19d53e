"""Risk engine: expected MMOD impacts and failures on a vehicle's faces, PNP, Monte Carlo."""

from breachkit.risk.config import run_case
from breachkit.risk.engine import (
    DEFAULT_IMPACT_MIN_DIAMETER_M,
    ExposureWindow,
    FaceSet,
    compute_risk,
)
from breachkit.risk.montecarlo import MonteCarloResult, monte_carlo
from breachkit.risk.result import RiskResult, WindowResult
from breachkit.risk.shield import Shield
from breachkit.risk.uncertainty import DEFAULT_FACTORS, UncertaintyFactor

__all__ = [
    "DEFAULT_FACTORS",
    "DEFAULT_IMPACT_MIN_DIAMETER_M",
    "ExposureWindow",
    "FaceSet",
    "MonteCarloResult",
    "RiskResult",
    "Shield",
    "UncertaintyFactor",
    "WindowResult",
    "compute_risk",
    "monte_carlo",
    "run_case",
]
