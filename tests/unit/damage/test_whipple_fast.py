"""The fast 2011 Whipple against the iterative solve it tabulates (error control, validity)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, KM_S
from breachkit._core.validity import ValidityWarning
from breachkit.damage import get_shield, ryan_christiansen_whipple
from breachkit.damage.whipple_fast import FastRyanChristiansenWhipple


def _random_shield(rng: np.random.Generator) -> dict[str, float]:
    p = {
        "bumper_thickness_m": rng.uniform(0.2e-3, 4e-3),
        "bumper_density_kg_m3": rng.uniform(2600.0, 2850.0),
        "standoff_m": rng.uniform(0.02, 0.3),
        "wall_thickness_m": rng.uniform(0.5e-3, 6e-3),
        "wall_yield_pa": rng.uniform(35.0, 73.0) * 6.894757e6,
    }
    kind = rng.integers(3)
    if kind == 1:  # MLI in the gap
        p["mli_areal_density_kg_m2"] = rng.uniform(0.2, 1.0)
        p["mli_standoff_m"] = p["standoff_m"] * rng.uniform(0.2, 0.8)
    elif kind == 2:  # MLI on the bumper
        p["mli_areal_density_kg_m2"] = rng.uniform(0.2, 1.0)
    return p


def _compare(fast, p, rho, rng, n=200_000):
    v = rng.uniform(0.7, 72.0, n) * KM_S
    a = rng.uniform(0.0, 89.0, n) * DEG
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        exact = np.asarray(ryan_christiansen_whipple(v, a, rho, **p))
    got = np.asarray(fast.critical_diameter(v, a))
    ok = np.isfinite(exact)
    assert np.array_equal(ok, np.isfinite(got))
    return float(np.max(np.abs(got[ok] / exact[ok] - 1.0)))


def test_random_shields_within_tolerance_everywhere():
    """Thin and thick bumpers, MLI in the gap or on the bumper, 0.5–8 g/cm³: ≤ 0.1 % everywhere."""
    rng = np.random.default_rng(2024)
    worst = 0.0
    for _ in range(12):
        p = _random_shield(rng)
        rho = float(rng.uniform(500.0, 8000.0))
        fast = FastRyanChristiansenWhipple(rho, **p)
        err = _compare(fast, p, rho, rng)
        assert err <= 1e-3, (p, rho, err)
        assert fast.max_relative_error_ <= 1e-3
        worst = max(worst, err)
    assert worst > 0.0  # it is a table, not the direct solve


def test_cells_crossed_by_the_adequate_bumper_jump_fall_back_to_the_solve():
    """(t_b/d)_crit jumps at S/d = 30: a tight tolerance marks cells; queries there stay exact."""
    p = dict(get_shield("whipple_modified").params)
    fast = FastRyanChristiansenWhipple(2800.0, tolerance=1e-6, n_speed=24, n_angle=14, **p)
    assert fast.n_direct_cells_ > 0
    assert _compare(fast, p, 2800.0, np.random.default_rng(1)) <= 1e-6


def test_presets_and_the_published_step_count():
    for name in ("whipple_modified", "whipple_iss_generic"):
        sh = get_shield(name)
        fast = FastRyanChristiansenWhipple(2800.0, **sh.params)
        assert _compare(fast, dict(sh.params), 2800.0, np.random.default_rng(3)) <= 1e-3


def test_validity_and_scalars():
    p = dict(get_shield("whipple_iss_generic").params)
    fast = FastRyanChristiansenWhipple(2800.0, **p)
    x = fast.critical_diameter(7.0 * KM_S, 0.0)
    assert isinstance(x, float)
    assert x == pytest.approx(float(ryan_christiansen_whipple(7e3, 0.0, 2800.0, **p)), rel=1e-3)
    with pytest.warns(ValidityWarning, match="speed_m_s"):
        y = fast.critical_diameter(np.array([5e3, 80e3]), np.zeros(2))
    assert np.isfinite(y[0]) and np.isnan(y[1])
    with pytest.raises(InputError, match="tolerance"):
        FastRyanChristiansenWhipple(2800.0, tolerance=0.5, **p)
