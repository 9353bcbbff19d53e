"""Descent-module thermal model with the external cooling loop lost.

A lumped model of a capsule's habitable volume from hatch closure to crew extraction after landing:
three thermal nodes (cabin air, structure with the internal coolant loop, avionics equipment), the
water-vapour mass of the cabin air, and the heat stored in each crew member's body. The physics is a
set of small published models, each a pure vectorised function:

* `buck_saturation_vapour_pressure` (Buck 1981) and `iapws_if97_saturation_pressure` (IAPWS-IF97),
* `relative_humidity`, `psychrometric_wet_bulb_temperature` (WMO-No. 8 psychrometer equation),
* `fanger_respiratory_heat_loss` (ISO 7730:2005 eq. 1, from Fanger 1970),
* `skin_heat_exchange` (ASHRAE Handbook—Fundamentals 2017 ch. 9; Lewis relation; ISO 7933 w_max).

`simulate_return` composes them into a system of ODEs integrated with `scipy.integrate.solve_ivp`
over the phases of a return (`ReturnPhase`). `ThermalParameters` holds every parameter with its
source or its label "engineering assumption" and a plausible range; `DEFAULT_PARAMETERS` are the
values used by the bundled cases. `calibrate_structure_heat_capacity` tunes the single calibrated
parameter (the effective heat capacity of the structure and internal loop) to the published "low
40s °C with three aboard" figure: that is a calibration, not a validation (docs/ops.md).
"""

from __future__ import annotations

from breachkit.ops.thermal.capsule import (
    DEFAULT_PHASES,
    ReturnPhase,
    ThermalRun,
    calibrate_structure_heat_capacity,
    peak_by_crew,
    sensitivity,
    simulate_return,
)
from breachkit.ops.thermal.human import fanger_respiratory_heat_loss, skin_heat_exchange
from breachkit.ops.thermal.parameters import (
    DEFAULT_PARAMETERS,
    PARAMETER_SOURCES,
    ThermalParameters,
)
from breachkit.ops.thermal.psychrometrics import (
    SATURATION_MODELS,
    buck_saturation_vapour_pressure,
    get_saturation_model,
    iapws_if97_saturation_pressure,
    psychrometric_wet_bulb_temperature,
    relative_humidity,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "DEFAULT_PHASES",
    "PARAMETER_SOURCES",
    "SATURATION_MODELS",
    "ReturnPhase",
    "ThermalParameters",
    "ThermalRun",
    "buck_saturation_vapour_pressure",
    "calibrate_structure_heat_capacity",
    "fanger_respiratory_heat_loss",
    "get_saturation_model",
    "iapws_if97_saturation_pressure",
    "peak_by_crew",
    "psychrometric_wet_bulb_temperature",
    "relative_humidity",
    "sensitivity",
    "simulate_return",
    "skin_heat_exchange",
]
