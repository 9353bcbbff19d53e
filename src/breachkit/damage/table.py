"""Fast path for the risk engine: a shield's critical diameter tabulated on a (speed, angle) grid.

The risk engine evaluates d_c for every (face, direction, speed) cell; a table per shield and
projectile density turns each evaluation into a bilinear interpolation of log d_c. The
interpolation error is measured when the table is built (against direct evaluation on a grid
4× finer in each direction, which includes every cell's centre and quarter points) and is stored
as `max_relative_error_`; tests check random points against it. Speeds are interpolated in
log speed; on the default grids (even in log speed and in angle) a lookup is O(1) arithmetic.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, KM_S
from breachkit._core.validity import ValidityRange, ValidityWarning, apply_validity

__all__ = ["CriticalDiameterTable", "default_angle_grid", "default_speed_grid"]


def default_speed_grid() -> NDArray[np.float64]:
    """0.5–72 km/s, 500 points evenly spaced in log speed (steps of 1.0 %) [m s⁻¹]."""
    return np.geomspace(0.5, 72.0, 500) * KM_S


def default_angle_grid() -> NDArray[np.float64]:
    """0°–89.75° every 0.25° [rad]."""
    return np.linspace(0.0, 89.75, 360) * DEG


class CriticalDiameterTable:
    """Critical diameter of one shield for one projectile density on a (speed, angle) grid.

    Parameters
    ----------
    shield
        Any object with ``critical_diameter(speed_m_s, angle_rad, projectile_density_kg_m3)``.
    projectile_density_kg_m3
        Projectile density [kg m⁻³] (one table per density).
    speed_grid_m_s, angle_grid_rad
        Strictly increasing grids [m s⁻¹], [rad] (defaults: `default_speed_grid`,
        `default_angle_grid`). Queries outside them give NaN with a `ValidityWarning`.
    refine
        Sub-samples per cell and direction for measuring the interpolation error (default 2: the
        cell centres and edge midpoints, where bilinear interpolation of a smooth function errs
        most), plus a point just inside each cell's far edge (catches a jump on a node).

    Attributes
    ----------
    log_dc_
        (n_speed, n_angle) natural log of the tabulated critical diameter [log m].
    max_relative_error_
        Largest |table/direct − 1| found on the refined grid (finite cells only).
    max_error_location_
        (speed [m s⁻¹], angle [rad]) where it occurs.
    max_relative_error_core_
        The same restricted to speeds ≤ 16 km/s and angles ≤ 80° (the debris range away from
        grazing incidence, where regime transitions like V_LV/cos θ move fast with θ).
    """

    def __init__(
        self,
        shield: Any,
        projectile_density_kg_m3: float,
        speed_grid_m_s: ArrayLike | None = None,
        angle_grid_rad: ArrayLike | None = None,
        *,
        refine: int = 2,
    ) -> None:
        v = default_speed_grid() if speed_grid_m_s is None else np.asarray(speed_grid_m_s, float)
        a = default_angle_grid() if angle_grid_rad is None else np.asarray(angle_grid_rad, float)
        for nm, g in (("speed_grid_m_s", v), ("angle_grid_rad", a)):
            if g.ndim != 1 or g.size < 2 or not np.all(np.diff(g) > 0):
                raise InputError(f"{nm}: must be a strictly increasing 1-d grid of >= 2 values")
        if refine < 2:
            raise InputError(f"refine: {refine} must be >= 2")
        self.shield = shield
        lv = np.log(v)
        self._log_v = lv
        self._v_uniform = bool(np.allclose(np.diff(lv), lv[1] - lv[0], rtol=1e-9, atol=0))
        self._a_uniform = bool(np.allclose(np.diff(a), a[1] - a[0], rtol=1e-9, atol=0))
        self.projectile_density_kg_m3 = float(projectile_density_kg_m3)
        self.speed_grid_m_s = v
        self.angle_grid_rad = a
        self.speed_range = ValidityRange(
            "speed_m_s", float(v[0]), float(v[-1]), "m s⁻¹", source="CriticalDiameterTable grid"
        )
        self.angle_range = ValidityRange(
            "angle_rad", float(a[0]), float(a[-1]), "rad", source="CriticalDiameterTable grid"
        )
        vv, aa = np.meshgrid(v, a, indexing="ij")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            dc = np.asarray(shield.critical_diameter(vv, aa, self.projectile_density_kg_m3), float)
        with np.errstate(divide="ignore"):
            self.log_dc_ = np.log(dc)
        self._measure_error(refine)

    def _measure_error(self, refine: int) -> None:
        v, a = self.speed_grid_m_s, self.angle_grid_rad
        # every node, the cell centres/edge midpoints (refine = 2) or finer fractions, and a point
        # just inside each cell's far edge, which catches a jump sitting on a grid node
        t = np.concatenate([np.arange(refine) / refine, [1.0 - 1e-7]])
        lv = np.log(v)
        vf = np.exp(np.concatenate([(lv[:-1, None] + np.diff(lv)[:, None] * t).ravel(), lv[-1:]]))
        af = np.concatenate([(a[:-1, None] + np.diff(a)[:, None] * t).ravel(), a[-1:]])
        vv, aa = np.meshgrid(vf, af, indexing="ij")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            direct = np.asarray(
                self.shield.critical_diameter(vv, aa, self.projectile_density_kg_m3), float
            )
        approx = self._interp(vv, aa)
        ok = np.isfinite(direct) & np.isfinite(approx) & (direct > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = np.where(ok, np.abs(approx / direct - 1.0), 0.0)
        k = int(np.argmax(rel))
        self.max_relative_error_ = float(rel.flat[k])
        self.max_error_location_ = (float(vv.flat[k]), float(aa.flat[k]))
        core = (vv <= 16.0 * KM_S) & (aa <= 80.0 * DEG)
        self.max_relative_error_core_ = float(np.max(np.where(core, rel, 0.0)))

    def _interp(
        self, speed: NDArray[np.float64], angle: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        lv, a = self._log_v, self.angle_grid_rad
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.log(speed)
        if self._v_uniform:
            fi = (x - lv[0]) / (lv[1] - lv[0])
            i = np.clip(np.floor(fi), 0, lv.size - 2).astype(np.intp)
            tv = fi - i
        else:
            i = np.clip(np.searchsorted(lv, x, side="right") - 1, 0, lv.size - 2)
            tv = (x - lv[i]) / (lv[i + 1] - lv[i])
        if self._a_uniform:
            fj = (angle - a[0]) / (a[1] - a[0])
            j = np.clip(np.floor(fj), 0, a.size - 2).astype(np.intp)
            ta = fj - j
        else:
            j = np.clip(np.searchsorted(a, angle, side="right") - 1, 0, a.size - 2)
            ta = (angle - a[j]) / (a[j + 1] - a[j])
        f = self.log_dc_
        n_a = a.size
        flat = f.ravel()
        k = i * n_a + j
        f00, f01 = flat[k], flat[k + 1]
        f10, f11 = flat[k + n_a], flat[k + n_a + 1]
        with np.errstate(invalid="ignore"):
            g0 = f00 + (f01 - f00) * ta
            g1 = f10 + (f11 - f10) * ta
            return np.exp(g0 + (g1 - g0) * tv)

    def critical_diameter(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike
    ) -> NDArray[np.float64] | float:
        """Interpolated critical diameter [m] at speed [m s⁻¹] and angle from the normal [rad].

        NaN in → NaN out; outside the grid → NaN and a `ValidityWarning` (strict mode: error).
        """
        s, a = np.broadcast_arrays(np.asarray(speed_m_s, float), np.asarray(angle_rad, float))
        nan = np.isnan(s) | np.isnan(a)
        out = self._interp(
            np.where(nan, self.speed_grid_m_s[0], s), np.where(nan, self.angle_grid_rad[0], a)
        )
        out = np.where(nan, np.nan, out)
        return apply_validity(
            "CriticalDiameterTable",
            out,
            {"speed_m_s": (s, self.speed_range), "angle_rad": (a, self.angle_range)},
        )
