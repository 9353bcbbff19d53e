"""Scaling of the fleet risk run: serial, Dask with 1 and 2 local workers (`--json` prints JSON).

The workload is a fixed part of the bundled fleet record (the dockings of the first `--groups`
port groups, at most `--per-group` each) with reduced settings so that a run takes about a
minute on the shared 2-core machine; the per-task costs measured here are what docs/scale.md
scales up. Reported per engine: wall time (cluster start excluded, reported apart), speed-up
and efficiency against the serial run (ideal = number of workers), peak RSS of each worker
process, and the Dask overhead per task ((wall with 1 worker − serial wall) / tasks, and the
round trip of an empty task). The load average (1 min) is recorded with every measurement:
the machine is shared, so absolute times carry the other users' load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from typing import Any

import numpy as np


def _peak_rss_mib() -> float:
    """Peak resident memory of this process [MiB]: VmHWM of /proc/self/status (reset at exec,
    unlike getrusage's ru_maxrss, which a spawned worker inherits from its parent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _noop(x: int) -> int:
    return x


def _workload(groups: int, per_group: int) -> list[Any]:
    from importlib import resources

    from breachkit.fleet.records import read_flights_csv
    from breachkit.geometry import models as gm
    from breachkit.risk.fleet import fleet_dockings
    from breachkit.risk.fleet_run import group_dockings

    rows = read_flights_csv(resources.files("breachkit.data").joinpath("fleet.csv"))
    dk, _ = fleet_dockings(rows, [p.name for p in gm.iss_simplified().ports])
    keep: list[int] = []
    for _, _, idx in group_dockings(dk)[:groups]:
        keep += idx[:per_group]
    return [dk[i] for i in sorted(keep)]


def _serial_task_costs(dockings: list[Any], cfg: Any, mc: Any) -> dict[str, Any]:
    """Time each task of the serial run (group tasks, block tasks) and check the result."""
    from breachkit.risk.fleet_run import block_task, group_dockings, group_task

    group_s, block_s = [], []
    t0 = time.perf_counter()
    for g, (veh, port, members) in enumerate(group_dockings(dockings)):
        t = time.perf_counter()
        gt = group_task(g, veh, port, members, dockings, cfg)
        group_s.append(time.perf_counter() - t)
        for s, e in mc.blocks():
            t = time.perf_counter()
            block_task(gt, cfg, mc, s, e)
            block_s.append(time.perf_counter() - t)
    return {
        "wall_s": time.perf_counter() - t0,
        "group_task_s": group_s,
        "block_task_s": block_s,
        "peak_rss_mib": _peak_rss_mib(),
        "load_avg_1min": os.getloadavg()[0],
    }


def _dask_run(dockings: list[Any], cfg: Any, mc: Any, workers: int) -> dict[str, Any]:
    from breachkit.risk.fleet_run import close_client, dask_client, run_fleet_risk

    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    client = dask_client(None, workers)
    start_s = time.perf_counter() - t
    try:
        # empty-task round trip: the floor of the per-task overhead
        t = time.perf_counter()
        client.gather(client.map(_noop, range(200), pure=False))
        noop_s = (time.perf_counter() - t) / 200
        t = time.perf_counter()
        res = run_fleet_risk(dockings, cfg, mc, engine="dask", client=client)
        wall = time.perf_counter() - t
        rss = client.run(_peak_rss_mib)
    finally:
        close_client(client)
    return {
        "workers": workers,
        "cluster_start_s": start_s,
        "wall_s": wall,
        "noop_task_s": noop_s,
        "peak_rss_mib_per_worker": sorted(rss.values()),
        "load_avg_1min": [load0, os.getloadavg()[0]],
        "draws": res.draws,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--groups", type=int, default=2)
    ap.add_argument("--per-group", type=int, default=4)
    ap.add_argument("--draws", type=int, default=64)
    ap.add_argument("--block", type=int, default=8)
    ap.add_argument("--n-directions", type=int, default=500)
    ap.add_argument("--min-faces", type=int, default=500)
    a = ap.parse_args()

    from breachkit.risk.fleet import FleetRiskConfig
    from breachkit.risk.fleet_run import McSettings, run_fleet_risk

    cfg = FleetRiskConfig(
        n_directions=a.n_directions, min_faces=a.min_faces, yaw_nodes_deg=(-10.0, 0.0, 10.0)
    )
    mc = McSettings(n_draws=a.draws, block=a.block)
    dockings = _workload(a.groups, a.per_group)
    serial = _serial_task_costs(dockings, cfg, mc)
    ref = run_fleet_risk(dockings, cfg, mc, engine="serial")
    runs = [_dask_run(dockings, cfg, mc, w) for w in (1, 2)]
    n_tasks = len(serial["group_task_s"]) + len(serial["block_task_s"])
    for r in runs:
        r["speedup"] = serial["wall_s"] / r["wall_s"]
        r["efficiency_vs_ideal"] = r["speedup"] / r["workers"]
        r["identical_to_serial"] = bool(np.array_equal(r.pop("draws"), ref.draws))
    out = {
        "workload": {
            "dockings": len(dockings),
            "groups": len(serial["group_task_s"]),
            "tasks": n_tasks,
            "draws_per_matrix": a.draws,
            "block": a.block,
            "n_directions": a.n_directions,
            "min_faces": a.min_faces,
            "yaw_nodes": list(cfg.yaw_nodes_deg),
        },
        "cpu_count": os.cpu_count(),
        "serial": serial,
        "dask": runs,
        "dask_overhead_per_task_s": (runs[0]["wall_s"] - serial["wall_s"]) / n_tasks,
        "visibility_saving": ref.timings,
    }
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        for r in runs:
            print(f"{r['workers']} workers: {r['wall_s']:.1f} s (serial {serial['wall_s']:.1f} s)")


if __name__ == "__main__":
    main()
