"""Heat exchange of a crew member with the cabin air: respiration and skin."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.units import T_ZERO_CELSIUS
from breachkit.ops.thermal.psychrometrics import CLO, LEWIS_RELATION


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
