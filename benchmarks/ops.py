"""Benchmark: thermal-model runs per second and one full plan (`python benchmarks/ops.py --json`)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    from breachkit.ops import plan_case
    from breachkit.ops.thermal import simulate_return

    simulate_return(3)  # warm-up (imports scipy)
    t0 = time.perf_counter()
    for i in range(args.runs):
        simulate_return(1 + i % 3)
    dt = time.perf_counter() - t0
    t1 = time.perf_counter()
    plan_case(ROOT / "cases" / "soyuz-ms22")
    dplan = time.perf_counter() - t1
    out = {
        "benchmark": "ops",
        "thermal_runs_per_s": args.runs / dt,
        "thermal_run_ms": 1e3 * dt / args.runs,
        "plan_case_soyuz_ms22_s": dplan,
    }
    print(json.dumps(out) if args.json else out)


if __name__ == "__main__":
    main()
