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

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import HOUR, T_ZERO_CELSIUS
from breachkit._core.validity import ValidityRange, apply_validity, register

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

R_VAPOUR = 461.52  # specific gas constant of water vapour [J kg⁻¹ K⁻¹] (IAPWS-95: R/M_w)
R_DRY_AIR = 287.05  # [J kg⁻¹ K⁻¹]
CP_AIR = 1005.0  # isobaric specific heat of dry air near 300 K [J kg⁻¹ K⁻¹]
LATENT_HEAT_VAPOURISATION = 2.43e6  # of water at 30 °C [J kg⁻¹] (CRC Handbook, 2.430 MJ/kg)
LEWIS_RELATION = 16.5e-3  # ASHRAE Fundamentals 2017 ch. 9: LR = 16.5 K kPa⁻¹ → [K Pa⁻¹]
MET = 58.2  # 1 met [W m⁻²] (ASHRAE 55 / ISO 8996)
CLO = 0.155  # 1 clo [m² K W⁻¹] (ISO 9920)

# ---------------------------------------------------------------------------------------------
# Saturation vapour pressure: a small registry of published models
# ---------------------------------------------------------------------------------------------

_BUCK_RANGE = register(
    "buck_saturation_vapour_pressure",
    ValidityRange(
        "temperature_k", 253.15, 323.15, "K", source="Buck (1981), fit range -20 to +50 °C"
    ),
)


def buck_saturation_vapour_pressure(temperature_k: ArrayLike) -> NDArray[np.float64] | float:
    r"""Saturation vapour pressure over liquid water, Buck (1981) [Pa].

    .. math:: e_s = 611.21\,\exp\!\left(\frac{17.502\,t}{240.97 + t}\right),
              \quad t = T - 273.15\ \mathrm{K}

    Parameters
    ----------
    temperature_k
        Temperature [K].

    Returns
    -------
    Saturation vapour pressure [Pa].

    Notes
    -----
    Buck, A. L. (1981), "New equations for computing vapor pressure and enhancement factor",
    J. Appl. Meteorol. 20, 1527-1532, eq. (3) (a Magnus-form fit to Wexler 1976), written there in
    hPa with t in °C; converted to Pa here. No enhancement factor (pure water vapour).

    Validity
    --------
    253.15-323.15 K (-20 to +50 °C), the fit range stated by Buck (1981).
    """
    t = np.asarray(temperature_k, dtype=float) - T_ZERO_CELSIUS
    raw = 611.21 * np.exp(17.502 * t / (240.97 + t))
    return apply_validity(
        "buck_saturation_vapour_pressure", raw, {"temperature_k": (temperature_k, _BUCK_RANGE[0])}
    )


_IF97_RANGE = register(
    "iapws_if97_saturation_pressure",
    ValidityRange(
        "temperature_k", 273.15, 647.096, "K", source="IAPWS-IF97 (2007) region 4, eq. 30"
    ),
)
_IF97_N = (
    0.11670521452767e4,
    -0.72421316703206e6,
    -0.17073846940092e2,
    0.12020824702470e5,
    -0.32325550322333e7,
    0.14915108613530e2,
    -0.48232657361591e4,
    0.40511340542057e6,
    -0.23855557567849,
    0.65017534844798e3,
)


