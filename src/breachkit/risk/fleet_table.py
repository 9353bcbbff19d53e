"""The per-flight fleet risk table (pandas), its Parquet file and the Sobol' drivers.

Columns of `fleet_risk_frame` (the shared interface; one row per docking for one region):
``flight``, ``family``, ``port``, ``dock_utc``, ``undock_utc``, ``docked_days``, ``region``,
``n_pen_mean`` (Monte Carlo mean; the nominal value when no draws were made), ``n_pen_lo``,
``n_pen_hi`` (5 % and 95 % quantiles of the draws), ``n_imp_mean``, then the inputs that produced
the row: ``series``, ``record_row``, ``model_port``, ``port_note``, ``vehicle_model``,
``f107_sfu``, ``f107_note``, ``debris_year``, ``showers``, ``n_pen_nominal``,
``n_imp_nominal``, ``region_area_m2``, ``altitude_km``, ``n_directions``, ``min_faces``,
``seed``, ``n_draws``, ``sampler``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from breachkit._core.errors import InputError
from breachkit.risk.fleet_mc import resolve_inputs
from breachkit.risk.fleet_run import FleetRiskResult
from breachkit.risk.sensitivity import SobolIndices, sobol_indices

__all__ = ["fleet_risk_frame", "fleet_sobol", "write_fleet_risk"]


def _tables_by_docking(res: FleetRiskResult) -> dict[int, Any]:
    return {i: ft for gt in res.groups for i, ft in zip(gt.members, gt.tables, strict=True)}


def fleet_risk_frame(res: FleetRiskResult, region: str | None = None) -> Any:
    """The per-docking table; all regions (long format) when `region` is None."""
    import pandas as pd

    regions = list(res.regions) if region is None else [region]
    for r in regions:
        if r not in res.regions:
            raise InputError(f"fleet risk: region {r!r} not evaluated ({', '.join(res.regions)})")
    fts = _tables_by_docking(res)
    area = {gt.group: gt.region_areas_m2 for gt in res.groups}
    grp = {i: gt.group for gt in res.groups for i in gt.members}
    n = res.mc.n_draws
    rows = []
    for r in regions:
        ri = res.regions.index(r)
        for i, d in enumerate(res.dockings):
            ft = fts[i]
            x = res.draws[i, ri]
            rows.append(
                {
                    "flight": d.flight,
                    "family": d.family,
                    "port": d.port,
                    "dock_utc": d.dock.isoformat().replace("+00:00", "Z"),
                    "undock_utc": d.undock.isoformat().replace("+00:00", "Z"),
                    "docked_days": d.docked_s / 86400.0,
                    "region": r,
                    "n_pen_mean": float(x.mean()) if n else float(res.nominal[i, ri]),
                    "n_pen_lo": float(np.quantile(x, 0.05)) if n else float("nan"),
                    "n_pen_hi": float(np.quantile(x, 0.95)) if n else float("nan"),
                    "n_imp_mean": float(res.impact_draws[i, ri].mean())
                    if n
                    else float(res.nominal_impacts[i, ri]),
                    "series": d.series,
                    "record_row": d.row,
                    "model_port": d.model_port,
                    "port_note": d.port_note,
                    "vehicle_model": d.vehicle_model,
                    "f107_sfu": ft.f107_sfu,
                    "f107_note": ft.f107_note,
                    "debris_year": ft.decimal_year,
                    "showers": ",".join(ft.showers),
                    "n_pen_nominal": float(res.nominal[i, ri]),
                    "n_imp_nominal": float(res.nominal_impacts[i, ri]),
                    "region_area_m2": area[grp[i]][ri],
                    "altitude_km": res.cfg.altitude_km,
                    "n_directions": res.cfg.n_directions,
                    "min_faces": res.cfg.min_faces,
                    "seed": res.mc.seed,
                    "n_draws": 2 * n,
                    "sampler": res.mc.sampler,
                }
            )
    return pd.DataFrame(rows)


def fleet_sobol(
    res: FleetRiskResult, region: str = "pao_radiator", flight: str | None = None
) -> SobolIndices | None:
    """Sobol' indices of the fleet total (or of one `flight`'s) expected penetrations."""
    if res.f_ab is None or res.mc.n_draws < 2:
        return None
    ri = res.regions.index(region)
    n = res.mc.n_draws
    rows = [i for i, d in enumerate(res.dockings) if flight is None or d.flight == flight]
    if not rows:
        raise InputError(f"fleet risk: no docking of flight {flight!r}")
    f_a = res.draws[rows, ri, :n].sum(axis=0)
    f_b = res.draws[rows, ri, n:].sum(axis=0)
    f_ab = res.f_ab[:, rows, ri].sum(axis=1)
    return sobol_indices(f_a, f_b, f_ab, list(res.sampled), rng=np.random.default_rng(res.mc.seed))


def run_metadata(res: FleetRiskResult) -> dict[str, Any]:
    """The inputs of the run (distributions with their sources, settings, timings)."""
    inputs = resolve_inputs(res.mc.inputs)
    return {
        "what": "expected MMOD penetrations per docking and region (breachkit fleet risk)",
        "evidence_class": "computed (breachkit risk model; shield construction PLACEHOLDER)",
        "config": res.cfg.inputs(),
        "monte_carlo": {
            "n_draws_per_matrix": res.mc.n_draws,
            "draws_kept": 2 * res.mc.n_draws,
            "block": res.mc.block,
            "seed": res.mc.seed,
            "sampler": res.mc.sampler,
            "inputs": {k: v.describe() for k, v in inputs.items()},
            "draws_are_common_to_all_flights": True,
        },
        "engine": res.engine,
        "timings": res.timings,
        "skipped": list(res.skipped),
    }


def _atomic(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_fleet_risk(res: FleetRiskResult, out_dir: str | Path) -> dict[str, str]:
    """Write ``fleet_risk.parquet`` (all regions, inputs per row, run metadata in the schema),
    ``fleet_risk_draws.npz`` (per region a (dockings × draws) array, rows in table order) and
    ``fleet_risk.json``; each file through a temporary file and a rename."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover
        raise InputError(
            "fleet risk: Parquet output needs pyarrow: pip install breachkit[parquet]"
        ) from exc
    out = Path(out_dir)
    frame = fleet_risk_frame(res)
    meta = run_metadata(res)
    sob = {r: fleet_sobol(res, r) for r in res.regions}
    meta["sobol_fleet_total"] = {r: (s.to_dict() if s else None) for r, s in sob.items()}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), b"breachkit": json.dumps(meta).encode()}
    )
    paths = {
        "table": out / "fleet_risk.parquet",
        "draws": out / "fleet_risk_draws.npz",
        "json": out / "fleet_risk.json",
    }
    _atomic(paths["table"], lambda p: pq.write_table(table, p))
    arrays: dict[str, Any] = {r: res.draws[:, i] for i, r in enumerate(res.regions)}

    def save_npz(p: str) -> None:
        with open(p, "wb") as fh:
            np.savez_compressed(fh, flights=np.array([d.flight for d in res.dockings]), **arrays)

    _atomic(paths["draws"], save_npz)

    def save_json(p: str) -> None:
        Path(p).write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")

    _atomic(paths["json"], save_json)
    return {k: str(v) for k, v in paths.items()}
