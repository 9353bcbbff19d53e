"""Shield registry, presets, materials and bad-input errors."""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.units import CM, DEG, KM_S, KSI, MM
from breachkit.damage import (
    get_material,
    get_shield,
    list_materials,
    list_shields,
    radiator_panel,
    ryan_christiansen_whipple,
    single_wall_cour_palais,
)
from breachkit.damage.whipple import _hv_classic

REQUIRED = {
    "whipple_iss_generic",
    "single_wall_al_1mm",
    "soyuz_mli_over_amg6",
    "radiator_generic",
    "constant",
}


def test_required_presets_registered_with_sources():
    specs = {s.name: s for s in list_shields()}
    assert REQUIRED <= set(specs)
    for s in specs.values():
        assert s.source and s.description


@pytest.mark.parametrize("name", sorted(REQUIRED - {"constant"}))
def test_shield_interface(name):
    sh = get_shield(name)
    assert sh.name == name
    assert sh.source
    assert isinstance(sh.assumptions, list) and all(isinstance(a, str) for a in sh.assumptions)
    assert 0 < sh.failure_area_fraction <= 1
    d = sh.critical_diameter(7 * KM_S, 0.0, 2800.0)
    assert sh.fails(2 * d, 7 * KM_S, 0.0, 2800.0) is True
    assert sh.fails(0.5 * d, 7 * KM_S, 0.0, 2800.0) is False
    assert sh.to_dict()["name"] == name


def test_constant_shield():
    sh = get_shield("constant", critical_diameter_m=1.5e-3)
    out = sh.critical_diameter(np.array([1e3, 7e3]), 0.3, 2800.0)
    np.testing.assert_array_equal(out, [1.5e-3, 1.5e-3])
    assert sh.fails(2e-3, 7e3, 0.0, 2800.0)
    with pytest.raises(InputError, match="critical_diameter_m"):
        get_shield("constant")


def test_radiator_generic_failure_fraction_is_tube_footprint():
    sh = get_shield("radiator_generic")
    assert sh.failure_area_fraction == pytest.approx(0.1)
    assert any("tube footprint" in a for a in sh.assumptions)
    assert any("PLACEHOLDER" in a for a in sh.assumptions)
    assert get_shield("radiator_generic", failure_area_fraction=0.25).failure_area_fraction == 0.25


def test_unknown_shield_lists_valid_names():
    with pytest.raises(InputError, match=r"valid names: .*whipple_iss_generic"):
        get_shield("whipple_iss")


def test_unknown_parameter_lists_valid_parameters():
    with pytest.raises(InputError, match=r"unknown parameter 'thickness'.*thickness_m"):
        get_shield("single_wall", thickness=1e-3)


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("single_wall", {"thickness_m": -1e-3}, "thickness_m"),
        ("whipple_modified", {"standoff_m": 0.0}, "standoff_m"),
        ("whipple", {"standoff_m": 0.0}, "standoff_m"),
        ("whipple", {"bumper_thickness_m": 0.3 * MM}, "bumper_thickness_m"),
        ("stuffed_whipple", {"wall_thickness_m": 0.0}, "wall_thickness_m"),
        ("radiator", {"standoff_m": -1.0}, "standoff_m"),
        ("radiator", {"failure_area_fraction": 0.0}, "failure_area_fraction"),
        ("honeycomb_sandwich", {"core_thickness_m": -0.01}, "core_thickness_m"),
        ("single_wall", {"material": "unobtainium"}, "material"),
        ("single_wall", {"criterion": "melting"}, "criterion"),
        ("single_wall", {"material": "kevlar"}, "material"),
        ("whipple_modified", {"mli_standoff_m": 0.5}, "mli_standoff_m"),
    ],
)
def test_impossible_shields_name_the_parameter(name, params, field):
    with pytest.raises(InputError) as exc:
        get_shield(name, **params)
    assert str(exc.value).startswith(field) or f"{field}:" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_inadequate_bumper_is_accepted_by_the_modified_form():
    sh = get_shield("whipple_modified", bumper_thickness_m=0.3 * MM)
    assert sh.critical_diameter(7 * KM_S, 0.0, 2800.0) > 0


