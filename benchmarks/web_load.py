"""Benchmark: the workbench under load on loopback (50 concurrent clients for 60 s).

A real ``breachkit serve`` is started on a free 127.0.0.1 port (one investigation computed at a
time). Each client loops: the page, the case list, one case's summary, the run list, and polls one
run's state; `--starters` of the clients also start one investigation each (the Nauka case, the
quickest) and poll it to the end. Every answer must be 2xx: anything else, or a transport error,
counts as an error. Reports p50/p95/p99 latency per kind of request, the error count, the runs
started and finished, and the load average (the machine is shared). Bounded in time and count;
traffic goes only to this machine.

Run:  python benchmarks/web_load.py --json                 (50 clients, 60 s)
      python benchmarks/web_load.py --json --clients 10 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(runs: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    cmd = [sys.executable, "-m", "breachkit", "serve", "--port", str(port), "--runs", str(runs)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/api/cases", timeout=1).read()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the server did not start")


async def _client(http, url: str, until: float, starter: bool, stats: dict) -> None:
    async def get(kind: str, path: str, method: str = "GET", **kw):
        t0 = time.perf_counter()
        try:
            r = await http.request(method, url + path, **kw)
            ok = 200 <= r.status_code < 300
        except Exception:
            r, ok = None, False
        stats.setdefault(kind, []).append(time.perf_counter() - t0)
        if not ok:
            stats["errors"] += 1
        return r

    run_id = None
    if starter:
        r = await get(
            "start_run", "/api/runs", "POST", json={"case": "bundled/nauka-radiator-2023"}
        )
        if r is not None and r.status_code == 202:
            run_id = r.json()["run_id"]
            stats["runs_started"] += 1
    done = False
    while time.monotonic() < until:
        await get("page", "/")
        cases = await get("cases", "/api/cases")
        if cases is not None and cases.status_code == 200 and cases.json():
            await get("case", f"/api/cases/{cases.json()[0]['id']}/summary")
        runs = await get("runs", "/api/runs")
        target = run_id
        if target is None and runs is not None and runs.status_code == 200 and runs.json():
            target = runs.json()[0]["run_id"]
        if target is not None:
            st = await get("run_state", f"/api/runs/{target}")
            if run_id and not done and st is not None and st.json().get("status") == "done":
                done = True
                stats["runs_done"] += 1
                await get("results", f"/api/runs/{run_id}/results")
        await asyncio.sleep(0.05)


async def _load(url: str, clients: int, seconds: float, starters: int) -> dict:
    import httpx2

    stats: dict = {"errors": 0, "runs_started": 0, "runs_done": 0}
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(timeout=60.0, limits=limits) as http:
        until = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(http, url, until, i < starters, stats) for i in range(clients))
        )
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--starters", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="breachkit-load-") as tmp:
        proc, url = _start_server(Path(tmp) / "runs")
        try:
            load0 = os.getloadavg()[0]
            t0 = time.perf_counter()
            stats = asyncio.run(_load(url, args.clients, args.seconds, args.starters))
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    kinds = [k for k, v in stats.items() if isinstance(v, list)]
    lat = {
        k: {
            "n": len(stats[k]),
            "p50_ms": float(np.percentile(stats[k], 50) * 1e3),
            "p95_ms": float(np.percentile(stats[k], 95) * 1e3),
            "p99_ms": float(np.percentile(stats[k], 99) * 1e3),
        }
        for k in kinds
    }
    every = np.concatenate([np.asarray(stats[k]) for k in kinds])
    out = {
        "benchmark": "web_load",
        "clients": args.clients,
        "seconds": args.seconds,
        "wall_s": wall,
        "requests": int(every.size),
        "requests_per_s": float(every.size / wall),
        "errors": stats["errors"],
        "p50_ms": float(np.percentile(every, 50) * 1e3),
        "p99_ms": float(np.percentile(every, 99) * 1e3),
        "runs_started": stats["runs_started"],
        "runs_done": stats["runs_done"],
        "by_kind": lat,
        "loadavg_1min_at_start": load0,
        "loadavg_1min_at_end": os.getloadavg()[0],
    }
    print(json.dumps(out) if args.json else json.dumps(out, indent=1))
    return 1 if stats["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
