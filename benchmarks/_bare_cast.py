"""A bare cast of exactly the rays `visibility` traces, for the shadowing benchmarks.

`RayPlan.direction_rays` yields, direction by direction, the same float32 origins (same points,
same order) that `visibility` casts; they are gathered untimed into groups of about `max_rays`
rays, and each group is cast on the scene's threads with the same task split as `visibility`
(`EmbreeScene.map_ranges`). Only those casting calls are timed.

Two kernels: ``"embreex"`` (`EmbreeScene.occluded_along`: one embreex call per direction, the
reference the engine is judged against) and ``"direct"`` (the compiled loop over Embree's
``rtcOccluded1`` through breachkit's own binding, `breachkit.geometry._embree_direct`, which the
engine itself uses when numba is installed: the engine's overhead over its own ray kernel).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np


def bare_cast(
    scene: Any,
    plan: Any,
    directions: np.ndarray,
    max_rays: int = 4_000_000,
    check: np.ndarray | None = None,
    kernel: str = "embreex",
) -> tuple[float, float, int, int]:
    """(wall s, process CPU s, rays, mismatches) of casting the plan's rays along `directions`.

    With `check` ((nd, n_points) bool, caller order, True = unblocked and front-facing, i.e.
    `Visibility.visible.T`), count the rays whose bare result disagrees with it.
    """
    u32 = np.ascontiguousarray(directions, dtype=np.float32)
    wall = cpu = 0.0
    n = mism = 0
    group: list[tuple[int, np.ndarray, np.ndarray]] = []
    size = 0
    if kernel == "direct":
        from breachkit._core.kernels import numba_kernels

        nk = numba_kernels("numba")
        ds = scene.direct()
        if nk is None or ds is None:
            raise RuntimeError("the direct kernel needs numba and embreex's Embree library")
        fn, handle = ds.occluded1, ds.handle

        def cast_one(o: np.ndarray, u: np.ndarray) -> np.ndarray:
            out = np.empty(o.shape[0], dtype=bool)
            nk.occluded_along(fn, handle, o, u, out)
            return out

    elif kernel == "embreex":
        cast_one = scene.occluded_along
    else:
        raise ValueError(f"kernel: {kernel!r} is not one of embreex, direct")

    def flush() -> None:
        nonlocal wall, cpu, mism, group, size
        out: list[np.ndarray | None] = [None] * len(group)

        def work(r: range) -> None:
            for i in r:
                j, _, o = group[i]
                out[i] = cast_one(o, u32[j])

        w, c = time.perf_counter(), time.process_time()
        scene.map_ranges(work, len(group))
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
        if check is not None:
            for (j, mask, _), occ in zip(group, out, strict=True):
                # a traced ray is unblocked (check True) exactly when it is not occluded
                mism += int((check[j, plan.perm[mask]] == occ).sum())
        group, size = [], 0

    for j, mask, o in plan.direction_rays(directions):
        group.append((j, mask, o))
        size += o.shape[0]
        n += o.shape[0]
        if size >= max_rays:
            flush()
    if group:
        flush()
    return wall, cpu, n, mism
