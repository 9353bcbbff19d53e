"""Investigations started from the workbench: each in its own process, with progress and cancel.

A run is one `breachkit.investigate.investigate` of one case folder in a child process (the
``spawn`` start method: no state shared with the server's threads). The child reports each stage's
start and end on a queue and writes ``report.html`` + ``results.json`` (atomically, as the CLI does)
and ``scene.json`` into the run's own folder ``<runs>/<run id>/``, so two runs of one case never
share a file. Cancel terminates the child; a cancelled or failed run leaves no results. At most
``max_active`` runs compute at once; the others wait in order (status ``queued``), and at most
``max_queued`` may wait (then a new run is refused).

The run's state (``status.json`` beside the results) is rewritten atomically at each change, so the
list of finished runs survives a restart of the server.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from breachkit._core.errors import InputError

__all__ = ["Run", "RunManager"]

_TERMINAL = ("done", "failed", "cancelled")


@dataclass
class Run:
    """The state of one run, as the API shows it."""

    run_id: str
    case_id: str
    case_dir: str
    status: str = "queued"  # queued → running → done | failed | cancelled
    created_utc: str = ""
    started_s: float | None = None
    finished_s: float | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    current: str = ""
    message: str = ""
    verdict: str = ""
    posterior_impact: float | None = None
    version: int = 0  # increases at every change (server-sent events send changes only)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _QueueObserver:
    """A `ProgressObserver` that forwards stage events to the parent process."""

    def __init__(self, q: Any) -> None:
        self.q = q

    def start(self, stages: Any) -> None:
        self.q.put(("stages", [{"name": s.name, "title": s.title or s.name} for s in stages]))

    def stage_started(self, stage: Any) -> None:
        self.q.put(("started", stage.name))

    def stage_finished(self, stage: Any, outcome: Any) -> None:
        self.q.put(("finished", {"name": stage.name, "status": outcome.status}))

    def close(self) -> None:
        pass


def _child(case_dir: str, out_dir: str, damaged_region: str | None, q: Any) -> None:
    """The child process: investigate, write the report and the scene, report the verdict."""
    try:
        from breachkit._core.errors import BreachkitError
        from breachkit.investigate import investigate
        from breachkit.report import write_report
        from breachkit.report.atomic import write_files_atomically
        from breachkit.web.scene import build_scene

        try:
            result = investigate(case_dir, progress=_QueueObserver(q))
            scene = build_scene(result, damaged_region)
            out = Path(out_dir)
            write_report(result, out)
            if scene is not None:
                write_files_atomically({out / "scene.json": json.dumps(scene, allow_nan=False)})
            d = result.to_dict()
            q.put(("done", {"verdict": d.get("verdict", ""), "p": d.get("posterior_impact")}))
        except BreachkitError as exc:
            q.put(("failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    except Exception as exc:  # a bug: reported as one line, the server keeps running
        q.put(("failed", f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]))


def _damaged_region(case_dir: Path) -> str | None:
    import tomllib

    try:
        data = tomllib.loads((case_dir / "case.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    region = data.get("evidence", {}).get("damaged_region")
    return region if isinstance(region, str) else None


class RunManager:
    """Starts, tracks, cancels and lists runs; stores each under ``runs_dir``."""

    def __init__(self, runs_dir: Path, *, max_active: int = 1, max_queued: int = 32) -> None:
        self.runs_dir = Path(runs_dir)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.max_active = max_active
        self.max_queued = max_queued
        self._lock = threading.RLock()
        self._runs: dict[str, Run] = {}
        self._procs: dict[str, Any] = {}
        self._queues: dict[str, Any] = {}
        self._pending: list[str] = []
        self._ctx = mp.get_context("spawn")
        self._stop = threading.Event()
        self._load_finished()
        self._thread = threading.Thread(target=self._pump, name="breachkit-runs", daemon=True)
        self._thread.start()

    # ---- public API ---------------------------------------------------------------------------
    def start(self, case_id: str, case_dir: Path) -> Run:
        with self._lock:
            if len(self._pending) >= self.max_queued:
                raise InputError(f"run queue full ({self.max_queued} waiting): try again later")
            run = Run(
                run_id=uuid.uuid4().hex[:12],
                case_id=case_id,
                case_dir=str(case_dir),
                created_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            )
            self._runs[run.run_id] = run
            self._pending.append(run.run_id)
            self._save(run)
            return run

    def get(self, run_id: str) -> Run:
        with self._lock:
            if run_id not in self._runs:
                raise KeyError(run_id)
            return self._runs[run_id]

    def list(self) -> list[Run]:
        with self._lock:
            return sorted(self._runs.values(), key=lambda r: r.created_utc, reverse=True)

    def cancel(self, run_id: str) -> Run:
        with self._lock:
            run = self.get(run_id)
            if run.status in _TERMINAL:
                return run
            if run_id in self._pending:
                self._pending.remove(run_id)
            proc = self._procs.pop(run_id, None)
            if proc is not None:
                proc.terminate()
                proc.join(timeout=5)
            self._queues.pop(run_id, None)
            self._finish(run, "cancelled", "cancelled by the user")
            return run

    def folder(self, run_id: str) -> Path:
        self.get(run_id)
        return self.runs_dir / run_id

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            for run_id in list(self._procs):
                self.cancel(run_id)
        self._thread.join(timeout=5)

    # ---- the pump thread ------------------------------------------------------------------------
    def _pump(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                self._launch_pending()
                for run_id in list(self._queues):
                    self._drain(run_id)
            time.sleep(0.05)

    def _launch_pending(self) -> None:
        while self._pending and len(self._procs) < self.max_active:
            run = self._runs[self._pending.pop(0)]
            out = self.runs_dir / run.run_id
            out.mkdir(parents=True, exist_ok=True)
            q = self._ctx.Queue()
            region = _damaged_region(Path(run.case_dir))
            proc = self._ctx.Process(
                target=_child, args=(run.case_dir, str(out), region, q), daemon=True
            )
            proc.start()
            self._procs[run.run_id], self._queues[run.run_id] = proc, q
            run.status, run.started_s = "running", time.time()
            self._touch(run)

    def _drain(self, run_id: str) -> None:
        run, q = self._runs[run_id], self._queues[run_id]
        while True:
            try:
                kind, payload = q.get_nowait()
            except queue.Empty:
                break
            self._event(run, kind, payload)
            if run.status in _TERMINAL:
                return
        proc = self._procs.get(run_id)
        if proc is not None and not proc.is_alive() and q.empty():
            self._finish(run, "failed", f"the investigation process ended (exit {proc.exitcode})")

    def _event(self, run: Run, kind: str, payload: Any) -> None:
        if kind == "stages":
            run.stages = [{**s, "status": "pending"} for s in payload]
        elif kind == "started":
            run.current = payload
            for s in run.stages:
                if s["name"] == payload:
                    s["status"] = "running"
        elif kind == "finished":
            for s in run.stages:
                if s["name"] == payload["name"]:
                    s["status"] = payload["status"]
        elif kind == "done":
            run.verdict, run.posterior_impact = payload["verdict"], payload["p"]
            self._finish(run, "done", "")
            return
        elif kind == "failed":
            self._finish(run, "failed", payload)
            return
        self._touch(run)

    def _finish(self, run: Run, status: str, message: str) -> None:
        proc = self._procs.pop(run.run_id, None)
        if proc is not None:
            proc.join(timeout=5)
        self._queues.pop(run.run_id, None)
        run.status, run.message, run.finished_s, run.current = status, message, time.time(), ""
        if status != "done":
            for name in ("report.html", "results.json", "scene.json"):
                (self.runs_dir / run.run_id / name).unlink(missing_ok=True)
        self._touch(run)

    # ---- storage --------------------------------------------------------------------------------
    def _touch(self, run: Run) -> None:
        run.version += 1
        self._save(run)

    def _save(self, run: Run) -> None:
        folder = self.runs_dir / run.run_id
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".status.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(run.to_dict()), encoding="utf-8")
        os.replace(tmp, folder / "status.json")

    def _load_finished(self) -> None:
        for status in sorted(self.runs_dir.glob("*/status.json")):
            try:
                run = Run(**json.loads(status.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if run.status not in _TERMINAL:
                run.status, run.message = "failed", "the server stopped during this run"
            self._runs[run.run_id] = run
