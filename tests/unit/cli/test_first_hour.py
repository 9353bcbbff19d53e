"""A user's first hour (issue 19): missing extras, units in help, bundled cases, small outputs."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from breachkit.cli import _common
from breachkit.cli.main import command, main

REPO = Path(__file__).resolve().parents[3]
CASES = REPO / "cases"


@pytest.fixture
def no_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Block matplotlib as on a plain ``pip install breachkit`` (an import raises ImportError)."""
    for name in list(sys.modules):
        if name == "matplotlib" or name.startswith("matplotlib."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


def test_report_without_matplotlib_names_the_extra(no_matplotlib: None) -> None:
    from breachkit.report import render_html
    from breachkit.report.plots import plots_available

    assert not plots_available()
    results = {
        "case": {"name": "x"},
        "sections": {
            "telemetry": {
                "status": "done",
                "plots": [{"title": "Loop pressure", "kind": "line", "x": [0, 1], "series": []}],
            }
        },
    }
    page = render_html(results)
    assert "Figure not drawn: Loop pressure" in page
    assert "breachkit[plot]" in page


def test_ops_without_matplotlib_writes_the_page(
    no_matplotlib: None, tmp_path: Path, capsys
) -> None:
    rc = main(["ops", str(CASES / "soyuz-ms22"), "--out", str(tmp_path)])
    assert rc == 0, capsys.readouterr().err
    page = (tmp_path / "ops.html").read_text(encoding="utf-8")
    assert "breachkit[plot]" in page
    assert not (tmp_path / "ops_timeline.png").exists()


def test_slow_path_notice_names_the_extras(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setitem(sys.modules, "embreex", None)
    text = _common.slow_path_notice()
    assert text is not None and "slow" in text
    assert "breachkit[geometry,speed]" in text


def test_no_slow_path_notice_when_extras_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "_importable", lambda module: True)
    monkeypatch.delenv("BREACHKIT_KERNELS", raising=False)
    assert _common.slow_path_notice() is None


def _all_commands(cmd, path=()):
    yield path
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _all_commands(sub, (*path, name))


UNITS = ("[m³]", "[m²]", "[kg m⁻³]", "[K]", "[deg]", "[d]")


def test_every_help_renders_and_keeps_units(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    seen = set()
    paths = list(_all_commands(command()))
    assert len(paths) > 10
    for path in paths:
        rc = main([*path, "--help"])
        out = capsys.readouterr().out
        assert rc == 0, path
        assert "<bool>" not in out, path
        seen.update(u for u in UNITS if u in out)
    assert seen == set(UNITS)


def test_printed_tables_keep_units() -> None:
    from rich.console import Console
    from rich.table import Table

    from breachkit.cli.env import FLUX_UNIT_CAPTION

    assert "[m⁻² yr⁻¹]" in FLUX_UNIT_CAPTION
    t = Table(title="area [m²]")
    t.add_column("density [kg m⁻³]")
    con = Console(markup=False, record=True, width=80)
    con.print(t)
    text = con.export_text()
    assert "[m²]" in text and "[kg m⁻³]" in text


BUNDLED = sorted(p.name for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.mark.parametrize("case", BUNDLED)
@pytest.mark.parametrize("cmd", ["ops", "attribute", "risk"])
def test_bundled_case_runs_or_says_not_in_case(case, cmd, tmp_path, capsys) -> None:
    import tomllib

    data = tomllib.loads((CASES / case / "case.toml").read_text(encoding="utf-8"))
    needs = {"ops": ["ops"], "attribute": ["incident"], "risk": ["vehicle", "exposure", "risk"]}
    applies = all(s in data for s in needs[cmd])
    if applies and cmd == "risk":
        pytest.skip("risk runs take tens of seconds: see the slow test")
    args = [cmd, str(CASES / case)]
    if cmd != "attribute":
        args += ["--out", str(tmp_path / "out")]
    if cmd == "attribute":
        args += ["--n-samples", "500"]
    rc = main(args)
    err = capsys.readouterr().err
    if applies:
        assert rc == 0, err
    else:
        assert rc == _common.NOT_IN_CASE_EXIT
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "this case has no" in lines[0]
        assert f"exit {_common.NOT_IN_CASE_EXIT}" in lines[0]


def test_rate_line_in_both_outputs() -> None:
    from breachkit.cli.attribution import RATE_DIFFERENCE, impact_rate_line

    line = impact_rate_line(
        {"mean": 5e-5, "lo": 5e-6, "hi": 5e-4, "source": "X"}, command="attribute"
    )
    assert "5×10⁻⁵ d⁻¹ [5×10⁻⁶, 5×10⁻⁴]" in line and "from X" in line and RATE_DIFFERENCE in line
    from breachkit.cli.investigate import _impact_rate_used

    results = {
        "sections": {
            "attribution": {
                "tables": [
                    {
                        "title": "Prior rates per day of exposure",
                        "rows": [["impact", {"value": 1e-4}, 2e-5, 3e-4, "risk engine"]],
                    }
                ]
            }
        }
    }
    assert _impact_rate_used(results) == {
        "mean": 1e-4,
        "lo": 2e-5,
        "hi": 3e-4,
        "source": "risk engine",
    }


def test_attribute_states_the_rate(capsys) -> None:
    rc = main(["attribute", str(CASES / "soyuz-ms22"), "--n-samples", "500"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Impact rate used by `breachkit attribute`" in out


def test_out_not_creatable_fails_first(capsys) -> None:
    t0 = time.perf_counter()
    rc = main(["investigate", str(CASES / "soyuz-ms22"), "--out", "/proc/nope/x"])
    assert rc == 2
    assert time.perf_counter() - t0 < 5.0
    err = capsys.readouterr().err
    assert err.startswith("error: --out:") and len(err.strip().splitlines()) == 1


def test_out_symlink_in_case_is_not_followed(tmp_path: Path, capsys) -> None:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CASES / "starliner-cft-2024", case)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (case / "out").symlink_to(elsewhere)
    rc = main(["ops", str(case)])
    assert rc == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_fleet_list_hint_and_import_sentence(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'f.sqlite'}"
    assert main(["fleet", "list", "--db", url]) == 0
    assert "fleet import --bundled" in capsys.readouterr().out
    assert main(["fleet", "import", "--bundled", "--db", url]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("Imported the bundled") and "{" not in out


def test_written_files_get_the_usual_mode(tmp_path: Path) -> None:
    from breachkit.report.atomic import write_files_atomically

    old = os.umask(0o022)
    try:
        (p,) = write_files_atomically({tmp_path / "a.html": "x"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.01e304, "1.01×10³⁰⁴"),
        (0.123456789, "0.123"),
        (12, "12"),
        (2.5e-7, "2.5×10⁻⁷"),
        (5e-5, "5×10⁻⁵"),
        (-3.2e9, "-3.2×10⁹"),
        (None, "n/a"),
    ],
)
def test_fmt_num(value, text) -> None:
    assert _common.fmt_num(value) == text


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in BUNDLED if c != "starliner-cft-2024"])
def test_bundled_risk_runs(case, tmp_path, capsys) -> None:
    import tomllib

    data = tomllib.loads((CASES / case / "case.toml").read_text(encoding="utf-8"))
    rc = main(["risk", str(CASES / case), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    if "risk" in data:
        assert rc == 0, err
    else:
        assert rc == _common.NOT_IN_CASE_EXIT, err


def test_starliner_report_says_not_in_case_once_and_has_no_soyuz_thermal(tmp_path: Path) -> None:
    import re

    rc = main(["investigate", str(CASES / "starliner-cft-2024"), "--out", str(tmp_path)])
    assert rc == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"not in this case\W+not in this case", page)
    assert "Descent module without the external loop" not in page
    data = __import__("json").loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["assumptions"], "the top-level assumptions gather the sections' ones"
