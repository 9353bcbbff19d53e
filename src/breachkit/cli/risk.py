"""`breachkit risk CASE`: MMOD penetration risk of a case's vehicle over its exposure windows.

Prints totals, PNP, the breakdown by population and region and the environment interval; writes
per-face results (Parquet and CSV), a self-contained 3-D risk map (HTML, plotly inline) and a PNG.
Every file is written to a temporary folder first and renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import (
    dump_json,
    output_folder,
    print_slow_path_notice,
    require_section,
    work_progress,
)

OUTPUT_FILES = ("faces.parquet", "faces.csv", "risk_map.html", "risk_map.png", "risk.json")


def _faces_frame(run: Any) -> Any:
    import pandas as pd

    frames = []
    for w in run.result.windows:
        cols = run.result.per_face_table(w.label)
        df = pd.DataFrame(cols)
        df.insert(0, "window", w.label)
        df["face"] = run.face_ids
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def _write_html(path: Path, run: Any) -> None:
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover
        raise InputError("the risk map needs plotly: pip install breachkit[report]") from exc
    surf = run.surface
    v = np.asarray(surf.vertices)
    f = np.asarray(surf.faces)
    res = run.result
    w = res.windows[0]
    dens = w.face_failures / res.faces.areas
    ids = np.asarray(run.face_ids)
    others = np.setdiff1d(np.arange(f.shape[0]), ids)
    floor = max(float(dens[dens > 0].min()) if np.any(dens > 0) else 1e-30, 1e-30)
    logd = np.log10(np.maximum(dens, floor))
    traces = []
    if others.size:
        fo = f[others]
        traces.append(
            go.Mesh3d(
                x=v[:, 0],
                y=v[:, 1],
                z=v[:, 2],
                i=fo[:, 0],
                j=fo[:, 1],
                k=fo[:, 2],
                color="lightgrey",
                opacity=0.35,
                name="not evaluated (shadowing only)",
                hoverinfo="skip",
                showscale=False,
            )
        )
    fe = f[ids]
    region = np.asarray(res.faces.region_names, dtype=object)[res.faces.region_index]
    traces.append(
        go.Mesh3d(
            x=v[:, 0],
            y=v[:, 1],
            z=v[:, 2],
            i=fe[:, 0],
            j=fe[:, 1],
            k=fe[:, 2],
            intensity=logd,
            intensitymode="cell",
            colorscale="Inferno",
            colorbar={"title": "log10 failures / m²"},
            name=f"failures per m² ({w.label})",
            text=[f"{r}: {d:.3g} /m²" for r, d in zip(region, dens, strict=True)],
            hoverinfo="text",
        )
    )
    fig = go.Figure(traces)
    fig.update_layout(
        title=(
            f"{res.description}: expected failures per m², window {w.label} "
            f"(N = {w.expected_failures:.3g}, PNP = {w.pnp:.5f})"
        ),
        scene={"aspectmode": "data", "zaxis": {"autorange": "reversed"}},
    )
    fig.write_html(str(path), include_plotlyjs=True, full_html=True)


def _write_png(path: Path, run: Any) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from mpl_toolkits.mplot3d.art3d import Poly3DCollection
    except ImportError as exc:  # pragma: no cover
        raise InputError("the PNG needs matplotlib: pip install breachkit[report]") from exc
    res = run.result
    w = res.windows[0]
    surf = run.surface
    tri = np.asarray(surf.vertices)[np.asarray(surf.faces)[np.asarray(run.face_ids)]]
    dens = w.face_failures / res.faces.areas
    pos = dens[dens > 0]
    lo = float(pos.min()) if pos.size else 1e-30
    logd = np.log10(np.maximum(dens, lo))
    fig = plt.figure(figsize=(12, 5.5))
    ax = fig.add_subplot(1, 2, 1, projection="3d")
    norm = matplotlib.colors.Normalize(vmin=float(logd.min()), vmax=float(logd.max()) + 1e-12)
    cmap = matplotlib.colormaps["inferno"]
    coll = Poly3DCollection(tri, facecolors=cmap(norm(logd)), edgecolors="none")
    ax.add_collection3d(coll)
    mn, mx = tri.reshape(-1, 3).min(axis=0), tri.reshape(-1, 3).max(axis=0)
    c, r = 0.5 * (mn + mx), 0.5 * float((mx - mn).max())
    ax.set_xlim(c[0] - r, c[0] + r)
    ax.set_ylim(c[1] - r, c[1] + r)
    ax.set_zlim(c[2] + r, c[2] - r)
    ax.set_xlabel("x [m]")
    ax.set_ylabel("y [m]")
    ax.set_zlabel("z [m] (nadir)")
    sm = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.6, label="log10 expected failures per m²")
    ax.set_title(f"{res.description}: {w.label}")
    ax2 = fig.add_subplot(1, 2, 2)
    bd = res.breakdown(w.label)["by_region"]
    names = list(bd)
    pops = res.population_names
    left = np.zeros(len(names))
    for p in pops:
        vals = np.array([bd[n]["by_population"][p] for n in names])
        ax2.barh(names, vals, left=left, label=p)
        left += vals
    ax2.set_xlabel(f"expected failures over {w.label}")
    ax2.set_title(f"N = {w.expected_failures:.3g} [{w.interval[0]:.2g}, {w.interval[1]:.2g}]")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(run: Any, out: Path, summary: dict[str, Any]) -> list[Path]:
    """Write all outputs into `out` atomically (temp folder in `out`, then rename each file)."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".risk-", dir=out))
    try:
        df = _faces_frame(run)
        try:
            df.to_parquet(tmp / "faces.parquet", index=False)
        except ImportError as exc:  # pragma: no cover
            raise InputError("Parquet output needs pyarrow: pip install breachkit[io]") from exc
        df.to_csv(tmp / "faces.csv", index=False)
        _write_html(tmp / "risk_map.html", run)
        _write_png(tmp / "risk_map.png", run)
        (tmp / "risk.json").write_text(dump_json(summary) + "\n", encoding="utf-8")
        written = []
        for name in OUTPUT_FILES:
            os.replace(tmp / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def summary_of(run: Any) -> dict[str, Any]:
    """The JSON summary: `RiskResult.to_dict()`, shields and the Monte Carlo hole-size answer."""
    from breachkit.risk.config import shields_table

    d = run.result.to_dict()
    d["case"] = str(run.case.case.path)
    d["shields"] = shields_table(run.shields)
    mc = run.monte_carlo
    if mc is not None:
        md = mc.to_dict()
        hs = run.case.risk.hole_size_mm
        if hs is not None:
            md["hole_size_probability"] = {
                r: mc.hole_size_probability(r, hs[0] * 1e-3, hs[1] * 1e-3) for r in mc.regions
            }
        d["monte_carlo"] = md
    return d


def register(app: typer.Typer) -> None:
    @app.command("risk")
    def risk(
        case: Annotated[Path, typer.Argument(help="Case folder (or its case.toml).")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Output folder (default: <case>/out/risk).")
        ] = None,
        json_out: Annotated[
            bool, typer.Option("--json", help="Machine output (JSON) on stdout.")
        ] = False,
    ) -> None:
        """MMOD impacts, penetrations and PNP per face over the case's exposure windows."""
        from breachkit.risk.config import run_case_full

        if not case.exists():
            raise InputError(f"CASE: {case} does not exist")
        require_section(
            case,
            ("vehicle", "exposure", "risk"),
            command="risk",
            what="the vehicle, its exposure windows and the regions to evaluate",
        )
        folder = case if case.is_dir() else case.parent
        target = output_folder(out, folder, Path("out") / "risk")
        print_slow_path_notice()
        with work_progress("risk: shadowing, environment and per-face sums") as step:
            run = run_case_full(case)
            step("risk: writing faces, risk map and risk.json")
            summary = summary_of(run)
            written = write_outputs(run, target, summary)
        if json_out:
            typer.echo(dump_json(summary))
            return
        from rich.console import Console

        con = Console(markup=False)
        con.print(run.result)
        if "monte_carlo" in summary:
            mc = summary["monte_carlo"]
            con.print(
                f"Monte Carlo ({mc['samples']} particles, window {mc['window']}): expected failures "
                f"{mc['expected_failures']:.4g} ± {mc['standard_error']:.2g}"
            )
            for r, hp in summary["monte_carlo"].get("hole_size_probability", {}).items():
                con.print(
                    f"  {r}: P(failing impactor {hp['d_lo_m'] * 1e3:g}–{hp['d_hi_m'] * 1e3:g} mm)"
                    f" = {hp['probability']:.3g} (N = {hp['expected_number']:.3g}"
                    f" ± {hp['standard_error']:.2g}; impactor diameter, not hole diameter)"
                )
        d = summary
        num = d["numerics"]
        con.print(
            f"{num['faces']} faces evaluated, {num['directions']} directions, shadowing "
            f"{num['shadowing']} ({num['rays_traced']} rays traced, {num['rays_skipped']} skipped); "
            f"cos-θ table {num['n_cos_bins']} nodes."
        )
        for w in d["windows"]:
            if w["unassessed_impacts"] > 0:
                con.print(
                    f"{w['label']}: {w['unassessed_impacts']:.3g} expected impacts fall outside a "
                    "BLE's or size table's validity range and count no failures "
                    f"({len(d['validity_notes'])} validity notes in risk.json)."
                )
        con.print(
            "Interval: environment flux factor envelope (defaults are assumptions, docs/risk.md)."
        )
        con.print("Wrote: " + ", ".join(str(p) for p in written))
