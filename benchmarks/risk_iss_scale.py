"""Risk-engine benchmark: the ISS with Soyuz MS-22 and Progress MS-21 docked, ≥100,000 faces,
≥2,000 directions, sporadic meteoroids + NASA-91 debris, shadowing on (Embree), every face
evaluated, next to a bare embreex cast of the same rays in the same process.

    python benchmarks/risk_iss_scale.py --json

prints one JSON line:

* faces, directions (of the largest direction grid; the debris grid adds its own);
* wall_s: the whole `compute_risk` call (visibility: scene build, hull proof, ray batching,
  casting; the cos-θ tables, per-face contraction, breakdown and interval);
* rays_traced, rays_skipped, rays_per_s (traced rays / wall_s);
* bare_embree_rays_per_s: the same rays (`RayPlan.direction_rays` yields exactly the rays
  `visibility` traces) cast through embreex by the same `EmbreeScene` over the same threads with
  the same task split, only the casting timed (benchmarks/_bare_cast.py); traced_vs_bare_embree,
  their ratio: how close the whole engine comes to the bare ray kernel;
* bare_direct_rays_per_s / traced_vs_bare_direct: the same against a bare loop over Embree's
  ``rtcOccluded1`` through breachkit's own binding, which the engine uses when numba is
  installed (null without it): the engine's overhead over its own ray kernel;
* cpu_s / bare_cast_cpu_s / traced_vs_bare_embree_cpu: the same in process CPU time, all threads
  (less sensitive to other processes' load);
* visibility_s (time inside `visibility`), risk_contraction_s (wall_s − visibility_s), bare_cast_s,
  peak_rss_gib (getrusage, whole process), env_build_s, model_build_s, kernels (numba or numpy),
  kernels_warm_up_s (loading the compiled kernels, untimed elsewhere), threads, cpu_count,
  expected_failures, load_average_1min.

Speed is measured here, never asserted in tests; on a shared machine the numbers vary with the
load (report them with the load average).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np


def _shields(region_names: tuple[str, ...]) -> dict[str, object]:
    from breachkit.damage import get_shield

    wall = get_shield("single_wall_al_1mm")
    whipple = get_shield("whipple_iss_generic")
    radiator = get_shield("radiator_generic")
    mli = get_shield("soyuz_mli_over_amg6")
    out: dict[str, object] = {}
    for r in region_names:
        leaf = r.split("/", 1)[-1]
        if r.startswith("iss/") and leaf not in ("truss", "solar_arrays", "radiators"):
            out[r] = whipple
        elif leaf.startswith("pao_"):
            out[r] = radiator
        elif leaf in ("orbital_module", "descent_module", "cargo_module"):
            out[r] = mli
        else:
            out[r] = wall
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--min-faces", type=int, default=100_000)
    ap.add_argument("--directions", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args(argv)

    from breachkit._core.kernels import numba_kernels
    from breachkit._core.orbit import CircularOrbit
    from breachkit._core.timeutil import parse_utc
    from breachkit.environment.builder import build_environment
    from breachkit.geometry import iss_with_ms22_and_ms21
    from breachkit.geometry.shadowing import EmbreeScene, plan_rays, visibility
    from breachkit.risk import ExposureWindow, FaceSet, compute_risk

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _bare_cast import bare_cast

    threads = args.threads or os.cpu_count() or 1
    t0 = time.perf_counter()
    model = iss_with_ms22_and_ms21(segments=28, vehicle_segments=40).refined(args.min_faces)
    model_build_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    orbit = CircularOrbit(altitude_m=418e3, inclination_rad=np.radians(51.64))
    start, end = parse_utc("2022-09-21T17:06:00Z"), parse_utc("2022-12-15T00:45:00Z")
    env = build_environment(
        orbit,
        start,
        end,
        populations=["sporadic", "debris"],
        n_directions=args.directions,
        f107_sfu=82.0,
    )
    env_build_s = time.perf_counter() - t0
    window = ExposureWindow.between("docked", start, end, env)
    shields = _shields(model.region_names)
    faces = FaceSet.from_surface(model)

    # warm-up (imports of scipy.spatial / embreex, thread pool; loading the compiled kernels
    # from numba's cache, or compiling them on a fresh install) on a small model, not timed
    small = iss_with_ms22_and_ms21()
    visibility(small, env.populations[0].directions.vectors[:8], backend="embree", threads=threads)
    t0 = time.perf_counter()
    nk = numba_kernels("auto")
    if nk is not None:
        nk.warm_up()
    kernels_warm_up_s = time.perf_counter() - t0

    with EmbreeScene(model, threads) as scene:
        offset = max(1e-5 * model.scale, 1e-6)
        calls: list[tuple[np.ndarray, np.ndarray]] = []
        vis_s = [0.0]

        def vis(idx: np.ndarray, dirs: np.ndarray) -> object:
            # what the engine's own "embree" provider does, on this prebuilt scene
            s = time.perf_counter()
            out = visibility(model, dirs, backend="embree", faces=idx, scene=scene, keep_order=True)
            vis_s[0] += time.perf_counter() - s
            calls.append((idx, dirs))
            return out

        t1, c1 = time.perf_counter(), time.process_time()
        res = compute_risk(faces, window, shields, visibility=vis)
        wall = time.perf_counter() - t1
        cpu = time.process_time() - c1

        # bare cast of the same rays (benchmarks/_bare_cast.py): every visibility call of the
        # engine is replayed — `plan_rays` of the same faces in the same order, and
        # `RayPlan.direction_rays`, give exactly the rays `visibility` traced — cast on the same
        # threads with the same task split; only the embreex calls are timed. Two passes,
        # averaged (the machine may be shared).
        def bare_pass(kernel: str = "embreex") -> tuple[float, float, int]:
            t, c, n = 0.0, 0.0, 0
            for idx, dirs in calls:
                plan = plan_rays(model, idx, offset_m=offset, keep_order=True)
                w, cp, k, _ = bare_cast(scene, plan, dirs, kernel=kernel)
                t, c, n = t + w, c + cp, n + k
            return t, c, n

        # embreex builds its scene's BVH on the first cast: done here, untimed (the engine's
        # own scene build, by contrast, is inside its timed call)
        probe = np.zeros((1, 3), dtype=np.float32)
        scene.occluded_along(probe, np.array([0.0, 0.0, 1.0], dtype=np.float32))
        bare_a, bare_cpu_a, n_bare = bare_pass()
        bare_b, bare_cpu_b, _ = bare_pass()
        direct = nk is not None and scene.direct() is not None
        if direct:  # the engine's own ray kernel, bare: its overhead over that kernel
            d_a, _, _ = bare_pass("direct")
            d_b, _, _ = bare_pass("direct")
        bare_t = 0.5 * (bare_a + bare_b)
        bare_cpu = 0.5 * (bare_cpu_a + bare_cpu_b)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rays_per_s = res.rays_traced / wall
    bare_per_s = n_bare / bare_t if bare_t > 0 else float("nan")
    out = {
        "faces": model.n_faces,
        "directions": int(max(len(p.directions) for p in env.populations)),
        "direction_grids": sorted(len(p.directions) for p in env.populations),
        "populations": list(env.names),
        "wall_s": round(wall, 3),
        "visibility_s": round(vis_s[0], 3),
        "risk_contraction_s": round(wall - vis_s[0], 3),
        "bare_cast_s": round(bare_t, 3),
        "visibility_calls": len(calls),
        "rays_traced": res.rays_traced,
        "rays_skipped": res.rays_skipped,
        "rays_per_s": round(rays_per_s),
        "bare_embree_rays": n_bare,
        "bare_embree_rays_per_s": round(bare_per_s),
        "traced_vs_bare_embree": round(rays_per_s / bare_per_s, 3),
        "bare_direct_cast_s": round(0.5 * (d_a + d_b), 3) if direct else None,
        "bare_direct_rays_per_s": round(2 * n_bare / (d_a + d_b)) if direct else None,
        "traced_vs_bare_direct": round(rays_per_s / (2 * n_bare / (d_a + d_b)), 3)
        if direct
        else None,
        "cpu_s": round(cpu, 3),
        "bare_cast_cpu_s": round(bare_cpu, 3),
        "traced_vs_bare_embree_cpu": round((res.rays_traced / cpu) / (n_bare / bare_cpu), 3),
        "peak_rss_gib": round(rss_kib / 2**20, 3),
        "model_build_s": round(model_build_s, 3),
        "env_build_s": round(env_build_s, 3),
        "expected_failures": res.expected_failures,
        "kernels": "numpy" if nk is None else "numba",
        "kernels_warm_up_s": round(kernels_warm_up_s, 3),
        "threads": threads,
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>26}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
