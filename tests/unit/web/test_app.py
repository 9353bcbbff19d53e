"""The workbench's HTTP API (breachkit.web.app) through Starlette's test client."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx2")

from fastapi.testclient import TestClient

from breachkit.web import create_app
from breachkit.web.security import CaseRoots

ROOT = Path(__file__).resolve().parents[3]
CASES = ROOT / "cases"
MS22_CSV = CASES / "soyuz-ms22" / "ms22_loop_pressure_SYNTHETIC.csv"


@pytest.fixture
def client(tmp_path: Path):
    app = create_app(CaseRoots(CASES), tmp_path / "runs", max_active=2)
    with TestClient(app) as c:
        yield c


def _wait(c: TestClient, run_id: str, timeout_s: float = 240.0) -> dict:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        r = c.get(f"/api/runs/{run_id}").json()
        if r["status"] in ("done", "failed", "cancelled"):
            return r
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not end in {timeout_s} s")


def test_cases_are_listed_with_their_sections(client: TestClient) -> None:
    cases = {c["id"]: c for c in client.get("/api/cases").json()}
    assert "bundled/soyuz-ms22" in cases
    assert "risk" in cases["bundled/soyuz-ms22"]["sections"]
    detail = client.get("/api/cases/bundled/soyuz-ms22/summary").json()
    assert detail["vehicle"] == "Soyuz MS-22"


@pytest.mark.parametrize("case_id", ["bundled/%2E%2E/README.md", "bundled/nope", "root/x"])
def test_unknown_or_escaping_case_is_one_line_400(client: TestClient, case_id: str) -> None:
    r = client.get(f"/api/cases/{case_id}/summary")
    assert r.status_code == 400
    assert "\n" not in r.json()["error"] and r.json()["error"].startswith("case ")


def test_token_is_required_when_set(tmp_path: Path) -> None:
    app = create_app(CaseRoots(CASES), tmp_path / "runs", token="s3cret")
    with TestClient(app) as c:
        assert c.get("/api/cases").status_code == 401
        assert c.get("/api/cases", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/cases", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/static/style.css").status_code == 200  # the page's own files
        r = c.get("/?token=s3cret")
        assert r.status_code == 200 and "breachkit_token" in r.headers.get("set-cookie", "")
        assert c.get("/api/cases").status_code == 200  # the cookie now carries it


def test_upload_is_analysed_and_nothing_is_written(client: TestClient) -> None:
    before = sorted(p.name for p in (CASES / "soyuz-ms22").iterdir())
    with MS22_CSV.open("rb") as fh:
        r = client.post(
            "/api/cases/bundled/soyuz-ms22/telemetry", files={"file": ("loop.csv", fh.read())}
        )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["summary"]["leak"] is True
    assert out["summary"]["source"] == "uploaded file loop.csv"
    assert len(out["plot"]["t_h"]) == len(out["plot"]["data"]) > 100
    assert out["plot"]["onset_h"] > 0
    assert sorted(p.name for p in (CASES / "soyuz-ms22").iterdir()) == before


@pytest.mark.parametrize(
    ("name", "content", "channel", "expected"),
    [
        ("x.png", b"\x89PNG", None, "not a telemetry file"),
        ("x.csv", b"", None, "empty"),
        ("x.csv", MS22_CSV.read_bytes() if MS22_CSV.exists() else b"a,b\n1,2\n", "nope", "nope"),
    ],
)
def test_bad_uploads_get_one_line(
    client: TestClient, name: str, content: bytes, channel: str | None, expected: str
) -> None:
    data = {"channel": channel} if channel else {}
    r = client.post(
        "/api/cases/bundled/soyuz-ms22/telemetry", files={"file": (name, content)}, data=data
    )
    assert r.status_code == 400
    assert expected in r.json()["error"] and "\n" not in r.json()["error"]


def test_oversized_upload_is_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import breachkit.web.upload as up

    monkeypatch.setattr(up, "MAX_UPLOAD_BYTES", 10)
    r = client.post(
        "/api/cases/bundled/soyuz-ms22/telemetry", files={"file": ("x.csv", b"t,p\n" * 10)}
    )
    assert r.status_code == 400 and "limit" in r.json()["error"]


def test_a_case_without_telemetry_says_so(client: TestClient) -> None:
    r = client.post(
        "/api/cases/bundled/nauka-radiator-2023/telemetry", files={"file": ("x.csv", b"t,p\n1,2\n")}
    )
    assert r.status_code == 400 and "no [telemetry] section" in r.json()["error"]


def test_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/api/runs/nope").status_code == 404
    assert client.post("/api/runs", json={"case": 3}).status_code == 400


@pytest.mark.slow
def test_two_runs_of_one_case_at_once_do_not_share_files(client: TestClient) -> None:
    a = client.post("/api/runs", json={"case": "bundled/nauka-radiator-2023"}).json()
    b = client.post("/api/runs", json={"case": "bundled/nauka-radiator-2023"}).json()
    ra, rb = _wait(client, a["run_id"]), _wait(client, b["run_id"])
    assert ra["status"] == rb["status"] == "done", (ra["message"], rb["message"])
    ja = client.get(f"/api/runs/{a['run_id']}/results").json()
    jb = client.get(f"/api/runs/{b['run_id']}/results").json()
    assert ja["posterior_impact"] == jb["posterior_impact"] == ra["posterior_impact"]
    assert ja["case"] == jb["case"]
    assert "<html" in client.get(f"/api/runs/{a['run_id']}/report").text.lower()
    assert [s["status"] for s in ra["stages"]].count("done") >= 1
    events = client.get(f"/api/runs/{a['run_id']}/events").text
    last = json.loads(events.strip().split("\n\n")[-1].removeprefix("data: "))
    assert last["status"] == "done"
    listed = [r["run_id"] for r in client.get("/api/runs").json()]
    assert a["run_id"] in listed and b["run_id"] in listed


@pytest.mark.slow
def test_a_cancelled_run_leaves_no_results(client: TestClient) -> None:
    run = client.post("/api/runs", json={"case": "bundled/soyuz-ms22"}).json()
    time.sleep(1.0)
    assert client.post(f"/api/runs/{run['run_id']}/cancel").json()["status"] == "cancelled"
    r = _wait(client, run["run_id"])
    assert r["status"] == "cancelled"
    assert client.get(f"/api/runs/{run['run_id']}/results").status_code == 404


@pytest.mark.slow
def test_finished_runs_are_listed_after_a_restart(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    app = create_app(CaseRoots(CASES), runs)
    with TestClient(app) as c:
        run = c.post("/api/runs", json={"case": "bundled/nauka-radiator-2023"}).json()
        assert _wait(c, run["run_id"])["status"] == "done"
    with TestClient(create_app(CaseRoots(CASES), runs)) as c:
        assert [r["status"] for r in c.get("/api/runs").json()] == ["done"]
        assert c.get(f"/api/runs/{run['run_id']}/results").status_code == 200
    shutil.rmtree(runs)
