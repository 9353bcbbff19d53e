"""Fixtures for the investigation tests: tiny case folders and fake parts (tests only)."""

from __future__ import annotations

import importlib.machinery
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

MINIMAL_CASE = """\
[incident]
time_utc = "2022-12-15T00:45:00Z"
vehicle = "Soyuz MS-22"
system = "external coolant loop"
description = "coolant <leak> & flakes"  # characters that must be escaped in HTML
source = "NASA ISS blog, 2022-12-19"
"""


@pytest.fixture
def minimal_case(tmp_path: Path) -> Path:
    """A case with only an [incident] section (every other stage is 'not in this case')."""
    folder = tmp_path / "mini-case"
    folder.mkdir()
    (folder / "case.toml").write_text(MINIMAL_CASE, encoding="utf-8")
    return folder


class FakeResult:
    """A part's result object: only `to_dict()`, like the real ones."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return dict(self._data)


@pytest.fixture
def fake_part(monkeypatch: pytest.MonkeyPatch) -> Callable[..., types.ModuleType]:
    """Install a fake ``breachkit.<part>`` module exposing the given functions (tests only)."""

    def install(name: str, **functions: Any) -> types.ModuleType:
        mod = types.ModuleType(name)
        mod.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
        for k, v in functions.items():
            setattr(mod, k, v)
        monkeypatch.setitem(sys.modules, name, mod)
        return mod

    return install
