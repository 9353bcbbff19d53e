"""`breachkit geometry`: summarise a built-in model or a mesh file (faces, regions, ports), and
optionally its shadowing by itself over a Fibonacci direction grid."""

from __future__ import annotations

from pathlib import Path

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json, require_finite

BUILTIN = ("soyuz_ms", "progress_ms", "iss", "iss_ms22_ms21")


def register(app: typer.Typer) -> None:
    @app.command("geometry")
    def geometry(
        model: str = typer.Argument(
            ...,
            help=f"A built-in model ({', '.join(BUILTIN)}) or a mesh file (.stl/.obj/.ply/.gltf/.glb).",
        ),
        length_unit_m: float = typer.Option(
            1.0, "--length-unit-m", help="Metres per mesh-file unit."
        ),
        regions: str | None = typer.Option(
            None, "--regions", help="'groups', 'materials' or a TOML file with a [regions] table."
        ),
        allow_open: bool = typer.Option(False, "--allow-open", help="Accept open edges (panels)."),
        directions: int = typer.Option(
            0, "--directions", help="If > 0: self-shadowing over this many Fibonacci directions."
        ),
        backend: str = typer.Option("auto", "--backend", help="auto, embree or numpy."),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Faces, area per region [m²], bounds [m], ports; optionally visibility counts."""
        from breachkit import geometry as g

        require_finite("--length-unit-m", length_unit_m, positive=True)
        if model in BUILTIN:
            m = {
                "soyuz_ms": g.soyuz_ms,
                "progress_ms": g.progress_ms,
                "iss": g.iss_simplified,
                "iss_ms22_ms21": g.iss_with_ms22_and_ms21,
            }[model]()
        else:
            p = Path(model)
            if not p.suffix:
                raise InputError(
                    f"model: {model!r} is neither a built-in model ({', '.join(BUILTIN)}) nor a mesh file"
                )
            m = g.load_mesh(p, length_unit_m=length_unit_m, regions=regions, allow_open=allow_open)
        out: dict[str, object] = dict(m.summary())
        out["ports"] = [
            {"name": pt.name, "position_m": pt.position_m, "axis": pt.axis, "up": pt.up}
            for pt in m.ports
        ]
        if directions < 0:
            raise InputError(f"--directions: {directions} must be >= 0")
        if directions:
            from breachkit.environment.directional import DirectionGrid
            from breachkit.geometry.shadowing import visibility

            v = visibility(m, DirectionGrid.fibonacci(directions).vectors, backend=backend)
            out["visibility"] = v.to_dict()
        if json_out:
            typer.echo(dump_json(out))
            return
        from rich.console import Console
        from rich.table import Table

        con = Console(markup=False)
        con.print(m.__rich__())
        t = Table(title="summary")
        t.add_column("quantity")
        t.add_column("value", justify="right")
        t.add_row("faces", str(m.n_faces))
        t.add_row("area [m²]", f"{m.areas.sum():.3f}")
        lo, hi = m.bounds
        t.add_row("size [m]", " × ".join(f"{x:.3f}" for x in hi - lo))
        for pt in m.ports:
            t.add_row(
                f"port {pt.name}", f"at {tuple(round(x, 3) for x in pt.position_m)}, axis {pt.axis}"
            )
        if "visibility" in out:
            for k, val in v.to_dict().items():
                t.add_row(f"visibility {k}", str(val))
        con.print(t)
