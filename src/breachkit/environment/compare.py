"""Side-by-side numbers of debris populations (what `breachkit env --compare` prints).

For each population: the flux above 0.1, 1 and 10 mm on a randomly tumbling plate, the shares
of a cube fixed in LVLH (ram, one side face — the mean of port and starboard —, wake, zenith,
nadir; the six faces sum to 1 with both side faces) and the flux-weighted mean speed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from breachkit._core.units import JULIAN_YEAR, KM_S, MM
from breachkit.environment.directional import Population

__all__ = ["COMPARE_SIZES_MM", "compare_row", "cube_face_shares"]

COMPARE_SIZES_MM = (0.1, 1.0, 10.0)

_FACES = {
    "ram": (1.0, 0.0, 0.0),
    "wake": (-1.0, 0.0, 0.0),
    "starboard": (0.0, 1.0, 0.0),
    "port": (0.0, -1.0, 0.0),
    "zenith": (0.0, 0.0, -1.0),
    "nadir": (0.0, 0.0, 1.0),
}


def cube_face_shares(pop: Population) -> dict[str, float]:
    """Share of each LVLH cube face in the six faces' total plate flux [-] (size-independent:
    the `Population` is separable in size)."""
    f = pop.flux.sum(axis=1)
    u = pop.directions.vectors
    raw = {k: float((f * np.clip(u @ np.asarray(n), 0.0, None)).sum()) for k, n in _FACES.items()}
    tot = sum(raw.values())
    return {k: v / tot if tot > 0 else float("nan") for k, v in raw.items()}


def compare_row(pop: Population, sizes_mm: Iterable[float] = COMPARE_SIZES_MM) -> dict[str, Any]:
    """One population's row: {name, source, flux_per_m2_per_year (list), shares, mean_speed_km_s}.

    A size outside the population's table gives NaN (with the validity warning silenced here:
    the table shows "—").
    """
    import warnings

    from breachkit._core.validity import ValidityWarning

    sizes = np.asarray(list(sizes_mm), float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        flux = np.atleast_1d(np.asarray(pop.random_plate_flux(sizes * MM), float)) * JULIAN_YEAR
    s = cube_face_shares(pop)
    return {
        "name": pop.name,
        "source": pop.source,
        "sizes_mm": sizes.tolist(),
        "flux_per_m2_per_year": [float(x) for x in flux],
        "shares": {
            "ram": s["ram"],
            "side": 0.5 * (s["starboard"] + s["port"]),
            "wake": s["wake"],
            "zenith": s["zenith"],
            "nadir": s["nadir"],
        },
        "mean_speed_km_s": pop.mean_speed_m_s() / KM_S,
    }
