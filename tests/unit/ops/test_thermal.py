"""Thermal physics of the descent module without its external loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.validity import OutOfValidityRangeError, ValidityWarning, strict
from breachkit.ops import thermal as th


def test_iapws_if97_table35_saturation_pressure() -> None:
    # IAPWS R7-97(2012), Table 35 (verification values for eq. 30): p_s(300 K) = 0.353658941e-2 MPa,
    # p_s(500 K) = 0.263889776e1 MPa, p_s(600 K) = 0.123443146e2 MPa. Tolerance: the 9 digits given.
    got = th.iapws_if97_saturation_pressure(np.array([300.0, 500.0, 600.0]))
    np.testing.assert_allclose(got, [3536.58941, 2638897.76, 12344314.6], rtol=5e-9)


def test_buck1981_agrees_with_iapws_if97_over_cabin_range() -> None:
    # Buck (1981) fits Wexler's formulation to ~0.1 %; 0.3 % (≈ 20 Pa at 40 °C) bounds it on 0-50 °C.
    t = np.linspace(273.15, 323.15, 51)
    np.testing.assert_allclose(
        th.buck_saturation_vapour_pressure(t), th.iapws_if97_saturation_pressure(t), rtol=3e-3
    )


def test_buck_out_of_range_nan_and_warning_or_error() -> None:
    with pytest.warns(ValidityWarning, match="buck_saturation_vapour_pressure"):
        out = th.buck_saturation_vapour_pressure(np.array([300.0, 400.0]))
    assert math.isfinite(out[0]) and math.isnan(out[1])
    with strict(), pytest.raises(OutOfValidityRangeError):
        th.buck_saturation_vapour_pressure(400.0)
    assert isinstance(th.buck_saturation_vapour_pressure(300.0), float)


def test_wet_bulb_equals_dry_bulb_when_saturated() -> None:
    t = 308.15
    tw = th.psychrometric_wet_bulb_temperature(t, th.buck_saturation_vapour_pressure(t))
    assert tw == pytest.approx(t, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(t=st.floats(285.0, 320.0), f1=st.floats(0.05, 0.5), f2=st.floats(0.5, 1.0))
def test_wet_bulb_rises_with_humidity_and_stays_below_dry_bulb(
    t: float, f1: float, f2: float
) -> None:
    es = th.buck_saturation_vapour_pressure(t)
    a = th.psychrometric_wet_bulb_temperature(t, f1 * es)
    b = th.psychrometric_wet_bulb_temperature(t, f2 * es)
    assert a <= b + 1e-9 <= t + 1e-6


def test_fanger_respiratory_terms_iso7730() -> None:
    # ISO 7730:2005 eq. (1) terms at M = 58.2 W/m², 20 °C, 1000 Pa: 0.0014·58.2·14 and 1.7e-5·58.2·4867.
    c, e = th.fanger_respiratory_heat_loss(58.2, 293.15, 1000.0)
    assert c == pytest.approx(0.0014 * 58.2 * 14.0)
    assert e == pytest.approx(1.7e-5 * 58.2 * 4867.0)


def test_skin_exchange_reverses_when_surroundings_hotter_than_skin() -> None:
    kw = dict(
        clothing_insulation_m2k_w=0.093,
        combined_coefficient_w_m2k=7.8,
        convective_coefficient_w_m2k=3.1,
    )
    cool, emax_dry = th.skin_heat_exchange(308.15, 298.15, 1000.0, **kw)
    hot, emax_wet = th.skin_heat_exchange(308.15, 315.15, 5000.0, **kw)
    assert cool > 0 > hot
    assert emax_dry > emax_wet > 0


def test_docked_systems_off_state_is_stationary() -> None:
    # With no crew, no avionics and the hull sink at the initial 30 °C (TASS 2022-12-19: the
    # vehicle settled at about +30 °C with systems off) nothing may change: energy conservation.
    p = th.DEFAULT_PARAMETERS.with_overrides({"avionics_power_w": 0.0})
    phases = [th.ReturnPhase("hold", 3 * 3600.0, 1.0, None)]
    run = th.simulate_return(0, p, phases)
    assert np.ptp(run.air_temperature_k) < 1e-6
    assert run.peak_air_temperature_c == pytest.approx(30.0, abs=1e-6)


def test_peak_rises_with_crew_and_working_loop_holds_temperature() -> None:
    runs = th.peak_by_crew((1, 2, 3))
    peaks = [runs[n].peak_air_temperature_c for n in (1, 2, 3)]
    assert peaks[0] < peaks[1] < peaks[2]
    cooled = th.simulate_return(3, loop_working=True)
    assert cooled.peak_air_temperature_c <= th.DEFAULT_PARAMETERS.initial_temperature_c + 0.5


def test_calibration_low_40s_three_crew_is_what_defaults_carry() -> None:
    # CALIBRATION, not validation: NASA/Roscosmos telecon 2023-01-11, "low 40s °C with high humidity"
    # with three aboard; read as 42 °C. The default heat capacity is that calibration, rounded.
    c = th.calibrate_structure_heat_capacity(42.0)
    assert c == pytest.approx(th.DEFAULT_PARAMETERS.structure_heat_capacity_j_k, rel=0.03)
    run = th.simulate_return(3)
    assert 40.0 <= run.peak_air_temperature_c <= 43.5
    assert run.peak_relative_humidity > 0.8  # "high humidity", same source (a consequence, checked)


def test_sensitivity_rows_sorted_and_calibrated_flagged() -> None:
    rows = th.sensitivity(3, names=["avionics_power_w", "structure_heat_capacity_j_k"])
    assert rows[0]["swing_k"] >= rows[1]["swing_k"] > 0
    assert any(r["calibrated"] for r in rows)


def test_unknown_override_and_bad_parameter_are_input_errors() -> None:
    from breachkit._core.errors import InputError

    with pytest.raises(InputError, match="unknown"):
        th.DEFAULT_PARAMETERS.with_overrides({"nope": 1.0})
    with pytest.raises(InputError, match="free_volume_m3"):
        th.ThermalParameters(free_volume_m3=0.0)
    with pytest.raises(InputError, match="crew"):
        th.simulate_return(-1)


@settings(max_examples=8, deadline=None)
@given(a=st.floats(100.0, 400.0), d=st.floats(10.0, 100.0))
def test_peak_rises_with_avionics_power(a: float, d: float) -> None:
    lo = th.DEFAULT_PARAMETERS.with_overrides({"avionics_power_w": a})
    hi = th.DEFAULT_PARAMETERS.with_overrides({"avionics_power_w": a + d})
    p_lo = th.simulate_return(2, lo, diagnostics=False).peak_air_temperature_c
    p_hi = th.simulate_return(2, hi, diagnostics=False).peak_air_temperature_c
    assert p_hi > p_lo
