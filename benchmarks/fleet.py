"""Fleet and attribution timings: `python benchmarks/fleet.py --json` prints one JSON line."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from breachkit.attribution import attribute_case
from breachkit.fleet import open_db
from breachkit.fleet.analysis import cluster_significance
from breachkit.fleet.exposure import RateExposureModel, fleet_exposures

CASES = Path(__file__).resolve().parents[1] / "cases"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        db = open_db(f"sqlite:///{Path(tmp) / 'f.sqlite'}", bundled=True)
        out["open_and_import_bundled_s"] = time.perf_counter() - t
        model = RateExposureModel((5e-5, 5e-6, 5e-4))
        t = time.perf_counter()
        fleet_exposures(db, model)
        out["exposures_cold_s"] = time.perf_counter() - t
        t = time.perf_counter()
        fleet_exposures(db, model)
        out["exposures_cached_s"] = time.perf_counter() - t
        t = time.perf_counter()
        cluster_significance(
            db,
            model,
            [datetime(2022, 12, 15, 0, 45, tzinfo=UTC), datetime(2023, 2, 11, 9, 40, tzinfo=UTC)],
            window_days=58.0,
            since=datetime(2010, 10, 10, tzinfo=UTC),
            rng=np.random.default_rng(1),
            n_sim=200_000,
        )
        out["cluster_200k_histories_x3_s"] = time.perf_counter() - t
        db.engine.dispose()
    t = time.perf_counter()
    attribute_case(CASES / "soyuz-ms22", telemetry_bayes_factor=10.0, n_samples=20_000)
    out["attribute_ms22_s"] = time.perf_counter() - t
    if args.json:
        print(json.dumps({"benchmark": "fleet", **{k: round(v, 4) for k, v in out.items()}}))
    else:
        for k, v in out.items():
            print(f"{k:32s} {v:8.3f}")


if __name__ == "__main__":
    main()
