"""``breachkit attribute CASE_DIR``: the impact-versus-defect verdict of one case folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from breachkit._core.errors import InputError
from breachkit.cli._common import (
    dump_json,
    fmt_num,
    parse_float_list,
    require_finite,
    require_section,
)

__all__ = ["impact_rate_line", "register"]

#: Said by both `attribute` and `investigate` so that their different P(impact) is explained.
RATE_DIFFERENCE = (
    "`breachkit attribute` takes the case file's [attribution] impact_rate (a placeholder unless "
    "--impact-rate is given); `breachkit investigate` takes the risk engine's rate for the "
    "damaged region, so their P(impact) differ"
)


def impact_rate_line(rate: Any, *, command: str) -> str:
    """One line: the impact rate this command used (mean, interval, source) and why it differs."""
    if not isinstance(rate, Mapping):
        return f"Impact rate used: none reported. {RATE_DIFFERENCE}."
    mean, lo, hi = (fmt_num(rate.get(k)) for k in ("mean", "lo", "hi"))
    source = str(rate.get("source") or "unknown source")
    return (
        f"Impact rate used by `breachkit {command}`: {mean} d⁻¹ [{lo}, {hi}] from {source}. "
        f"{RATE_DIFFERENCE}."
    )


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
        require_section(case_dir, "incident", command="attribute", what="the incident to attribute")
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

        con = Console(markup=False)
        con.print(v)
        rate = (v.to_dict().get("rates") or {}).get("impact")
        con.print(impact_rate_line(rate, command="attribute"), highlight=False)
