"""Attitude conventions: yaw/pitch/roll 3-2-1, scalar-first quaternions, ISS flight modes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachkit._core.errors import InputError
from breachkit.geometry.attitude import (
    Attitude,
    iss_flight_attitude,
    matrix_to_quaternion,
    matrix_to_ypr,
    quaternion_to_matrix,
    ypr_to_matrix,
)

angles = st.floats(-np.pi + 1e-3, np.pi - 1e-3)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-np.pi / 2 + 1e-3, np.pi / 2 - 1e-3), angles)
def test_ypr_round_trip(y: float, p: float, r: float) -> None:
    m = ypr_to_matrix(y, p, r)
    np.testing.assert_allclose(matrix_to_ypr(m), (y, p, r), atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(angles, st.floats(-np.pi / 2 + 1e-3, np.pi / 2 - 1e-3), angles)
def test_quaternion_round_trip(y: float, p: float, r: float) -> None:
    m = ypr_to_matrix(y, p, r)
    q = matrix_to_quaternion(m)
    assert q[0] >= 0 and np.linalg.norm(q) == pytest.approx(1.0)
    np.testing.assert_allclose(quaternion_to_matrix(q), m, atol=1e-12)
    np.testing.assert_allclose(quaternion_to_matrix(-q), m, atol=1e-12)


def test_yaw_90_turns_body_x_to_lvlh_starboard() -> None:
    # yaw +90° about nadir (+z): body +x → LVLH +y (starboard), by the right-hand rule
    a = Attitude.from_ypr(np.pi / 2, 0.0, 0.0)
    np.testing.assert_allclose(a.to_lvlh([1.0, 0, 0]), [0, 1.0, 0], atol=1e-15)
    np.testing.assert_allclose(a.to_body([0, 1.0, 0]), [1.0, 0, 0], atol=1e-15)
    # the same attitude as a quaternion: rotation of 90° about z → (cos 45°, 0, 0, sin 45°)
    np.testing.assert_allclose(a.quaternion, [np.sqrt(0.5), 0, 0, np.sqrt(0.5)], atol=1e-15)


def test_pitch_then_roll_order() -> None:
    # 3-2-1: R = Rz Ry Rx; pitch 90° then roll 90°: body +y → Rz·Ry·Rx·ŷ = Ry·ẑ = x̂
    m = ypr_to_matrix(0.0, np.pi / 2, np.pi / 2)
    np.testing.assert_allclose(m @ [0, 1.0, 0], [1.0, 0, 0], atol=1e-15)


def test_iss_modes() -> None:
    np.testing.assert_allclose(iss_flight_attitude("+XVV").matrix, np.eye(3))
    m = iss_flight_attitude("-XVV").matrix
    np.testing.assert_allclose(m @ [1.0, 0, 0], [-1.0, 0, 0], atol=1e-15)
    np.testing.assert_allclose(m @ [0, 0, 1.0], [0, 0, 1.0], atol=1e-15)
    tea = iss_flight_attitude("+XVV", np.radians(-3.5), np.radians(-5.0), np.radians(0.5))
    np.testing.assert_allclose(np.degrees(tea.ypr_rad), (-3.5, -5.0, 0.5), atol=1e-12)
    with pytest.raises(InputError, match="mode"):
        iss_flight_attitude("YVV")
    with pytest.raises(InputError, match="unit quaternion"):
        Attitude.from_quaternion([1.0, 1.0, 0, 0])