def iapws_if97_saturation_pressure(temperature_k: ArrayLike) -> NDArray[np.float64] | float:
    r"""Saturation pressure of water, IAPWS-IF97 region 4 [Pa].

    .. math:: \vartheta = T + \frac{n_9}{T - n_{10}},\quad
              A = \vartheta^2 + n_1\vartheta + n_2,\ B = n_3\vartheta^2 + n_4\vartheta + n_5,\
              C = n_6\vartheta^2 + n_7\vartheta + n_8,\quad
              p_s = \left[\frac{2C}{-B + \sqrt{B^2 - 4AC}}\right]^4 \cdot 1\ \mathrm{MPa}

    Parameters
    ----------
    temperature_k
        Temperature [K].

    Returns
    -------
    Saturation pressure [Pa].

    Notes
    -----
    IAPWS R7-97(2012), "Revised Release on the IAPWS Industrial Formulation 1997 for the
    Thermodynamic Properties of Water and Steam", eq. (30) with Table 34 coefficients; the
    reference accuracy used for checking the Buck fit.

    Validity
    --------
    273.15-647.096 K (triple point to critical point).
    """
    n = _IF97_N
    t = np.asarray(temperature_k, dtype=float)
    theta = t + n[8] / (t - n[9])
    a = theta**2 + n[0] * theta + n[1]
    b = n[2] * theta**2 + n[3] * theta + n[4]
    c = n[5] * theta**2 + n[6] * theta + n[7]
    with np.errstate(invalid="ignore"):
        raw = (2.0 * c / (-b + np.sqrt(b * b - 4.0 * a * c))) ** 4 * 1.0e6
    return apply_validity(
        "iapws_if97_saturation_pressure", raw, {"temperature_k": (temperature_k, _IF97_RANGE[0])}
    )


SATURATION_MODELS = {
    "buck1981": buck_saturation_vapour_pressure,
    "iapws_if97": iapws_if97_saturation_pressure,
}


def get_saturation_model(name: str) -> Any:
    """The saturation-vapour-pressure function registered as `name` (``buck1981``, ``iapws_if97``)."""
    try:
        return SATURATION_MODELS[name]
    except KeyError:
        raise InputError(
            f"saturation model {name!r} is unknown; choose one of {sorted(SATURATION_MODELS)}"
        ) from None


def relative_humidity(
    vapour_pressure_pa: ArrayLike, temperature_k: ArrayLike
) -> NDArray[np.float64] | float:
    """Relative humidity e / e_s(T) with e_s from Buck (1981) [-] (1.0 = saturated).

    Parameters
    ----------
    vapour_pressure_pa
        Partial pressure of water vapour [Pa].
    temperature_k
        Air temperature [K].

    Returns
    -------
    Relative humidity as a fraction [-]; values above 1 mean supersaturation (the model's
    condensation terms remove the excess). Validity as `buck_saturation_vapour_pressure`.
    """
    es = buck_saturation_vapour_pressure(temperature_k)
    out = np.asarray(vapour_pressure_pa, dtype=float) / np.asarray(es)
    return float(out) if np.ndim(out) == 0 else out


_WET_BULB_RANGE = register(
    "psychrometric_wet_bulb_temperature",
    ValidityRange("temperature_k", 273.15, 323.15, "K", source="WMO-No. 8 (2018) Annex 4.B"),
)


def psychrometric_wet_bulb_temperature(
    temperature_k: ArrayLike,
    vapour_pressure_pa: ArrayLike,
    pressure_pa: ArrayLike = 101325.0,
) -> NDArray[np.float64] | float:
    r"""Thermodynamic (ventilated psychrometer) wet-bulb temperature [K].

    Solves :math:`e = e_s(T_w) - A\,p\,(T - T_w)` for :math:`T_w` by Newton iteration with
    :math:`A = 6.53\times10^{-4}\,(1 + 0.000944\,t_w)\ \mathrm{K^{-1}}` (Assmann psychrometer) and
    :math:`e_s` from Buck (1981).

    Parameters
    ----------
    temperature_k
        Dry-bulb temperature [K].
    vapour_pressure_pa
        Water-vapour partial pressure [Pa].
    pressure_pa
        Total pressure [Pa].

    Returns
    -------
    Wet-bulb temperature [K].

    Notes
    -----
    WMO (2018), Guide to Instruments and Methods of Observation (WMO-No. 8), Vol. I, ch. 4,
    Annex 4.B, psychrometer formula for the Assmann psychrometer over water.

    Validity
    --------
    273.15-323.15 K dry bulb (0-50 °C).
    """
    t = np.asarray(temperature_k, dtype=float)
    e = np.asarray(vapour_pressure_pa, dtype=float)
    p = np.asarray(pressure_pa, dtype=float)
    tw = np.array(t, dtype=float, copy=True)  # start from the dry bulb
    for _ in range(40):
        twc = tw - T_ZERO_CELSIUS
        es = 611.21 * np.exp(17.502 * twc / (240.97 + twc))
        des = es * 17.502 * 240.97 / (240.97 + twc) ** 2
        a = 6.53e-4 * (1.0 + 0.000944 * twc)
        f = es - a * p * (t - tw) - e
        df = des + a * p - 6.53e-4 * 0.000944 * p * (t - tw)
        step = f / df
        tw = tw - step
        if np.all(np.abs(step[np.isfinite(step)]) < 1e-9):
            break
    return apply_validity(
        "psychrometric_wet_bulb_temperature",
        tw,
        {"temperature_k": (temperature_k, _WET_BULB_RANGE[0])},
    )


