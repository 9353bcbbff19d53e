"""``breachkit telemetry``: leak forensics on one telemetry channel (no physics here)."""
# ruff: noqa: B008  (typer declares options as argument defaults)

from __future__ import annotations

from pathlib import Path

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json, require_finite


def register(app: typer.Typer) -> None:
    """Add the ``telemetry`` command to `app`."""

    @app.command("telemetry")
    def telemetry(
        file: Path = typer.Argument(..., help="CSV, Parquet or ISS-Mimic raw file."),
        channel: str = typer.Option(..., "--channel", help="Column of the pressure channel."),
        unit: str = typer.Option(
            ..., "--unit", help="Unit of the channel: Pa, hPa, kPa, bar, atm, psi, mmHg, K, degC…"
        ),
        kind: str = typer.Option(
            "generic", "--kind", help="gas | liquid | generic (generic: no hole size)."
        ),
        volume_m3: float | None = typer.Option(None, "--volume-m3", help="Gas volume [m³]."),
        temperature_k: float | None = typer.Option(
            None, "--temperature-k", help="Gas temperature [K]."
        ),
        liquid_volume_m3: float | None = typer.Option(
            None, "--liquid-volume-m3", help="Liquid inventory of the loop [m³]."
        ),
        gas_volume_m3: float | None = typer.Option(
            None, "--gas-volume-m3", help="Accumulator gas volume at onset [m³]."
        ),
        density_kg_m3: float | None = typer.Option(
            None, "--density-kg-m3", help="Liquid density [kg m⁻³]."
        ),
        discharge_coefficient: float = typer.Option(
            0.611,
            "--discharge-coefficient",
            help="Cd for the equivalent hole diameter (0.611: sharp-edged orifice).",
        ),
        time_column: str | None = typer.Option(None, "--time-column", help="Time column name."),
        mimic_epoch: str | None = typer.Option(
            None,
            "--mimic-epoch",
            help="Read an ISS-Mimic 'hours value' file; iss_hours = 0 at this UTC instant.",
        ),
        depletion_threshold: float | None = typer.Option(
            None,
            "--depletion-threshold",
            help="Forecast the crossing of this level (in --unit); default: vessel default.",
        ),
        plot: Path | None = typer.Option(None, "--plot", help="Write data, fit and onset band."),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output on stdout."),
    ) -> None:
        """Find a leak in a pressure record: onset ± interval, hole size, sudden or growing, depletion."""
        from breachkit.telemetry import analyze, make_vessel, plot_analysis, read_telemetry
        from breachkit.telemetry.io import unit_to_si

        require_finite("--discharge-coefficient", discharge_coefficient, positive=True)
        if discharge_coefficient > 1:
            raise InputError(f"--discharge-coefficient: {discharge_coefficient} must be ≤ 1")
        for name, val in (
            ("--volume-m3", volume_m3),
            ("--temperature-k", temperature_k),
            ("--liquid-volume-m3", liquid_volume_m3),
            ("--gas-volume-m3", gas_volume_m3),
            ("--density-kg-m3", density_kg_m3),
        ):
            if val is not None:
                require_finite(name, val, positive=True)
        if kind == "gas":
            if volume_m3 is None or temperature_k is None:
                raise InputError("--kind gas needs --volume-m3 and --temperature-k")
            vessel = make_vessel("gas", volume_m3=volume_m3, temperature_k=temperature_k)
        elif kind == "liquid":
            if liquid_volume_m3 is None or gas_volume_m3 is None or density_kg_m3 is None:
                raise InputError(
                    "--kind liquid needs --liquid-volume-m3, --gas-volume-m3 and --density-kg-m3"
                )
            vessel = make_vessel(
                "liquid",
                liquid_volume_m3=liquid_volume_m3,
                gas_volume_m3=gas_volume_m3,
                density_kg_m3=density_kg_m3,
            )
        elif kind == "generic":
            vessel = make_vessel("generic")
        else:
            raise InputError(f"--kind: {kind!r} is not gas, liquid or generic")
        series = read_telemetry(
            file,
            channel,
            unit,
            time_column=time_column,
            fmt="mimic" if mimic_epoch else "auto",
            mimic_epoch_utc=mimic_epoch,
        )
        thr = None
        if depletion_threshold is not None:
            _, scale, offset = unit_to_si(unit)
            thr = depletion_threshold * scale + offset
        result = analyze(
            series,
            vessel,
            discharge_coefficient=discharge_coefficient,
            depletion_threshold_pa=thr,
        )
        if plot is not None:
            plot_analysis(result, plot)
        if json_out:
            typer.echo(dump_json(result.to_dict()))
            return
        from rich.console import Console

        console = Console(markup=False)
        console.print(result)
        for action in series.actions:
            console.print(f"data: {action}")
        if plot is not None:
            console.print(f"plot written to {plot}")
