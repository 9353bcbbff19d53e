"""Layering of this part: orchestration (`investigate`) never imports presentation (`report`,
`cli`); the report never imports the CLI; and neither holds a model of its own beyond composing
the parts' public functions."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "breachkit"


def _imports(package: str) -> set[str]:
    names: set[str] = set()
    for path in (SRC / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    return names


def test_investigate_does_not_import_presentation() -> None:
    bad = {
        m for m in _imports("investigate") if m.startswith(("breachkit.report", "breachkit.cli"))
    }
    assert bad == set()


def test_report_does_not_import_the_cli() -> None:
    bad = {m for m in _imports("report") if m.startswith("breachkit.cli")}
    assert bad == set()


def test_report_imports_no_physics_or_model_part() -> None:
    parts = (
        "breachkit.environment",
        "breachkit.damage",
        "breachkit.geometry",
        "breachkit.risk",
        "breachkit.telemetry",
        "breachkit.fleet",
        "breachkit.attribution",
        "breachkit.ops",
    )
    bad = {m for m in _imports("report") if m.startswith(parts)}
    assert bad == set()
