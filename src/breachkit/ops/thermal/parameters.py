"""The parameters of the lumped descent-module model, each with its source or label."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from breachkit._core.errors import InputError
from breachkit._core.units import HOUR

ASSUMPTION = "engineering assumption"


@dataclass(frozen=True)
class ThermalParameters:
    """Every parameter of the lumped descent-module model (SI).

    The source or the label "engineering assumption" and the range of each field are in
    `PARAMETER_SOURCES` (and docs/ops.md). Defaults describe a Soyuz MS descent module.
    """

    free_volume_m3: float = 3.5
    cabin_pressure_pa: float = 101325.0
    structure_heat_capacity_j_k: float = 5.8e5
    equipment_heat_capacity_j_k: float = 2.0e5
    air_structure_conductance_w_k: float = 75.0
    air_equipment_conductance_w_k: float = 40.0
    wall_conductance_w_k: float = 10.0
    avionics_power_w: float = 200.0
    metabolic_rate_met: float = 1.2
    body_area_m2: float = 1.8
    skin_temperature_c: float = 35.0
    clothing_insulation_clo: float = 0.6
    convective_coefficient_w_m2k: float = 3.1
    radiative_coefficient_w_m2k: float = 4.7
    moisture_permeability_index: float = 0.38
    max_wettedness: float = 0.85
    initial_temperature_c: float = 30.0
    initial_dew_point_c: float = 10.0
    absorber_removal_kg_s: float = 0.06 / HOUR
    hx_conductance_w_k: float = 150.0
    loop_coolant_temperature_c: float = 8.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not math.isfinite(value):
                raise InputError(f"thermal parameter {name}: {value!r} is not finite")
            if name in ("initial_temperature_c", "initial_dew_point_c", "skin_temperature_c"):
                continue
            if name == "loop_coolant_temperature_c":
                continue
            if value < 0 or (value == 0 and name.endswith(("_m3", "capacity_j_k", "_kg"))):
                raise InputError(f"thermal parameter {name}: {value!r} must be > 0")
        if self.initial_dew_point_c > self.initial_temperature_c:
            raise InputError("thermal parameter initial_dew_point_c: above initial_temperature_c")

    def with_overrides(self, overrides: Mapping[str, float]) -> ThermalParameters:
        """A copy with some fields changed; `InputError` naming an unknown field."""
        known = set(asdict(self))
        for k in overrides:
            if k not in known:
                raise InputError(f"thermal parameter {k!r} is unknown; known: {sorted(known)}")
        return replace(self, **{k: float(v) for k, v in overrides.items()})


DEFAULT_PARAMETERS = ThermalParameters()

#: name → (source or "engineering assumption", low, high) in the field's unit.
PARAMETER_SOURCES: dict[str, tuple[str, float, float]] = {
    "free_volume_m3": (
        "engineering assumption: Soyuz descent-module habitable volume is usually quoted as "
        "3.5-4 m³ (RSC Energia/NASA fact sheets); seats and suits occupy part of it",
        3.0,
        4.5,
    ),
    "cabin_pressure_pa": ("sea-level cabin, ISS and Soyuz nominal 101.3 kPa", 97000.0, 103000.0),
    "structure_heat_capacity_j_k": (
        "CALIBRATED: tuned so that three crew give a 42 °C peak ('low 40s °C', NASA/Roscosmos "
        "telecon 2023-01-11); ≈ 670 kg of aluminium-equivalent hull, frames, seats and internal "
        "coolant loop",
        3.0e5,
        1.2e6,
    ),
    "equipment_heat_capacity_j_k": (
        f"{ASSUMPTION}: ~220 kg of avionics and boxes at 900 J/(kg K)",
        1.0e5,
        4.0e5,
    ),
    "air_structure_conductance_w_k": (
        f"{ASSUMPTION}: h ≈ 5 W/(m² K) (fan-driven cabin air) over 15 m² of walls",
        40.0,
        150.0,
    ),
    "air_equipment_conductance_w_k": (
        f"{ASSUMPTION}: forced-air cooled avionics boxes",
        20.0,
        80.0,
    ),
    "avionics_power_w": (
        f"{ASSUMPTION}: electrical power dissipated inside the descent module during return "
        "(no published figure for Soyuz MS)",
        100.0,
        400.0,
    ),
    "metabolic_rate_met": (
        "1.2 met, seated light activity (ISO 8996:2004; ASHRAE Handbook—Fundamentals 2017 ch. 9 "
        "Table 4: 1.0 met seated quiet): 1.2 × 58.2 W/m² × 1.8 m² = 126 W per person, close to "
        "the ~100-120 W sensible + latent per resting crew member of NASA/TP-2015-218570 (BVAD) "
        "and NASA-STD-3001 Vol. 2",
        1.0,
        1.6,
    ),
    "body_area_m2": ("DuBois area of a reference adult, ASHRAE Fundamentals 2017 ch. 9", 1.6, 2.1),
    "skin_temperature_c": (
        f"{ASSUMPTION}: mean skin temperature of a resting person under heat load "
        "(ISO 7933 predicts 35-36 °C)",
        34.0,
        36.0,
    ),
    "clothing_insulation_clo": (
        f"{ASSUMPTION}: Sokol pressure suit ventilated with cabin air by its fan",
        0.3,
        1.2,
    ),
    "convective_coefficient_w_m2k": (
        "ASHRAE Fundamentals 2017 ch. 9: h_c = 3.1 W/(m² K) seated, air speed < 0.2 m/s",
        2.0,
        6.0,
    ),
    "radiative_coefficient_w_m2k": ("ASHRAE Fundamentals 2017 ch. 9: h_r ≈ 4.7 W/(m² K)", 4, 5.5),
    "moisture_permeability_index": ("ISO 7933:2004 / ISO 9920 default i_m = 0.38", 0.2, 0.45),
    "max_wettedness": ("ISO 7933:2004: w_max = 0.85 unacclimatised", 0.6, 1.0),
    "initial_temperature_c": (
        "TASS 2022-12-19 / Montalbano 2022-12-22: MS-22 settled at about (at most) +30 °C docked "
        "with systems off; used as the state at hatch closure (an input, not a check)",
        27.0,
        32.0,
    ),
    "initial_dew_point_c": (
        f"{ASSUMPTION}: ISS cabin air ducted in before hatch closure; ISS dew-point band 4.4-15.6 °C",
        4.4,
        15.6,
    ),
    "hx_conductance_w_k": (
        f"{ASSUMPTION}: cabin air/internal-loop heat exchanger; used only when the external loop "
        "works",
        80.0,
        250.0,
    ),
    "loop_coolant_temperature_c": (
        f"{ASSUMPTION}: condensing heat-exchanger coolant temperature with a working external loop",
        4.0,
        12.0,
    ),
    "absorber_removal_kg_s": (
        f"{ASSUMPTION}: water taken up by the CO2/humidity absorber cartridges without the "
        "condensing heat exchanger (0.06 kg/h; no published Soyuz figure)",
        0.0,
        0.15 / HOUR,
    ),
}