def fanger_respiratory_heat_loss(
    metabolic_rate_w_m2: ArrayLike, air_temperature_k: ArrayLike, vapour_pressure_pa: ArrayLike
) -> tuple[NDArray[np.float64] | float, NDArray[np.float64] | float]:
    r"""Respiratory sensible and latent heat loss per unit body area (Fanger) [W m⁻²].

    .. math:: C_{res} = 0.0014\,M\,(34 - t_a),\qquad E_{res} = 1.7\times10^{-5}\,M\,(5867 - p_a)

    with :math:`t_a` in °C and :math:`p_a` in Pa.

    Parameters
    ----------
    metabolic_rate_w_m2
        Metabolic rate per DuBois area [W m⁻²].
    air_temperature_k
        Inhaled air temperature [K].
    vapour_pressure_pa
        Inhaled water-vapour pressure [Pa].

    Returns
    -------
    (C_res, E_res): sensible and latent respiratory losses [W m⁻²]; negative C_res means the
    inhaled air is warmer than 34 °C and heats the body.

    Notes
    -----
    ISO 7730:2005, eq. (1) (the PMV heat balance), from Fanger, P. O. (1970), Thermal Comfort,
    Danish Technical Press.

    Validity
    --------
    Linearised about indoor conditions; ISO 7730 applies it for 10-30 °C air. Used here up to the
    cabin's ~45 °C as an engineering extrapolation of a term that is small (a few W) against the
    metabolic rate; no validity NaN is applied because the term is a minor correction.
    """
    m = np.asarray(metabolic_rate_w_m2, dtype=float)
    ta = np.asarray(air_temperature_k, dtype=float) - T_ZERO_CELSIUS
    pa = np.asarray(vapour_pressure_pa, dtype=float)
    c_res = 0.0014 * m * (34.0 - ta)
    e_res = 1.7e-5 * m * (5867.0 - pa)
    if c_res.ndim == 0 and e_res.ndim == 0:
        return float(c_res), float(e_res)
    return c_res, e_res


