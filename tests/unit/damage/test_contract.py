"""Contract tests run over every registered shield (every BLE family)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, KM_S
from breachkit._core.validity import ValidityWarning, registry
from breachkit.damage import get_shield, list_shields

EXTRA = {
    "single_wall[ti-6al-4v]": ("single_wall", {"material": "ti-6al-4v"}),
    "single_wall[ss304]": ("single_wall", {"material": "ss304"}),
    "single_wall[cfrp]": ("single_wall", {"material": "cfrp", "thickness_m": 3.8e-3}),
    "single_wall[al,mli]": ("single_wall", {"mli_areal_density_kg_m2": 1.0}),
    "honeycomb[cfrp]": ("honeycomb_sandwich", {"front_material": "cfrp", "rear_material": "cfrp"}),
    "radiator[stood-off]": ("radiator", {"standoff_m": 0.01}),
    "whipple_modified[external mli]": ("whipple_modified", {"mli_areal_density_kg_m2": 0.5}),
}
CASES = {s.name: (s.name, {}) for s in list_shields() if s.name != "constant"}
CASES.update(EXTRA)
CASES["constant"] = ("constant", {"critical_diameter_m": 1e-3})

THICKNESS = {
    "single_wall_cour_palais": "thickness_m",
    "single_wall_titanium": "thickness_m",
    "single_wall_steel": "thickness_m",
    "single_wall_cfrp": "thickness_m",
    "christiansen_whipple": "wall_thickness_m",
    "ryan_christiansen_whipple": "wall_thickness_m",
    "christiansen_kerr_stuffed_whipple": "wall_thickness_m",
    "ryan_honeycomb_sandwich": "rear_thickness_m",
    "ryan_foam_sandwich": "rear_thickness_m",
    "soyuz_mli_wall": "wall_thickness_m",
    "radiator_panel": "tube_wall_thickness_m",
}
CAPPED = {
    "christiansen_whipple",
    "ryan_christiansen_whipple",
    "christiansen_kerr_modified_nno",  # C&K 2001 p.97: d_c(θ > 65°) = d_c(65°)
    "reimerdes_whipple",  # the JSC 65° cap kept (docs/damage.md)
    "ryan_schonberg_whipple",
}


def _quiet(sh, v, a, rho):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        return sh.critical_diameter(v, a, rho)


def shield_of(case):
    name, params = CASES[case]
    return get_shield(name, **params)


def ranges(sh):
    """In-range sampling box (speed [m/s], angle [rad]) for a shield's BLE."""
    regs = {r.argument: r for r in registry().get(sh.family, ())}
    v = regs.get("speed_m_s")
    a = regs.get("angle_rad")
    vlo, vhi = (max(v.low, 1.0 * KM_S), min(v.high, 15.0 * KM_S)) if v else (KM_S, 15 * KM_S)
    ahi = min(a.high, 80 * DEG) if a else 80 * DEG
    return (vlo, vhi), (0.0, ahi)


@pytest.fixture(params=sorted(CASES))
def case(request):
    return request.param


def test_scalar_in_float_out_and_broadcasting(case):
    sh = shield_of(case)
    (vlo, vhi), (alo, ahi) = ranges(sh)
    d = sh.critical_diameter(0.5 * (vlo + vhi), 0.5 * (alo + ahi), 2800.0)
    assert isinstance(d, float)
    v = np.linspace(vlo, vhi, 5)[:, None]
    a = np.linspace(alo, ahi, 3)[None, :]
    out = sh.critical_diameter(v, a, 2800.0)
    assert np.shape(out) == (5, 3)
    assert np.all(np.asarray(out) > 0)
    fails = sh.fails(np.asarray(out) * 1.001, v, a, 2800.0)
    assert np.all(fails)
    assert not np.any(sh.fails(np.asarray(out) * 0.999, v, a, 2800.0))


def test_nan_propagates_without_warning(case):
    sh = shield_of(case)
    (vlo, _vhi), _ = ranges(sh)
    out = np.asarray(sh.critical_diameter(np.array([np.nan, vlo]), 0.0, np.array([2800.0, np.nan])))
    assert np.all(np.isnan(out))


def test_out_of_range_speed_is_nan_with_warning(case):
    sh = shield_of(case)
    if sh.family == "constant":
        pytest.skip("the constant shield has no validity range")
    with pytest.warns(ValidityWarning):
        out = sh.critical_diameter(np.array([-1.0, 100 * KM_S]), 0.0, 2800.0)
    assert np.all(np.isnan(out))


