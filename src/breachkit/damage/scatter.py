"""The fitted scatter of each BLE family, bound to shields: P(fail) = Φ((ln(d/d_c) − μ)/σ).

The parameters are those of `breachkit.damage.probabilistic.ProbitBLE` fitted to the 1,740 real
HVI shots (``breachkit/data/ble_scatter.toml``, written by ``python -m breachkit.damage.scoring
--params``; scores in docs/validation/ble.md). For a shield from a test programme not in the data
(the flight article) the per-programme random intercept is integrated out:

    μ_r = −(b + δ_r) / β_x,     σ = √(1 + τ²) / β_x,
    r = speed regime of V_n = V cos θ (ballistic ≤ 3 km/s, shatter, hypervelocity ≥ 7 km/s).

Which fit a shield gets (`scatter_for`): its BLE family's own — ``ryan_christiansen_whipple`` →
``whipple``; ``ryan_honeycomb_sandwich`` → ``honeycomb_al`` or ``honeycomb_cfrp`` by face sheet;
``ryan_foam_sandwich`` → ``foam_sandwich``. A family without a fit of its own (single walls, the
radiator, the MLI wall, the stuffed Whipple, whose fit found no signal, the 1993 Whipple) gets a
**transferred** scatter, an analyst's *judgement* and labelled so: the BLE's median is kept
(μ = 0) and the Whipple family's σ is used (the best-sampled family: 1,135 shots, 21
programmes). Validity: the shots' range (V ≤ 10 km/s, mostly Al projectiles); at meteoroid speeds
the hypervelocity offset is an extrapolation, like the BLEs themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import KM_S
from breachkit.damage.probabilistic import regime_index

__all__ = ["PerforationScatter", "get_scatter", "list_scatters", "scatter_for"]

SOURCE = (
    "breachkit ProbitBLE fitted to the HVI shots of pyBLOSSUM (S. Ryan; snapshot fe0a7df, MIT), "
    "docs/validation/ble.md"
)


@dataclass(frozen=True)
class PerforationScatter:
    """Scatter of a BLE's failure threshold in ln d (see module docstring).

    Attributes
    ----------
    name
        Registry key (``"whipple"``, ``"honeycomb_al"``, ...) or ``"transferred:<key>"``.
    mu
        (3,) offsets μ_r of ln(d50/d_c) by regime (ballistic, shatter, hypervelocity) [-].
    sigma
        Standard deviation of the threshold in ln d [-].
    evidence_class
        ``"computed"`` (fitted to this family's shots) or ``"judgement"`` (transferred).
    source
        Where the numbers come from (one line).
    """

    name: str
    mu: tuple[float, float, float]
    sigma: float
    evidence_class: str
    source: str

    def log_margin(
        self, speed_m_s: ArrayLike, angle_rad: ArrayLike
    ) -> tuple[NDArray[np.float64], float]:
        """(μ, σ) at speed [m s⁻¹] and angle [rad] (broadcast): P = Φ((ln(d/d_c) − μ)/σ)."""
        vn = np.asarray(speed_m_s, dtype=float) / KM_S * np.cos(np.asarray(angle_rad, float))
        return np.asarray(np.asarray(self.mu)[regime_index(vn)]), self.sigma

    def probability(
        self,
        diameter_m: ArrayLike,
        critical_m: ArrayLike,
        speed_m_s: ArrayLike,
        angle_rad: ArrayLike,
    ) -> NDArray[np.float64]:
        """P(failure) of a projectile of `diameter_m` [m] against critical diameter `critical_m` [m]."""
        from scipy.special import ndtr

        mu, sig = self.log_margin(speed_m_s, angle_rad)
        x = np.log(np.asarray(diameter_m, float) / np.asarray(critical_m, float))
        return np.asarray(ndtr((x - mu) / sig))


@cache
def _table() -> dict[str, Any]:
    text = resources.files("breachkit.data").joinpath("ble_scatter.toml").read_text("utf-8")
    return tomllib.loads(text)


def list_scatters() -> list[str]:
    """Families with a fitted scatter."""
    return list(_table())


def get_scatter(name: str) -> PerforationScatter:
    """The fitted scatter of family `name` (`InputError` listing the valid names)."""
    t = _table()
    if name not in t:
        raise InputError(f"BLE scatter {name!r}: unknown (fitted: {', '.join(t)})")
    e = t[name]
    slope = float(e["slope"])
    off = np.asarray(e["regime_offsets"], dtype=float)
    mu = tuple(float(m) for m in -(float(e["intercept"]) + off) / slope)
    sigma = float(np.sqrt(1.0 + float(e["tau"]) ** 2) / slope)
    src = f"{SOURCE}: {e['ble']}, {e['n_shots']} shots, {e['n_sources']} programmes"
    return PerforationScatter(name, (mu[0], mu[1], mu[2]), sigma, "computed", src)


def _transferred(family: str) -> PerforationScatter:
    w = get_scatter("whipple")
    return PerforationScatter(
        f"transferred:whipple→{family}",
        (0.0, 0.0, 0.0),
        w.sigma,
        "judgement",
        f"JUDGEMENT: no fitted scatter for {family}; its median kept, σ = {w.sigma:.3f} of the "
        f"Whipple fit transferred ({w.source})",
    )


def scatter_for(family: str, params: dict[str, Any] | None = None) -> PerforationScatter:
    """The scatter a shield of BLE `family` (with its SI `params`) gets (module docstring)."""
    p = params or {}
    if family == "ryan_christiansen_whipple":
        return get_scatter("whipple")
    if family == "ryan_honeycomb_sandwich":
        return get_scatter("honeycomb_cfrp" if p.get("face_sheets") == "cfrp" else "honeycomb_al")
    if family == "ryan_foam_sandwich":
        return get_scatter("foam_sandwich")
    return _transferred(family)