def test_unknown_material_lists_names():
    with pytest.raises(InputError, match=r"valid names: .*al6061-t6"):
        get_material("AA9999")
    assert get_material("AA6061-T6").name == "al6061-t6"
    assert {m.family for m in list_materials()} >= {
        "aluminium",
        "titanium",
        "steel",
        "cfrp",
        "fabric",
    }
    for m in list_materials():
        assert m.source and m.density_kg_m3 > 0


def test_whipple_modified_equals_classic_for_adequate_bumper_hv():
    """Adequate bumper: F2* = 1, so the 2011 hypervelocity branch is eq. 4-23 itself."""
    p = dict(
        bumper_thickness_m=0.26 * CM,
        bumper_density_kg_m3=2713.0,
        standoff_m=10.2 * CM,
        wall_thickness_m=0.6 * CM,
        wall_yield_pa=57 * KSI,
    )
    v = np.array([8.0, 10.0, 14.0]) * KM_S
    d = ryan_christiansen_whipple(v, 0.0, 2800.0, **p)
    ref = _hv_classic(0.6, 10.2, 57.0, 2.8, 2.713, v / KM_S) * CM
    np.testing.assert_allclose(d, ref, rtol=1e-12)


def test_whipple_modified_derated_solution_satisfies_its_equation():
    """The vectorised solver's d satisfies d = F2*(d)^(−2/3) d0 to 1e-10 (checked with brentq)."""
    from scipy.optimize import brentq

    from breachkit.damage.whipple import _f2_star

    tb, rb, s, tw, sig, rp = 0.05, 2.713, 10.0, 0.3, 40.0, 2.8
    v = 10.0
    d = ryan_christiansen_whipple(
        v * KM_S,
        0.0,
        2800.0,
        bumper_thickness_m=tb * CM,
        bumper_density_kg_m3=2713.0,
        standoff_m=s * CM,
        wall_thickness_m=tw * CM,
        wall_yield_pa=sig * 6894757.293168361,
    )
    d0 = float(_hv_classic(tw, s, sig, rp, rb, v))

    def g(x):
        return x - float(_f2_star(np.asarray(x), tb, s, sig, rp, rb, 1.0, 7.0)) ** (-2 / 3) * d0

    ref = brentq(g, 1e-3 * d0, 1e3 * d0, xtol=1e-14)
    assert d / CM == pytest.approx(ref, rel=1e-9)
    assert d / CM < d0  # a thin bumper lowers the ballistic limit


def test_radiator_branches():
    common = dict(
        face_thickness_m=0.3 * MM,
        face_density_kg_m3=2630.0,
        tube_wall_thickness_m=1.0 * MM,
        tube_density_kg_m3=2630.0,
        tube_brinell_hardness=73.0,
        tube_sound_speed_m_s=5070.0,
        tube_yield_pa=241e6,
    )
    bonded = radiator_panel(7e3, 0.3, 2800.0, standoff_m=0.0, **common)
    sw = single_wall_cour_palais(
        7e3,
        0.3,
        2800.0,
        thickness_m=1.3 * MM,
        target_density_kg_m3=2630.0,
        brinell_hardness=73.0,
        sound_speed_m_s=5070.0,
    )
    assert bonded == pytest.approx(sw, rel=1e-12)
    stood = radiator_panel(7e3, 0.3, 2800.0, standoff_m=5 * MM, **common)
    wh = ryan_christiansen_whipple(
        7e3,
        0.3,
        2800.0,
        bumper_thickness_m=0.3 * MM,
        bumper_density_kg_m3=2630.0,
        standoff_m=5 * MM,
        wall_thickness_m=1.0 * MM,
        wall_yield_pa=241e6,
    )
    assert stood == pytest.approx(wh, rel=1e-12)
    mixed = radiator_panel(7e3, 0.3, 2800.0, standoff_m=np.array([0.0, 5 * MM]), **common)
    np.testing.assert_allclose(mixed, [bonded, stood])
    assert radiator_panel(7e3, 90 * DEG, 2800.0, standoff_m=0.0, **common) == np.inf


