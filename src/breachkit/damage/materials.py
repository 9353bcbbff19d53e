"""Shield materials as data: density, Brinell hardness, sound speed and yield strength, with sources.

The table lives in ``breachkit/data/materials.toml`` (units g/cm³, HB, km/s, ksi, converted here to
SI). Each entry names its source; where NASA's own reference runs used other values the entry's
``note`` says so (e.g. the BUMPER-II comparison of NASA/TM-2009-214789 pp.45–46 ran Al 6061-T6 with
BH 73 and ρ 2.713 g/cm³ instead of BH 95 and ρ 2.70 g/cm³).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from breachkit._core.errors import InputError
from breachkit._core.units import G_PER_CM3, KM_S, KSI

__all__ = ["Material", "get_material", "list_materials", "normalise_material_name"]


@dataclass(frozen=True)
class Material:
    """One shield material (SI).

    Parameters
    ----------
    name
        Canonical name, e.g. ``"al6061-t6"``.
    family
        ``"aluminium"``, ``"titanium"``, ``"steel"``, ``"cfrp"`` or ``"fabric"``.
    density_kg_m3
        Density [kg m⁻³].
    brinell_hardness
        Brinell hardness [HB] (NaN where it does not apply).
    sound_speed_m_s
        Sound speed used by the Cour-Palais equation [m s⁻¹] (NaN where it does not apply).
    yield_strength_pa
        Tensile yield strength [Pa] (NaN where it does not apply).
    source, note
        Where the numbers come from; how NASA reference runs differ.
    """

    name: str
    family: str
    density_kg_m3: float
    brinell_hardness: float
    sound_speed_m_s: float
    yield_strength_pa: float
    source: str
    note: str = ""
    aliases: tuple[str, ...] = ()


def normalise_material_name(name: str) -> str:
    """Lower-case, trim and drop spaces/underscores: ``"AA 6061_T6"`` → ``"aa6061-t6"``."""
    return name.strip().lower().replace(" ", "").replace("_", "-")


@cache
def _table() -> dict[str, Material]:
    text = resources.files("breachkit.data").joinpath("materials.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    out: dict[str, Material] = {}
    for row in raw["material"]:

        def opt(key: str, factor: float, row: dict = row) -> float:
            return float(row[key]) * factor if key in row else math.nan

        m = Material(
            name=row["name"],
            family=row["family"],
            density_kg_m3=float(row["density"]) * G_PER_CM3,
            brinell_hardness=opt("brinell", 1.0),
            sound_speed_m_s=opt("sound_speed", KM_S),
            yield_strength_pa=opt("yield", KSI),
            source=row["source"],
            note=row.get("note", ""),
            aliases=tuple(row.get("aliases", ())),
        )
        out[m.name] = m
    return out


@cache
def _alias_map() -> dict[str, str]:
    amap: dict[str, str] = {}
    for m in _table().values():
        amap[m.name] = m.name
        for a in m.aliases:
            amap[normalise_material_name(a)] = m.name
    return amap


def list_materials() -> list[Material]:
    """Every material in the table, in file order."""
    return list(_table().values())


def get_material(name: str | Material) -> Material:
    """The material called `name` (case-insensitive; aliases such as ``"AA6061-T6"`` accepted).

    Raises
    ------
    InputError
        Unknown name; the message lists the valid names.
    """
    if isinstance(name, Material):
        return name
    key = _alias_map().get(normalise_material_name(str(name)))
    if key is None:
        valid = ", ".join(sorted(_table()))
        raise InputError(f"material: unknown material {name!r}; valid names: {valid}")
    return _table()[key]
