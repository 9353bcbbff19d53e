"""The fleet risk run: tasks per port group and per Monte Carlo block, serial or on Dask.

Two kinds of task (the same functions in both engines):

1. **group** — one per (vehicle model, station port): the station with the vehicle at that port,
   the environment of every docking of the group, one visibility per (direction grid, attitude
   node) shared by all of them (`breachkit.risk.fleet.port_tables`), and the per-docking flux
   tables (`flight_tables`);
2. **block** — one per (group, block of Monte Carlo draws): the draws' penetrations of every
   docking of the group (`breachkit.risk.fleet_mc.evaluate_block`).

The Monte Carlo points of a block are fixed by the run's seed and the block's index range (the
Sobol' scrambling comes from ``SeedSequence(seed)``; pseudo-random blocks from its ``spawn``
children by block index), never by worker or completion order, and results are assembled by
task index: serial and Dask runs with the same seed give identical numbers.

Memory per block task ≈ 8 B × draws_per_block × m × (meteoroid + debris speed columns) × 3
(critical diameters and two size-fraction grids) plus the group's tables (≈ 8 B × n_yaw ×
regions × m × speeds per population and docking); `block_memory_bound` computes it.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.risk.fleet import (
    FleetDocking,
    FleetRiskConfig,
    FlightTables,
    build_port_geometry,
    docking_environment,
    flight_tables,
    port_tables,
)
from breachkit.risk.fleet_mc import (
    BlockResult,
    InputDistribution,
    evaluate_block,
    evaluate_draws,
    impact_draws,
    nominal_draws,
    resolve_inputs,
    sampled_names,
)

__all__ = [
    "FleetRiskResult",
    "GroupTables",
    "McSettings",
    "block_memory_bound",
    "group_dockings",
    "run_fleet_risk",
]


@dataclass(frozen=True)
class McSettings:
    """Monte Carlo settings: draws per matrix (a power of two for Sobol'), block size, seed."""

    n_draws: int = 256
    block: int = 64
    seed: int = 20221215
    sampler: str = "sobol"
    sobol_indices: bool = True
    inputs: Mapping[str, InputDistribution] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.n_draws < 0 or self.block < 1:
            raise InputError("monte carlo: n_draws must be >= 0 and block >= 1")
        if self.sampler == "sobol" and self.n_draws and self.n_draws & (self.n_draws - 1):
            raise InputError(f"monte carlo: n_draws {self.n_draws} must be a power of 2 (Sobol')")
        if self.n_draws and self.n_draws % self.block and self.block < self.n_draws:
            raise InputError("monte carlo: block must divide n_draws")

    def blocks(self) -> list[tuple[int, int]]:
        b = min(self.block, self.n_draws) if self.n_draws else 0
        return [(s, s + b) for s in range(0, self.n_draws, b)] if b else []


@dataclass(frozen=True, eq=False)
class GroupTables:
    """Result of a group task."""

    group: int
    vehicle_model: str
    port: str
    members: tuple[int, ...]  # indices into the run's dockings
    nodes: NDArray[np.float64]
    yaw_nodes_deg: tuple[float, ...]
    tables: tuple[FlightTables, ...]
    region_areas_m2: tuple[float, ...]
    visibility_s: float
    visibility_calls: int
    rays_traced: int
    environment_s: float


def group_dockings(dockings: Sequence[FleetDocking]) -> list[tuple[str, str, list[int]]]:
    """(vehicle model, model port, docking indices) per group, in order of first appearance."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, d in enumerate(dockings):
        groups.setdefault((d.vehicle_model, d.model_port), []).append(i)
    return [(v, p, idx) for (v, p), idx in groups.items()]


def group_task(
    group: int,
    vehicle_model: str,
    port: str,
    members: Sequence[int],
    dockings: Sequence[FleetDocking],
    cfg: FleetRiskConfig,
) -> GroupTables:
    """Task 1: geometry, environments, shared visibility and flux tables of one port group."""
    geom = build_port_geometry(vehicle_model, port, cfg.min_faces)
    t0 = time.perf_counter()
    envs = [docking_environment(dockings[i], cfg) for i in members]
    t1 = time.perf_counter()
    dirs = [p.directions.vectors for env, _ in envs for p in env]
    pt = port_tables(geom, dirs, cfg)
    t2 = time.perf_counter()
    tables = tuple(
        flight_tables(dockings[i], env, f107, pt, cfg.impact_min_diameter_mm * 1e-3)
        for i, (env, f107) in zip(members, envs, strict=True)
    )
    return GroupTables(
        group,
        vehicle_model,
        port,
        tuple(members),
        pt.nodes,
        pt.yaw_nodes_deg,
        tables,
        pt.region_areas_m2,
        t2 - t1,
        pt.visibility_calls,
        pt.rays_traced,
        t1 - t0,
    )


def block_task(
    gt: GroupTables,
    cfg: FleetRiskConfig,
    mc: McSettings,
    start: int,
    stop: int,
    kill_once_marker: str | None = None,
) -> BlockResult:
    """Task 2: draws [start, stop) of one group. `kill_once_marker` (tests): the first call to
    find the marker file absent creates it and kills its own worker process."""
    if kill_once_marker is not None and not os.path.exists(kill_once_marker):
        with open(kill_once_marker, "w") as fh:
            fh.write(str(os.getpid()))
        os._exit(17)  # the worker dies mid-run; Dask reschedules this task elsewhere
    return evaluate_block(
        gt.group,
        gt.tables,
        gt.nodes,
        gt.yaw_nodes_deg,
        cfg,
        resolve_inputs(mc.inputs),
        mc.seed,
        start,
        stop,
        sampler=mc.sampler,
        sobol_indices=mc.sobol_indices,
    )


def block_memory_bound(gt: GroupTables, block: int, n_sampled: int) -> int:
    """Upper estimate of one block task's working memory [bytes] (module docstring)."""
    pops = [p for ft in gt.tables for p in ft.populations]
    speeds = np.unique(np.concatenate([p.speed_m_s for p in pops])).size if pops else 0
    m = gt.nodes.size
    grids = 8 * block * m * speeds * 2 * 3  # d_c for two density kinds + size grids
    tables = sum(p.q.nbytes + p.impacts.nbytes for p in pops)
    out = 8 * block * len(gt.tables) * 2 * (n_sampled + 3)
    return int(grids + tables + out)


# ----------------------------------------------------------------------------------------------
# engines


class Progress:
    """Tasks done / total and the estimated time left, on stderr (one rewritten line)."""

    def __init__(self, total: int, label: str = "fleet risk", stream: Any = None) -> None:
        self.total, self.done, self.label = total, 0, label
        self.t0 = time.perf_counter()
        self.stream = stream if stream is not None else sys.stderr

    def step(self) -> None:
        self.done += 1
        el = time.perf_counter() - self.t0
        eta = el / self.done * (self.total - self.done)
        width = 24
        fill = int(width * self.done / max(self.total, 1))
        self.stream.write(
            f"\r{self.label} [{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} tasks"
            f"  {el:5.1f} s  ETA {eta:5.1f} s"
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _run_serial(
    dockings: Sequence[FleetDocking], cfg: FleetRiskConfig, mc: McSettings, progress: bool
) -> tuple[list[GroupTables], list[BlockResult]]:
    groups = group_dockings(dockings)
    bar = Progress(len(groups) * (1 + len(mc.blocks()))) if progress else None
    gts, blocks = [], []
    for g, (veh, port, members) in enumerate(groups):
        gt = group_task(g, veh, port, members, dockings, cfg)
        gts.append(gt)
        if bar:
            bar.step()
        for s, e in mc.blocks():
            blocks.append(block_task(gt, cfg, mc, s, e))
            if bar:
                bar.step()
    return gts, blocks


def _run_dask(
    client: Any,
    dockings: Sequence[FleetDocking],
    cfg: FleetRiskConfig,
    mc: McSettings,
    progress: bool,
    kill_once_marker: str | None,
) -> tuple[list[GroupTables], list[BlockResult]]:
    from distributed import as_completed

    groups = group_dockings(dockings)
    d_fut = client.scatter(list(dockings), broadcast=True)
    g_futs, b_futs = [], []
    for g, (veh, port, members) in enumerate(groups):
        gf = client.submit(
            group_task, g, veh, port, members, d_fut, cfg, key=f"fleet-group-{g}", pure=False
        )
        g_futs.append(gf)
        for j, (s, e) in enumerate(mc.blocks()):
            marker = kill_once_marker if (g == 0 and j == 0) else None
            b_futs.append(
                client.submit(
                    block_task, gf, cfg, mc, s, e, marker, key=f"fleet-block-{g}-{s}", pure=False
                )
            )
    bar = Progress(len(g_futs) + len(b_futs)) if progress else None
    for fut in as_completed(g_futs + b_futs):
        if fut.status == "error":
            fut.result()  # re-raise the task's exception here
        if bar:
            bar.step()
    return client.gather(g_futs), client.gather(b_futs)


def dask_client(scheduler: str | None, n_workers: int, memory_limit: str = "auto") -> Any:
    """A `distributed.Client`: to `scheduler` (an address; env BREACHKIT_SCHEDULER) or to a
    `LocalCluster` of `n_workers` single-threaded processes started here (closed with it)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "fleet risk on Dask needs dask.distributed: pip install breachkit[dask]"
        ) from exc
    address = scheduler or os.environ.get("BREACHKIT_SCHEDULER") or None
    if address:
        try:
            return Client(address, timeout="5s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"--scheduler {address}: no Dask scheduler answers ({exc})") from None
    cluster = LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit=memory_limit,
        silence_logs=50,
    )
    client: Any = Client(cluster)
    client._breachkit_cluster = cluster  # closed by `close_client`
    return client


def close_client(client: Any) -> None:
    cluster = getattr(client, "_breachkit_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


# ----------------------------------------------------------------------------------------------
# the run and its result


@dataclass(frozen=True, eq=False)
class FleetRiskResult:
    """Per-docking results: nominal and Monte Carlo penetrations per region, draws, indices."""

    dockings: tuple[FleetDocking, ...]
    regions: tuple[str, ...]
    groups: tuple[GroupTables, ...]
    nominal: NDArray[np.float64]  # (dockings, regions)
    nominal_impacts: NDArray[np.float64]  # (dockings, regions)
    draws: NDArray[np.float64]  # (dockings, regions, 2 n): A rows then B rows
    impact_draws: NDArray[np.float64]  # (dockings, regions, n): A rows
    f_ab: NDArray[np.float64] | None  # (k, dockings, regions, n)
    sampled: tuple[str, ...]
    cfg: FleetRiskConfig
    mc: McSettings
    engine: str
    timings: dict[str, float]
    skipped: tuple[str, ...] = ()


def _assemble(
    dockings: Sequence[FleetDocking],
    gts: Sequence[GroupTables],
    blocks: Sequence[BlockResult],
    cfg: FleetRiskConfig,
    mc: McSettings,
) -> dict[str, Any]:
    nreg, nf, n = len(cfg.shields), len(dockings), mc.n_draws
    k = len(sampled_names(resolve_inputs(mc.inputs)))
    nominal = np.zeros((nf, nreg))
    nom_imp = np.zeros((nf, nreg))
    draws = np.zeros((nf, nreg, 2 * n))
    imps = np.zeros((nf, nreg, n))
    f_ab = np.zeros((k, nf, nreg, n)) if mc.sobol_indices and n else None
    nd = nominal_draws()
    for gt in gts:
        rows = list(gt.members)
        nominal[rows] = evaluate_draws(gt.tables, nd, cfg, gt.nodes, gt.yaw_nodes_deg)[:, :, 0]
        nom_imp[rows] = impact_draws(gt.tables, nd, gt.yaw_nodes_deg)[:, :, 0]
    members = {gt.group: list(gt.members) for gt in gts}
    for b in blocks:
        rows, w = members[b.group], b.f_a.shape[2]
        draws[np.ix_(rows, range(nreg), range(b.start, b.start + w))] = b.f_a
        draws[np.ix_(rows, range(nreg), range(n + b.start, n + b.start + w))] = b.f_b
        imps[np.ix_(rows, range(nreg), range(b.start, b.start + w))] = b.imp_a
        if f_ab is not None and b.f_ab is not None:
            for i in range(k):
                f_ab[i][np.ix_(rows, range(nreg), range(b.start, b.start + w))] = b.f_ab[i]
    return {
        "nominal": nominal,
        "nominal_impacts": nom_imp,
        "draws": draws,
        "imps": imps,
        "f_ab": f_ab,
    }


def run_fleet_risk(
    dockings: Sequence[FleetDocking],
    cfg: FleetRiskConfig | None = None,
    mc: McSettings | None = None,
    *,
    engine: str = "serial",
    scheduler: str | None = None,
    n_workers: int = 2,
    client: Any = None,
    progress: bool = False,
    kill_once_marker: str | None = None,
    skipped: Sequence[str] = (),
) -> FleetRiskResult:
    """Run the fleet risk (module docstring) with ``engine`` ``"serial"`` or ``"dask"``.

    With ``"dask"``, `client` (a `distributed.Client`) is used as given; otherwise one is made
    by `dask_client(scheduler, n_workers)` and closed at the end.
    """
    cfg = cfg or FleetRiskConfig()
    mc = mc or McSettings()
    resolve_inputs(mc.inputs)
    if not dockings:
        raise InputError("fleet risk: the fleet record has no complete docking")
    t0 = time.perf_counter()
    if engine == "serial":
        gts, blocks = _run_serial(dockings, cfg, mc, progress)
    elif engine == "dask":
        own = client is None
        cl = client if client is not None else dask_client(scheduler, n_workers)
        try:
            gts, blocks = _run_dask(cl, dockings, cfg, mc, progress, kill_once_marker)
        finally:
            if own:
                close_client(cl)
    else:
        raise InputError(f"fleet risk: engine {engine!r} is not 'serial' or 'dask'")
    wall = time.perf_counter() - t0
    a = _assemble(dockings, gts, blocks, cfg, mc)
    timings = _visibility_saving(gts)
    timings["wall_s"] = wall
    return FleetRiskResult(
        tuple(dockings),
        tuple(cfg.shields),
        tuple(gts),
        a["nominal"],
        a["nominal_impacts"],
        a["draws"],
        a["imps"],
        a["f_ab"],
        tuple(sampled_names(resolve_inputs(mc.inputs))),
        cfg,
        mc,
        engine,
        timings,
        tuple(skipped),
    )


def _visibility_saving(gts: Sequence[GroupTables]) -> dict[str, float]:
    """Measured visibility time with sharing, and what one visibility per docking would cost
    (each docking of a group retracing the group's rays: n_members × the group's time)."""
    shared = sum(g.visibility_s for g in gts)
    unshared = sum(g.visibility_s * len(g.members) for g in gts)
    return {
        "visibility_shared_s": shared,
        "visibility_per_docking_s": unshared,
        "visibility_saving_factor": unshared / shared if shared > 0 else math.nan,
        "visibility_calls": float(sum(g.visibility_calls for g in gts)),
        "environment_s": sum(g.environment_s for g in gts),
    }
