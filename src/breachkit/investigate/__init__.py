"""Orchestration of one investigation: environment → risk → telemetry → fleet → attribution → crew
return, over one case folder.

    >>> from breachkit.investigate import investigate
    >>> result = investigate("cases/soyuz-ms22")          # doctest: +SKIP
    >>> result.posterior_impact, result.verdict           # doctest: +SKIP

Each stage calls one part's public API; a stage whose case.toml section is absent is reported as
"not in this case". See `breachkit.investigate.pipeline` for the stage contract and
`breachkit.investigate.provenance` for how every reported number carries its source.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from breachkit.investigate.pipeline import (
    InvestigationContext,
    ProgressObserver,
    Section,
    Stage,
    StageOutcome,
    run_stages,
)
from breachkit.investigate.provenance import quantity, table
from breachkit.investigate.result import InvestigationResult
from breachkit.investigate.run import investigate
from breachkit.investigate.stages import default_stages

__all__ = [
    "InvestigationContext",
    "InvestigationResult",
    "ProgressObserver",
    "Section",
    "Stage",
    "StageOutcome",
    "default_stages",
    "investigate",
    "quantity",
    "run_stages",
    "table",
]


class _CallableModule(types.ModuleType):
    """This package, callable: ``breachkit.investigate(case)`` runs `investigate` (the public
    API exports the function under the package's own name)."""

    def __call__(self, *args: Any, **kwargs: Any) -> InvestigationResult:
        return investigate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
