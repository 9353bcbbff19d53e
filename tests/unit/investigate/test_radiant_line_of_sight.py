"""The environment stage answers the Geminid question from geometry: the MS-22 radiator's
line of sight to the apparent radiant at the leak, station shadowing included, with the attitude
it rests on, its variants, and a warning when it contradicts the agencies' statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachkit._core.casefile import read_case
from breachkit.investigate.pipeline import InvestigationContext
from breachkit.investigate.stages._radiant import agency_statement_warning
from breachkit.investigate.stages.environment import EnvironmentStage

CASE = Path(__file__).resolve().parents[3] / "cases" / "soyuz-ms22"


@pytest.fixture(scope="module")
def stage_out() -> tuple[object, dict]:
    ctx = InvestigationContext(read_case(CASE))
    st = EnvironmentStage()
    res = st.run(ctx)
    return res, st.summarise(res, ctx).to_dict()


def test_geminid_line_of_sight_is_computed_with_its_attitude(stage_out: tuple) -> None:
    res, sec = stage_out
    los = res.shower("GEM").line_of_sight_at_incident
    assert los is not None and los["above_limb"]
    # shadowing can only remove area: clear ≤ facing, and the facing fraction is the
    # check_environment one (same normals, same direction)
    assert 0.0 <= los["fraction_clear_shadowed"] <= los["fraction_facing_unshadowed"] <= 1.0
    assert los["fraction_facing_unshadowed"] == pytest.approx(
        res.shower("GEM").reach_at_incident, abs=1e-9
    )
    assert "+XVV" in los["attitude"] and los["attitude_source"]
    assert los["port"] == "rassvet_nadir"
    q = sec["quantities"]["radiator_fraction_facing_radiant_shadowed_GEM"]
    assert q["value"] == los["fraction_clear_shadowed"] and q["unit"] == "1"
    assert q["source"].startswith("computed:") and "ASSUMPTION" in q["source"]
    assert len(los["by_attitude"]) == 13 and len(los["orbit_sweep"]) == 93


def test_the_disagreement_is_said_next_to_the_result(stage_out: tuple) -> None:
    res, sec = stage_out
    los = res.shower("GEM").line_of_sight_at_incident
    warns = sec["extra"].get("warnings", [])
    if los["fraction_clear_shadowed"] > 0:
        assert [w["kind"] for w in warns] == ["geminid_direction_disagrees"]
        assert "DISAGREES" in warns[0]["text"] and "would have to" in warns[0]["text"]
        assert any(t.startswith("WARNING: breachkit DISAGREES") for t in sec["text"])
    else:
        assert not warns


def _los(f: float, up: bool = True) -> dict:
    return {
        "fraction_clear_shadowed": f, "above_limb": up, "shower": "Geminids", "region": "r",
        "projected_area_clear_m2": 1.0, "fraction_facing_unshadowed": 0.5, "attitude": "+XVV",
        "attitude_source": "s", "port": "p",
        "by_attitude": [{"attitude": "+XVV, yaw +10° from the case's TEA", "fraction_clear": 0.0}],
        "orbit_sweep": [{"minutes": -2.0, "fraction_clear": 0.0},
                        {"minutes": 0.0, "fraction_clear": f}],
        "minutes_to_no_line_of_sight": {"before": -2.0, "after": None},
    }  # fmt: skip


def test_warning_only_when_the_geometry_contradicts_the_statement() -> None:
    assert agency_statement_warning(_los(0.0)) is None
    assert agency_statement_warning(_los(0.3, up=False)) is None
    w = agency_statement_warning(_los(0.3))
    assert w is not None and "30%" in w["text"] and "yaw +10°" in w["text"]
    assert "2 min earlier" in w["text"]
