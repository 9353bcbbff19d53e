"""The environment stage uses a known orbit node (case [orbit] raan_deg + epoch_utc) for showers."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from breachkit._core.orbit import CircularOrbit
from breachkit.investigate.environment_check import check_environment

T = datetime(2022, 12, 15, 0, 45, tzinfo=UTC)
KW = dict(
    time_utc=T,
    altitude_m=418e3,
    inclination_rad=np.radians(51.64),
    populations=["sporadic"],
    meteoroid_model="grun-ssp30425",
    f107_sfu=None,
    debris_density="handbook-2.8",
    psi_table="spenvis",
)


def test_known_node_is_used_and_said() -> None:
    unknown = check_environment(**KW)
    known = check_environment(
        **KW,
        orbit=CircularOrbit(418e3, np.radians(51.64), raan_rad=np.radians(160.71), epoch=T),
    )
    gem_u = next(s for s in unknown.showers if s.code == "GEM")
    gem_k = next(s for s in known.showers if s.code == "GEM")
    # one node instead of twelve: the radiant's visible fraction along the orbit changes
    assert gem_k.visible_fraction != gem_u.visible_fraction
    assert any("Ω = 160.71°" in n for n in known.notes)
    assert not any("node known" in n for n in unknown.notes)


def test_radiant_at_the_incident_when_the_position_is_known() -> None:
    """The Geminid direction at the MS-22 leak from the case orbit (node and argument of latitude
    of the bundled ISS element set at the leak) equals the SGP4-state answer of the env command
    (az 296.2°, el +29.7°, docs/environment.md §11) to 0.5° (the case's 418 km vs 416.7 km)."""
    orbit = CircularOrbit(
        418e3,
        np.radians(51.64),
        raan_rad=np.radians(160.71),
        argument_of_latitude_rad=np.radians(344.25),
        epoch=T,
    )
    chk = check_environment(**KW, orbit=orbit, position_known=True)
    gem = next(s for s in chk.showers if s.code == "GEM")
    assert gem.azimuth_at_incident_deg is not None and gem.elevation_at_incident_deg is not None
    assert abs(gem.azimuth_at_incident_deg - 296.2) < 0.5
    assert abs(gem.elevation_at_incident_deg - 29.7) < 0.5
    assert gem.above_limb_at_incident is True
    # without a known position nothing is claimed about the instant
    gem_avg = next(s for s in check_environment(**KW, orbit=orbit).showers if s.code == "GEM")
    assert gem_avg.azimuth_at_incident_deg is None
