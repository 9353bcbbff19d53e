"""The path a published calibration case with *given* flux inputs would take, checked exactly.

A tool-comparison case whose environment breachkit does not model (ORDEM, MASTER, MEM) can only
be reproduced by feeding that model's directional flux as a breachkit flux table
(`breachkit.environment.tabulated`, docs/environment.md) — see docs/risk.md "Tool-comparison
cases". No such published case with its flux inputs was found, so this is an ANALYTIC test of
that path, not a published value: CSV → `build_environment(tabulated=...)` → attitude →
`compute_risk` on a 1 m cube, against N = T · F · A · cos θ · S(d_c) worked by hand.

Table (cross-section flux per cell, m⁻² yr⁻¹, one 10 km/s speed bin):

* beam R from ram (azimuth 0°, elevation 0°): 1.0e-2 above 0.1 mm, 1.0e-4 above 1 mm;
* beam S from starboard, 30° above the horizon (azimuth 90°, elevation 30°; towards the source
  u = (0, cos 30°, −sin 30°) in LVLH): 4.0e-3 above 0.1 mm, 4.0e-5 above 1 mm.

The size table is the direction-summed totals (1.4e-2 → 1.4e-4, S(1 mm) = 0.01 exactly, a node).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, JULIAN_YEAR, KM
from breachkit.damage import get_shield
from breachkit.environment.builder import build_environment
from breachkit.risk.engine import ExposureWindow, FaceSet, compute_risk

TABLE = """# population = given-flux
# kind = debris
# density_kg_m3 = 2800
# source = hand-written analytic table (not a published case)
min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year
1e-4,10,0,0,1.0e-2
1e-4,10,90,30,4.0e-3
1e-3,10,0,0,1.0e-4
1e-3,10,90,30,4.0e-5
"""

#: body faces of a 1 m cube: +x, −x, +y, −y, +z, −z (area 1 m² each)
NORMALS = np.array(
    [[1.0, 0, 0], [-1.0, 0, 0], [0, 1.0, 0], [0, -1.0, 0], [0, 0, 1.0], [0, 0, -1.0]]
)
NAMES = ("px", "mx", "py", "my", "pz", "mz")


def _run(tmp_path: Path, attitude: np.ndarray | None):
    path = tmp_path / "given.csv"
    path.write_text(TABLE, encoding="utf-8")
    orbit = CircularOrbit(altitude_m=400 * KM, inclination_rad=51.6 * DEG)
    env = build_environment(orbit, "2020-01-01T00:00:00Z", populations=(), tabulated=[str(path)])
    faces = FaceSet(NORMALS, np.ones(6), np.arange(6), NAMES)
    shields = {k: get_shield("constant", critical_diameter_m=1e-3) for k in NAMES}
    win = ExposureWindow("one year", env, JULIAN_YEAR)
    return compute_risk(faces, win, shields, attitude=attitude)


def test_cube_facing_ram_in_a_given_two_beam_flux(tmp_path):
    res = _run(tmp_path, None)
    w = res.windows[0]
    c30, s30 = math.cos(30 * DEG), math.sin(30 * DEG)
    # +x (ram face) sees beam R at normal incidence; +y sees S at cos 30°; −z (zenith) at sin 30°
    expected = np.array([1.0e-2, 0.0, 4.0e-3 * c30, 0.0, 0.0, 4.0e-3 * s30])
    np.testing.assert_allclose(w.face_impacts, expected, rtol=1e-12, atol=1e-12 * expected.max())
    np.testing.assert_allclose(
        w.face_failures, 0.01 * expected, rtol=1e-9, atol=1e-14 * expected.max()
    )
    assert res.pnp == pytest.approx(math.exp(-0.01 * expected.sum()), rel=1e-9)


def test_same_cube_yawed_90_deg_moves_the_ram_beam_to_the_port_face(tmp_path):
    """Yaw +90° about +z (body +x points to LVLH starboard): the LVLH ram direction is the
    body −y axis, LVLH starboard the body +x axis (u_body = R · u_lvlh)."""
    yaw = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    res = _run(tmp_path, yaw)
    w = res.windows[0]
    c30, s30 = math.cos(30 * DEG), math.sin(30 * DEG)
    expected = np.array([4.0e-3 * c30, 0.0, 0.0, 1.0e-2, 0.0, 4.0e-3 * s30])
    np.testing.assert_allclose(w.face_impacts, expected, rtol=1e-12, atol=1e-12 * expected.max())
