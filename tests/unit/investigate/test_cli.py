"""``breachkit investigate``: one-line errors with exit 2 and nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breachkit.cli.main import main


def test_missing_case_folder_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = main(["investigate", str(tmp_path / "no-such-case"), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: ") and "no-such-case" in err[0]
    assert not out.exists()


def test_case_folder_without_case_toml_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    code = main(["investigate", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "case file not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_broken_toml_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "bad"
    case.mkdir()
    (case / "case.toml").write_text("[incident\n", encoding="utf-8")
    code = main(["investigate", str(case), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "not valid TOML" in err[0]
    assert not (tmp_path / "out").exists()


def test_out_that_is_a_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "c"
    case.mkdir()
    (case / "case.toml").write_text('title = "empty case"\n', encoding="utf-8")
    target = tmp_path / "afile"
    target.write_text("x", encoding="utf-8")
    code = main(["investigate", str(case), "--out", str(target)])
    assert code == 2 and "--out" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "x"


def test_case_with_no_sections_runs_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "bare"
    case.mkdir()
    (case / "case.toml").write_text('title = "a case with no sections"\n', encoding="utf-8")
    out = tmp_path / "out"
    code = main(["investigate", str(case), "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    data = json.loads(captured.out)
    assert data["verdict"] is None
    assert {s["status"] for s in data["stages"]} == {"not_in_case"}
    assert Path(data["report"]["report_html"]).is_file()
    assert (out / "results.json").is_file()


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["investigate", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--out" in text and "--json" in text


def test_demo_finds_the_bundled_ms22_case(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from breachkit.cli.investigate import find_demo_case

    monkeypatch.chdir(tmp_path)  # not the checkout: falls back on the source tree's cases/
    case = find_demo_case()
    assert case.name == "soyuz-ms22" and (case / "case.toml").is_file()


def test_makefile_demo_runs_the_ms22_investigation() -> None:
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "investigate cases/soyuz-ms22 --out out/soyuz-ms22" in demo
