"""The lumped capsule model: return phases, the ODE system, peaks, calibration and sensitivity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import HOUR, T_ZERO_CELSIUS
from breachkit.ops.thermal.human import fanger_respiratory_heat_loss, skin_heat_exchange
from breachkit.ops.thermal.parameters import (
    DEFAULT_PARAMETERS,
    PARAMETER_SOURCES,
    ThermalParameters,
)
from breachkit.ops.thermal.psychrometrics import (
    CLO,
    CP_AIR,
    LATENT_HEAT_VAPOURISATION,
    MET,
    R_DRY_AIR,
    R_VAPOUR,
    psychrometric_wet_bulb_temperature,
)


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
    if crew < 0 or crew != int(crew):
        raise InputError(f"crew: {crew!r} must be a non-negative integer")
    if not phases:
        raise InputError("phases: at least one phase is needed")
    t, yy, edges = _integrate_phases(params, int(crew), phases, loop_working, max_step_s)
    return _thermal_run(params, int(crew), phases, loop_working, t, yy, edges, diagnostics)


def _integrate_phases(
    p: ThermalParameters,
    crew: int,
    phases: Sequence[ReturnPhase],
    loop_working: bool,
    max_step_s: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], list[float]]:
    """The node states (T_air, T_structure, T_equipment, m_vapour) over the phases, LSODA."""
    from scipy.integrate import solve_ivp

    rhs = _rhs_factory(p, crew, loop_working)
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
    return np.concatenate(ts), np.concatenate(ys, axis=1), edges


def _thermal_run(
    p: ThermalParameters,
    crew: int,
    phases: Sequence[ReturnPhase],
    loop_working: bool,
    t: NDArray[np.float64],
    yy: NDArray[np.float64],
    edges: list[float],
    diagnostics: bool,
) -> ThermalRun:
    """Humidity, wet bulb and each crew member's evaporation deficit from the node states."""
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
        crew=crew,
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
