"""Analytic validation of the risk engine (exact or closed-form answers).

Every expected value below follows from the equation in docs/risk.md and docs/conventions.md:
N = T · A · Σ_k F_k · max(0, n·u_k) · S(d_c) · V.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import trimesh
from risk_testkit import (
    DIAMETERS,
    ConstantShield,
    CosineShield,
    box_mesh,
    env,
    faces_from,
    isotropic,
    plate_mesh,
    power_law_population,
    ray_visibility,
)

from breachkit._core.errors import InputError
from breachkit.environment.directional import DirectionGrid
from breachkit.risk import ExposureWindow, FaceSet, compute_risk

DAY = 86400.0


def _single(direction, flux, speed=7e3):
    return power_law_population(
        "beam",
        DirectionGrid.single(direction),
        np.array([flux]),
        np.array([speed]),
        np.array([1.0]),
    )


@pytest.mark.parametrize("angle_deg", [0.0, 30.0, 60.0, 89.0])
def test_flat_plate_single_direction_exact(angle_deg):
    """A 2 m² plate tilted by θ to a collimated beam: N = T F A cos θ S(d_c), exactly."""
    th = math.radians(angle_deg)
    n = np.array([[math.cos(th), 0.0, math.sin(th)], [-math.cos(th), 0.0, -math.sin(th)]])
    fs = FaceSet(n, np.array([2.0, 2.0]), np.array([0, 0]), ("plate",))
    flux = 1e-4  # m⁻² s⁻¹ above 100 µm
    win = ExposureWindow("w", env(_single([1, 0, 0], flux)), 10 * DAY)
    res = compute_risk(fs, win, {"plate": ConstantShield(5e-4)})
    expected_imp = 10 * DAY * flux * 2.0 * math.cos(th)
    expected_fail = expected_imp * (5e-4 / 1e-4) ** -2.5
    w = res.windows[0]
    # front face gets everything, the back face nothing; exact up to float rounding
    assert w.face_impacts[0] == pytest.approx(expected_imp, rel=1e-12)
    assert w.face_impacts[1] == 0.0
    assert res.expected_failures == pytest.approx(expected_fail, rel=1e-9)
    assert res.pnp == pytest.approx(math.exp(-expected_fail), rel=1e-9)


def test_flat_plate_failure_area_fraction_scales_failures_not_impacts():
    fs = FaceSet(np.array([[1.0, 0, 0]]), np.array([1.0]), np.array([0]), ("r",))
    win = ExposureWindow("w", env(_single([1, 0, 0], 1e-4)), DAY)
    full = compute_risk(fs, win, {"r": ConstantShield(2e-4)})
    part = compute_risk(fs, win, {"r": ConstantShield(2e-4, failure_area_fraction=0.25)})
    assert part.expected_impacts == pytest.approx(full.expected_impacts, rel=1e-12)
    assert part.expected_failures == pytest.approx(0.25 * full.expected_failures, rel=1e-12)


@pytest.mark.parametrize("kind", ["sphere", "cube"])
def test_quarter_area_rule_isotropic(kind):
    """Convex body in an isotropic field: N = F_cross · A_total / 4 · T · S(d_c).

    The Fibonacci grid of 2,000 directions reproduces ⟨max(0, n·u)⟩ = 1/4 to < 2e-5 for the cube's
    axes and the sphere averages over all normals, so 1e-4 relative is a safe tolerance.
    """
    if kind == "sphere":
        m = trimesh.creation.icosphere(subdivisions=3, radius=1.5)
        v, f = np.asarray(m.vertices), np.asarray(m.faces)
    else:
        v, f = box_mesh((0.5, 0.5, 0.5))
    fs = faces_from(v, f, np.zeros(len(f), dtype=int), ("body",))
    f_cross = 3e-5
    win = ExposureWindow("w", env(isotropic("iso", 2000, f_cross)), 30 * DAY)
    res = compute_risk(fs, win, {"body": ConstantShield(1e-3)})
    a = fs.areas.sum()
    assert res.expected_impacts == pytest.approx(f_cross * a / 4 * 30 * DAY, rel=1e-4)
    assert res.expected_failures == pytest.approx(f_cross * a / 4 * 30 * DAY * 10.0**-2.5, rel=1e-4)


def test_convex_body_equals_sum_of_its_faces():
    """Risk is additive over faces: the cube equals the sum of its six faces run alone."""
    v, f = box_mesh((0.5, 1.0, 2.0))
    fs = faces_from(v, f, np.arange(len(f)) // 2, [f"side{i}" for i in range(6)])
    win = ExposureWindow(
        "w", env(isotropic("a", 600, 1e-4), isotropic("b", 300, 4e-5, kind="meteoroid")), DAY
    )
    shields = {f"side{i}": CosineShield(2e-4 * (1 + i)) for i in range(6)}
    whole = compute_risk(fs, win, shields, visibility=ray_visibility(v, f))
    parts = 0.0
    for i in range(6):
        sub = FaceSet(
            fs.normals[2 * i : 2 * i + 2],
            fs.areas[2 * i : 2 * i + 2],
            np.zeros(2, int),
            (f"side{i}",),
        )
        parts += compute_risk(sub, win, {f"side{i}": shields[f"side{i}"]}).expected_failures
    assert whole.expected_failures == pytest.approx(parts, rel=1e-12)
    # the per-region breakdown adds up to the per-face sum
    assert whole.windows[0].face_failures.sum() == pytest.approx(whole.expected_failures, rel=1e-10)


def _view_factor_parallel_square(half_w: float, h: float) -> float:
    """View factor from a point to a coaxial parallel square (4 corner rectangles).

    Differential element to a parallel rectangle a×b at distance c above one corner:
    F = 1/(2π)[A/√(1+A²)·atan(B/√(1+A²)) + B/√(1+B²)·atan(A/√(1+B²))], A = a/c, B = b/c
    (Howell, *A Catalog of Radiation Heat Transfer Configuration Factors*, case B-3).
    """
    a = b = half_w / h
    one = (
        a / math.sqrt(1 + a * a) * math.atan(b / math.sqrt(1 + a * a))
        + b / math.sqrt(1 + b * b) * math.atan(a / math.sqrt(1 + b * b))
    ) / (2 * math.pi)
    return 4 * one


def test_plate_shadowed_by_larger_plate_isotropic():
    """A small up-facing plate under a large plate: its impacts fall by the view factor F.

    In an isotropic field the cos-weighted share of directions blocked by the large plate is the
    point-to-square view factor (Howell B-3). The small plate (5 mm) is small next to the gap
    (0.5 m), so treating it as a point is good to ~1e-4; the 4,000-direction grid resolves the
    blocked cap to about 0.5 % of the blocked share — tolerance 1 % of the open value.
    """
    vs, fsmall = plate_mesh(0.0025, 0.0)
    vl, flarge = plate_mesh(1.0, 0.5, up=True)
    v = np.vstack([vs, vl])
    f = np.vstack([fsmall, flarge + len(vs)])
    fs = faces_from(v, f, [0, 0, 1, 1], ("small", "large"))
    win = ExposureWindow("w", env(isotropic("iso", 4000, 1e-3)), DAY)
    sh = {"small": ConstantShield(1e-4), "large": ConstantShield(1e-4)}
    open_ = compute_risk(fs, win, sh).breakdown()["by_region"]["small"]["expected_impacts"]
    shadowed = compute_risk(fs, win, sh, visibility=ray_visibility(v, f)).breakdown()["by_region"][
        "small"
    ]["expected_impacts"]
    fv = _view_factor_parallel_square(1.0, 0.5)
    assert shadowed == pytest.approx(open_ * (1 - fv), abs=0.01 * open_)


def test_plate_fully_shadowed_in_a_beam():
    """A collimated beam from +z: the small plate beneath the large one gets nothing."""
    vs, fsmall = plate_mesh(0.1, 0.0)
    vl, flarge = plate_mesh(1.0, 0.5)
    v = np.vstack([vs, vl])
    f = np.vstack([fsmall, flarge + len(vs)])
    fs = faces_from(v, f, [0, 0, 1, 1], ("small", "large"))
    win = ExposureWindow("w", env(_single([0, 0, 1], 1e-3)), DAY)
    res = compute_risk(
        fs,
        win,
        {"small": ConstantShield(1e-4), "large": ConstantShield(1e-4)},
        visibility=ray_visibility(v, f),
    )
    w = res.windows[0]
    assert w.face_impacts[:2].sum() == 0.0
    assert w.face_impacts[2:].sum() == pytest.approx(DAY * 1e-3 * 4.0, rel=1e-12)


def test_attitude_rotates_lvlh_into_body():
    """A ram beam (+x LVLH) hits the body's +x face; yawed 180°, it hits the body's −x face."""
    n = np.array([[1.0, 0, 0], [-1.0, 0, 0]])
    fs = FaceSet(n, np.ones(2), np.array([0, 1]), ("plus_x", "minus_x"))
    win = ExposureWindow("w", env(_single([1, 0, 0], 1e-4)), DAY)
    sh = {"plus_x": ConstantShield(1e-4), "minus_x": ConstantShield(1e-4)}
    a = compute_risk(fs, win, sh)
    yaw180 = np.diag([-1.0, -1.0, 1.0])
    b = compute_risk(fs, win, sh, attitude=yaw180)
    assert a.windows[0].face_impacts.tolist() == pytest.approx([DAY * 1e-4, 0.0])
    assert b.windows[0].face_impacts.tolist() == pytest.approx([0.0, DAY * 1e-4])


def test_windows_scale_with_duration_and_are_reported_separately():
    fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([3.0]), np.array([0]), ("r",))
    e = env(isotropic("iso", 500, 1e-4))
    res = compute_risk(
        fs,
        [ExposureWindow("long", e, 85 * DAY), ExposureWindow("hour", e, 3600.0)],
        {"r": ConstantShield(3e-4)},
    )
    long_, hour = res.windows
    assert long_.expected_failures / hour.expected_failures == pytest.approx(85 * 24, rel=1e-12)
    assert res.to_dict()["windows"][1]["label"] == "hour"


def test_interval_brackets_and_uses_factors():
    fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([1.0]), np.array([0]), ("r",))
    e = env(isotropic("deb", 300, 1e-4), isotropic("met", 300, 2e-4, kind="meteoroid"))
    res = compute_risk(fs, ExposureWindow("w", e, DAY), {"r": ConstantShield(3e-4)})
    bd = res.breakdown()["by_population"]
    lo, hi = res.interval
    assert lo == pytest.approx(
        0.5 * bd["deb"]["expected_failures"] + bd["met"]["expected_failures"] / 3
    )
    assert hi == pytest.approx(
        2.0 * bd["deb"]["expected_failures"] + 3.0 * bd["met"]["expected_failures"]
    )
    assert lo < res.expected_failures < hi


def test_bad_inputs_are_one_line_errors():
    fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([1.0]), np.array([0]), ("r",))
    e = env(isotropic("deb", 100, 1e-4))
    with pytest.raises(InputError, match="region 'r' has no shield"):
        compute_risk(fs, ExposureWindow("w", e, DAY), {})
    with pytest.raises(InputError, match="must be > 0"):
        ExposureWindow("w", e, -5.0)
    with pytest.raises(InputError, match="zero area"):
        FaceSet(np.array([[0, 0, 1.0]]), np.array([0.0]), np.array([0]), ("r",))
    with pytest.raises(InputError, match="NaN"):
        FaceSet(np.array([[np.nan, 0, 1.0]]), np.array([1.0]), np.array([0]), ("r",))
    with pytest.raises(InputError, match="outside the size table"):
        compute_risk(
            fs, ExposureWindow("w", e, DAY), {"r": ConstantShield(1e-3)}, impact_min_diameter_m=10.0
        )


def test_chunking_does_not_change_the_answer():
    m = trimesh.creation.icosphere(subdivisions=2)
    fs = faces_from(
        np.asarray(m.vertices), np.asarray(m.faces), np.arange(len(m.faces)) % 3, ("a", "b", "c")
    )
    win = ExposureWindow("w", env(isotropic("iso", 200, 1e-4)), DAY)
    sh = {k: CosineShield(2e-4) for k in "abc"}
    big = compute_risk(fs, win, sh)
    small = compute_risk(fs, win, sh, chunk_elements=1000)
    np.testing.assert_allclose(
        small.windows[0].face_failures, big.windows[0].face_failures, rtol=1e-12
    )
    assert small.expected_failures == pytest.approx(big.expected_failures, rel=1e-12)
    assert DIAMETERS[0] < 1e-4


def test_out_of_validity_cells_are_unassessed_not_extrapolated():
    """A BLE valid only below 10 km/s: the 12 km/s half of the flux counts no failures and is
    reported as unassessed impacts; a note names the model (no warning escapes, no NaN)."""
    import warnings as _w

    from breachkit._core.validity import ValidityRange, apply_validity

    class LimitedShield(ConstantShield):
        def critical_diameter(self, speed_m_s, angle_rad, projectile_density_kg_m3):
            v = np.asarray(speed_m_s, dtype=float)
            raw = np.broadcast_to(
                np.full(np.broadcast(v, angle_rad).shape, 3e-4), np.broadcast(v, angle_rad).shape
            )
            rng = ValidityRange("speed_m_s", 0.0, 10e3, "m s⁻¹", source="test")
            return apply_validity("limited_test_ble", np.array(raw), {"speed_m_s": (v, rng)})

    fs = FaceSet(np.array([[0, 0, 1.0]]), np.array([1.0]), np.array([0]), ("r",))
    win = ExposureWindow("w", env(isotropic("iso", 300, 1e-4)), DAY)  # speeds 7 and 12 km/s, equal
    full = compute_risk(fs, win, {"r": ConstantShield(3e-4)})
    with _w.catch_warnings():
        _w.simplefilter("error")
        for bins in (65, None):
            lim = compute_risk(fs, win, {"r": LimitedShield(3e-4)}, n_cos_bins=bins)
            assert lim.expected_failures == pytest.approx(0.5 * full.expected_failures, rel=1e-9)
            assert lim.windows[0].unassessed_impacts == pytest.approx(
                0.5 * full.expected_impacts, rel=1e-9
            )
            assert any("limited_test_ble" in n for n in lim.validity_notes)


@pytest.mark.parametrize("chunk", [1 << 22, 700])
def test_subdivided_body_equals_coarse_body(chunk):
    """4-split refinement (faces share normals: the grouped BLAS path) changes nothing without
    shadowing: same total, and each sub-face carries its share of area (exact up to rounding)."""
    axes = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1.0]])
    v, f = box_mesh((0.5, 1.0, 2.0))

    def side_faces(vv, ff):
        probe = faces_from(vv, ff, np.zeros(len(ff), int), ["x"])
        side = np.argmax(probe.normals @ axes.T, axis=1)
        return faces_from(vv, ff, side, [f"s{i}" for i in range(6)])

    coarse = side_faces(v, f)
    m = trimesh.Trimesh(v, f, process=False)
    for _ in range(4):  # 512 faces per side: groups larger than the 256-row blocks
        m = m.subdivide()
    fine = side_faces(np.asarray(m.vertices), np.asarray(m.faces))
    win = ExposureWindow(
        "w", env(isotropic("a", 400, 1e-4), isotropic("b", 72, 3e-5, kind="meteoroid")), DAY
    )
    sh = {f"s{i}": CosineShield(2e-4 * (1 + i), failure_area_fraction=0.5) for i in range(6)}
    a = compute_risk(coarse, win, sh)
    b = compute_risk(fine, win, sh, chunk_elements=chunk)
    assert b.expected_failures == pytest.approx(a.expected_failures, rel=1e-12)
    assert b.expected_impacts == pytest.approx(a.expected_impacts, rel=1e-12)
    assert b.windows[0].face_failures.sum() == pytest.approx(a.expected_failures, rel=1e-12)
    np.testing.assert_allclose(
        b.windows[0].failures_by_population_region,
        a.windows[0].failures_by_population_region,
        rtol=1e-12,
    )
    dens = b.windows[0].face_failures / fine.areas
    for r in range(6):
        d = dens[fine.region_index == r]
        np.testing.assert_allclose(d, d[0], rtol=1e-12)


def test_result_renderings_are_json_safe_and_complete():
    import json

    from rich.console import Console

    from breachkit.cli._common import dump_json

    fs = FaceSet(
        np.array([[0, 0, 1.0], [1.0, 0, 0]]), np.array([1.0, 2.0]), np.array([0, 1]), ("a", "b")
    )
    e = env(isotropic("deb", 100, 1e-4), isotropic("met", 100, 1e-4, kind="meteoroid"))
    res = compute_risk(
        fs,
        [ExposureWindow("w1", e, DAY), ExposureWindow("w2", e, 2 * DAY)],
        {"a": ConstantShield(3e-4), "b": CosineShield(3e-4)},
    )
    d = json.loads(dump_json(res))
    assert {"expected_failures", "pnp", "expected_impacts", "breakdown", "interval"} <= set(d)
    assert set(d["breakdown"]["by_population"]) == {"deb", "met"}
    assert set(d["breakdown"]["by_region"]) == {"a", "b"}
    assert d["windows"][1]["expected_failures"] == pytest.approx(2 * d["expected_failures"])
    html = res._repr_html_()
    assert "<table>" in html and "w2" in html
    con = Console(record=True, width=120)
    con.print(res)
    text = con.export_text()
    assert "by population" in text and "by region" in text and "PNP" in text


def test_visibility_super_chunks_do_not_change_the_answer(rng):
    """Precomputed (random) visibility sliced through contraction chunks and visibility
    super-chunks of various sizes gives the same per-face answer as one chunk."""
    m = trimesh.creation.icosphere(subdivisions=2)
    fs = faces_from(
        np.asarray(m.vertices), np.asarray(m.faces), np.arange(len(m.faces)) % 3, ("a", "b", "c")
    )
    win = ExposureWindow("w", env(isotropic("iso", 200, 1e-4)), DAY)
    sh = {k: CosineShield(2e-4) for k in "abc"}
    vis = rng.random((len(fs), 200)) < 0.7
    ref = compute_risk(fs, win, sh, visibility=vis)
    for ce, ve in ((1000, 3500), (4000, 4000), (1 << 20, 1)):
        other = compute_risk(
            fs, win, sh, visibility=vis, chunk_elements=ce, visibility_chunk_elements=ve
        )
        np.testing.assert_allclose(
            other.windows[0].face_failures, ref.windows[0].face_failures, rtol=1e-12
        )
        np.testing.assert_allclose(
            other.windows[0].face_impacts, ref.windows[0].face_impacts, rtol=1e-12
        )
    open_ = compute_risk(fs, win, sh)
    assert ref.expected_failures < 0.8 * open_.expected_failures
