"""The case-file side of shields: one table per region naming a preset and its parameters.

```toml
[shields.radiator]
preset = "radiator"
source = "RKK Energia drawing ... (cite every value)"
params = { face_thickness_m = 0.0003, tube_wall_thickness_m = 0.001, failure_area_fraction = 0.08 }
```

Read with ``breachkit._core.casefile.load_section(case, "shields", ShieldsConfig)`` and turn into
shields with `ShieldsConfig.build()`. Unknown presets, parameters or impossible values give one-line
`InputError`s naming the region and the parameter.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel

from breachkit._core.errors import InputError
from breachkit.damage.shields import AnyShield, get_shield

__all__ = ["ShieldConfig", "ShieldsConfig"]


class ShieldConfig(BaseModel):
    """One region's shield: a registered preset name and SI parameters (or material names)."""

    model_config = ConfigDict(extra="forbid")

    preset: str
    source: str | None = None
    params: dict[str, float | str] = {}

    def build(self, region: str = "") -> AnyShield:
        """The `Shield`; errors are prefixed with ``[shields.<region>]``."""
        try:
            return get_shield(self.preset, **self.params)
        except InputError as exc:
            where = f"[shields.{region}] " if region else ""
            raise InputError(f"{where}{exc.message}") from None


class ShieldsConfig(RootModel[dict[str, ShieldConfig]]):
    """The ``[shields]`` section: region name → `ShieldConfig`."""

    def build(self) -> dict[str, Any]:
        """Region name → shield."""
        return {region: cfg.build(region) for region, cfg in self.root.items()}
