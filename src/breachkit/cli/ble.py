"""`breachkit ble`: ballistic limit curves of a shield preset, and the list of presets."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import typer

from breachkit._core.errors import InputError
from breachkit._core.units import DEG, KM_S
from breachkit._core.validity import ValidityWarning
from breachkit.cli._common import dump_json, parse_float_list

_SPEEDS_KM_S = np.round(np.arange(1.0, 15.0001, 0.25), 10)
_TABLE_SPEEDS_KM_S = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)


def _parse_params(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--param: {item!r} is not key=value")
        key, _, text = item.partition("=")
        key, text = key.strip(), text.strip()
        try:
            out[key] = float(text)
        except ValueError:
            out[key] = text
    return out


def _curves(shield: Any, angles_deg: list[float], density: float) -> dict[str, Any]:
    v = _SPEEDS_KM_S * KM_S
    curves = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ValidityWarning)
        for a in angles_deg:
            dc = np.asarray(shield.critical_diameter(v, a * DEG, density), dtype=float)
            curves.append({"angle_deg": a, "critical_diameter_m": dc})
    notes = sorted({str(w.message) for w in caught})
    return {"speed_m_s": v, "curves": curves, "validity_notes": notes}


def _write_plot(path: Path, shield: Any, data: dict[str, Any], density: float) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover
        raise InputError("--plot needs matplotlib: pip install breachkit[plot]") from exc
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for c in data["curves"]:
        ax.plot(
            data["speed_m_s"] / KM_S, c["critical_diameter_m"] * 1e3, label=f"{c['angle_deg']:g}°"
        )
    ax.set_xlabel("impact speed [km/s]")
    ax.set_ylabel("critical diameter [mm]")
    ax.set_title(f"{shield.name} ({shield.family}), projectile {density:g} kg/m³")
    ax.grid(True, alpha=0.3)
    ax.legend(title="angle from normal")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=120)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def register(app: typer.Typer) -> None:
    """Add the `ble` command to `app`."""

    @app.command("ble")
    def ble(
        shield: str = typer.Option("", "--shield", help="Shield preset name (see --list)."),
        param: list[str] = typer.Option(  # noqa: B008
            [], "--param", help="Override a shield parameter, key=value (SI or a material name)."
        ),
        angle_deg: str = typer.Option(
            "0,45,60", "--angle-deg", help="Angles from the normal [deg]."
        ),
        density: float = typer.Option(
            2800.0, "--density-kg-m3", help="Projectile density [kg m⁻³] (debris: 2800)."
        ),
        plot: Path | None = typer.Option(None, "--plot", help="Write the curves to this PNG."),  # noqa: B008
        list_: bool = typer.Option(False, "--list", help="List the shield presets and exit."),
        json_out: bool = typer.Option(False, "--json", help="Machine output (JSON) on stdout."),
    ) -> None:
        """Ballistic limit curves: critical diameter versus speed (1-15 km/s) per angle."""
        from breachkit.damage import get_shield, list_shields

        if list_:
            specs = list_shields()
            if json_out:
                typer.echo(
                    dump_json(
                        [
                            {
                                "name": s.name,
                                "description": s.description,
                                "source": s.source,
                                "defaults": dict(s.defaults),
                            }
                            for s in specs
                        ]
                    )
                )
                return
            from rich.console import Console
            from rich.table import Table

            table = Table(title="Shield presets")
            for col in ("name", "description", "source"):
                table.add_column(col)
            for s in specs:
                table.add_row(s.name, s.description, s.source)
            Console().print(table)
            return
        if not shield:
            raise InputError("--shield: give a shield name (see breachkit ble --list)")
        if not np.isfinite(density) or density <= 0:
            raise InputError(f"--density-kg-m3: {density!r} must be a finite number > 0")
        angles = list(parse_float_list("--angle-deg", angle_deg))
        for a in angles:
            if not 0 <= a <= 90:
                raise InputError(f"--angle-deg: {a:g} is not in [0, 90]")
        sh = get_shield(shield, **_parse_params(param))
        data = _curves(sh, angles, density)
        if plot is not None:
            _write_plot(plot, sh, data, density)
        if json_out:
            typer.echo(
                dump_json({"shield": sh.to_dict(), "projectile_density_kg_m3": density, **data})
            )
            return
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = Console()
        console.print(f"[bold]{escape(sh.name)}[/bold] — {sh.family}\nsource: {escape(sh.source)}")
        for text in sh.assumptions:
            console.print(f"  assumption: {escape(text)}")
        if sh.failure_area_fraction < 1:
            console.print(f"  failure_area_fraction: {sh.failure_area_fraction:g}")
        table = Table(title=escape(f"critical diameter [mm], projectile {density:g} kg/m³"))
        table.add_column(escape("speed [km/s]"), justify="right")
        for a in angles:
            table.add_column(f"{a:g}°", justify="right")
        idx = [int(np.argmin(np.abs(_SPEEDS_KM_S - s))) for s in _TABLE_SPEEDS_KM_S]
        for i in idx:
            row = [f"{_SPEEDS_KM_S[i]:g}"]
            for c in data["curves"]:
                x = c["critical_diameter_m"][i]
                row.append("out of validity" if not np.isfinite(x) else f"{x * 1e3:.3f}")
            table.add_row(*row)
        console.print(table)
        for note in data["validity_notes"]:
            console.print(f"[yellow]validity:[/yellow] {escape(note)}")
        if plot is not None:
            console.print(f"plot written to {plot}")
