"""The curated public API (`import breachkit`): lazy, complete, and the result writes its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import breachkit
from breachkit.investigate import investigate

from .test_report import DemoStage

SRC = Path(__file__).resolve().parents[3] / "src"


def test_every_public_name_resolves() -> None:
    for name in breachkit.__all__:
        assert getattr(breachkit, name) is not None, name
    assert set(breachkit.__all__) - {"__version__"} == set(breachkit._LAZY)
    assert "CircularOrbit" in breachkit.__all__ and "compute_risk" in breachkit.__all__


def test_import_is_light() -> None:
    code = (
        "import sys, breachkit; heavy = [m for m in ('numpy', 'pandas', 'matplotlib', 'pydantic',"
        " 'rich', 'typer') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    ).stdout.strip()
    assert out == ""


def test_investigate_is_callable_both_ways(minimal_case: Path) -> None:
    import breachkit.investigate as pkg

    assert callable(breachkit.investigate) and callable(pkg)
    r = breachkit.investigate(minimal_case, stages=[DemoStage()])
    assert r.case_name == minimal_case.name


def test_circular_orbit_is_public() -> None:
    o = breachkit.CircularOrbit(altitude_m=418e3, inclination_rad=0.9013)
    assert o.altitude_m == 418e3


def test_result_writes_its_report(minimal_case: Path, tmp_path: Path) -> None:
    r: Any = investigate(minimal_case, stages=[DemoStage()])
    paths = r.write_report(tmp_path / "rep")
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert paths.html.is_file()
    # the top-level assumptions gather the sections' assumptions
    assert "an assumption with <script>alert(1)</script>" in data["assumptions"]


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = breachkit.nope  # type: ignore[attr-defined]