def skin_heat_exchange(
    skin_temperature_k: ArrayLike,
    operative_temperature_k: ArrayLike,
    vapour_pressure_pa: ArrayLike,
    *,
    clothing_insulation_m2k_w: ArrayLike,
    combined_coefficient_w_m2k: ArrayLike,
    convective_coefficient_w_m2k: ArrayLike,
    moisture_permeability_index: ArrayLike = 0.38,
    max_wettedness: ArrayLike = 0.85,
) -> tuple[NDArray[np.float64] | float, NDArray[np.float64] | float]:
    r"""Dry heat loss and maximum evaporative loss from clothed skin [W m⁻²].

    .. math:: (C + R) = \frac{t_{sk} - t_o}{R_{cl} + 1/(f_{cl} h)},\qquad
              E_{max} = w_{max}\,\frac{p_{sk,s} - p_a}{R_{e,cl} + 1/(f_{cl} h_e)}

    with :math:`f_{cl} = 1 + 0.31\,I_{cl}` (:math:`I_{cl}` in clo),
    :math:`h_e = LR\,h_c` (Lewis relation, LR = 16.5 K kPa⁻¹),
    :math:`R_{e,cl} = R_{cl}/(i_m\,LR)` and :math:`p_{sk,s}` the saturation pressure at skin
    temperature (Buck 1981).

    Parameters
    ----------
    skin_temperature_k
        Mean skin temperature [K].
    operative_temperature_k
        Operative temperature (convective/radiative mean of air and walls) [K].
    vapour_pressure_pa
        Ambient water-vapour pressure [Pa].
    clothing_insulation_m2k_w
        Intrinsic clothing insulation R_cl [m² K W⁻¹].
    combined_coefficient_w_m2k
        Combined convective + radiative coefficient h [W m⁻² K⁻¹].
    convective_coefficient_w_m2k
        Convective coefficient h_c [W m⁻² K⁻¹].
    moisture_permeability_index
        Woodcock i_m of the clothing [-] (0.38 ISO 7933/ISO 9920 default).
    max_wettedness
        Maximum skin wettedness w_max [-] (0.85 unacclimatised, ISO 7933:2004).

    Returns
    -------
    (C + R, E_max) [W m⁻²]; C + R is negative when the surroundings are hotter than the skin.

    Notes
    -----
    ASHRAE Handbook—Fundamentals (2017), ch. 9 "Thermal comfort", the skin heat-exchange equations
    and the Lewis relation; f_cl from ISO 9920:2007; w_max and the default i_m from ISO 7933:2004.

    Validity
    --------
    Steady-state skin exchange of a resting, clothed adult; not a thermoregulation model (the skin
    temperature is an input). No NaN policy: every input is a design parameter of the caller.
    """
    tsk = np.asarray(skin_temperature_k, dtype=float)
    to = np.asarray(operative_temperature_k, dtype=float)
    pa = np.asarray(vapour_pressure_pa, dtype=float)
    rcl = np.asarray(clothing_insulation_m2k_w, dtype=float)
    h = np.asarray(combined_coefficient_w_m2k, dtype=float)
    hc = np.asarray(convective_coefficient_w_m2k, dtype=float)
    im = np.asarray(moisture_permeability_index, dtype=float)
    wmax = np.asarray(max_wettedness, dtype=float)
    fcl = 1.0 + 0.31 * rcl / CLO
    dry = (tsk - to) / (rcl + 1.0 / (fcl * h))
    he = LEWIS_RELATION * hc  # [W m⁻² Pa⁻¹]
    recl = rcl / (im * LEWIS_RELATION)  # [m² Pa W⁻¹]
    tskc = tsk - T_ZERO_CELSIUS
    psk = 611.21 * np.exp(17.502 * tskc / (240.97 + tskc))
    emax = wmax * (psk - pa) / (recl + 1.0 / (fcl * he))
    if dry.ndim == 0 and emax.ndim == 0:
        return float(dry), float(emax)
    return dry, emax


# ---------------------------------------------------------------------------------------------
# The lumped capsule model
# ---------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class ReturnPhase:
    """One phase of a return: its duration and conditions.

    Parameters
    ----------
    name
        ``hatch_closed``, ``free_flight``, ``deorbit``, ``descent``, ``post_landing``.
    duration_s
        Duration [s].
    avionics_fraction
        Fraction of `ThermalParameters.avionics_power_w` dissipated [-].
    sink_temperature_c
        Temperature the hull leaks heat to [°C] (None = the initial temperature).
    source
        Where the duration comes from.
    """

    name: str
    duration_s: float
    avionics_fraction: float = 1.0
    sink_temperature_c: float | None = None
    source: str = ""


