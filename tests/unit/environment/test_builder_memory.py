"""`_shower_beams` keeps beams as flat arrays: same result as the former dense-diagonal formula."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import to_utc
from breachkit._core.units import DEG
from breachkit.environment import builder
from breachkit.environment.builder import _shower_beams, _times, bin_beams
from breachkit.environment.directional import DirectionGrid, Population
from breachkit.environment.showers import shower_population

ISS = CircularOrbit(420e3, 51.6 * DEG)


def _old_shower_beams(
    code: str,
    orbit: CircularOrbit,
    times: Sequence[Any],
    n_positions: int,
    n_raan: int,
    density_kg_m3: float,
) -> Population:
    """The formula before the fix (commit e8f4149), kept verbatim as the reference."""
    parts: list[Population] = []
    known_node = orbit.epoch is not None
    for t in times:
        if known_node:
            dt = (to_utc(t) - to_utc(orbit.epoch)).total_seconds()
            raans = np.array([orbit.raan_rad + orbit.raan_rate_rad_s * dt])
        else:
            raans = 2.0 * np.pi * (np.arange(n_raan) + 0.5) / n_raan
        for om in raans:
            parts.append(
                shower_population(
                    code,
                    orbit,
                    t,
                    raan_rad=float(om),
                    n_positions=n_positions,
                    density_kg_m3=density_kg_m3,
                )
            )
    n = len(parts)
    vec = np.concatenate([p.directions.vectors for p in parts])
    spd = np.concatenate([p.speed_m_s for p in parts])
    flx = np.concatenate([np.diag(p.flux) for p in parts]) / n
    first = parts[0]
    return Population(
        name=first.name,
        kind="meteoroid",
        directions=DirectionGrid(vec, np.zeros(vec.shape[0]), "lvlh"),
        speed_m_s=spd,
        flux=np.diag(flx),
        reference_diameter_m=first.reference_diameter_m,
        diameter_grid_m=first.diameter_grid_m,
        cumulative_fraction=first.cumulative_fraction,
        density_kg_m3=first.density_kg_m3,
        source=first.source + f"; averaged over {n} (time, node) samples × positions",
    )


def _assert_same(a: Population, b: Population, rtol: float = 0.0) -> None:
    np.testing.assert_allclose(a.flux, b.flux, rtol=rtol, atol=0.0)
    np.testing.assert_allclose(a.speed_m_s, b.speed_m_s, rtol=rtol, atol=0.0)
    np.testing.assert_array_equal(a.directions.vectors, b.directions.vectors)
    np.testing.assert_array_equal(a.cumulative_fraction, b.cumulative_fraction)
    assert a.source == b.source and a.name == b.name and a.density_kg_m3 == b.density_kg_m3


@pytest.mark.parametrize(
    ("orbit", "code"),
    [
        (ISS, "GEM"),
        (CircularOrbit(420e3, 51.6 * DEG, raan_rad=1.0, epoch="2022-12-14T00:00:00Z"), "GEM"),
        (ISS, "URS"),
    ],
)
def test_shower_beams_equal_the_former_dense_formula(orbit, code):
    times = _times("2022-12-14T12:00:00Z", "2022-12-15T12:00:00Z", 3)
    old = bin_beams(_old_shower_beams(code, orbit, times, 10, 4, 1000.0), 128)
    new = _shower_beams(code, orbit, times, 10, 4, 1000.0, 128)
    _assert_same(new, old)  # same beams, same accumulation order: bit-identical


def test_chunked_positions_equal_one_call(monkeypatch):
    times = _times("2022-12-15T00:45:00Z", None, 1)
    whole = _shower_beams("GEM", ISS, times, 23, 3, 1000.0, 200)
    monkeypatch.setattr(builder, "_POSITION_CHUNK", 5)
    chunked = _shower_beams("GEM", ISS, times, 23, 3, 1000.0, 200)
    # rescaling each chunk by size/n changes only the last bits
    _assert_same(chunked, whole, rtol=1e-12)


def test_no_positions_is_an_input_error():
    with pytest.raises(InputError, match="n_positions"):
        _shower_beams("GEM", ISS, _times("2022-12-15T00:45:00Z", None, 1), 0, 1, 1000.0, 64)