@settings(max_examples=25, deadline=None)
@given(
    u=st.floats(0, 1), w=st.floats(0, 1), rho=st.floats(500.0, 8900.0), grow=st.floats(1.01, 3.0)
)
def test_critical_diameter_grows_with_wall_thickness(u, w, rho, grow):
    for case_name in sorted(CASES):
        sh = shield_of(case_name)
        key = THICKNESS.get(sh.family)
        if key is None:
            continue
        (vlo, vhi), (alo, ahi) = ranges(sh)
        v, a = vlo + u * (vhi - vlo), alo + w * (ahi - alo)
        name, params = CASES[case_name]
        try:
            thick = get_shield(name, **{**params, key: sh.params[key] * grow})
        except InputError:
            assert sh.family == "christiansen_whipple"  # thicker wall → bumper now inadequate
            continue
        d0, d1 = _quiet(sh, v, a, rho), _quiet(thick, v, a, rho)
        if sh.family == "christiansen_whipple" and (np.isnan(d0) or np.isnan(d1)):
            continue  # inadequate bumper for this projectile density: NaN by the validity policy
        assert d0 >= 0
        # Newton-solved branches converge to ~1e-9 relative; the de-rated hypervelocity solve with
        # an external MLI layer was seen 4.6e-6 off (fresh hypothesis search): allow 1e-5, still
        # far below any physics (a 1e-5 change of d_c).
        assert d1 >= d0 * (1 - 1e-5), (case_name, v, a, rho)


@settings(max_examples=25, deadline=None)
@given(u=st.floats(0, 1), w=st.floats(0, 1), rho=st.floats(500.0, 8000.0), up=st.floats(1.01, 1.5))
def test_denser_projectiles_are_stopped_only_when_smaller(u, w, rho, up):
    for case_name in sorted(CASES):
        sh = shield_of(case_name)
        if sh.family == "constant":
            continue
        (vlo, vhi), (alo, ahi) = ranges(sh)
        v, a = vlo + u * (vhi - vlo), alo + w * (ahi - alo)
        d0, d1 = _quiet(sh, v, a, rho), _quiet(sh, v, a, min(rho * up, 8960.0))
        if sh.family == "christiansen_whipple" and (np.isnan(d0) or np.isnan(d1)):
            continue  # inadequate bumper for this projectile density: NaN by the validity policy
        assert d1 <= d0 * (1 + 1e-5), (case_name, v, a, rho)


@pytest.mark.parametrize("angle_deg", [0.0, 30.0, 60.0])
def test_continuous_in_speed_across_regime_boundaries(case, angle_deg):
    """No jump between adjacent speeds 1 m/s apart (the regime transitions are continuous in
    every family at θ ≤ 60°); a jump of more than 0.4 % between speeds 2 m/s apart would show a
    broken join (smooth power laws change by < 0.14 % there)."""
    sh = shield_of(case)
    (vlo, vhi), (_alo, ahi) = ranges(sh)
    if angle_deg * DEG > ahi:
        pytest.skip("angle outside this BLE's validity")
    v = np.arange(vlo, vhi, 2.0)
    d = np.asarray(sh.critical_diameter(v, angle_deg * DEG, 2800.0))
    jumps = np.abs(np.diff(np.log(d)))
    assert np.nanmax(jumps) < 4e-3, v[np.nanargmax(jumps)]


def test_continuous_in_angle_or_published_discontinuity(case):
    sh = shield_of(case)
    (vlo, vhi), (_alo, ahi) = ranges(sh)
    if ahi == 0:
        pytest.skip("normal incidence only")
    a = np.arange(0.0, min(ahi, 75 * DEG), 0.01 * DEG)
    for v in (2 * KM_S, 5 * KM_S, 10 * KM_S):
        v = min(max(v, vlo), vhi)
        d = np.asarray(sh.critical_diameter(v, a, 2800.0))
        jumps = np.abs(np.diff(np.log(d)))
        big = a[1:][jumps > 2e-3] / DEG
        if sh.family == "ryan_honeycomb_sandwich" and sh.params["face_sheets"] == "aluminium":
            # Ryan et al. (2008): cos exponent 4/3 for θ ≤ 45° or ≥ 65°, 5/4 between
            assert set(np.round(big).astype(int)) <= {45, 65}
            assert 45 in np.round(big).astype(int) or 65 in np.round(big).astype(int)
        else:
            assert big.size == 0, (v, big[:5])


def test_obliquity_cap_65_degrees(case):
    sh = shield_of(case)
    if sh.family == "single_wall_cfrp":
        pytest.skip("validated at normal incidence only (Handbook Table 4-3)")
    capped = sh.family in CAPPED or (sh.family == "radiator_panel" and sh.params["standoff_m"] > 0)
    d = np.asarray(sh.critical_diameter(7 * KM_S, np.array([65.0, 70.0, 85.0]) * DEG, 2800.0))
    if capped:
        np.testing.assert_allclose(d, d[0], rtol=1e-12)
    elif sh.family != "constant":
        assert d[2] > d[0]


def test_every_family_is_covered():
    families = {shield_of(c).family for c in CASES}
    assert set(THICKNESS) <= families


def test_warnings_are_errors_in_this_suite():
    with pytest.raises(ValidityWarning), warnings.catch_warnings():
        warnings.simplefilter("error")
        get_shield("single_wall_al_1mm").critical_diameter(-1.0, 0.0, 2800.0)
