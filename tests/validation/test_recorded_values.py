"""Refactors change no number: values recorded at f8c7967 (before the stages/thermal/FaceSet
splits) recomputed now. `scripts/record_values.py` records them (numpy kernels, so the order of
operations is fixed and the comparison is to the last bit)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "recorded_values.json").read_text())


def _script():
    spec = importlib.util.spec_from_file_location(
        "record_values", ROOT / "scripts" / "record_values.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_thermal_model_unchanged_to_the_bit() -> None:
    assert _script().thermal_values() == RECORDED["thermal"]


@pytest.mark.slow
def test_ms22_risk_unchanged_to_the_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("trimesh")
    monkeypatch.setenv("BREACHKIT_KERNELS", "numpy")
    assert _script().risk_values() == RECORDED["risk"]