#: Soyuz MS return timeline. Undocking to landing totals 3.38 h (MS-23: undock 07:54, landing
#: 11:17 UTC on 2023-09-27, incidents.md §3); the split between phases is an engineering assumption.
DEFAULT_PHASES: tuple[ReturnPhase, ...] = (
    ReturnPhase(
        "hatch_closed",
        2.5 * HOUR,
        1.0,
        None,
        "engineering assumption: hatch closure and leak checks ~2-3 h before undocking",
    ),
    ReturnPhase(
        "free_flight",
        2.45 * HOUR,
        1.0,
        None,
        "undock to deorbit burn; total undock-to-landing 3.38 h (MS-23, 2023-09-27)",
    ),
    ReturnPhase(
        "deorbit",
        0.43 * HOUR,
        1.0,
        None,
        "deorbit burn to module separation and entry interface (engineering assumption)",
    ),
    ReturnPhase(
        "descent",
        0.5 * HOUR,
        0.6,
        None,
        "entry, parachute, landing on descent-module batteries (engineering assumption)",
    ),
    ReturnPhase(
        "post_landing",
        0.5 * HOUR,
        0.3,
        15.0,
        "engineering assumption: hatch opened and crew out within ~0.5 h",
    ),
)


@dataclass(frozen=True)
class ThermalRun:
    """Time history of one simulated return.

    Attributes are SI arrays over `time_s`; temperatures in K, `relative_humidity` as a fraction.
    """

    crew: int
    loop_working: bool
    time_s: NDArray[np.float64]
    air_temperature_k: NDArray[np.float64]
    structure_temperature_k: NDArray[np.float64]
    equipment_temperature_k: NDArray[np.float64]
    vapour_pressure_pa: NDArray[np.float64]
    relative_humidity: NDArray[np.float64]
    wet_bulb_temperature_k: NDArray[np.float64]
    evaporation_deficit_w: NDArray[np.float64]
    phase_edges_s: tuple[float, ...]
    phase_names: tuple[str, ...]
    parameters: ThermalParameters = field(repr=False)

    @property
    def peak_air_temperature_c(self) -> float:
        return float(np.max(self.air_temperature_k) - T_ZERO_CELSIUS)

    @property
    def peak_relative_humidity(self) -> float:
        return float(np.max(np.minimum(self.relative_humidity, 1.0)))

    @property
    def peak_wet_bulb_c(self) -> float:
        return float(np.nanmax(self.wet_bulb_temperature_k) - T_ZERO_CELSIUS)

    @property
    def peak_evaporation_deficit_w(self) -> float:
        """Largest heat per crew member that sweating cannot shed [W] (0 = heat balance kept)."""
        return float(np.max(self.evaporation_deficit_w)) if self.crew else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "crew": self.crew,
            "peak_cabin_temperature_c": self.peak_air_temperature_c,
            "peak_relative_humidity": self.peak_relative_humidity,
            "peak_wet_bulb_c": self.peak_wet_bulb_c,
            "peak_evaporation_deficit_w": self.peak_evaporation_deficit_w,
        }


def _psat(t_k: Any) -> Any:
    tc = t_k - T_ZERO_CELSIUS
    return 611.21 * np.exp(17.502 * tc / (240.97 + tc))


