"""The investigation pipeline: explicit stages run in order over one case folder.

A stage is a small object with a ``name``, the case.toml sections it ``requires``, the breachkit
package it calls (``part``), ``run(context) -> result`` (the part's own result object, computed by
the part's public API) and ``summarise(result, context) -> Section`` (the headline numbers, tables
and plot data, each carrying its source; see `breachkit.investigate.provenance`).

The skip rule is the same for every stage and is decided before it runs:

* a required case.toml section is absent → status ``"not_in_case"`` (reported as "not in this case",
  never filled with made-up numbers);
* the part's package is not installed in this build → ``"unavailable"``;
* otherwise the stage runs → ``"done"``. Bad input raises `InputError` and stops the whole
  investigation before anything is written; each stage's ``check(context)`` validates its
  sections before the first stage starts, so most bad input is caught before any work.

Stages never guess: a later stage reads an earlier one's result through ``context.result_of(name)``
and states which inputs it took from where.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from breachkit._core.casefile import CaseFile, read_case
from breachkit.investigate.provenance import jsonable

__all__ = [
    "InvestigationContext",
    "ProgressObserver",
    "Section",
    "Stage",
    "StageOutcome",
    "StageStatus",
    "run_stages",
]

StageStatus = Literal["done", "not_in_case", "unavailable"]


@dataclass
class Section:
    """What a stage reports: headline quantities, tables, plot data and assumptions.

    ``quantities`` maps a key to a reported quantity (`provenance.quantity`); ``tables`` and
    ``plots`` are lists of `provenance.table` dicts and plot specifications (``{title, kind, x,
    series: [{label, y}], xlabel, ylabel, source}``); ``assumptions`` and ``text`` are sentences;
    ``extra`` holds structured items a section needs (e.g. the attribution's evidence list), each
    carrying its own source.
    """

    quantities: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)
    plots: list[dict[str, Any]] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "quantities": self.quantities,
            "tables": self.tables,
            "plots": self.plots,
            "assumptions": self.assumptions,
            "text": self.text,
            "extra": self.extra,
        }


@dataclass
class StageOutcome:
    """One stage's status, the part's result object and its reported section."""

    name: str
    title: str
    status: StageStatus
    reason: str
    result: Any = None
    section: Section = field(default_factory=Section)
    elapsed_s: float = 0.0

    @property
    def done(self) -> bool:
        return self.status == "done"

    def to_dict(self) -> dict[str, Any]:
        raw = jsonable(self.result) if self.result is not None else None
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "elapsed_s": self.elapsed_s,
            **jsonable(self.section.to_dict()),
            "result": raw,
        }


@dataclass
class InvestigationContext:
    """What a stage may read: the case and the outcomes of the stages before it."""

    case: CaseFile
    outcomes: dict[str, StageOutcome] = field(default_factory=dict)

    @property
    def case_dir(self) -> Path:
        return self.case.folder

    def outcome(self, name: str) -> StageOutcome | None:
        return self.outcomes.get(name)

    def result_of(self, name: str) -> Any:
        """The result object of an earlier stage that ran, or None."""
        o = self.outcomes.get(name)
        return o.result if o is not None and o.done else None


class Stage:
    """Base class of a pipeline stage (subclasses set the class attributes and `run`)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    part: ClassVar[str] = ""  # the breachkit package the stage calls, e.g. "breachkit.risk"
    requires: ClassVar[tuple[str, ...]] = ()  # case.toml sections, all needed
    requires_any: ClassVar[tuple[str, ...]] = ()  # case.toml sections, at least one needed

    def skip_reason(self, context: InvestigationContext) -> tuple[StageStatus, str] | None:
        """Why this stage does not run on this case (status, sentence), or None if it runs."""
        missing = [s for s in self.requires if not context.case.has(s)]
        if missing:
            names = ", ".join(f"[{s}]" for s in missing)
            plural = "s" if len(missing) > 1 else ""
            return "not_in_case", f"not in this case: case.toml has no {names} section{plural}"
        if self.requires_any and not any(context.case.has(s) for s in self.requires_any):
            names = " or ".join(f"[{s}]" for s in self.requires_any)
            return "not_in_case", f"not in this case: case.toml has no {names} section"
        if self.part and not _module_available(self.part):
            return "unavailable", f"{self.part} is not part of this build"
        return None

    def check(self, context: InvestigationContext) -> None:
        """Validate this stage's case sections before anything runs (cheap; raise `InputError`).

        Called for every stage that will run, before the first stage starts, so bad input is
        reported as one line before any progress is shown or any work is done.
        """

    def run(self, context: InvestigationContext) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        """Headline numbers of `result` with provenance; the default reports nothing extra."""
        return Section()

    def describe(self) -> str:
        """One line: what the stage calls and what it reads."""
        reads = ", ".join(f"[{s}]" for s in (*self.requires, *self.requires_any)) or "-"
        return f"{self.name}: {self.part or '-'} (reads {reads})"


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class ProgressObserver(Protocol):
    """Told when each stage starts and ends (the terminal progress bar implements it)."""

    def start(self, stages: Sequence[Stage]) -> None: ...

    def stage_started(self, stage: Stage) -> None: ...

    def stage_finished(self, stage: Stage, outcome: StageOutcome) -> None: ...

    def close(self) -> None: ...


def run_stages(
    case: CaseFile | str | Path,
    stages: Iterable[Stage],
    *,
    progress: ProgressObserver | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[InvestigationContext, list[StageOutcome]]:
    """Run `stages` in order on `case`; return the context and the outcomes in order.

    Bad input (`InputError`) propagates unchanged; nothing is written here.
    """
    case_file = case if isinstance(case, CaseFile) else read_case(case)
    stage_list = list(stages)
    names = [s.name for s in stage_list]
    if len(set(names)) != len(names):
        raise ValueError(f"stage names must be unique, got {names}")
    context = InvestigationContext(case_file)
    outcomes: list[StageOutcome] = []
    for stage in stage_list:  # pre-flight: every section that will be used is valid
        if stage.skip_reason(context) is None:
            stage.check(context)
    if progress is not None:
        progress.start(stage_list)
    try:
        for stage in stage_list:
            if progress is not None:
                progress.stage_started(stage)
            skip = stage.skip_reason(context)
            if skip is not None:
                outcome = StageOutcome(stage.name, stage.title, skip[0], skip[1])
            else:
                t0 = clock()
                result = stage.run(context)
                section = stage.summarise(result, context)
                outcome = StageOutcome(
                    stage.name,
                    stage.title,
                    "done",
                    f"computed by {stage.part}" if stage.part else "computed",
                    result=result,
                    section=section,
                    elapsed_s=clock() - t0,
                )
            context.outcomes[stage.name] = outcome
            outcomes.append(outcome)
            if progress is not None:
                progress.stage_finished(stage, outcome)
    finally:
        if progress is not None:
            progress.close()
    return context, outcomes
