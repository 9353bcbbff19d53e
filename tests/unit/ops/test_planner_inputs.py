"""Bad [ops] input: one line naming what is wrong; CLI exit 2; the plan's outputs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from breachkit._core.errors import InputError
from breachkit.cli.main import main
from breachkit.ops import plan_case
from breachkit.ops.planner import emergency_probability, jeffreys_rate

CASE = Path(__file__).resolve().parents[3] / "cases" / "soyuz-ms22" / "case.toml"


def _case(tmp_path: Path, old: str, new: str) -> Path:
    text = CASE.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "case.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


BAD = [
    ('vehicle = "Soyuz MS-22"\nlaunch_utc', 'vehicle = "Soyuz MS-99"\nlaunch_utc', "MS-99"),
    ('vehicle = "Soyuz MS-22"\nlaunch_utc', 'vehicle = ""\nlaunch_utc', "vehicle"),
    (
        'nominal_launch_utc = "2023-03-16"',
        'nominal_launch_utc = "2022-11-01"',
        "before the incident",
    ),
    ("seats = 3 ", "seats = 2 ", "only 2 seats"),
]


@pytest.mark.parametrize(("old", "new", "msg"), BAD)
def test_bad_input_one_line_error(tmp_path: Path, old: str, new: str, msg: str) -> None:
    case = _case(tmp_path, old, new)
    with pytest.raises(InputError, match=msg) as exc:
        plan_case(case)
    assert "\n" not in str(exc.value)


def test_cli_bad_input_exit_2(tmp_path: Path, capsys) -> None:
    case = _case(tmp_path, "seats = 3 ", "seats = 2 ")
    assert main(["ops", str(case), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_cli_json_and_files(tmp_path: Path, capsys) -> None:
    assert main(["ops", str(CASE.parent), "--json", "--out", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["thermal"]["peak_cabin_temperature_c"]) >= {"1", "2", "3"}
    kinds = {o["kind"] for o in data["options"]}
    assert kinds == {"return_damaged", "uncrewed_replacement", "redistribute"}
    for o in data["options"]:
        assert {"name", "kind", "mission_length_days", "scores"} <= set(o)
    html = (tmp_path / "ops.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "<script src" not in html
    assert (tmp_path / "ops_timeline.png").stat().st_size > 1000


def test_reprs() -> None:
    p = plan_case(CASE.parent)
    assert "<table>" in p._repr_html_()
    from rich.console import Console

    with Console(record=True, width=160).capture() as cap:
        Console(width=160).print(p)
    assert cap is not None


def test_jeffreys_rate_and_poisson_probability() -> None:
    assert jeffreys_rate(0, 20.0) == pytest.approx(0.025)
    assert emergency_probability(0.025, 365.25) == pytest.approx(1 - math.exp(-0.025))
    assert emergency_probability(0.1, 0.0) == 0.0


def test_crew_member_without_vehicle_field(tmp_path: Path) -> None:
    case = _case(tmp_path, 'name = "Rubio"\nvehicle = "Soyuz MS-22"\n', 'name = "Rubio"\n')
    with pytest.raises(InputError, match=r"\[\[ops.crew\]\] #3 vehicle: Field required"):
        plan_case(case)


def test_earliest_launch_is_nominal_minus_acceleration() -> None:
    p = plan_case(CASE.parent)
    rep = next(o for o in p.options if o.kind == "uncrewed_replacement").replacement
    # nominal 2023-03-16 minus 21 days of compressed processing; docking 2 days later
    assert rep["launch_utc"].date().isoformat() == "2023-02-23"
    assert rep["dock_utc"].date().isoformat() == "2023-02-25"


def test_plain_wait_for_crew9_overruns_starliner_certified_life() -> None:
    p = plan_case(CASE.parents[1] / "starliner-cft-2024")
    plain = next(o for o in p.options if o.kind == "uncrewed_replacement")
    assert [v["vehicle"] for v in plain.certified_life_violations] == ["Starliner Calypso"]
    assert p.best.certified_life_violations == []
