"""Leak physics: a gas volume or a liquid loop with a gas-charged accumulator, leaking to vacuum.

Every function is a pure, vectorised numpy function in SI units (scalar in → float out, array in →
array out). Each states its equation, source and validity range; out-of-range input gives NaN and a
`ValidityWarning` (or `OutOfValidityRangeError` in strict mode) through `breachkit._core.validity`.

The *leak coordinate* ties the models together. For a hole whose effective area Cd·A(t) may change
with time, every model below depends on time only through

    X(t) = κ ∫_{t0}^{t} Cd·A(t') dt'            (dimensionless)

where κ [m⁻² s⁻¹] is a constant of the vessel (`gas_kappa`, `loop_kappa`). For a constant hole
X = κ·Cd·A·(t − t0) and 1/(κ·Cd·A) is the time constant of the decay. The pressure ratio p/p0 is
then a fixed function of X (`gas_pressure_ratio`, `loop_pressure_ratio`). This is what lets the
inference fit sudden (constant-area) and growing holes with the same code.

Sources
-------
* Choked (sonic) orifice flow of a perfect gas: J. D. Anderson, *Modern Compressible Flow*, 3rd ed.
  (McGraw-Hill, 2003), §5.4, the mass flow through a choked throat
  ṁ = p0·A*·√(γ/(R T0))·(2/(γ+1))^((γ+1)/(2(γ−1))); the same equation is NASA Glenn Research
  Center's "Mass Flow Choking" page (B. Hall, ed.). A leak to vacuum is always choked
  (p_ambient/p0 = 0 < (2/(γ+1))^(γ/(γ−1)) ≈ 0.528 for γ = 1.4).
* Isothermal and adiabatic (isentropic) blow-down of a rigid vessel through a choked orifice: mass
  balance V dρ/dt = −ṁ with the choked flow above; isothermal gives an exponential, isentropic gives
  p/p0 = (1 + (γ−1)/2 · t/τ0)^(−2γ/(γ−1)) (e.g. Anderson 2003 §5.4 with the tank equation; the
  derivation is written out in docs/telemetry.md).
* Incompressible orifice flow Q = Cd·A·√(2Δp/ρ): F. M. White, *Fluid Mechanics*, 7th ed. (2011),
  §6.12 (orifice meter), and ISO 5167-1:2003. Sharp-edged orifice discharge coefficient ≈ 0.61:
  the free-streamline contraction π/(π+2) = 0.611 (Kirchhoff 1869, von Mises 1917), confirmed for
  round sharp-edged orifices by J. H. Lienhard V & J. H. Lienhard IV, "Velocity coefficients for
  free jets from sharp-edged orifices", J. Fluids Eng. 106 (1984) 13–17.
* Gas-charged accumulator: polytropic gas law p·V_g^n = const (n = 1 isothermal, n = γ adiabatic),
  e.g. the standard hydraulic accumulator sizing relation (ISO 5596 / Parker accumulator handbook).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.units import R_GAS
from breachkit._core.validity import ValidityRange, apply_validity, register

__all__ = [
    "DEFAULT_DISCHARGE_COEFFICIENT",
    "accumulator_loop_drain_time",
    "accumulator_loop_pressure",
    "accumulator_loop_volume_lost",
    "accumulator_pressure",
    "adiabatic_blowdown_pressure",
    "cd_area_from_time_constant",
    "choked_flow_function",
    "choked_mass_flow",
    "equivalent_hole_diameter",
    "gas_blowdown_time_constant",
    "gas_kappa",
    "gas_pressure_ratio",
    "hole_cd_area",
    "isothermal_blowdown_pressure",
    "leak_coordinate",
    "loop_kappa",
    "loop_pressure_ratio",
    "loop_volume_lost_from_coordinate",
    "orifice_volume_flow",
]

FloatOrArray = float | NDArray[np.float64]

#: Sharp-edged round orifice at high Reynolds number: π/(π+2) = 0.611 (Kirchhoff / von Mises
#: free-streamline theory; Lienhard & Lienhard 1984, J. Fluids Eng. 106:13–17).
DEFAULT_DISCHARGE_COEFFICIENT = float(np.pi / (np.pi + 2.0))

_SRC_GAS = "Anderson (2003) Modern Compressible Flow 3rd ed. §5.4; perfect-gas choked flow"
_GAMMA = ValidityRange("gamma", 1.0, 5.0 / 3.0, "-", low_inclusive=False, source=_SRC_GAS)
_T = ValidityRange("temperature_k", 20.0, 2000.0, "K", source=_SRC_GAS + " (ideal gas)")
_P = ValidityRange("pressure_pa", 0.0, 3.0e7, "Pa", low_inclusive=False, source=_SRC_GAS)
_M = ValidityRange("molar_mass_kg_mol", 1.0e-3, 0.5, "kg mol⁻¹", source="ideal gas")
_POS = ValidityRange("value", 0.0, np.inf, "", low_inclusive=False, source="physical: > 0")
_CD = ValidityRange(
    "discharge_coefficient", 0.0, 1.0, "-", low_inclusive=False, source="Cd ≤ 1 by definition"
)
_N = ValidityRange(
    "polytropic_index", 1.0, 5.0 / 3.0, "-", source="polytropic gas: isothermal (1) to γ ≤ 5/3"
)
_TIME = ValidityRange("t_s", 0.0, np.inf, "s", source="time since onset ≥ 0")


def _pos(name: str, unit: str) -> ValidityRange:
    return ValidityRange(name, 0.0, np.inf, unit, low_inclusive=False, source="physical: > 0")


def choked_flow_function(gamma: ArrayLike) -> FloatOrArray:
    """Γ(γ) = (2/(γ+1))^((γ+1)/(2(γ−1))) [-], the choked-flow factor.

    Source: Anderson (2003), *Modern Compressible Flow*, 3rd ed., §5.4. Validity: 1 < γ ≤ 5/3.
    Γ(1.4) = 0.5787.
    """
    g = np.asarray(gamma, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (2.0 / (g + 1.0)) ** ((g + 1.0) / (2.0 * (g - 1.0)))
    return apply_validity("choked_flow_function", out, {"gamma": (g, _GAMMA)})


register("choked_flow_function", _GAMMA)


def choked_mass_flow(
    pressure_pa: ArrayLike,
    temperature_k: ArrayLike,
    cd_area_m2: ArrayLike,
    gamma: ArrayLike = 1.4,
    molar_mass_kg_mol: ArrayLike = 0.0289647,
) -> FloatOrArray:
    """Mass flow of a perfect gas through a choked orifice to vacuum [kg s⁻¹].

    ṁ = Cd·A · p0 · √(γ M /(R T0)) · Γ(γ), Γ = (2/(γ+1))^((γ+1)/(2(γ−1))).

    Parameters: stagnation pressure `pressure_pa` [Pa], stagnation temperature `temperature_k`
    [K], effective area `cd_area_m2` = Cd·A [m²], ratio of specific heats `gamma` [-], molar mass
    [kg mol⁻¹] (default dry air, 0.0289647).

    Source: Anderson (2003), *Modern Compressible Flow*, 3rd ed., §5.4; NASA GRC "Mass Flow
    Choking". Validity: choked flow (always, to vacuum), 0 < p ≤ 30 MPa (ideal gas),
    20 K ≤ T ≤ 2000 K, 1 < γ ≤ 5/3.
    """
    p = np.asarray(pressure_pa, dtype=float)
    t = np.asarray(temperature_k, dtype=float)
    a = np.asarray(cd_area_m2, dtype=float)
    g = np.asarray(gamma, dtype=float)
    m = np.asarray(molar_mass_kg_mol, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gam = (2.0 / (g + 1.0)) ** ((g + 1.0) / (2.0 * (g - 1.0)))
        out = a * p * np.sqrt(g * m / (R_GAS * t)) * gam
    return apply_validity(
        "choked_mass_flow",
        out,
        {
            "pressure_pa": (p, _P),
            "temperature_k": (t, _T),
            "cd_area_m2": (a, _pos("cd_area_m2", "m²")),
            "gamma": (g, _GAMMA),
            "molar_mass_kg_mol": (m, _M),
        },
    )


register("choked_mass_flow", _P, _T, _GAMMA, _M)


def gas_kappa(
    volume_m3: ArrayLike,
    temperature_k: ArrayLike,
    gamma: ArrayLike = 1.4,
    molar_mass_kg_mol: ArrayLike = 0.0289647,
) -> FloatOrArray:
    """κ = Γ(γ)·√(γ R T / M) / V [m⁻² s⁻¹], so that τ = 1/(κ·Cd·A) is the blow-down time constant.

    From V dρ/dt = −ṁ with the choked flow of `choked_mass_flow` (Anderson 2003 §5.4): ṁ/(ρV) =
    Cd·A·Γ·c/V with c = √(γRT/M) the speed of sound of the gas in the vessel. Validity as
    `choked_mass_flow`; V > 0 [m³].
    """
    v = np.asarray(volume_m3, dtype=float)
    t = np.asarray(temperature_k, dtype=float)
    g = np.asarray(gamma, dtype=float)
    m = np.asarray(molar_mass_kg_mol, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gam = (2.0 / (g + 1.0)) ** ((g + 1.0) / (2.0 * (g - 1.0)))
        out = gam * np.sqrt(g * R_GAS * t / m) / v
    return apply_validity(
        "gas_kappa",
        out,
        {
            "volume_m3": (v, _pos("volume_m3", "m³")),
            "temperature_k": (t, _T),
            "gamma": (g, _GAMMA),
            "molar_mass_kg_mol": (m, _M),
        },
    )


register("gas_kappa", _T, _GAMMA, _M)


def gas_blowdown_time_constant(
    volume_m3: ArrayLike,
    temperature_k: ArrayLike,
    cd_area_m2: ArrayLike,
    gamma: ArrayLike = 1.4,
    molar_mass_kg_mol: ArrayLike = 0.0289647,
) -> FloatOrArray:
    """Blow-down time constant τ = V / (Cd·A · Γ(γ) · √(γ R T / M)) [s].

    Isothermal blow-down is p = p0·exp(−t/τ); isentropic blow-down uses the same τ evaluated at the
    initial temperature. Source: Anderson (2003) §5.4 with the vessel mass balance. Validity as
    `choked_mass_flow`.
    """
    k = np.asarray(gas_kappa(volume_m3, temperature_k, gamma, molar_mass_kg_mol))
    a = np.asarray(cd_area_m2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 / (k * a)
    return apply_validity(
        "gas_blowdown_time_constant", out, {"cd_area_m2": (a, _pos("cd_area_m2", "m²"))}
    )


register("gas_blowdown_time_constant", _pos("cd_area_m2", "m²"))


def cd_area_from_time_constant(
    tau_s: ArrayLike,
    volume_m3: ArrayLike,
    temperature_k: ArrayLike,
    gamma: ArrayLike = 1.4,
    molar_mass_kg_mol: ArrayLike = 0.0289647,
) -> FloatOrArray:
    """Effective hole area Cd·A = V / (τ · Γ(γ) · √(γ R T / M)) [m²] from a time constant [s].

    Inverse of `gas_blowdown_time_constant` (Anderson 2003 §5.4). Validity: τ > 0 and as
    `choked_mass_flow`.
    """
    k = np.asarray(gas_kappa(volume_m3, temperature_k, gamma, molar_mass_kg_mol))
    tau = np.asarray(tau_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 / (k * tau)
    return apply_validity("cd_area_from_time_constant", out, {"tau_s": (tau, _pos("tau_s", "s"))})


register("cd_area_from_time_constant", _pos("tau_s", "s"))


def equivalent_hole_diameter(
    cd_area_m2: ArrayLike, discharge_coefficient: ArrayLike = DEFAULT_DISCHARGE_COEFFICIENT
) -> FloatOrArray:
    """Diameter of the round hole with the given effective area: d = √(4·Cd·A / (π·Cd)) [m].

    `cd_area_m2` [m²] is the fitted Cd·A; `discharge_coefficient` [-] defaults to 0.611 (sharp-edged
    orifice, Lienhard & Lienhard 1984). Validity: 0 < Cd ≤ 1, Cd·A ≥ 0.
    """
    a = np.asarray(cd_area_m2, dtype=float)
    cd = np.asarray(discharge_coefficient, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sqrt(4.0 * a / (np.pi * cd))
    nonneg = ValidityRange("cd_area_m2", 0.0, np.inf, "m²", source="physical: ≥ 0")
    return apply_validity(
        "equivalent_hole_diameter",
        out,
        {"cd_area_m2": (a, nonneg), "discharge_coefficient": (cd, _CD)},
    )


register("equivalent_hole_diameter", _CD)


def hole_cd_area(
    diameter_m: ArrayLike, discharge_coefficient: ArrayLike = DEFAULT_DISCHARGE_COEFFICIENT
) -> FloatOrArray:
    """Effective area Cd·π d²/4 [m²] of a round hole of diameter `diameter_m` [m].

    Inverse of `equivalent_hole_diameter`. Validity: 0 < Cd ≤ 1, d ≥ 0.
    """
    d = np.asarray(diameter_m, dtype=float)
    cd = np.asarray(discharge_coefficient, dtype=float)
    out = cd * np.pi * d**2 / 4.0
    nonneg = ValidityRange("diameter_m", 0.0, np.inf, "m", source="physical: ≥ 0")
    return apply_validity(
        "hole_cd_area", out, {"diameter_m": (d, nonneg), "discharge_coefficient": (cd, _CD)}
    )


register("hole_cd_area", _CD)


def isothermal_blowdown_pressure(
    t_s: ArrayLike, p0_pa: ArrayLike, tau_s: ArrayLike
) -> FloatOrArray:
    """Isothermal blow-down to vacuum: p(t) = p0 · exp(−t/τ) [Pa].

    `t_s` [s] since onset (≥ 0), initial pressure `p0_pa` [Pa], time constant `tau_s` [s] from
    `gas_blowdown_time_constant`. Source: Anderson (2003) §5.4 choked flow + isothermal vessel mass
    balance. Validity: t ≥ 0; choked flow (vacuum outside); the wall keeps the gas at T0.
    """
    t = np.asarray(t_s, dtype=float)
    p0 = np.asarray(p0_pa, dtype=float)
    tau = np.asarray(tau_s, dtype=float)
    out = p0 * np.exp(-t / tau)
    return apply_validity(
        "isothermal_blowdown_pressure", out, {"t_s": (t, _TIME), "tau_s": (tau, _pos("tau_s", "s"))}
    )


register("isothermal_blowdown_pressure", _TIME)


def adiabatic_blowdown_pressure(
    t_s: ArrayLike, p0_pa: ArrayLike, tau_s: ArrayLike, gamma: ArrayLike = 1.4
) -> FloatOrArray:
    """Isentropic (adiabatic) blow-down to vacuum: p = p0·(1 + (γ−1)/2 · t/τ0)^(−2γ/(γ−1)) [Pa].

    τ0 [s] is the time constant at the initial state (`gas_blowdown_time_constant`). The gas left in
    the vessel expands isentropically, T/T0 = (p/p0)^((γ−1)/γ). Source: Anderson (2003) §5.4 with
    the vessel mass balance (derivation in docs/telemetry.md). Validity: t ≥ 0, 1 < γ ≤ 5/3; no heat
    from the walls (fast blow-downs); the gas stays above its condensation point.
    """
    t = np.asarray(t_s, dtype=float)
    p0 = np.asarray(p0_pa, dtype=float)
    tau = np.asarray(tau_s, dtype=float)
    g = np.asarray(gamma, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = p0 * (1.0 + 0.5 * (g - 1.0) * t / tau) ** (-2.0 * g / (g - 1.0))
    return apply_validity(
        "adiabatic_blowdown_pressure",
        out,
        {"t_s": (t, _TIME), "tau_s": (tau, _pos("tau_s", "s")), "gamma": (g, _GAMMA)},
    )


register("adiabatic_blowdown_pressure", _TIME, _GAMMA)


def gas_pressure_ratio(
    x: ArrayLike,
    process: Literal["isothermal", "adiabatic"] = "isothermal",
    gamma: ArrayLike = 1.4,
) -> FloatOrArray:
    """p/p0 of a gas vessel as a function of the leak coordinate X = κ ∫ Cd·A dt [-].

    Isothermal: exp(−X); adiabatic: (1 + (γ−1)/2·X)^(−2γ/(γ−1)) (Anderson 2003 §5.4 with the
    vessel mass balance). For a constant hole X = t/τ. Validity: X ≥ 0, 1 < γ ≤ 5/3.
    """
    xx = np.asarray(x, dtype=float)
    g = np.asarray(gamma, dtype=float)
    if process == "isothermal":
        out = np.exp(-xx)
    elif process == "adiabatic":
        with np.errstate(invalid="ignore", divide="ignore"):
            out = (1.0 + 0.5 * (g - 1.0) * xx) ** (-2.0 * g / (g - 1.0))
    else:
        raise ValueError(f"process must be 'isothermal' or 'adiabatic', not {process!r}")
    rx = ValidityRange("x", 0.0, np.inf, "-", source="leak coordinate ≥ 0")
    return apply_validity("gas_pressure_ratio", out, {"x": (xx, rx), "gamma": (g, _GAMMA)})


register("gas_pressure_ratio", _GAMMA)


def orifice_volume_flow(
    delta_p_pa: ArrayLike, density_kg_m3: ArrayLike, cd_area_m2: ArrayLike
) -> FloatOrArray:
    """Incompressible orifice flow Q = Cd·A·√(2Δp/ρ) [m³ s⁻¹].

    `delta_p_pa` [Pa] is the pressure difference across the hole (to vacuum: the loop pressure),
    `density_kg_m3` [kg m⁻³] the liquid density, `cd_area_m2` [m²] the effective area.
    Source: White (2011), *Fluid Mechanics* 7th ed., §6.12; ISO 5167-1:2003. Validity: Δp ≥ 0,
    single-phase liquid at the vena contracta (no flashing: the downstream pressure of a leak to
    vacuum is below the vapour pressure, so the jet flashes *after* the hole; two-phase choking
    inside a long crack would lower Q — see docs/telemetry.md).
    """
    dp = np.asarray(delta_p_pa, dtype=float)
    rho = np.asarray(density_kg_m3, dtype=float)
    a = np.asarray(cd_area_m2, dtype=float)
    with np.errstate(invalid="ignore"):
        out = a * np.sqrt(2.0 * dp / rho)
    rdp = ValidityRange("delta_p_pa", 0.0, np.inf, "Pa", source="flow from high to low pressure")
    return apply_validity(
        "orifice_volume_flow",
        out,
        {"delta_p_pa": (dp, rdp), "density_kg_m3": (rho, _pos("density_kg_m3", "kg m⁻³"))},
    )


register("orifice_volume_flow", _pos("density_kg_m3", "kg m⁻³"))


def accumulator_pressure(
    volume_lost_m3: ArrayLike,
    p0_pa: ArrayLike,
    gas_volume_m3: ArrayLike,
    polytropic_index: ArrayLike = 1.0,
) -> FloatOrArray:
    """Loop pressure after losing liquid volume ΔV: p = p0 · (V_g0 / (V_g0 + ΔV))^n [Pa].

    The accumulator gas (initial volume `gas_volume_m3` [m³] at `p0_pa` [Pa]) expands into the space
    the lost liquid leaves (rigid loop, incompressible liquid). Polytropic gas law p·V^n = const
    (n = 1 isothermal, n = γ adiabatic); e.g. ISO 5596 hydraulic accumulators. Validity: ΔV ≥ 0,
    1 ≤ n ≤ 5/3.
    """
    dv = np.asarray(volume_lost_m3, dtype=float)
    p0 = np.asarray(p0_pa, dtype=float)
    vg = np.asarray(gas_volume_m3, dtype=float)
    n = np.asarray(polytropic_index, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = p0 * (vg / (vg + dv)) ** n
    rdv = ValidityRange("volume_lost_m3", 0.0, np.inf, "m³", source="fluid lost ≥ 0")
    return apply_validity(
        "accumulator_pressure",
        out,
        {
            "volume_lost_m3": (dv, rdv),
            "gas_volume_m3": (vg, _pos("gas_volume_m3", "m³")),
            "polytropic_index": (n, _N),
        },
    )


register("accumulator_pressure", _N)


def loop_kappa(
    p0_pa: ArrayLike, gas_volume_m3: ArrayLike, density_kg_m3: ArrayLike
) -> FloatOrArray:
    """κ = √(2 p0/ρ) / V_g0 [m⁻² s⁻¹] for a liquid loop with a gas accumulator leaking to vacuum.

    With u = (V_g0 + ΔV)/V_g0 and Q = Cd·A·√(2p/ρ), p = p0·u^(−n): du/dt = κ·Cd·A·u^(−n/2).
    White (2011) §6.12 orifice flow + polytropic accumulator. Validity: p0, V_g0, ρ > 0.
    """
    p0 = np.asarray(p0_pa, dtype=float)
    vg = np.asarray(gas_volume_m3, dtype=float)
    rho = np.asarray(density_kg_m3, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sqrt(2.0 * p0 / rho) / vg
    return apply_validity(
        "loop_kappa",
        out,
        {
            "p0_pa": (p0, _pos("p0_pa", "Pa")),
            "gas_volume_m3": (vg, _pos("gas_volume_m3", "m³")),
            "density_kg_m3": (rho, _pos("density_kg_m3", "kg m⁻³")),
        },
    )


register("loop_kappa", _pos("p0_pa", "Pa"))


def loop_pressure_ratio(x: ArrayLike, polytropic_index: ArrayLike = 1.0) -> FloatOrArray:
    """p/p0 of an accumulator loop leaking liquid to vacuum vs the leak coordinate X [-].

    Integrating u^(n/2) du = dX from u = 1: u = (1 + (n+2)/2 · X)^(2/(n+2)), so
    p/p0 = (1 + (n+2)/2 · X)^(−2n/(n+2)); isothermal gas (n = 1): (1 + 1.5 X)^(−2/3).
    Sources as `orifice_volume_flow` and `accumulator_pressure`. Validity: X ≥ 0, 1 ≤ n ≤ 5/3, the
    loop still holds liquid at the hole, the loop pressure above the liquid's vapour pressure.
    """
    xx = np.asarray(x, dtype=float)
    n = np.asarray(polytropic_index, dtype=float)
    with np.errstate(invalid="ignore"):
        out = (1.0 + 0.5 * (n + 2.0) * xx) ** (-2.0 * n / (n + 2.0))
    rx = ValidityRange("x", 0.0, np.inf, "-", source="leak coordinate ≥ 0")
    return apply_validity("loop_pressure_ratio", out, {"x": (xx, rx), "polytropic_index": (n, _N)})


register("loop_pressure_ratio", _N)


def loop_volume_lost_from_coordinate(
    x: ArrayLike, gas_volume_m3: ArrayLike, polytropic_index: ArrayLike = 1.0
) -> FloatOrArray:
    """Liquid volume lost ΔV = V_g0·((1 + (n+2)/2 · X)^(2/(n+2)) − 1) [m³] at leak coordinate X.

    Same integration as `loop_pressure_ratio`. Validity: X ≥ 0, 1 ≤ n ≤ 5/3.
    """
    xx = np.asarray(x, dtype=float)
    vg = np.asarray(gas_volume_m3, dtype=float)
    n = np.asarray(polytropic_index, dtype=float)
    with np.errstate(invalid="ignore"):
        out = vg * ((1.0 + 0.5 * (n + 2.0) * xx) ** (2.0 / (n + 2.0)) - 1.0)
    rx = ValidityRange("x", 0.0, np.inf, "-", source="leak coordinate ≥ 0")
    return apply_validity(
        "loop_volume_lost_from_coordinate", out, {"x": (xx, rx), "polytropic_index": (n, _N)}
    )


register("loop_volume_lost_from_coordinate", _N)


def accumulator_loop_pressure(
    t_s: ArrayLike,
    p0_pa: ArrayLike,
    gas_volume_m3: ArrayLike,
    density_kg_m3: ArrayLike,
    cd_area_m2: ArrayLike,
    polytropic_index: ArrayLike = 1.0,
) -> FloatOrArray:
    """Loop pressure t seconds after a constant hole opened to vacuum [Pa].

    p(t) = p0·(1 + (n+2)/2 · κ·Cd·A·t)^(−2n/(n+2)), κ = √(2p0/ρ)/V_g0 (closed form, see
    `loop_pressure_ratio`). Validity: t ≥ 0 and as `loop_pressure_ratio`.
    """
    t = np.asarray(t_s, dtype=float)
    k = np.asarray(loop_kappa(p0_pa, gas_volume_m3, density_kg_m3))
    x = k * np.asarray(cd_area_m2, dtype=float) * np.where(t >= 0, t, np.nan)
    out = np.asarray(p0_pa, dtype=float) * np.asarray(loop_pressure_ratio(x, polytropic_index))
    return apply_validity("accumulator_loop_pressure", out, {"t_s": (t, _TIME)})


register("accumulator_loop_pressure", _TIME)


def accumulator_loop_volume_lost(
    t_s: ArrayLike,
    p0_pa: ArrayLike,
    gas_volume_m3: ArrayLike,
    density_kg_m3: ArrayLike,
    cd_area_m2: ArrayLike,
    polytropic_index: ArrayLike = 1.0,
) -> FloatOrArray:
    """Liquid volume lost t seconds after a constant hole opened to vacuum [m³].

    ΔV(t) = V_g0·((1 + (n+2)/2 · κ·Cd·A·t)^(2/(n+2)) − 1). Validity as `accumulator_loop_pressure`.
    """
    t = np.asarray(t_s, dtype=float)
    k = np.asarray(loop_kappa(p0_pa, gas_volume_m3, density_kg_m3))
    x = k * np.asarray(cd_area_m2, dtype=float) * np.where(t >= 0, t, np.nan)
    out = np.asarray(loop_volume_lost_from_coordinate(x, gas_volume_m3, polytropic_index))
    return apply_validity("accumulator_loop_volume_lost", out, {"t_s": (t, _TIME)})


register("accumulator_loop_volume_lost", _TIME)


def accumulator_loop_drain_time(
    volume_lost_m3: ArrayLike,
    p0_pa: ArrayLike,
    gas_volume_m3: ArrayLike,
    density_kg_m3: ArrayLike,
    cd_area_m2: ArrayLike,
    polytropic_index: ArrayLike = 1.0,
    vapour_pressure_pa: ArrayLike = 0.0,
) -> FloatOrArray:
    """Time for a constant hole to drain liquid volume ΔV from an accumulator loop [s].

    Without vapour pressure (closed form): t = (u^((n+2)/2) − 1) / ((n+2)/2 · κ·Cd·A),
    u = (V_g0 + ΔV)/V_g0, κ = √(2p0/ρ)/V_g0. With a vapour pressure p_v > 0 the gas law holds until
    p falls to p_v (at ΔV* = V_g0((p0/p_v)^(1/n) − 1)); from then on the liquid boils inside the loop
    and holds p = p_v (heat supplied by the structure), so the rest drains at the constant rate
    Cd·A·√(2p_v/ρ). Sources: White (2011) §6.12 orifice flow; polytropic accumulator (ISO 5596).
    Validity: ΔV ≥ 0, 1 ≤ n ≤ 5/3, 0 ≤ p_v < p0; single-phase liquid at the hole.
    """
    dv = np.asarray(volume_lost_m3, dtype=float)
    p0 = np.asarray(p0_pa, dtype=float)
    vg = np.asarray(gas_volume_m3, dtype=float)
    rho = np.asarray(density_kg_m3, dtype=float)
    a = np.asarray(cd_area_m2, dtype=float)
    n = np.asarray(polytropic_index, dtype=float)
    pv = np.asarray(vapour_pressure_pa, dtype=float)
    k = np.asarray(loop_kappa(p0, vg, rho)) * a
    m = 0.5 * (n + 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        dv_star = np.where(
            pv > 0, vg * ((p0 / np.where(pv > 0, pv, 1.0)) ** (1.0 / n) - 1.0), np.inf
        )
        dv_gas = np.minimum(dv, dv_star)
        u = (vg + dv_gas) / vg
        t_gas = (u**m - 1.0) / (m * k)
        q_v = a * np.sqrt(2.0 * pv / rho)
        t_boil = np.where(dv > dv_star, (dv - dv_star) / q_v, 0.0)
        out = t_gas + t_boil
    rdv = ValidityRange("volume_lost_m3", 0.0, np.inf, "m³", source="fluid lost ≥ 0")
    rpv = ValidityRange("vapour_pressure_pa", 0.0, np.inf, "Pa", source="p_v ≥ 0")
    return apply_validity(
        "accumulator_loop_drain_time",
        out,
        {
            "volume_lost_m3": (dv, rdv),
            "polytropic_index": (n, _N),
            "vapour_pressure_pa": (pv, rpv),
            "cd_area_m2": (a, _pos("cd_area_m2", "m²")),
        },
    )


register("accumulator_loop_drain_time", _N)


def leak_coordinate(
    t_s: ArrayLike,
    kappa: ArrayLike,
    cd_area0_m2: ArrayLike,
    growth_rate_s: ArrayLike = 0.0,
    law: Literal["constant", "linear", "exponential"] = "constant",
) -> FloatOrArray:
    """X(t) = κ ∫_0^t Cd·A(t') dt' [-] for a hole opened at t = 0 (X = 0 for t < 0).

    Growth laws of the effective area (r = `growth_rate_s` [s⁻¹]):
    constant Cd·A0 → X = κ A0 t; linear Cd·A0(1 + r t) → X = κ A0 (t + r t²/2);
    exponential Cd·A0·e^(r t) → X = κ A0 (e^(r t) − 1)/r. A linear law models a crack lengthening
    at constant speed; an exponential law a seal or crack whose opening rate grows with its size.
    `kappa` [m⁻² s⁻¹] from `gas_kappa` or `loop_kappa`; `cd_area0_m2` [m²]. Validity: r ≥ 0.
    """
    t = np.asarray(t_s, dtype=float)
    k = np.asarray(kappa, dtype=float)
    a0 = np.asarray(cd_area0_m2, dtype=float)
    r = np.asarray(growth_rate_s, dtype=float)
    s = np.maximum(t, 0.0)
    if law == "constant":
        integral = s
    elif law == "linear":
        integral = s + 0.5 * r * s * s
    elif law == "exponential":
        rs = r * s
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            integral = np.where(
                rs > 1e-8, np.expm1(rs) / np.where(r > 0, r, 1.0), s * (1 + 0.5 * rs)
            )
    else:
        raise ValueError(f"law must be 'constant', 'linear' or 'exponential', not {law!r}")
    out = k * a0 * integral
    rr = ValidityRange("growth_rate_s", 0.0, np.inf, "s⁻¹", source="a hole does not shrink here")
    return apply_validity("leak_coordinate", out, {"growth_rate_s": (r, rr)})


register("leak_coordinate")
