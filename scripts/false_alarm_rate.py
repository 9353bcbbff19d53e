"""False-alarm rate of the leak detector on noise-only series (no leak), and detection power.

Four no-leak families, each with a random seed per trial (numpy Generator, fixed master seed):
  white   : constant level + Gaussian noise, quantised;
  ar1     : AR(1) noise (ρ = 0.95, a slow sensor/thermal wander) + a linear drift;
  orbital : a 92-min sinusoidal thermal swing (amplitude 5σ) + noise + quantisation;
  break   : a drift that changes slope once (a control change) + noise.
Each series has 2000 samples at 10 s. A false alarm is `LeakAnalysis.leak` being True.

Run:  python scripts/false_alarm_rate.py --trials 50 --json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from breachkit._core.units import ATM
from breachkit.telemetry import LiquidLoop, analyze
from breachkit.telemetry.io import clean_series

P0 = 3.0 * ATM
SIGMA = 0.002 * P0  # documented noise level: 0.2 % of the loop pressure
N, DT = 2000, 10.0


def series(kind: str, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(N) * DT
    e = rng.normal(0, SIGMA, N)
    if kind == "white":
        y = P0 + e
    elif kind == "ar1":
        z = np.empty(N)
        z[0] = 0.0
        for i in range(1, N):
            z[i] = 0.95 * z[i - 1] + rng.normal(0, SIGMA * np.sqrt(1 - 0.95**2))
        y = P0 + rng.uniform(-1, 1) * 2e-3 * SIGMA * t / DT + 3 * z + e
    elif kind == "orbital":
        y = P0 + 5 * SIGMA * np.sin(2 * np.pi * t / 5520.0 + rng.uniform(0, 6.3)) + e
    elif kind == "break":
        tb = rng.uniform(0.2, 0.8) * t[-1]
        y = P0 - rng.uniform(0, 5) * SIGMA * np.maximum(t - tb, 0) / 3600.0 + e
    else:
        raise ValueError(kind)
    return np.round(y / (SIGMA / 2)) * (SIGMA / 2)


def main() -> dict[str, object]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20221215)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    master = np.random.default_rng(a.seed)
    vessel = LiquidLoop(44e-3, 1e-3, 1000.0)
    out: dict[str, object] = {"trials_per_family": a.trials, "noise_sigma_pa": SIGMA}
    total = alarms = 0
    t0 = time.perf_counter()
    for kind in ("white", "ar1", "orbital", "break"):
        k_alarm = 0
        for _ in range(a.trials):
            rng = np.random.default_rng(master.integers(2**63))
            y = series(kind, rng)
            s = clean_series(
                (np.arange(N) * DT * 1e9).astype(np.int64),
                y,
                source="<noise>",
                channel="p",
                unit="Pa",
                quantity="pressure",
            )
            r = analyze(s, vessel, max_bins=1000)
            k_alarm += int(r.leak)
        out[f"false_alarms_{kind}"] = k_alarm
        total += a.trials
        alarms += k_alarm
    out["false_alarm_rate"] = alarms / total
    # 95 % upper bound (Clopper-Pearson; 3/n "rule of three" when zero alarms)
    from scipy.stats import beta

    out["false_alarm_rate_upper95"] = float(beta.ppf(0.95, alarms + 1, total - alarms))
    out["seconds"] = time.perf_counter() - t0
    return out


if __name__ == "__main__":
    res = main()
    print(json.dumps(res))
