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
