"""`compute_risk` gives the same numbers with the compiled kernels as with numpy.

Shadowed docked assembly, two windows, sporadic meteoroids and debris, the cos-θ table path;
per-face impacts and failures and every breakdown agree to 1e-12 relative (the compiled
contraction only adds in another order), ray counts exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.kernels import numba_kernels
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import parse_utc
from breachkit.damage import get_shield
from breachkit.environment.builder import build_environment
from breachkit.environment.directional import Environment
from breachkit.geometry import iss_with_ms22_and_ms21
from breachkit.geometry.shadowing import embree_available
from breachkit.risk import ExposureWindow, FaceSet, compute_risk

pytestmark = [
    pytest.mark.skipif(numba_kernels("auto") is None, reason="numba absent (extra 'speed')"),
    pytest.mark.skipif(not embree_available(), reason="embreex absent"),
]

FIELDS = (
    "face_impacts",
    "face_failures",
    "face_impacts_by_population",
    "failures_by_population_region",
    "impacts_by_population_region",
    "unassessed_impacts_by_population_region",
)


@pytest.fixture(scope="module")
def case() -> tuple[FaceSet, list[ExposureWindow], dict[str, object]]:
    # refined so that faces sharing a normal and region form groups large enough for the
    # group-blocked contraction (the path the compiled kernel replaces)
    model = iss_with_ms22_and_ms21().refined(15_000)
    orbit = CircularOrbit(altitude_m=418e3, inclination_rad=np.radians(51.64))
    start, mid, end = (
        parse_utc("2022-09-21T17:06:00Z"),
        parse_utc("2022-11-01T00:00:00Z"),
        parse_utc("2022-12-15T00:45:00Z"),
    )
    env = build_environment(
        orbit, start, end, populations=["sporadic", "debris"], n_directions=256, f107_sfu=82.0
    )
    wins = [
        ExposureWindow.between("a", start, mid, env),
        ExposureWindow.between("b", mid, end, env),
    ]
    shields: dict[str, object] = {}
    for r in model.region_names:
        leaf = r.split("/", 1)[-1]
        shields[r] = get_shield(
            "radiator_generic" if leaf.startswith("pao_") else "whipple_iss_generic"
        )
    return FaceSet.from_surface(model), wins, shields


def _agree(a, b) -> None:
    assert a.rays_traced == b.rays_traced and a.rays_skipped == b.rays_skipped
    for wa, wb in zip(a.windows, b.windows, strict=True):
        for name in FIELDS:
            x, y = getattr(wa, name), getattr(wb, name)
            np.testing.assert_allclose(y, x, rtol=1e-12, atol=1e-12 * float(np.abs(x).max()))
        assert wa.interval == pytest.approx(wb.interval, rel=1e-12)


def _count_calls(monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...]) -> dict[str, int]:
    """Count the engine's calls of the compiled kernels (so a test cannot pass by never
    reaching them)."""
    mod = numba_kernels("numba")
    calls = dict.fromkeys(names, 0)
    for name in names:
        fn = getattr(mod, name)

        def wrapper(*args, _fn=fn, _name=name):
            calls[_name] += 1
            return _fn(*args)

        monkeypatch.setattr(mod, name, wrapper)
    return calls


def test_shadowed_risk_same_with_both_kernels(case, monkeypatch) -> None:
    fs, wins, shields = case
    a = compute_risk(fs, wins, shields, visibility="embree", kernels="numpy")
    calls = _count_calls(monkeypatch, ("cast_directions", "contract_chunk"))
    b = compute_risk(fs, wins, shields, visibility="embree", kernels="numba")
    assert a.rays_traced > 0
    assert min(calls.values()) > 0, calls
    _agree(a, b)


def test_precomputed_visibility_array_same_with_both_kernels(case, monkeypatch) -> None:
    """A user's (n_faces, n_directions) array reaches the contraction in another memory layout."""
    fs, wins, shields = case
    nd = wins[0].environment.populations[0].directions.vectors.shape[0]
    rng = np.random.default_rng(2)
    vis = rng.random((len(fs), nd)) < 0.7
    sporadic_only = [
        ExposureWindow(w.label, Environment((w.environment["sporadic"],)), w.duration_s)
        for w in wins
    ]
    a = compute_risk(fs, sporadic_only, shields, visibility=vis, kernels="numpy")
    calls = _count_calls(monkeypatch, ("contract_chunk",))
    b = compute_risk(fs, sporadic_only, shields, visibility=vis, kernels="numba")
    assert calls["contract_chunk"] > 0
    _agree(a, b)
