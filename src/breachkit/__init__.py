"""breachkit: open MMOD impact risk, leak forensics and impact-versus-defect attribution.

The names a notebook user needs are here, imported lazily (PEP 562 ``__getattr__``), so
``import breachkit`` stays fast and pulls in no numpy, pandas or matplotlib until a name is used::

    import breachkit

    result = breachkit.investigate("cases/soyuz-ms22")   # every stage of one case
    result.posterior_impact, result.verdict
    result.write_report("out/soyuz-ms22")                  # report.html + results.json

    orbit = breachkit.CircularOrbit(altitude_m=418e3, inclination_rad=0.9013)
    risk = breachkit.run_case("cases/soyuz-ms22")          # the risk part alone

The sub-packages hold the rest (`breachkit.environment`, `breachkit.damage`, `breachkit.geometry`,
`breachkit.risk`, `breachkit.telemetry`, `breachkit.fleet`, `breachkit.attribution`,
`breachkit.ops`, `breachkit.investigate`, `breachkit.report`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → the module that defines it (imported on first use).
_LAZY: dict[str, str] = {
    # the whole investigation
    "investigate": "breachkit.investigate",
    "InvestigationResult": "breachkit.investigate",
    "write_report": "breachkit.report",
    # orbit and environment
    "CircularOrbit": "breachkit._core.orbit",
    "orbit_from_tle": "breachkit.environment.tle",
    "Environment": "breachkit.environment",
    "build_environment": "breachkit.environment",
    # damage
    "get_shield": "breachkit.damage",
    "list_shields": "breachkit.damage",
    "get_material": "breachkit.damage",
    # geometry and risk
    "SurfaceModel": "breachkit.geometry",
    "Attitude": "breachkit.geometry",
    "load_mesh": "breachkit.geometry",
    "ExposureWindow": "breachkit.risk",
    "FaceSet": "breachkit.risk",
    "RiskResult": "breachkit.risk",
    "compute_risk": "breachkit.risk",
    "monte_carlo": "breachkit.risk",
    "run_case": "breachkit.risk",
    # telemetry, fleet, attribution, crew return
    "read_telemetry": "breachkit.telemetry",
    "analyze": "breachkit.telemetry",
    "analyze_case": "breachkit.telemetry",
    "open_db": "breachkit.fleet",
    "attribute_case": "breachkit.attribution",
    "plan_case": "breachkit.ops",
    # errors
    "BreachkitError": "breachkit._core.errors",
    "InputError": "breachkit._core.errors",
}

__all__ = [
    "Attitude",
    "BreachkitError",
    "CircularOrbit",
    "Environment",
    "ExposureWindow",
    "FaceSet",
    "InputError",
    "InvestigationResult",
    "RiskResult",
    "SurfaceModel",
    "__version__",
    "analyze",
    "analyze_case",
    "attribute_case",
    "build_environment",
    "compute_risk",
    "get_material",
    "get_shield",
    "investigate",
    "list_shields",
    "load_mesh",
    "monte_carlo",
    "open_db",
    "orbit_from_tle",
    "plan_case",
    "read_telemetry",
    "run_case",
    "write_report",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'breachkit' has no attribute {name!r}")
    if name in ("investigate", "InvestigationResult"):
        # the result writes its report through the report layer: load it with the result
        importlib.import_module("breachkit.report")
    mod = importlib.import_module(module)
    if name == "investigate":
        # `breachkit.investigate` is also the sub-package; it is callable (it runs
        # `breachkit.investigate.investigate`), so both spellings work once it is imported
        return mod
    value = getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from breachkit._core.errors import BreachkitError, InputError
    from breachkit._core.orbit import CircularOrbit
    from breachkit.attribution import attribute_case
    from breachkit.damage import get_material, get_shield, list_shields
    from breachkit.environment import Environment, build_environment
    from breachkit.environment.tle import orbit_from_tle
    from breachkit.fleet import open_db
    from breachkit.geometry import Attitude, SurfaceModel, load_mesh
    from breachkit.investigate import InvestigationResult
    from breachkit.ops import plan_case
    from breachkit.report import write_report
    from breachkit.risk import (
        ExposureWindow,
        FaceSet,
        RiskResult,
        compute_risk,
        monte_carlo,
        run_case,
    )
    from breachkit.telemetry import analyze, analyze_case, read_telemetry
