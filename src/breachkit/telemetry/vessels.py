"""The vessel a channel measures: a gas volume, a liquid loop with an accumulator, or a generic decay.

A vessel turns the fitted effective hole area Cd·A into a pressure history through the leak
coordinate X = κ ∫Cd·A dt of `breachkit.telemetry.leak` (``kappa`` and ``ratio``), and back into a
leak rate and a depletion point. Vessels are chosen by name in `VESSELS` or passed as objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.telemetry import leak

__all__ = ["VESSELS", "GasVessel", "GenericDecay", "LiquidLoop", "Vessel", "make_vessel"]


class Vessel(Protocol):
    """What the inference needs from a vessel model."""

    @property
    def name(self) -> str: ...
    @property
    def has_hole_size(self) -> bool: ...

    def kappa(self, p0: float) -> float: ...
    def ratio(self, x: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def depletion_coordinate(self, p0: float, threshold: float | None) -> float: ...
    def leak_rate(self, p0: float, cd_area: float) -> dict[str, float]: ...
    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class GasVessel:
    """A rigid gas volume leaking to vacuum through a choked hole.

    volume_m3 [m³], temperature_k [K], gamma [-], molar_mass_kg_mol [kg mol⁻¹] (default dry air),
    process "isothermal" (slow leaks: the walls keep T) or "adiabatic" (fast blow-down).
    Depletion default: the pressure falls to 10 % of its value at onset.
    """

    volume_m3: float
    temperature_k: float = 293.15
    gamma: float = 1.4
    molar_mass_kg_mol: float = 0.0289647
    process: Literal["isothermal", "adiabatic"] = "isothermal"
    name: str = "gas"
    has_hole_size: bool = True

    def kappa(self, p0: float) -> float:
        return float(
            leak.gas_kappa(self.volume_m3, self.temperature_k, self.gamma, self.molar_mass_kg_mol)
        )

    def ratio(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.process == "isothermal":
            return np.exp(-x)
        g = self.gamma
        return (1.0 + 0.5 * (g - 1.0) * x) ** (-2.0 * g / (g - 1.0))

    def depletion_coordinate(self, p0: float, threshold: float | None) -> float:
        r = 0.1 if threshold is None else threshold / p0
        if not 0 < r < 1:
            return float("nan")
        if self.process == "isothermal":
            return float(-np.log(r))
        g = self.gamma
        return float((r ** (-(g - 1.0) / (2.0 * g)) - 1.0) / (0.5 * (g - 1.0)))

    def leak_rate(self, p0: float, cd_area: float) -> dict[str, float]:
        mdot = leak.choked_mass_flow(
            p0, self.temperature_k, cd_area, self.gamma, self.molar_mass_kg_mol
        )
        return {"mass_flow_kg_s": float(mdot)}

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "gas",
            "volume_m3": self.volume_m3,
            "temperature_k": self.temperature_k,
            "gamma": self.gamma,
            "molar_mass_kg_mol": self.molar_mass_kg_mol,
            "process": self.process,
        }


@dataclass(frozen=True)
class LiquidLoop:
    """A liquid loop pressurised by a gas-charged accumulator (or bellows), leaking to vacuum.

    liquid_volume_m3 [m³] (inventory before the leak), gas_volume_m3 [m³] (accumulator gas before
    the leak), density_kg_m3 [kg m⁻³], polytropic_index [-] (1 isothermal), charge_pressure_pa
    [Pa] (the loop pressure before the leak, at which gas_volume_m3 holds; optional). With the
    charge pressure, the gas volume at any later pressure follows from the gas law, so the hole
    comes out even when the record begins after the onset; without it the gas volume is taken at
    the fitted onset pressure. Depletion default: all liquid lost.
    """

    liquid_volume_m3: float
    gas_volume_m3: float
    density_kg_m3: float = 1000.0
    polytropic_index: float = 1.0
    charge_pressure_pa: float | None = None
    name: str = "liquid"
    has_hole_size: bool = True

    def gas_volume_at(self, p: float) -> float:
        """Accumulator gas volume [m³] at loop pressure `p` [Pa] (gas law from the charge state)."""
        if self.charge_pressure_pa is None:
            return self.gas_volume_m3
        return self.gas_volume_m3 * (self.charge_pressure_pa / p) ** (1.0 / self.polytropic_index)

    def kappa(self, p0: float) -> float:
        return float(leak.loop_kappa(p0, self.gas_volume_at(p0), self.density_kg_m3))

    def ratio(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        n = self.polytropic_index
        return (1.0 + 0.5 * (n + 2.0) * x) ** (-2.0 * n / (n + 2.0))

    def depletion_coordinate(self, p0: float, threshold: float | None) -> float:
        n = self.polytropic_index
        m = 0.5 * (n + 2.0)
        vg = self.gas_volume_at(p0)
        if threshold is None:
            left = self.liquid_volume_m3 - (vg - self.gas_volume_m3)
            if left <= 0:
                return 0.0
            u = (vg + left) / vg
            return float((u**m - 1.0) / m)
        r = threshold / p0
        if not 0 < r < 1:
            return float("nan")
        return float((r ** (-1.0 / (2.0 * n / (n + 2.0))) - 1.0) / m)

    def leak_rate(self, p0: float, cd_area: float) -> dict[str, float]:
        q = float(leak.orifice_volume_flow(p0, self.density_kg_m3, cd_area))
        return {"volume_flow_m3_s": q, "mass_flow_kg_s": q * self.density_kg_m3}

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": "liquid",
            "liquid_volume_m3": self.liquid_volume_m3,
            "gas_volume_m3": self.gas_volume_m3,
            "density_kg_m3": self.density_kg_m3,
            "polytropic_index": self.polytropic_index,
        }
        if self.charge_pressure_pa is not None:
            d["charge_pressure_pa"] = self.charge_pressure_pa
        return d


@dataclass(frozen=True)
class GenericDecay:
    """An exponential decay towards zero with no vessel physics: Cd·A is then a rate [s⁻¹].

    For channels whose vessel is unknown (tank quantities, unknown volumes): onset, signature and
    the no-leak test still work; no hole size is given. Depletion default: the value reaches 0 for
    a trend, 10 % of onset for a decay.
    """

    name: str = "generic"
    has_hole_size: bool = False

    def kappa(self, p0: float) -> float:
        return 1.0

    def ratio(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(-x)

    def depletion_coordinate(self, p0: float, threshold: float | None) -> float:
        r = 0.1 if threshold is None else threshold / p0
        return float(-np.log(r)) if 0 < r < 1 else float("nan")

    def leak_rate(self, p0: float, cd_area: float) -> dict[str, float]:
        return {"decay_rate_s": cd_area}

    def describe(self) -> dict[str, Any]:
        return {"kind": "generic"}


VESSELS = {"gas": GasVessel, "liquid": LiquidLoop, "generic": GenericDecay}


def make_vessel(kind: str, **params: Any) -> Vessel:
    """Build a vessel by name (``gas``, ``liquid``, ``generic``); `InputError` on a bad name/param."""
    if kind not in VESSELS:
        raise InputError(f"kind: unknown vessel kind {kind!r} (known: {', '.join(VESSELS)})")
    cls = VESSELS[kind]
    try:
        v = cls(**{k: val for k, val in params.items() if val is not None})
    except TypeError as exc:
        raise InputError(f"kind {kind!r}: {exc}") from None
    for k, val in v.describe().items():
        if isinstance(val, float) and not (np.isfinite(val) and val > 0):
            raise InputError(f"{kind} vessel: {k} must be a finite number > 0, got {val!r}")
    return v
