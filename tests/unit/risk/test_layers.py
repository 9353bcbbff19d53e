"""Layer rule: the risk engine (models layer) never imports the presentation or orchestration."""

from __future__ import annotations

import ast
from pathlib import Path

import breachkit.risk

FORBIDDEN = ("breachkit.cli", "breachkit.report", "breachkit.web", "breachkit.investigate")


def test_risk_does_not_import_higher_layers():
    root = Path(breachkit.risk.__file__).parent
    bad = []
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert not bad, bad
