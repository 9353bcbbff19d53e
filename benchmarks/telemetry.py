"""Benchmark: ingest + onset + fit on 10⁷ samples, and ruptures' PELT on the same synthetic set.

The synthetic set: an MS-22-like liquid loop (44 L, accumulator gas 1 L, 3 atm, 0.8 mm hole,
Cd 0.611) sampled every 10 ms for 10⁵ s (10⁷ samples), onset at 40 000 s, Gaussian noise
σ = 600 Pa (0.2 %), quantisation 100 Pa; fixed seed. Written once to a CSV (epoch seconds) in the
system temporary folder, then measured in a fresh child process so that the peak memory (ru_maxrss)
is that of ingest + analysis only.

breachkit: `read_telemetry` (pandas C parser, float64 time, float32 values beyond 10⁶ samples) →
`analyze` (decimation to 2000 bin means, grids, Nelder-Mead refinements).
PELT (ruptures, model "l2", penalty 2σ²ln n): it cannot take 10⁷ samples in reasonable time (its
cost is O(n) at best and O(n²) at worst, in pure Python per candidate), so it runs on the 2000-point
subsample of bin means (each a mean of 5000 samples; 10⁴ means already took 253 s), which is what it would be given in practice;
the first change point it returns is its onset estimate.

Run:  python benchmarks/telemetry.py --json     (one JSON line)
      python benchmarks/telemetry.py --json --samples 1000000   (smaller)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ONSET = 40_000.0
DURATION = 100_000.0


def _generate(n: int, path: Path) -> None:
    from breachkit.telemetry import LiquidLoop
    from breachkit.telemetry.simulate import true_pressure

    rng = np.random.default_rng(20221215)
    v = LiquidLoop(44e-3, 1e-3, 1000.0)
    t = np.linspace(0.0, DURATION, n)
    p = true_pressure(t, v, 3 * 101325.0, hole_diameter_m=0.8e-3, onset_s=ONSET)
    p += rng.normal(0.0, 600.0, n)
    p = np.round(p / 100.0) * 100.0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w") as fh:
        fh.write("epoch_s,p_pa\n")
        block = 1_000_000
        for i in range(0, n, block):
            np.savetxt(
                fh,
                np.column_stack([1671062400.0 + t[i : i + block], p[i : i + block]]),
                fmt=["%.3f", "%.0f"],
                delimiter=",",
            )
    tmp.replace(path)


def _measure(path: Path, n: int) -> dict[str, object]:
    from breachkit.telemetry import LiquidLoop, analyze, read_telemetry
    from breachkit.telemetry.inference import bin_series

    v = LiquidLoop(44e-3, 1e-3, 1000.0)
    t0 = time.perf_counter()
    s = read_telemetry(path, "p_pa", "Pa", time_column="epoch_s")
    t1 = time.perf_counter()
    r = analyze(s, v)
    t2 = time.perf_counter()
    out: dict[str, object] = {
        "samples": n,
        "ingest_s": t1 - t0,
        "analyze_s": t2 - t1,
        "total_s": t2 - t0,
        "leak": r.leak,
        "signature": r.signature,
        "onset_error_s": r.fit.onset_s - ONSET,
        "onset_ci_s": list(r.onset_ci_s),
        "hole_diameter_mm": (r.hole_diameter_m or float("nan")) * 1e3,
        "hole_diameter_ci_mm": [(x or float("nan")) * 1e3 for x in r.hole_diameter_ci_m],
    }
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["peak_rss_mib"] = peak_kib / 1024.0
    # PELT on the bin means (10⁴ points)
    try:
        import ruptures as rpt
    except ImportError:  # pragma: no cover
        out["pelt"] = "ruptures not installed (pip install breachkit[bench])"
        return out
    b = bin_series(s.t_s, s.values, 2_000)
    sig = np.asarray(b.y, dtype=float).reshape(-1, 1)
    sigma_bin = 600.0 / np.sqrt(max(n / 2_000, 1))
    t3 = time.perf_counter()
    bkps = (
        rpt.Pelt(model="l2", min_size=2, jump=1)
        .fit(sig)
        .predict(pen=2 * sigma_bin**2 * np.log(sig.size))
    )
    t4 = time.perf_counter()
    first = b.t[bkps[0]] if len(bkps) > 1 else float("nan")
    out["pelt"] = {
        "input_points": int(sig.size),
        "seconds": t4 - t3,
        "n_change_points": len(bkps) - 1,
        "onset_error_s": float(first - ONSET),
        "note": "PELT l2 on 2000 bin means (10⁷ raw samples, even 10⁴ means, are out of its reach: 10⁴ means took 253 s); first change point",
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--samples", type=int, default=10_000_000)
    ap.add_argument("--measure", type=str, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(_measure(Path(a.measure), a.samples)))
        return
    path = Path(tempfile.gettempdir()) / f"breachkit_bench_telemetry_{a.samples}.csv"
    if not path.exists():
        _generate(a.samples, path)
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    res = subprocess.run(
        [sys.executable, __file__, "--measure", str(path), "--samples", str(a.samples)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        sys.exit(res.returncode)
    line = res.stdout.strip().splitlines()[-1]
    if a.json:
        print(line)
    else:
        for k, v in json.loads(line).items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
