"""`investigate(case_dir)`: run the default pipeline over a case folder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from breachkit import __version__
from breachkit._core.casefile import read_case
from breachkit.investigate.pipeline import ProgressObserver, Stage, run_stages
from breachkit.investigate.provenance import jsonable
from breachkit.investigate.result import InvestigationResult

__all__ = ["investigate"]


def investigate(
    case_dir: str | Path,
    *,
    stages: Sequence[Stage] | None = None,
    progress: ProgressObserver | bool | None = None,
    what_if: bool = False,
) -> InvestigationResult:
    """Investigate one case: run every stage that applies and collect their results.

    Parameters
    ----------
    case_dir
        The case folder (holding ``case.toml``) or the case.toml itself.
    stages
        The stages to run, in order (default: `default_stages()`).
    progress
        A `ProgressObserver`, ``True`` for a rich progress bar on stderr, or None for silence.
    what_if
        Weigh evidence built on SYNTHETIC data (the attribution stage's what-if); never for a
        real verdict.

    Raises
    ------
    InputError
        The case folder or one of its sections is unusable (one line naming the file and field).
    """
    from breachkit.investigate.stages import default_stages

    case = read_case(case_dir)
    observer: Any = progress
    if progress is True:
        from breachkit.investigate.progress import RichProgress

        observer = RichProgress()
    elif progress is False:
        observer = None
    stage_list = list(stages) if stages is not None else default_stages()
    if what_if:
        for s in stage_list:
            if s.name == "attribution":
                s.what_if = True  # type: ignore[attr-defined]
    _, outcomes = run_stages(case, stage_list, progress=observer)
    incident = case.data.get("incident", {})
    result = InvestigationResult(
        case_name=case.folder.name,
        case_path=str(case.path),
        incident=jsonable(incident) if isinstance(incident, dict) else {},
        outcomes=outcomes,
        created_utc=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        breachkit_version=__version__,
    )
    result.risk_view = _risk_view(result, case.data.get("evidence", {}))
    return result


def _risk_view(result: InvestigationResult, evidence: Any) -> dict[str, Any] | None:
    """The neighbourhood of the damaged region in 3-D, for the report (None without a risk run)."""
    from breachkit.investigate.scene import build_scene, risk_view

    region = evidence.get("damaged_region") if isinstance(evidence, dict) else None
    scene = build_scene(result, region if isinstance(region, str) else None)
    return None if scene is None else risk_view(scene)
