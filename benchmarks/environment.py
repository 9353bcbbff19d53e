"""Time 10⁶ evaluations of each environment flux model; `--json` prints one JSON line.

Usage: python benchmarks/environment.py [--json] [--n 1000000] [--repeat 5]
Reports the best of `repeat` runs per model, in seconds, on one core (numpy vectorised).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable

import numpy as np

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG
from breachkit.environment.debris import debris_population, nasa91_flux
from breachkit.environment.meteoroids import METEOROID_MODELS, earth_shielding_factor, grun_flux
from breachkit.environment.showers import get_shower, shower_flux_above_mass, zhr_profile
from breachkit.environment.sporadic import sporadic_population


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    rng = np.random.default_rng(1)
    n = a.n
    mass = 10.0 ** rng.uniform(-20, -4, n)
    diam = 10.0 ** rng.uniform(-5, 0, n)
    alt = rng.uniform(300e3, 1500e3, n)
    lam = rng.uniform(0, 360, n)
    model = METEOROID_MODELS["grun-ssp30425"]
    gem = get_shower("GEM")  # the shipped table values (data/showers.csv), not a copy
    timings = {
        "grun_flux": _best(lambda: grun_flux(mass), a.repeat),
        "grun_ssp30425_flux_above_diameter": _best(
            lambda: model.flux_above_diameter(diam * 1e-2), a.repeat
        ),
        "earth_shielding_factor": _best(lambda: earth_shielding_factor(alt), a.repeat),
        "nasa91_flux": _best(lambda: nasa91_flux(diam, alt, 51.6 * DEG, 2022.95, 82.0), a.repeat),
        "shower_flux_above_mass_GEM": _best(
            lambda: shower_flux_above_mass(gem, mass * 1e3 + 1e-12, zhr=gem.zhr_max), a.repeat
        ),
        "zhr_profile": _best(
            lambda: zhr_profile(
                lam, gem.zhr_max, gem.lambda_max_deg, gem.b_plus_per_deg, gem.b_minus_per_deg
            ),
            a.repeat,
        ),
    }
    orbit = CircularOrbit(420e3, 51.6 * DEG)
    builds = {
        "sporadic_population_648_cells": _best(lambda: sporadic_population(420e3), 3),
        "debris_population": _best(lambda: debris_population(orbit, 2022.95, 82.0), 3),
    }
    out = {
        "benchmark": "environment",
        "n_evaluations": n,
        "seconds_per_1e6": {k: v * 1e6 / n for k, v in timings.items()},
        "population_build_seconds": builds,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }
    if a.json:
        print(json.dumps(out))
    else:
        for k, v in out["seconds_per_1e6"].items():
            print(f"{k:40s} {v * 1e3:8.1f} ms per 1e6")
        for k, v in builds.items():
            print(f"{k:40s} {v * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
