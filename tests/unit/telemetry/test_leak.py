"""Leak physics: published constants, analytic decays against numerical integration, limits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from breachkit._core.units import R_GAS
from breachkit._core.validity import OutOfValidityRangeError, ValidityWarning, strict
from breachkit.telemetry import leak


def test_anderson2003_choked_flow_constant_air_0404():
    # Anderson (2003) Modern Compressible Flow §5.4: for air (γ = 1.4, R = 287 J kg⁻¹ K⁻¹) the
    # choked mass flow is ṁ = 0.0404 · p0 · A* / √T0 in SI units (the textbook constant).
    # Tolerance 0.2 %: the constant is quoted to 3 digits and R here is 8.314462618/0.0289647.
    p0, t0, a = 101325.0, 300.0, 1e-4
    mdot = leak.choked_mass_flow(p0, t0, a, 1.4, 0.0289647)
    assert mdot == pytest.approx(0.0404 * p0 * a / np.sqrt(t0), rel=2e-3)


def test_choked_flow_function_gamma14_05787():
    # Γ(1.4) = (2/2.4)^3 = 0.5787 (Anderson 2003 §5.4, exact for γ = 1.4)
    assert leak.choked_flow_function(1.4) == pytest.approx((2 / 2.4) ** 3, rel=1e-12)


def test_kirchhoff_discharge_coefficient_0611():
    # Free-streamline contraction π/(π+2) = 0.611 (Kirchhoff 1869 / von Mises 1917; Lienhard &
    # Lienhard 1984 J. Fluids Eng. 106:13 quote 0.611 for the sharp-edged slot)
    assert leak.DEFAULT_DISCHARGE_COEFFICIENT == pytest.approx(0.611, abs=5e-4)


def test_isothermal_blowdown_matches_ode():
    v, t, cda, g, m = 0.5, 293.0, 2e-6, 1.4, 0.0289647
    tau = leak.gas_blowdown_time_constant(v, t, cda, g, m)
    rs = R_GAS / m

    def rhs(_t, y):
        p = y[0]
        return [-leak.choked_mass_flow(p, t, cda, g, m) * rs * t / v]

    ts = np.linspace(0, 3 * tau, 7)
    sol = solve_ivp(rhs, (0, ts[-1]), [1e5], t_eval=ts, rtol=1e-10, atol=1e-6)
    assert np.allclose(sol.y[0], leak.isothermal_blowdown_pressure(ts, 1e5, tau), rtol=1e-6)


def test_adiabatic_blowdown_matches_ode():
    v, t0, cda, g, m = 0.5, 293.0, 2e-6, 1.4, 0.0289647
    p0 = 1e5
    tau = leak.gas_blowdown_time_constant(v, t0, cda, g, m)
    rho0 = p0 * m / (R_GAS * t0)

    def rhs(_t, y):
        rho = y[0]
        p = p0 * (rho / rho0) ** g
        temp = t0 * (p / p0) ** ((g - 1) / g)
        return [-leak.choked_mass_flow(p, temp, cda, g, m) / v]

    ts = np.linspace(0, 3 * tau, 7)
    sol = solve_ivp(rhs, (0, ts[-1]), [rho0], t_eval=ts, rtol=1e-10, atol=1e-12)
    p_num = p0 * (sol.y[0] / rho0) ** g
    assert np.allclose(p_num, leak.adiabatic_blowdown_pressure(ts, p0, tau, g), rtol=1e-6)


@pytest.mark.parametrize("n", [1.0, 1.4])
def test_accumulator_loop_matches_ode_and_drain_time(n):
    p0, vg, rho, cda = 3e5, 1e-3, 1000.0, 3e-7

    def rhs(_t, y):
        p = leak.accumulator_pressure(y[0], p0, vg, n)
        return [leak.orifice_volume_flow(p, rho, cda)]

    ts = np.linspace(0, 20000, 9)
    sol = solve_ivp(rhs, (0, ts[-1]), [0.0], t_eval=ts, rtol=1e-10, atol=1e-14)
    dv = leak.accumulator_loop_volume_lost(ts, p0, vg, rho, cda, n)
    assert np.allclose(sol.y[0], dv, rtol=1e-6, atol=1e-12)
    p = leak.accumulator_loop_pressure(ts, p0, vg, rho, cda, n)
    assert np.allclose(p, leak.accumulator_pressure(dv, p0, vg, n), rtol=1e-9)
    t_back = leak.accumulator_loop_drain_time(dv[1:], p0, vg, rho, cda, n)
    assert np.allclose(t_back, ts[1:], rtol=1e-9)


def test_drain_time_with_vapour_pressure_plateau():
    # Once p reaches p_v the rest drains at the constant rate Cd·A·√(2 p_v/ρ).
    p0, vg, rho, cda, pv = 3e5, 1e-3, 1000.0, 3e-7, 1e4
    dv_star = vg * (p0 / pv - 1.0)
    t_star = leak.accumulator_loop_drain_time(dv_star, p0, vg, rho, cda)
    extra = 5e-3
    t = leak.accumulator_loop_drain_time(dv_star + extra, p0, vg, rho, cda, 1.0, pv)
    assert t == pytest.approx(t_star + extra / (cda * np.sqrt(2 * pv / rho)), rel=1e-9)


@pytest.mark.parametrize("law", ["constant", "linear", "exponential"])
def test_leak_coordinate_is_the_area_integral(law):
    t = np.linspace(0, 5000, 20001)
    r = 3e-4
    a = {"constant": np.ones_like(t), "linear": 1 + r * t, "exponential": np.exp(r * t)}[law]
    num = np.concatenate(([0.0], np.cumsum(0.5 * (a[1:] + a[:-1]) * np.diff(t))))
    x = leak.leak_coordinate(t, 2.0, 1e-6, r, law)
    assert np.allclose(x, 2.0 * 1e-6 * num, rtol=1e-6)


def test_diameter_and_area_are_inverse_and_time_constant_round_trip():
    d = np.array([1e-4, 8e-4, 4e-3])
    assert np.allclose(leak.equivalent_hole_diameter(leak.hole_cd_area(d, 0.7), 0.7), d)
    tau = leak.gas_blowdown_time_constant(2.0, 293.0, 1e-6)
    assert leak.cd_area_from_time_constant(tau, 2.0, 293.0) == pytest.approx(1e-6, rel=1e-12)


def test_out_of_range_gives_nan_and_warning_or_raises_in_strict_mode():
    with pytest.warns(ValidityWarning, match="gamma"):
        out = leak.choked_mass_flow(1e5, 300.0, 1e-6, np.array([1.4, 2.5]))
    assert np.isfinite(out[0]) and np.isnan(out[1])
    with strict(), pytest.raises(OutOfValidityRangeError):
        leak.equivalent_hole_diameter(1e-6, 1.5)


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(0, 50),
    dx=st.floats(1e-3, 10),
    n=st.floats(1.0, 5 / 3),
)
def test_pressure_ratios_fall_monotonically_from_one(x, dx, n):
    for f in (
        lambda z: leak.loop_pressure_ratio(z, n),
        lambda z: leak.gas_pressure_ratio(z, "isothermal"),
        lambda z: leak.gas_pressure_ratio(z, "adiabatic", 1.0 + 0.6 * (n - 1.0) + 0.05),
    ):
        assert f(0.0) == pytest.approx(1.0)
        a, b = f(x), f(x + dx)
        assert 0 <= b < a <= 1.0 or (a == b == 0.0)


@settings(max_examples=30, deadline=None)
@given(vg=st.floats(1e-5, 1e-1), dv=st.floats(0, 1.0), n=st.floats(1.0, 5 / 3))
def test_accumulator_pv_n_conserved(vg, dv, n):
    p0 = 3e5
    p = leak.accumulator_pressure(dv, p0, vg, n)
    assert p * (vg + dv) ** n == pytest.approx(p0 * vg**n, rel=1e-9)
