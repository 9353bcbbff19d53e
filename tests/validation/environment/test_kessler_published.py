"""The eccentric-orbit (Kessler 1981) debris directions against published and model values.

Population: `assumed_debris_orbits` (an assumed orbit mix, docs/environment.md §4.3), so
these comparisons test the geometry with that mix, not a catalogue.
"""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM, KM_S
from breachkit.environment.kessler_debris import kessler_debris_population


def _pop(h_km: float, i_deg: float, year: float = 2022.5):
    return kessler_debris_population(CircularOrbit(h_km * KM, i_deg * DEG), year, 100.0)


def _shares(pop) -> dict[str, float]:
    u = pop.directions.vectors
    f = pop.flux.sum(axis=1)
    f = f / f.sum()
    az = np.degrees(np.abs(np.arctan2(u[:, 1], u[:, 0])))
    el = np.degrees(np.arcsin(-u[:, 2]))
    return {
        "front": float(f[az < 90].sum()),
        "el10": float(f[np.abs(el) < 10].sum()),
        "v": pop.mean_speed_m_s() / KM_S,
        "vmax": float(pop.speed_m_s.max() / KM_S),
    }


def test_mean_speed_at_30_deg_cour_palais_1987():
    """Cour-Palais (1987), IJIE 5 p.222, on the Kessler (1982) model: mean debris collision
    speed 10 km/s at 30° inclination. Tolerance ±0.5 km/s: the published value is given to
    one km/s and the speed bins are 0.5 km/s wide."""
    assert _shares(_pop(400, 30))["v"] == pytest.approx(10.0, abs=0.5)


def test_mean_speed_at_60_deg_cour_palais_1987_is_not_reproduced():
    """Same source: 14 km/s at 60°. With the assumed orbit mix the eccentric model gives
    11.0 km/s, like the circular one (docs/environment.md §4.3): the shortfall comes from the
    mix, not from circular geometry. The test pins the known gap (3 ± 0.5 km/s)."""
    assert 14.0 - _shares(_pop(400, 60))["v"] == pytest.approx(3.0, abs=0.5)


def test_speed_range_ecss_master2005():
    """ECSS-E-ST-10-04C Annex J.2.2.1.3 (MASTER-2005): debris impact speeds range 0 to about
    15.5 km/s. The assumed mix's transfer-orbit classes (e 0.25, 0.7) reach 17 km/s head-on
    at perigee; the flux above 16 km/s (15.5 plus one 0.5-km/s bin) must stay below 1 %."""
    pop = _pop(400, 51.6)
    w = pop.flux.sum(axis=0)
    assert w[pop.speed_m_s > 16.0 * KM_S].sum() / w.sum() < 0.01


@pytest.mark.shared
def test_direction_shapes_against_master_2009_real_output(shared_dir):
    """MASTER-2009 v7.02 output for a 600 km, 30° orbit, 2009-04 to 2009-06, ≥ 0.1 mm
    (../shared/data/flux-formats README), read with azimuth 0 = ram declared. Cross-model:
    MASTER's sub-mm flux is mostly paint flakes, ejecta and SRM slag, which the assumed mix
    does not represent. Tolerances: mean speed ±0.5 km/s (one MASTER velocity class is
    0.5 km/s); front (|az| < 90°) and |el| < 10° shares ±0.05 (MASTER puts 3 % of the flux
    behind and 3.4 % beyond 10°, the assumed mix ~0 %)."""
    from breachkit.environment.master import read_master_run

    run = shared_dir / "data" / "flux-formats" / "master-2009" / "h600_i30"
    m = read_master_run(
        run,
        azimuth_zero="ram",
        azimuth_positive="starboard",
        elevation_positive="zenith",
        direction="source",
        flux_area="cross_section",
    )
    ms, ks = _shares(m), _shares(_pop(600, 30, 2009.4))
    assert ks["v"] == pytest.approx(ms["v"], abs=0.5)
    assert ks["front"] == pytest.approx(ms["front"], abs=0.05)
    assert ks["el10"] == pytest.approx(ms["el10"], abs=0.05)
    assert ks["vmax"] == pytest.approx(ms["vmax"], abs=0.5)
