"""Body ↔ LVLH attitude: yaw/pitch/roll, quaternions, and the ISS flight attitudes.

Conventions
-----------
* An attitude is the rotation matrix ``R`` with ``u_lvlh = R @ u_body`` (columns of R are the
  body axes written in LVLH). Its transpose takes LVLH vectors (e.g. flux directions) into the
  body frame: ``u_body = R.T @ u_lvlh``.
* **Yaw, pitch, roll** (ψ, θ, φ) [rad]: the aerospace 3-2-1 sequence of rotations of the body
  from alignment with LVLH: first yaw ψ about the LVLH z (nadir) axis, then pitch θ about the new
  y axis, then roll φ about the new x axis. ``R = Rz(ψ) · Ry(θ) · Rx(φ)``. This is the convention
  of ISS torque-equilibrium attitudes (TEA) quoted as "yaw, pitch, roll w.r.t. LVLH".
* **Quaternion**: scalar first, ``q = (w, x, y, z)``, unit norm, the *active* rotation taking
  body-frame vectors to LVLH vectors: ``u_lvlh = q ⊗ (0, u_body) ⊗ q*`` (equivalently the
  passive LVLH-to-body attitude quaternion). q and −q are the same attitude; we return w ≥ 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = [
    "Attitude",
    "iss_flight_attitude",
    "matrix_to_quaternion",
    "matrix_to_ypr",
    "quaternion_to_matrix",
    "ypr_to_matrix",
]


def _rx(a: float) -> NDArray[np.float64]:
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _ry(a: float) -> NDArray[np.float64]:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rz(a: float) -> NDArray[np.float64]:
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def ypr_to_matrix(yaw_rad: float, pitch_rad: float, roll_rad: float) -> NDArray[np.float64]:
    """Body→LVLH matrix ``Rz(yaw) Ry(pitch) Rx(roll)`` (3-2-1 sequence) from angles [rad]."""
    return _rz(yaw_rad) @ _ry(pitch_rad) @ _rx(roll_rad)


def matrix_to_ypr(matrix: ArrayLike) -> tuple[float, float, float]:
    """(yaw, pitch, roll) [rad] of a body→LVLH matrix; pitch in [−π/2, π/2]."""
    r = np.asarray(matrix, dtype=float)
    pitch = float(np.arcsin(np.clip(-r[2, 0], -1.0, 1.0)))
    yaw = float(np.arctan2(r[1, 0], r[0, 0]))
    roll = float(np.arctan2(r[2, 1], r[2, 2]))
    return yaw, pitch, roll


def quaternion_to_matrix(q: ArrayLike) -> NDArray[np.float64]:
    """Body→LVLH matrix of a scalar-first unit quaternion (w, x, y, z) (active rotation)."""
    qa = np.asarray(q, dtype=float).reshape(4)
    n = np.linalg.norm(qa)
    if not np.isfinite(n) or abs(n - 1.0) > 1e-6:
        raise InputError(f"quaternion: {qa.tolist()} is not a unit quaternion (norm {n:.6g})")
    w, x, y, z = qa / n
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def matrix_to_quaternion(matrix: ArrayLike) -> NDArray[np.float64]:
    """Scalar-first unit quaternion (w ≥ 0) of a rotation matrix (Shepperd's method)."""
    r = np.asarray(matrix, dtype=float)
    tr = np.trace(r)
    cands = np.array([tr, r[0, 0], r[1, 1], r[2, 2]])
    k = int(np.argmax(cands))
    if k == 0:
        w = 0.5 * np.sqrt(1 + tr)
        q = np.array(
            [
                w,
                (r[2, 1] - r[1, 2]) / (4 * w),
                (r[0, 2] - r[2, 0]) / (4 * w),
                (r[1, 0] - r[0, 1]) / (4 * w),
            ]
        )
    elif k == 1:
        x = 0.5 * np.sqrt(1 + 2 * r[0, 0] - tr)
        q = np.array(
            [
                (r[2, 1] - r[1, 2]) / (4 * x),
                x,
                (r[0, 1] + r[1, 0]) / (4 * x),
                (r[0, 2] + r[2, 0]) / (4 * x),
            ]
        )
    elif k == 2:
        y = 0.5 * np.sqrt(1 + 2 * r[1, 1] - tr)
        q = np.array(
            [
                (r[0, 2] - r[2, 0]) / (4 * y),
                (r[0, 1] + r[1, 0]) / (4 * y),
                y,
                (r[1, 2] + r[2, 1]) / (4 * y),
            ]
        )
    else:
        z = 0.5 * np.sqrt(1 + 2 * r[2, 2] - tr)
        q = np.array(
            [
                (r[1, 0] - r[0, 1]) / (4 * z),
                (r[0, 2] + r[2, 0]) / (4 * z),
                (r[1, 2] + r[2, 1]) / (4 * z),
                z,
            ]
        )
    q /= np.linalg.norm(q)
    return -q if q[0] < 0 else q


@dataclass(frozen=True, eq=False)
class Attitude:
    """The orientation of a body frame in LVLH (see the module docstring for conventions).

    Parameters
    ----------
    matrix
        (3, 3) body→LVLH rotation: ``u_lvlh = matrix @ u_body``.
    label
        Free text, e.g. ``"+XVV TEA (-3.5°, -5°, 0.5°)"``.
    """

    matrix: NDArray[np.float64]
    label: str = ""

    def __post_init__(self) -> None:
        m = np.asarray(self.matrix, dtype=float)
        if (
            m.shape != (3, 3)
            or not np.allclose(m @ m.T, np.eye(3), atol=1e-8)
            or np.linalg.det(m) < 0
        ):
            raise InputError("attitude matrix: not a proper 3×3 rotation")
        object.__setattr__(self, "matrix", m)

    @classmethod
    def from_ypr(
        cls, yaw_rad: float, pitch_rad: float, roll_rad: float, label: str = ""
    ) -> Attitude:
        """From 3-2-1 yaw, pitch, roll [rad] of the body relative to LVLH."""
        return cls(ypr_to_matrix(yaw_rad, pitch_rad, roll_rad), label)

    @classmethod
    def from_quaternion(cls, q: ArrayLike, label: str = "") -> Attitude:
        """From a scalar-first unit quaternion (w, x, y, z), body→LVLH active rotation."""
        return cls(quaternion_to_matrix(q), label)

    @property
    def ypr_rad(self) -> tuple[float, float, float]:
        """(yaw, pitch, roll) [rad]."""
        return matrix_to_ypr(self.matrix)

    @property
    def quaternion(self) -> NDArray[np.float64]:
        """Scalar-first unit quaternion (w ≥ 0)."""
        return matrix_to_quaternion(self.matrix)

    @property
    def lvlh_to_body(self) -> NDArray[np.float64]:
        """(3, 3) matrix taking LVLH vectors to body vectors (the transpose)."""
        return self.matrix.T

    def to_body(self, u_lvlh: ArrayLike) -> NDArray[np.float64]:
        """Vectors (..., 3) from LVLH into the body frame."""
        return np.asarray(u_lvlh, dtype=float) @ self.matrix

    def to_lvlh(self, u_body: ArrayLike) -> NDArray[np.float64]:
        """Vectors (..., 3) from the body frame into LVLH."""
        return np.asarray(u_body, dtype=float) @ self.matrix.T

    def to_dict(self) -> dict[str, object]:
        y, p, r = self.ypr_rad
        return {
            "label": self.label,
            "yaw_deg": np.degrees(y),
            "pitch_deg": np.degrees(p),
            "roll_deg": np.degrees(r),
            "quaternion_wxyz": self.quaternion.tolist(),
        }


def iss_flight_attitude(
    mode: str = "+XVV", yaw_rad: float = 0.0, pitch_rad: float = 0.0, roll_rad: float = 0.0
) -> Attitude:
    """The ISS attitude: a flight mode plus torque-equilibrium (TEA) yaw, pitch, roll [rad].

    ``"+XVV"``: the ISS body +x (towards Harmony) along the velocity, +z nadir: body = LVLH when
    the TEA angles are zero. ``"-XVV"``: turned 180° in yaw (+x towards the wake), used for some
    dockings. The TEA angles are applied after the mode, 3-2-1 as in `ypr_to_matrix`.
    Source of the mode names: NASA, "Reference Guide to the International Space Station" (2015),
    flight attitudes; the ISS Analysis Coordinate System (SSP 30219) defines the body axes.
    """
    base = {"+XVV": 0.0, "-XVV": np.pi}
    if mode not in base:
        raise InputError(f"attitude mode: {mode!r} is not one of {sorted(base)}")
    m = _rz(base[mode]) @ ypr_to_matrix(yaw_rad, pitch_rad, roll_rad)
    return Attitude(
        m,
        f"{mode} TEA yaw {np.degrees(yaw_rad):.2f}°, pitch {np.degrees(pitch_rad):.2f}°, roll {np.degrees(roll_rad):.2f}°",
    )
