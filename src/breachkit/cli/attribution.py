"""``breachkit attribute CASE_DIR``: the impact-versus-defect verdict of one case folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import dump_json, parse_float_list, require_finite


def register(app: typer.Typer) -> None:
    @app.command("attribute")
    def attribute(
        case_dir: Annotated[Path, typer.Argument(help="Case folder with case.toml.")],
        impact_rate: str | None = typer.Option(
            None, "--impact-rate", help="MEAN,LO,HI penetrations per day (default: case file)."
        ),
        defect_rate: str | None = typer.Option(
            None, "--defect-rate", help="MEAN,LO,HI defects per day (default: case file/fleet)."
        ),
        telemetry_bf: float | None = typer.Option(
            None, "--telemetry-bf", help="Telemetry Bayes factor, sudden vs growing hole."
        ),
        seed: int = typer.Option(20221215, "--seed", help="Random seed."),
        n_samples: int = typer.Option(20_000, "--n-samples", help="Monte Carlo rate draws."),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Posterior P(impact) vs P(defect), each evidence's likelihood ratio, sensitivity."""
        import numpy as np

        from breachkit.attribution import attribute_case

        def triple(opt: str, text: str | None) -> tuple[float, float, float] | None:
            if text is None:
                return None
            v = list(parse_float_list(opt, text))
            if len(v) != 3:
                raise InputError(f"{opt}: give MEAN,LO,HI")
            return (v[0], v[1], v[2])

        if telemetry_bf is not None:
            require_finite("--telemetry-bf", telemetry_bf, positive=True)
        if n_samples < 100:
            raise InputError("--n-samples: must be >= 100")
        v = attribute_case(
            case_dir,
            impact_rate=triple("--impact-rate", impact_rate),
            defect_rate=triple("--defect-rate", defect_rate),
            telemetry_bayes_factor=telemetry_bf,
            rng=np.random.default_rng(seed),
            n_samples=n_samples,
        )
        if json_out:
            typer.echo(dump_json(v.to_dict()))
            return
        from rich.console import Console

        Console().print(v)
