"""Crew return after damage to a crew vehicle: thermal model, options planner, scoring.

`plan_case(case_dir) -> CrewReturnPlan` reads the ``[ops]`` sections of a case; `plan(config)` works
on a validated `OpsConfig`; `breachkit.ops.thermal` holds the descent-module thermal physics.
"""

from breachkit.ops.config import OpsConfig, load_ops
from breachkit.ops.planner import CrewReturnPlan, Option, plan, plan_case

__all__ = ["CrewReturnPlan", "OpsConfig", "Option", "load_ops", "plan", "plan_case"]