def _rhs_factory(p: ThermalParameters, crew: int, loop_working: bool) -> Any:
    rho_air = p.cabin_pressure_pa / (R_DRY_AIR * (p.initial_temperature_c + T_ZERO_CELSIUS))
    c_air = rho_air * p.free_volume_m3 * CP_AIR
    m_w_m2 = p.metabolic_rate_met * MET
    rcl = p.clothing_insulation_clo * CLO
    h = p.convective_coefficient_w_m2k + p.radiative_coefficient_w_m2k
    frac_c = p.convective_coefficient_w_m2k / h
    # Chilton-Colburn: mass-transfer coefficient h_m = h / (rho c_p Le^(2/3)), Le ≈ 0.85 for
    # water vapour in air → [m s⁻¹].
    hm_struct = p.air_structure_conductance_w_k / (rho_air * CP_AIR * 0.85 ** (2 / 3))
    hm_hx = p.hx_conductance_w_k / (rho_air * CP_AIR * 0.85 ** (2 / 3))
    t_cool = p.loop_coolant_temperature_c + T_ZERO_CELSIUS
    t_skin = p.skin_temperature_c + T_ZERO_CELSIUS

    def rhs(_t: float, y: NDArray[np.float64], avionics_w: float, t_sink: float) -> Any:
        ta, ts, te, mv = y
        pv = mv * R_VAPOUR * ta / p.free_volume_m3
        t_op = frac_c * ta + (1 - frac_c) * ts
        q_dry, _e_max = skin_heat_exchange(
            t_skin,
            t_op,
            pv,
            clothing_insulation_m2k_w=rcl,
            combined_coefficient_w_m2k=h,
            convective_coefficient_w_m2k=p.convective_coefficient_w_m2k,
            moisture_permeability_index=p.moisture_permeability_index,
            max_wettedness=p.max_wettedness,
        )
        c_res, e_res = fanger_respiratory_heat_loss(m_w_m2, ta, pv)
        e_req = m_w_m2 - q_dry - c_res - e_res
        # The crew's sweating meets the demand (heat balance kept); where the demand exceeds
        # E_max the excess is reported as `evaporation_deficit_w` (heat the body would store).
        e_sk = max(e_req, 0.0)
        a = p.body_area_m2 * crew
        q_air_from_crew = a * (q_dry * frac_c + c_res)
        q_struct_from_crew = a * q_dry * (1 - frac_c)
        vapour_in = a * (e_sk + e_res) / LATENT_HEAT_VAPOURISATION  # [kg s⁻¹]
        rho_v = mv / p.free_volume_m3
        cond_s = max(hm_struct * (rho_v - _psat(ts) / (R_VAPOUR * ts)), 0.0)
        q_as = p.air_structure_conductance_w_k * (ta - ts)
        q_ae = p.air_equipment_conductance_w_k * (te - ta)
        q_hx = 0.0
        cond_hx = 0.0
        if loop_working:
            q_hx = p.hx_conductance_w_k * (ta - t_cool)
            cond_hx = max(hm_hx * (rho_v - _psat(t_cool) / (R_VAPOUR * t_cool)), 0.0)
        dta = (q_air_from_crew + q_ae - q_as - q_hx) / c_air
        dts = (
            q_as
            + q_struct_from_crew
            + cond_s * LATENT_HEAT_VAPOURISATION
            + p.wall_conductance_w_k * (t_sink - ts)
        ) / p.structure_heat_capacity_j_k
        dte = (avionics_w - q_ae) / p.equipment_heat_capacity_j_k
        # saturating uptake, smooth near dry air (half-rate at 500 Pa vapour pressure)
        absorb = p.absorber_removal_kg_s * max(pv, 0.0) / (max(pv, 0.0) + 500.0)
        dmv = vapour_in - cond_s - cond_hx - absorb
        return np.array([dta, dts, dte, dmv])

    return rhs


