"""Terminal progress for an investigation: one rich progress bar over the stages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from breachkit.investigate.pipeline import Stage, StageOutcome

__all__ = ["RichProgress"]

_STATUS_WORD = {"done": "done", "not_in_case": "not in this case", "unavailable": "unavailable"}


class RichProgress:
    """A `ProgressObserver` drawing a rich progress bar (on stderr by default).

    Parameters
    ----------
    console
        A ``rich.console.Console``; default: a new one on stderr, so ``--json`` stdout stays clean.
    """

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console

        self.console = console if console is not None else Console(stderr=True)
        self._progress: Any = None
        self._task: Any = None

    def start(self, stages: Sequence[Stage]) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("investigation", total=len(stages))

    def stage_started(self, stage: Stage) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=f"{stage.title or stage.name}")

    def stage_finished(self, stage: Stage, outcome: StageOutcome) -> None:
        if self._progress is None:
            return
        word = _STATUS_WORD.get(outcome.status, outcome.status)
        timing = f" ({outcome.elapsed_s:.1f} s)" if outcome.done else ""
        self._progress.console.print(f"  {stage.name:<12} {word}{timing}")
        self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description="investigation")
            self._progress.stop()
            self._progress = None