def test_shields_case_section(tmp_path):
    from breachkit._core.casefile import load_section, read_case
    from breachkit.damage.config import ShieldsConfig

    (tmp_path / "case.toml").write_text(
        '[shields.radiator]\npreset = "radiator"\nsource = "test"\n'
        "params = { face_thickness_m = 0.0003, failure_area_fraction = 0.08 }\n"
        '[shields.om]\npreset = "soyuz_mli_over_amg6"\n'
    )
    cfg = load_section(read_case(tmp_path / "case.toml"), "shields", ShieldsConfig)
    shields = cfg.build()
    assert shields["radiator"].failure_area_fraction == 0.08
    assert shields["om"].family == "soyuz_mli_wall"
    bad = ShieldsConfig.model_validate({"r": {"preset": "radiator", "params": {"standoff_m": -1}}})
    with pytest.raises(InputError, match=r"^\[shields\.r\] standoff_m"):
        bad.build()


def test_strict_mode_raises():
    from breachkit._core.validity import OutOfValidityRangeError, strict

    sh = get_shield("whipple_iss_generic")
    with strict(), pytest.raises(OutOfValidityRangeError, match="speed_m_s"):
        sh.critical_diameter(80 * KM_S, 0.0, 2800.0)


def test_low_velocity_transition_is_the_fragmentation_intersection():
    """R&C 2011: where t_b/d < 0.16 at the crossing, V_LV is where the ballistic branch meets
    Piekutowski's threshold V = 1.436 (t_b/d)^(−1/3); else 2.6 km/s."""
    from breachkit.damage.whipple import _low_velocity_transition

    for a, tb in ((0.5, 0.01), (0.3, 0.02), (0.2, 0.1)):
        v = float(_low_velocity_transition(np.asarray(a), np.asarray(tb)))
        d = a * v ** (-12 / 19)
        if tb / d < 0.16:
            assert v == pytest.approx(1.436 * (tb / d) ** (-1 / 3), rel=1e-12)
        else:
            assert v == 2.6


def test_whipple_modified_mli_handling():
    """Handbook eqs 4-35/4-36: MLI inside the gap raises the HV limit by 1.4 m_MLI (S_MLI/S)^(1/2)
    (cm, g/cm²); a gap with no MLI changes nothing."""
    base = get_shield(
        "whipple_modified",
        bumper_thickness_m=0.26 * CM,
        wall_thickness_m=0.6 * CM,
        standoff_m=10.2 * CM,
    )
    gap_only = get_shield(
        "whipple_modified",
        bumper_thickness_m=0.26 * CM,
        wall_thickness_m=0.6 * CM,
        standoff_m=10.2 * CM,
        mli_standoff_m=0.05,
    )
    v = np.array([1.5, 4.0, 10.0]) * KM_S
    np.testing.assert_array_equal(
        base.critical_diameter(v, 0.0, 2800.0), gap_only.critical_diameter(v, 0.0, 2800.0)
    )
    mli = get_shield(
        "whipple_modified",
        bumper_thickness_m=0.26 * CM,
        wall_thickness_m=0.6 * CM,
        standoff_m=10.2 * CM,
        mli_standoff_m=0.05,
        mli_areal_density_kg_m2=1.0,
    )
    delta = mli.critical_diameter(10 * KM_S, 0.0, 2800.0) - base.critical_diameter(
        10 * KM_S, 0.0, 2800.0
    )
    assert delta / CM == pytest.approx(1.4 * 0.1 * (5.0 / 10.2) ** 0.5, rel=1e-9)
