"""Shadowing benchmark: the ISS with Soyuz MS-22 and Progress MS-21 docked, ≥100,000 faces,
≥2,000 Fibonacci directions, all faces, next to a bare embreex cast of exactly the same rays.

    python benchmarks/shadowing.py --json

prints one JSON line: faces, directions, wall_s (the whole `visibility` call: hull proof, masks,
ray gathering, casting, write-back), rays_traced, rays_skipped (back faces + hull proof),
rays_per_s (traced rays / wall_s), bare_embree_rays_per_s (the same rays, cast by embreex
`scene.run(..., query="OCCLUDED")` on the same scene, one call per direction on the same threads
with the same task split, only the casting timed; benchmarks/_bare_cast.py),
traced_vs_bare_embree (their ratio), bare_vs_engine_mismatches (rays whose bare result differs
from the engine's: must be 0), peak_rss_gib (resource.getrusage; includes both runs), threads,
cpu_count. The bare cast runs before and after the engine and the two are averaged; on a shared
machine the CPU-time ratio (traced_vs_bare_embree_cpu = bare CPU s / engine CPU s for the same
rays) is the steadier measure of the engine's overhead. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--min-faces", type=int, default=100_000)
    ap.add_argument("--directions", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--batch", type=int, default=4_000_000, help="max rays per batch")
    args = ap.parse_args(argv)

    from breachkit.environment.directional import DirectionGrid
    from breachkit.geometry import iss_with_ms22_and_ms21
    from breachkit.geometry.shadowing import EmbreeScene, plan_rays, visibility

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _bare_cast import bare_cast

    t0 = time.perf_counter()
    model = iss_with_ms22_and_ms21(segments=28, vehicle_segments=40).refined(args.min_faces)
    build_s = time.perf_counter() - t0
    u = DirectionGrid.fibonacci(args.directions).vectors
    threads = args.threads or os.cpu_count() or 1

    # warm-up on a small model so that one-off imports (scipy.spatial, embreex) are not timed
    small = iss_with_ms22_and_ms21()
    visibility(small, u[:10], backend="embree", threads=threads)

    offset = max(1e-5 * model.scale, 1e-6)
    with EmbreeScene(model, threads) as scene:

        def bare_pass(check: np.ndarray | None = None) -> tuple[float, float, int, int]:
            """Cast exactly the rays `visibility` traces (benchmarks/_bare_cast.py); time only
            the embreex calls."""
            plan = plan_rays(model, np.arange(model.n_faces), offset_m=offset)
            return bare_cast(scene, plan, u, args.batch, check)

        # bare cast before and after the engine run, averaged (the machine may be shared)
        bw_a, bc_a, n_bare, _ = bare_pass()
        t1, c1 = time.perf_counter(), time.process_time()
        vis = visibility(model, u, backend="embree", scene=scene, max_rays_per_batch=args.batch)
        wall = time.perf_counter() - t1
        cpu = time.process_time() - c1
        bw_b, bc_b, _, mismatch = bare_pass(vis.visible.T)
        bare_t = 0.5 * (bw_a + bw_b)
        bare_cpu = 0.5 * (bc_a + bc_b)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {
        "faces": model.n_faces,
        "directions": int(u.shape[0]),
        "wall_s": round(wall, 3),
        "model_build_s": round(build_s, 3),
        "rays_traced": vis.rays_traced,
        "rays_skipped": vis.rays_skipped,
        "rays_skipped_backface": vis.rays_skipped_backface,
        "rays_skipped_hull": vis.rays_skipped_hull,
        "rays_per_s": round(vis.rays_traced / wall),
        "bare_embree_rays": n_bare,
        "bare_embree_rays_per_s": round(n_bare / bare_t),
        "traced_vs_bare_embree": round((vis.rays_traced / wall) / (n_bare / bare_t), 3),
        "engine_cpu_s": round(cpu, 3),
        "bare_embree_cpu_s": round(bare_cpu, 3),
        "traced_vs_bare_embree_cpu": round(bare_cpu / cpu, 3),
        "bare_vs_engine_mismatches": mismatch,
        "peak_rss_gib": round(rss_kib / 2**20, 3),
        "threads": threads,
        "cpu_count": os.cpu_count(),
        "backend": vis.backend,
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>32}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
