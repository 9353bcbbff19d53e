"""Peak memory of building the shower populations (`build_environment(populations=("showers",))`).

Usage: python benchmarks/shower_beams_memory.py [--json] [--n-times 6] [--n-positions 36]
       [--n-raan 12]
Measures the peak of Python-tracked allocations (tracemalloc, which numpy reports to) while the
Geminid population of the MS-22 window is built, and the number of beams (times × nodes ×
positions) it averages. Prints one JSON line with --json.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit.environment.builder import build_environment


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--n-times", type=int, default=6)
    ap.add_argument("--n-positions", type=int, default=36)
    ap.add_argument("--n-raan", type=int, default=12)
    a = ap.parse_args()
    orbit = CircularOrbit(420e3, 51.6 * DEG)
    tracemalloc.start()
    t0 = time.perf_counter()
    env = build_environment(
        orbit,
        "2022-12-14T12:00:00Z",
        "2022-12-15T12:00:00Z",
        populations=("showers",),
        showers=("GEM",),
        n_times=a.n_times,
        n_positions=a.n_positions,
        n_raan=a.n_raan,
    )
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = {
        "benchmark": "shower_beams_memory",
        "n_beams": a.n_times * a.n_raan * a.n_positions,
        "peak_mib": round(peak / 2**20, 2),
        "seconds": round(dt, 3),
        "gem_flux_sum_m2_s": float(env["GEM"].flux.sum()),
    }
    print(json.dumps(out) if a.json else out)


if __name__ == "__main__":
    main()