def simulate_return(
    crew: int,
    params: ThermalParameters = DEFAULT_PARAMETERS,
    phases: Sequence[ReturnPhase] = DEFAULT_PHASES,
    *,
    loop_working: bool = False,
    max_step_s: float = 120.0,
    diagnostics: bool = True,
) -> ThermalRun:
    """Integrate the lumped model over the return phases for `crew` crew members.

    Parameters
    ----------
    crew
        Crew members aboard (0-3 for Soyuz) [-].
    params
        `ThermalParameters`.
    phases
        The return timeline (`DEFAULT_PHASES`: hatch closure to extraction).
    loop_working
        True when the external loop works: the cabin heat exchanger then holds its coolant at
        `loop_coolant_temperature_c` and condenses water. False for the MS-22 case.
    max_step_s
        Largest integrator step [s].
    diagnostics
        Compute the wet-bulb temperature (False: NaN, used by calibration and sensitivity runs
        that only need the temperatures).

    Returns
    -------
    `ThermalRun` with the node temperatures, humidity, wet bulb and each crew member's
    evaporation deficit (heat the body cannot shed by sweating, W).

    Notes
    -----
    Equations (per node, C dT/dt = Σ Q): air ← crew convective + respiratory sensible, equipment,
    → structure, → heat exchanger (loop working only); structure ← air, crew radiative,
    condensation latent heat, ↔ hull leak to the phase's sink; equipment ← avionics → air. Vapour
    mass ← crew skin evaporation and respiration (Fanger), → condensation on the structure and the
    exchanger (Chilton-Colburn analogy, only where the surface is below the dew point) and uptake
    by the absorber cartridges. Each crew member is kept in heat balance (all metabolic heat goes
    to the cabin, conservative for the cabin); where the evaporation this needs exceeds E_max the
    excess is reported as the evaporation deficit, the rate at which a real body would store heat.
    Integrated with scipy's LSODA per phase.
    """
    from scipy.integrate import solve_ivp

    if crew < 0 or crew != int(crew):
        raise InputError(f"crew: {crew!r} must be a non-negative integer")
    if not phases:
        raise InputError("phases: at least one phase is needed")
    p = params
    rhs = _rhs_factory(p, int(crew), loop_working)
    t0 = p.initial_temperature_c + T_ZERO_CELSIUS
    pv0 = _psat(p.initial_dew_point_c + T_ZERO_CELSIUS)
    mv0 = pv0 * p.free_volume_m3 / (R_VAPOUR * t0)
    y = np.array([t0, t0, t0, mv0])
    ts: list[NDArray[np.float64]] = []
    ys: list[NDArray[np.float64]] = []
    start = 0.0
    edges = [0.0]
    for ph in phases:
        if not (ph.duration_s > 0):
            raise InputError(f"phase {ph.name}: duration_s must be > 0")
        sink = t0 if ph.sink_temperature_c is None else ph.sink_temperature_c + T_ZERO_CELSIUS
        power = p.avionics_power_w * ph.avionics_fraction
        sol = solve_ivp(
            rhs,
            (start, start + ph.duration_s),
            y,
            method="LSODA",
            args=(power, sink),
            max_step=max_step_s,
            rtol=1e-6,
            atol=[1e-6, 1e-6, 1e-6, 1e-9],
        )
        if not sol.success:  # pragma: no cover - LSODA on this smooth system
            raise RuntimeError(f"thermal model failed in phase {ph.name}: {sol.message}")
        ts.append(sol.t if not ts else sol.t[1:])
        ys.append(sol.y if not ys else sol.y[:, 1:])
        y = sol.y[:, -1]
        start += ph.duration_s
        edges.append(start)
    t = np.concatenate(ts)
    yy = np.concatenate(ys, axis=1)
    ta = yy[0]
    pv = yy[3] * R_VAPOUR * ta / p.free_volume_m3
    rh = pv / _psat(ta)
    if diagnostics:
        tw = psychrometric_wet_bulb_temperature(ta, np.minimum(pv, _psat(ta)), p.cabin_pressure_pa)
    else:
        tw = np.full_like(ta, np.nan)
    h = p.convective_coefficient_w_m2k + p.radiative_coefficient_w_m2k
    frac_c = p.convective_coefficient_w_m2k / h
    m_w_m2 = p.metabolic_rate_met * MET
    q_dry, e_max = skin_heat_exchange(
        p.skin_temperature_c + T_ZERO_CELSIUS,
        frac_c * ta + (1 - frac_c) * yy[1],
        pv,
        clothing_insulation_m2k_w=p.clothing_insulation_clo * CLO,
        combined_coefficient_w_m2k=h,
        convective_coefficient_w_m2k=p.convective_coefficient_w_m2k,
        moisture_permeability_index=p.moisture_permeability_index,
        max_wettedness=p.max_wettedness,
    )
    c_res, e_res = fanger_respiratory_heat_loss(m_w_m2, ta, pv)
    deficit = np.maximum(m_w_m2 - np.asarray(q_dry) - c_res - e_res - np.asarray(e_max), 0.0)
    return ThermalRun(
        crew=int(crew),
        loop_working=loop_working,
        time_s=t,
        air_temperature_k=ta,
        structure_temperature_k=yy[1],
        equipment_temperature_k=yy[2],
        vapour_pressure_pa=pv,
        relative_humidity=rh,
        wet_bulb_temperature_k=np.asarray(tw, dtype=float),
        evaporation_deficit_w=np.asarray(deficit * p.body_area_m2, dtype=float),
        phase_edges_s=tuple(edges),
        phase_names=tuple(ph.name for ph in phases),
        parameters=p,
    )


