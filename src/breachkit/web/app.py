"""The workbench's HTTP API and page (FastAPI): cases, runs with live progress, 3-D scene, uploads.

Routes (JSON unless stated):

* ``GET /`` the page; ``GET /static/...`` its scripts, style and the vendored three.js.
* ``GET /api/cases`` the case folders (bundled and under ``--root``); ``GET /api/cases/{id}``
  one case's incident and sections.
* ``POST /api/runs`` ``{"case": id}`` starts an investigation (202); ``GET /api/runs`` lists them;
  ``GET /api/runs/{run}`` its state; ``GET /api/runs/{run}/events`` server-sent events of its state
  until it ends; ``POST /api/runs/{run}/cancel``.
* ``GET /api/runs/{run}/results`` results.json, ``/report`` report.html (HTML), ``/scene`` the
  3-D scene.
* ``POST /api/cases/{id}/telemetry`` (multipart: ``file``, optional ``channel``) analyses an
  uploaded record with the case's ``[telemetry]`` section.

Bad input answers 400 (422 for a malformed request) with ``{"error": "<the one line the CLI would
print>"}``; the server keeps running and writes nothing. With a token set every route but the
static files needs it.
"""

from __future__ import annotations

import asyncio
import json
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from breachkit._core.errors import InputError
from breachkit.web.runs import RunManager
from breachkit.web.security import CaseRoots, token_matches
from breachkit.web.upload import MAX_UPLOAD_BYTES, analyse_upload

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
_SECTIONS = ("environment", "vehicle", "risk", "telemetry", "evidence", "attribution", "ops")


def _case_summary(case_id: str, folder: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {"id": case_id, "name": folder.name, "error": f"case.toml: {exc}".splitlines()[0]}
    incident = data.get("incident", {}) if isinstance(data.get("incident"), dict) else {}
    return {
        "id": case_id,
        "name": folder.name,
        "vehicle": str(incident.get("vehicle", "")),
        "time_utc": str(incident.get("time_utc", "")),
        "description": str(incident.get("description", "")),
        "sections": [s for s in _SECTIONS if s in data],
    }


def _error(status: int, message: str) -> Any:
    return JSONResponse({"error": message}, status_code=status)


def _add_token_guard(app: Any, token: str | None) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        if token is None or request.url.path.startswith("/static/"):
            return await call_next(request)
        auth = request.headers.get("authorization", "")
        given = auth[7:] if auth.lower().startswith("bearer ") else None
        given = given or request.query_params.get("token") or request.cookies.get("breachkit_token")
        if not token_matches(token, given):
            return _error(401, "access token required: open the URL the server printed at start")
        response = await call_next(request)
        if request.query_params.get("token"):
            response.set_cookie("breachkit_token", token, httponly=True, samesite="strict")
        return response


def _case_routes(app: Any, roots: CaseRoots) -> None:
    @app.get("/api/cases")
    def list_cases() -> Any:
        return [_case_summary(cid, roots.resolve(cid)) for cid in roots.list_ids()]

    @app.get("/api/cases/{case_id:path}/summary")
    def case_detail(case_id: str) -> Any:
        return _case_summary(case_id, roots.resolve(case_id))

    @app.post("/api/cases/{case_id:path}/telemetry")
    async def upload_telemetry(
        case_id: str,
        file: Annotated[UploadFile, File()],
        channel: Annotated[str | None, Form()] = None,
    ) -> Any:
        folder = roots.resolve(case_id)
        content = await file.read(MAX_UPLOAD_BYTES + 1)
        return await asyncio.to_thread(
            analyse_upload, folder, file.filename or "", content, channel or None
        )


def _run_routes(app: Any, roots: CaseRoots, runs: RunManager) -> None:
    @app.post("/api/runs", status_code=202)
    def start_run(payload: Annotated[dict[str, Any], Body()]) -> Any:
        case_id = payload.get("case")
        if not isinstance(case_id, str):
            raise InputError('run: the body must be {"case": "<case id>"}')
        return runs.start(case_id, roots.resolve(case_id)).to_dict()

    @app.get("/api/runs")
    def list_runs() -> Any:
        return [r.to_dict() for r in runs.list()]

    @app.get("/api/runs/{run_id}")
    def get_run(run_id: str) -> Any:
        return runs.get(run_id).to_dict()

    @app.post("/api/runs/{run_id}/cancel")
    def cancel_run(run_id: str) -> Any:
        return runs.cancel(run_id).to_dict()

    @app.get("/api/runs/{run_id}/events")
    async def run_events(run_id: str) -> Any:
        runs.get(run_id)

        async def stream() -> Any:
            seen = -1
            while True:
                run = runs.get(run_id)
                if run.version != seen:
                    seen = run.version
                    yield f"data: {json.dumps(run.to_dict())}\n\n"
                if run.status in ("done", "failed", "cancelled"):
                    return
                await asyncio.sleep(0.25)

        return StreamingResponse(stream(), media_type="text/event-stream")

    def _file(run_id: str, name: str, media: str) -> Any:
        path = runs.folder(run_id) / name
        if runs.get(run_id).status != "done" or not path.is_file():
            return _error(404, f"run {run_id}: no {name} (the run has not finished)")
        return FileResponse(path, media_type=media)

    @app.get("/api/runs/{run_id}/results")
    def run_results(run_id: str) -> Any:
        return _file(run_id, "results.json", "application/json")

    @app.get("/api/runs/{run_id}/report")
    def run_report(run_id: str) -> Any:
        return _file(run_id, "report.html", "text/html")

    @app.get("/api/runs/{run_id}/scene")
    def run_scene(run_id: str) -> Any:
        return _file(run_id, "scene.json", "application/json")


def create_app(
    roots: CaseRoots, runs_dir: Path, *, token: str | None = None, max_active: int = 1
) -> Any:
    """The FastAPI application of the workbench (needs the ``web`` extra)."""
    runs = RunManager(runs_dir, max_active=max_active)

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        yield
        runs.close()

    app = FastAPI(title="breachkit workbench", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.runs = runs

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Any:
        return _error(400, str(exc).splitlines()[0])

    @app.exception_handler(KeyError)
    async def unknown(request: Request, exc: KeyError) -> Any:
        return _error(404, f"not found: {exc.args[0] if exc.args else ''}")

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Any:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, f"request {where}: {first.get('msg', 'malformed')}")

    _add_token_guard(app, token)
    _case_routes(app, roots)
    _run_routes(app, roots, runs)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/")
    def index() -> Any:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return app
