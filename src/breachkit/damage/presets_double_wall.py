"""Shield presets of the Whipple variants in `breachkit.damage.double_wall` (registered on import).

Same default geometry as ``whipple_modified`` (0.127 cm Al 6061-T6 bumper, 10.16 cm gap,
0.3175 cm Al 6061-T6 rear wall), so the variants can be compared on one shield:

* ``whipple_modified_nno`` — `christiansen_kerr_modified_nno` (IJIE 26, 2001);
* ``whipple_reimerdes`` — `reimerdes_whipple` (IJIE 33, 2006);
* ``whipple_jsc_2024`` — `ryan_schonberg_whipple` (IJIE 187, 2024; unverified against the paper).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from breachkit._core.errors import InputError
from breachkit._core.units import CM, KSI
from breachkit.damage.double_wall import (
    christiansen_kerr_modified_nno,
    reimerdes_whipple,
    ryan_schonberg_whipple,
)
from breachkit.damage.shields import Shield, _nonneg, _register, _whipple_params

__all__: list[str] = []

_SRC = {
    "christiansen_kerr_modified_nno": "Christiansen & Kerr, Int. J. Impact Eng. 26 (2001) 93-104, eqs 1-3",
    "reimerdes_whipple": "Reimerdes, Nölke & Schäfer, Int. J. Impact Eng. 33 (2006) 645-654, eqs 10-15",
    "ryan_schonberg_whipple": (
        "Ryan & Schonberg, Int. J. Impact Eng. 187 (2024) 104899, as implemented in pyBLOSSUM "
        "BLE_JSCwhipple_mod.py (paper not read)"
    ),
}
_BLE: dict[str, Callable[..., Any]] = {
    "christiansen_kerr_modified_nno": christiansen_kerr_modified_nno,
    "reimerdes_whipple": reimerdes_whipple,
    "ryan_schonberg_whipple": ryan_schonberg_whipple,
}


def _variant(
    family: str,
    *,
    name: str,
    bumper_thickness_m: float = 0.127 * CM,
    bumper_material: str = "al6061-t6",
    standoff_m: float = 10.16 * CM,
    wall_thickness_m: float = 0.3175 * CM,
    wall_material: str = "al6061-t6",
    wall_yield_pa: float | None = None,
    mli_areal_density_kg_m2: float = 0.0,
    mli_standoff_m: float = 0.0,
    failure_area_fraction: float = 1.0,
    source: str = "",
    assumptions: tuple[str, ...] = (),
) -> Shield:
    params, bm, wm = _whipple_params(
        bumper_thickness_m, bumper_material, standoff_m, wall_thickness_m, wall_material,
        wall_yield_pa,
    )  # fmt: skip
    if family == "christiansen_kerr_modified_nno":
        params["wall_density_kg_m3"] = wm.density_kg_m3
    if family != "reimerdes_whipple":
        params["mli_areal_density_kg_m2"] = _nonneg(
            "mli_areal_density_kg_m2", mli_areal_density_kg_m2
        )
        params["mli_standoff_m"] = _nonneg("mli_standoff_m", mli_standoff_m)
    elif mli_areal_density_kg_m2:
        raise InputError("mli_areal_density_kg_m2: the Reimerdes (2006) equations have no MLI term")
    return Shield(
        name=name,
        family=family,
        source=source or _SRC[family],
        assumptions=[
            f"bumper {bm.name} ({bm.source}); rear wall {wm.name}, yield "
            f"{params['wall_yield_pa'] / KSI:.1f} ksi",
            *assumptions,
        ],
        failure_area_fraction=failure_area_fraction,
        params=params,
        ble=_BLE[family],
    )


for _family, _name, _what in (
    (
        "christiansen_kerr_modified_nno",
        "whipple_modified_nno",
        "modified NNO (Christiansen & Kerr 2001)",
    ),
    ("reimerdes_whipple", "whipple_reimerdes", "Reimerdes, Nölke & Schäfer (2006)"),
    ("ryan_schonberg_whipple", "whipple_jsc_2024", "modified JSC, Ryan & Schonberg (2024)"),
):
    _register(
        _name,
        f"Whipple shield, {_what}: 1.27 mm Al bumper, 10.16 cm gap, 3.175 mm Al rear wall",
        _SRC[_family],
        partial(_variant, _family),
    )
