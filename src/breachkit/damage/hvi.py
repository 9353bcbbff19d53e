"""The real hypervelocity impact (HVI) shots, read and filtered once, one `ShotSet` per BLE line.

Reads the four HVI tables of ``../shared/data/hvi`` (pyBLOSSUM snapshot fe0a7df, MIT licence; see
that folder's README), applies explicit row filters (each logged) and evaluates, for every shot,
the critical diameter of the BLE meant for that shield type. The deterministic scoring
(`breachkit.damage.scoring`) and the probabilistic BLEs (`breachkit.damage.probabilistic`,
`breachkit.damage.crossval`) both start from these sets.

This is a validation tool at the I/O edge: it converts the tables' cm, g/cm³, km/s, ksi, deg into
SI once and calls the SI BLE functions.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from breachkit._core.errors import InputError
from breachkit._core.units import CM, DEG, G_PER_CM2, G_PER_CM3, KM_S, KSI
from breachkit._core.validity import ValidityWarning
from breachkit.damage.double_wall import (
    christiansen_kerr_modified_nno,
    reimerdes_whipple,
    ryan_schonberg_whipple,
)
from breachkit.damage.radiator import radiator_panel
from breachkit.damage.sandwich import ryan_foam_sandwich, ryan_honeycomb_sandwich
from breachkit.damage.whipple import (
    christiansen_kerr_stuffed_whipple,
    christiansen_whipple,
    ryan_christiansen_whipple,
)

__all__ = ["FILES", "ShotSet", "load_table", "shot_sets"]

FILES = {
    "whipple": "database_whipple_pyBLOSSUM.csv",
    "stuffed": "database_stuffedWhipple_pyBLOSSUM.csv",
    "hcsp": "database_HCSP_pyBLOSSUM.csv",
    "foam": "database_foamSP_pyBLOSSUM.csv",
}

_CFRP_FACES = ("CFRP", "HMF371", "M60J", "P100")


@dataclass
class ShotSet:
    """The shots one BLE is scored on, with that BLE's critical diameter for each (SI).

    Attributes
    ----------
    ble
        Label of the BLE line (e.g. ``"ryan_christiansen_whipple (2011)"``).
    rows
        Short name of the shot family (``"whipple"``, ``"hcsp"``, ...).
    key
        Identifier of the probabilistic family fitted on these shots ("" if none).
    diameter_m, critical_m
        Projectile diameter and the BLE's critical diameter [m] (NaN: out of validity).
    speed_m_s, angle_rad
        Impact speed [m s⁻¹] and angle from the normal [rad].
    failed
        Observed failure (perforation or detached spall of the last wall), bool.
    source
        Test programme (the table's ``source`` key) of each shot.
    """

    ble: str
    rows: str
    key: str
    diameter_m: np.ndarray
    critical_m: np.ndarray
    speed_m_s: np.ndarray
    angle_rad: np.ndarray
    failed: np.ndarray
    source: np.ndarray

    @property
    def normal_speed_km_s(self) -> np.ndarray:
        """V cos θ [km s⁻¹] (θ capped at 89.9°), the speed regimes' variable."""
        return self.speed_m_s / KM_S * np.cos(np.minimum(self.angle_rad, 89.9 * DEG))

    def subset(self, mask: np.ndarray) -> ShotSet:
        """The shots where `mask` is True."""
        return ShotSet(
            self.ble,
            self.rows,
            self.key,
            *(
                np.asarray(a)[mask]
                for a in (
                    self.diameter_m,
                    self.critical_m,
                    self.speed_m_s,
                    self.angle_rad,
                    self.failed,
                    self.source,
                )
            ),
        )


def load_table(path: Path) -> pd.DataFrame:
    """One HVI CSV: UTF-8 with BOM, line 2 = units (skipped)."""
    if not path.is_file():
        raise InputError(f"{path}: HVI table not found")
    return pd.read_csv(path, encoding="utf-8-sig", skiprows=[1])


def _quiet(fn: Callable[..., Any], *args: Any, **kw: Any) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        return np.asarray(fn(*args, **kw), dtype=float)


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def _impact(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        _num(df, "velocity") * KM_S,
        _num(df, "angle") * DEG,
        _num(df, "proj_density") * G_PER_CM3,
    )


def _mli(df: pd.DataFrame) -> np.ndarray:
    if "MLI_AD" not in df:
        return np.zeros(len(df))
    return np.nan_to_num(_num(df, "MLI_AD")) * G_PER_CM2


def _known_result(df: pd.DataFrame) -> pd.Series:
    return df["result"].astype(str).str.strip().isin(["P", "NP"])


def _set(ble: str, rows: str, key: str, df: pd.DataFrame, dc: np.ndarray) -> ShotSet:
    v, a, _ = _impact(df)
    return ShotSet(
        ble,
        rows,
        key,
        _num(df, "proj_diam") * CM,
        dc,
        v,
        a,
        _num(df, "perforated_class") == 1,
        df["source"].astype(str).str.strip().to_numpy(),
    )


def _whipple_sets(data_dir: Path, log: list[str]) -> list[ShotSet]:
    w = load_table(data_dir / FILES["whipple"])
    n0 = len(w)
    w = w[_known_result(w)]
    log.append(f"whipple: {n0} rows; {n0 - len(w)} dropped without a P/NP result; {len(w)} scored")
    v, a, rp = _impact(w)
    geo = dict(
        bumper_thickness_m=_num(w, "bumper_thick") * CM,
        bumper_density_kg_m3=_num(w, "bumper_density") * G_PER_CM3,
        standoff_m=_num(w, "standoff") * CM,
        wall_thickness_m=_num(w, "wall_thick") * CM,
        wall_yield_pa=_num(w, "wall_yield") * KSI,
    )
    return [
        _set(
            "christiansen_whipple (1993), every row",
            "whipple",
            "",
            w,
            _quiet(christiansen_whipple, v, a, rp, check_bumper=False, **geo),
        ),
        _set(
            "christiansen_whipple (1993), adequate bumpers only",
            "whipple",
            "",
            w,
            _quiet(christiansen_whipple, v, a, rp, check_bumper=True, **geo),
        ),
        _set(
            "ryan_christiansen_whipple (2011)",
            "whipple",
            "whipple",
            w,
            _quiet(ryan_christiansen_whipple, v, a, rp, **geo),
        ),
        _set(
            "ryan_schonberg_whipple (modified JSC, 2024)",
            "whipple",
            "",
            w,
            _quiet(ryan_schonberg_whipple, v, a, rp, **geo),
        ),
        _set(
            "christiansen_kerr_modified_nno (2001)",
            "whipple",
            "",
            w,
            _quiet(
                christiansen_kerr_modified_nno,
                v,
                a,
                rp,
                wall_density_kg_m3=_num(w, "wall_density") * G_PER_CM3,
                **geo,
            ),
        ),
        _set(
            "reimerdes_whipple (2006)", "whipple", "", w, _quiet(reimerdes_whipple, v, a, rp, **geo)
        ),
    ]


def _stuffed_sets(data_dir: Path, log: list[str]) -> list[ShotSet]:
    s = load_table(data_dir / FILES["stuffed"])
    n0 = len(s)
    s = s[_known_result(s) & s["angle"].notna()]
    log.append(f"stuffed Whipple: {n0} rows; {n0 - len(s)} dropped (no angle or no result)")
    text = s["stuffing_string"].astype(str)
    nk = text.str.contains("Nextel") & text.str.contains("Kevlar")
    log.append(
        f"stuffed Whipple: {int(nk.sum())} rows with Nextel and Kevlar stuffing (the "
        "equation's domain); all stuffing types scored separately"
    )
    out = []
    for label, key, sub in (
        ("Nextel/Kevlar stuffing", "stuffed_whipple", s[nk]),
        ("every stuffing type", "", s),
    ):
        v, a, rp = _impact(sub)
        dc = _quiet(
            christiansen_kerr_stuffed_whipple,
            v,
            a,
            rp,
            bumper_thickness_m=_num(sub, "bumper_thick") * CM,
            bumper_density_kg_m3=_num(sub, "bumper_density") * G_PER_CM3,
            stuffing_areal_density_kg_m2=_num(sub, "stuffing_AD") * G_PER_CM2,
            standoff_m=_num(sub, "standoff") * CM,
            wall_thickness_m=_num(sub, "wall_thick") * CM,
            wall_density_kg_m3=_num(sub, "wall_density") * G_PER_CM3,
            wall_yield_pa=_num(sub, "wall_yield") * KSI,
            mli_areal_density_kg_m2=_mli(sub),
        )
        out.append(_set(f"christiansen_kerr_stuffed_whipple, {label}", "stuffed", key, sub, dc))
    return out


def _hcsp_table(data_dir: Path, log: list[str]) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    h = load_table(data_dir / FILES["hcsp"])
    n0 = len(h)
    known = _known_result(h)
    h = h[known]
    log.append(f"HCSP: {n0} rows; {int((~known).sum())} dropped with result N/A (unknown outcome)")
    slow = _num(h, "velocity") < 0.5
    h = h[~slow]
    log.append(f"HCSP: {int(slow.sum())} dropped with speed < 0.5 km/s (entry error, README)")
    face = h["bumper_mat"].astype(str)
    is_cfrp = face.str.startswith(_CFRP_FACES)
    is_al = face.str.startswith("AA")
    other = ~(is_cfrp | is_al)
    log.append(
        f"HCSP: {int(other.sum())} dropped with Inconel or titanium face sheets (outside the "
        "Al/CFRP equation)"
    )
    no_yield = is_al & h["wall_yield"].isna()
    log.append(f"HCSP: {int(no_yield.sum())} Al rows dropped with no rear-sheet yield")
    return h, is_al & ~no_yield, is_cfrp


def _hcsp_sets(h: pd.DataFrame, al: pd.Series, cfrp: pd.Series) -> list[ShotSet]:
    out = []
    for label, key, mask in (
        ("Al face sheets", "honeycomb_al", al),
        ("CFRP face sheets", "honeycomb_cfrp", cfrp),
    ):
        sub = h[mask]
        v, a, rp = _impact(sub)
        dc = _quiet(
            ryan_honeycomb_sandwich,
            v,
            a,
            rp,
            front_thickness_m=_num(sub, "bumper_thick") * CM,
            front_density_kg_m3=_num(sub, "bumper_density") * G_PER_CM3,
            core_thickness_m=_num(sub, "standoff") * CM,
            rear_thickness_m=_num(sub, "wall_thick") * CM,
            rear_density_kg_m3=_num(sub, "wall_density") * G_PER_CM3,
            rear_yield_pa=np.nan_to_num(_num(sub, "wall_yield"), nan=59.5) * KSI,
            face_sheets="cfrp" if label.startswith("CFRP") else "aluminium",
            mli_areal_density_kg_m2=_mli(sub),
        )
        out.append(_set(f"ryan_honeycomb_sandwich, {label}", "hcsp", key, sub, dc))
    return out


def _radiator_sets(h: pd.DataFrame, log: list[str]) -> list[ShotSet]:
    sub = h[h["source"].astype(str).str.startswith("Ratigan")]
    log.append(
        f"radiator: {len(sub)} Ratigan et al. (1992) radiator-panel shots with a result "
        "(face sheet = bumper, rear face sheet = tube wall, core = standoff)"
    )
    v, a, rp = _impact(sub)
    common = dict(
        face_thickness_m=_num(sub, "bumper_thick") * CM,
        face_density_kg_m3=_num(sub, "bumper_density") * G_PER_CM3,
        tube_wall_thickness_m=_num(sub, "wall_thick") * CM,
        tube_density_kg_m3=_num(sub, "wall_density") * G_PER_CM3,
        tube_brinell_hardness=120.0,
        tube_sound_speed_m_s=5.11 * KM_S,
        tube_yield_pa=_num(sub, "wall_yield") * KSI,
    )
    stood = _quiet(radiator_panel, v, a, rp, standoff_m=_num(sub, "standoff") * CM, **common)
    bonded = _quiet(radiator_panel, v, a, rp, standoff_m=0.0, **common)
    return [
        _set("radiator_panel, stood-off branch (face sheet as bumper)", "radiator", "", sub, stood),
        _set(
            "radiator_panel, bonded branch (summed single wall)",
            "radiator",
            "radiator_bonded",
            sub,
            bonded,
        ),
    ]


def _foam_sets(data_dir: Path, log: list[str]) -> list[ShotSet]:
    f = load_table(data_dir / FILES["foam"])
    n0 = len(f)
    f = f[_known_result(f)]
    log.append(f"foam SP: {n0} rows; {n0 - len(f)} dropped (blank row and trailing count row)")
    rb = _num(f, "bumper_density")
    same = f["bumper_mat"].astype(str) == f["wall_mat"].astype(str)
    fill = np.isnan(rb) & same.to_numpy()
    log.append(
        f"foam SP: {int(fill.sum())} rows without bumper density take the rear sheet's "
        "(same material)"
    )
    rb = np.where(fill, _num(f, "wall_density"), rb)
    v, a, rp = _impact(f)
    dc = _quiet(
        ryan_foam_sandwich,
        v,
        a,
        rp,
        front_thickness_m=_num(f, "bumper_thick") * CM,
        front_density_kg_m3=rb * G_PER_CM3,
        core_thickness_m=_num(f, "standoff") * CM,
        foam_density_kg_m3=_num(f, "foam_relDensity") / 100.0 * _num(f, "foam_density") * G_PER_CM3,
        rear_thickness_m=_num(f, "wall_thick") * CM,
        rear_density_kg_m3=_num(f, "wall_density") * G_PER_CM3,
        rear_yield_pa=_num(f, "wall_yield") * KSI,
    )
    return [_set("ryan_foam_sandwich", "foam", "foam_sandwich", f, dc)]


def shot_sets(data_dir: Path) -> tuple[list[ShotSet], list[str]]:
    """Every BLE line with its shots, in report order, and the filter log."""
    log: list[str] = []
    sets = _whipple_sets(data_dir, log) + _stuffed_sets(data_dir, log)
    h, al, cfrp = _hcsp_table(data_dir, log)
    sets += _hcsp_sets(h, al, cfrp) + _radiator_sets(h, log) + _foam_sets(data_dir, log)
    return sets, log
