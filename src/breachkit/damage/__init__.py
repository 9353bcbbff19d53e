"""Damage: ballistic limit equations (BLEs), shield materials, shield presets and fast tables.

Physics layer: pure vectorised functions, SI at the boundary (see docs/damage.md).
"""

from breachkit.damage import presets_double_wall as _presets  # noqa: F401  (registers presets)
from breachkit.damage.double_wall import (
    christiansen_kerr_modified_nno,
    reimerdes_whipple,
    ryan_schonberg_whipple,
)
from breachkit.damage.materials import Material, get_material, list_materials
from breachkit.damage.mli_wall import soyuz_mli_wall
from breachkit.damage.radiator import radiator_panel
from breachkit.damage.sandwich import ryan_foam_sandwich, ryan_honeycomb_sandwich
from breachkit.damage.shields import ConstantShield, Shield, ShieldSpec, get_shield, list_shields
from breachkit.damage.single_wall import (
    mli_on_wall_increment,
    single_wall_cfrp,
    single_wall_cour_palais,
    single_wall_steel,
    single_wall_titanium,
)
from breachkit.damage.table import CriticalDiameterTable
from breachkit.damage.whipple import (
    christiansen_kerr_stuffed_whipple,
    christiansen_whipple,
    christiansen_whipple_sizing,
    ryan_christiansen_whipple,
)

__all__ = [
    "ConstantShield",
    "CriticalDiameterTable",
    "Material",
    "Shield",
    "ShieldSpec",
    "christiansen_kerr_modified_nno",
    "christiansen_kerr_stuffed_whipple",
    "christiansen_whipple",
    "christiansen_whipple_sizing",
    "get_material",
    "get_shield",
    "list_materials",
    "list_shields",
    "mli_on_wall_increment",
    "radiator_panel",
    "reimerdes_whipple",
    "ryan_christiansen_whipple",
    "ryan_foam_sandwich",
    "ryan_honeycomb_sandwich",
    "ryan_schonberg_whipple",
    "single_wall_cfrp",
    "single_wall_cour_palais",
    "single_wall_steel",
    "single_wall_titanium",
    "soyuz_mli_wall",
]