def peak_by_crew(
    crews: Sequence[int] = (1, 2, 3),
    params: ThermalParameters = DEFAULT_PARAMETERS,
    phases: Sequence[ReturnPhase] = DEFAULT_PHASES,
    *,
    loop_working: bool = False,
) -> dict[int, ThermalRun]:
    """`simulate_return` for each crew count."""
    return {n: simulate_return(n, params, phases, loop_working=loop_working) for n in crews}


def calibrate_structure_heat_capacity(
    target_peak_c: float = 42.0,
    crew: int = 3,
    params: ThermalParameters = DEFAULT_PARAMETERS,
    phases: Sequence[ReturnPhase] = DEFAULT_PHASES,
) -> float:
    """The structure heat capacity [J K⁻¹] that makes `crew` crew peak at `target_peak_c` [°C].

    The published "low 40s °C with three aboard" (NASA/Roscosmos telecon 2023-01-11) is read as
    42 °C ± 1.5 K. This is the model's only calibrated parameter; `DEFAULT_PARAMETERS` carries the
    value this function returns (rounded), and a test checks they agree.
    """
    from scipy.optimize import brentq

    def f(c: float) -> float:
        run = simulate_return(
            crew, replace(params, structure_heat_capacity_j_k=c), phases, diagnostics=False
        )
        return run.peak_air_temperature_c - target_peak_c

    lo, hi = 5.0e4, 5.0e6
    if f(lo) * f(hi) > 0:
        raise InputError(
            f"calibration target {target_peak_c} °C is not reachable with heat capacities "
            f"{lo:g}-{hi:g} J/K"
        )
    return float(brentq(f, lo, hi, xtol=1e2))


def sensitivity(
    crew: int = 3,
    params: ThermalParameters = DEFAULT_PARAMETERS,
    phases: Sequence[ReturnPhase] = DEFAULT_PHASES,
    names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """One-at-a-time sensitivity of the peak cabin temperature to each parameter's range.

    Returns one row per parameter: name, low and high values, the peak [°C] at each end, and the
    swing [K], sorted by swing (largest first).
    """
    base = simulate_return(crew, params, phases, diagnostics=False).peak_air_temperature_c
    rows: list[dict[str, Any]] = []
    for name in names or list(PARAMETER_SOURCES):
        src, lo, hi = PARAMETER_SOURCES[name]
        peaks = []
        for v in (lo, hi):
            run = simulate_return(
                crew, replace(params, **{name: float(v)}), phases, diagnostics=False
            )
            peaks.append(run.peak_air_temperature_c)
        rows.append(
            {
                "parameter": name,
                "low": lo,
                "high": hi,
                "peak_at_low_c": peaks[0],
                "peak_at_high_c": peaks[1],
                "swing_k": abs(peaks[1] - peaks[0]),
                "base_peak_c": base,
                "calibrated": src.startswith("CALIBRATED"),
            }
        )
    rows.sort(key=lambda r: -r["swing_k"])
    return rows
