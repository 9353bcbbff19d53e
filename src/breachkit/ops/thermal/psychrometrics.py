"""Moist-air properties: saturation vapour pressure, relative humidity, wet-bulb temperature."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import T_ZERO_CELSIUS
from breachkit._core.validity import ValidityRange, apply_validity, register

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
