"""Radiator panel (a coolant tube under a face sheet): a documented combination of published BLEs.

No radiator-specific ballistic limit equation is published in the sources available to this
project (NASA/TM-2009-214785 and -214789, the IJIE papers; see ../shared/research/mmod-references.md
§6). The Handbook (Table 2-1 p.11) lists the failure mode of radiator **tubes** and flex lines as a
leak; a leak needs the particle (or its debris) to perforate the tube wall. This model builds the
radiator BLE from published equations under stated assumptions:

1. A hit matters only where it lies over a tube: the fraction of the panel area over tubes is the
   shield's ``failure_area_fraction`` (tube footprint / panel area), not part of this function.
2. **Tube stood off behind the face sheet** (``standoff_m > 0``): the face sheet is a Whipple
   bumper and the tube wall its rear wall, spacing = standoff: `ryan_christiansen_whipple`
   (Ryan & Christiansen 2011), whose F2* de-rating handles the thin face sheets of radiators
   (the Christiansen 1993 form would over-predict them, Handbook p.47).
3. **Tube bonded to (or integral with) the face sheet** (``standoff_m == 0``): one wall whose
   thickness is the tube wall plus the face sheet converted to tube material by areal density,
   ``t = t_tube + t_face ρ_face/ρ_tube``, with the modified Cour-Palais single-wall equation
   (`single_wall_cour_palais`, perforation, k = 1.8).
4. Tube curvature, the coolant behind the wall, and the honeycomb or fins between face sheet and
   tube are ignored (the coolant and a honeycomb core would only help: conservative).

Real cases to compare with: the STS-115 radiator panel RH4 perforation by a 1.0–1.2 mm glass or
ceramic particle, analysed at 45° and 4 km/s (Handbook Fig. 2-3 note p.11); the 43 Space Station
Freedom radiator-panel shots of Ratigan, Christiansen & Fleming, J. Solar Energy Eng. 114 (1992)
135–149, in the HVI honeycomb file (the radiator BLE is scored against them in
docs/validation/ble.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.validity import register
from breachkit.damage._common import ANGLE_CAP_65, DENSITY_RANGE, SPEED_RANGE, param
from breachkit.damage.single_wall import single_wall_cour_palais
from breachkit.damage.whipple import ryan_christiansen_whipple

__all__ = ["radiator_panel"]

register("radiator_panel", SPEED_RANGE, ANGLE_CAP_65, DENSITY_RANGE)


def radiator_panel(
    speed_m_s: ArrayLike,
    angle_rad: ArrayLike,
    projectile_density_kg_m3: ArrayLike,
    *,
    face_thickness_m: ArrayLike,
    face_density_kg_m3: ArrayLike,
    tube_wall_thickness_m: ArrayLike,
    tube_density_kg_m3: ArrayLike,
    tube_brinell_hardness: ArrayLike,
    tube_sound_speed_m_s: ArrayLike,
    tube_yield_pa: ArrayLike,
    standoff_m: ArrayLike = 0.0,
) -> NDArray[np.float64] | float:
    """Critical projectile diameter for a leak of a radiator tube under a face sheet [m].

    See the module docstring for the assumptions. With S = `standoff_m`:

    * S > 0: ``d_c = ryan_christiansen_whipple(t_b = t_face, ρb = ρ_face, S, t_w = t_tube, σ_tube)``
      (65° obliquity cap of that equation);
    * S = 0: ``d_c = single_wall_cour_palais(t = t_tube + t_face ρ_face/ρ_tube)`` (perforation);
      at grazing incidence (90°) d_c = ∞ (no leak).

    Parameters
    ----------
    speed_m_s, angle_rad, projectile_density_kg_m3
        Impact speed [m s⁻¹], angle from the normal [rad], projectile density [kg m⁻³].
    face_thickness_m, face_density_kg_m3
        Face sheet over the tube [m], [kg m⁻³].
    tube_wall_thickness_m, tube_density_kg_m3, tube_brinell_hardness, tube_sound_speed_m_s,
    tube_yield_pa
        Tube wall [m], [kg m⁻³], [HB], [m s⁻¹], [Pa].
    standoff_m
        Gap between the back of the face sheet and the tube wall [m] (0 = bonded).
    """
    s = param("standoff_m", standoff_m, allow_zero=True)
    tf = param("face_thickness_m", face_thickness_m)
    rf = param("face_density_kg_m3", face_density_kg_m3)
    tt = param("tube_wall_thickness_m", tube_wall_thickness_m)
    rt = param("tube_density_kg_m3", tube_density_kg_m3)
    v, th, rp = (
        np.asarray(x, dtype=float) for x in (speed_m_s, angle_rad, projectile_density_kg_m3)
    )
    stood_off = s > 0
    out = np.full(
        np.broadcast_shapes(v.shape, th.shape, rp.shape, s.shape, tf.shape, tt.shape), np.nan
    )
    if np.any(stood_off):
        d_w = ryan_christiansen_whipple(
            v,
            th,
            rp,
            bumper_thickness_m=tf,
            bumper_density_kg_m3=rf,
            standoff_m=np.where(stood_off, s, 1.0),
            wall_thickness_m=tt,
            wall_yield_pa=tube_yield_pa,
        )
        out = np.where(stood_off, d_w, out)
    if np.any(~stood_off):
        with np.errstate(divide="ignore", invalid="ignore"):
            cos_t = np.cos(np.minimum(th, np.pi / 2))
        grazing = cos_t <= 1e-12
        d_s = single_wall_cour_palais(
            v,
            np.where(grazing, 0.0, th),
            rp,
            thickness_m=tt + tf * rf / rt,
            target_density_kg_m3=rt,
            brinell_hardness=tube_brinell_hardness,
            sound_speed_m_s=tube_sound_speed_m_s,
        )
        d_s = np.where(grazing & ~np.isnan(th), np.inf, d_s)
        out = np.where(stood_off, out, d_s)
    if out.ndim == 0:
        return float(out)
    return out
