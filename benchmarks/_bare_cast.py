"""A bare embreex cast of exactly the rays `visibility` traces, for the shadowing benchmarks.

`RayPlan.direction_rays` yields, direction by direction, the same float32 origins (same points,
same order) that `visibility` casts; they are gathered untimed into groups of about `max_rays`
rays, and each group is cast through `EmbreeScene.occluded_along` on the scene's threads with the
same task split as `visibility` (`EmbreeScene.map_ranges`). Only those casting calls are timed.
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

    def flush() -> None:
        nonlocal wall, cpu, mism, group, size
        out: list[np.ndarray | None] = [None] * len(group)

        def work(r: range) -> None:
            for i in r:
                j, _, o = group[i]
                out[i] = scene.occluded_along(o, u32[j])

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
