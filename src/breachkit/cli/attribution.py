"""``breachkit attribute CASE_DIR``: the impact-versus-defect verdict of one case folder.

The same function as the investigation's attribution stage (`case_verdict`), on the case file's
own numbers: ``breachkit investigate`` also passes the risk engine's rate, the rate at the event
and the telemetry Bayes factor from its earlier stages, so its numbers differ exactly where a case
has [risk] or [telemetry] sections (pass them here with --impact-rate / --telemetry-bf).
"""

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
        synthetic: bool = typer.Option(
            False,
            "--telemetry-synthetic",
            help="The telemetry Bayes factor is from SYNTHETIC data.",
        ),
        what_if: bool = typer.Option(
            False,
            "--what-if",
            help="Weigh evidence built on SYNTHETIC data (never a real verdict).",
        ),
        seed: int = typer.Option(20221215, "--seed", help="Random seed."),
        n_samples: int = typer.Option(20_000, "--n-samples", help="Monte Carlo rate draws."),
        json_out: bool = typer.Option(False, "--json", help="Machine output on stdout."),
    ) -> None:
        """Posterior P(impact) vs P(defect), each evidence's likelihood ratio, sensitivity."""
        import numpy as np

        from breachkit.attribution.fleet_verdict import case_verdict

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
        extra: dict[str, Any] = {"telemetry_synthetic": synthetic or None}
        if what_if:
            extra["what_if"] = True
        v = case_verdict(
            case_dir,
            impact_rate=triple("--impact-rate", impact_rate),
            defect_rate=triple("--defect-rate", defect_rate),
            telemetry_bayes_factor=telemetry_bf,
            rng=np.random.default_rng(seed),
            n_samples=n_samples,
            **extra,
        )
        if json_out:
            typer.echo(dump_json(v.to_dict()))
            return
        _print(v)

    def _print(v: Any) -> None:
        from rich.console import Console
        from rich.table import Table

        con = Console(markup=False)
        t = Table(title=f"{v.case}: P(impact) by evidence class (joint fleet model)")
        for col in ("evidence", "P(impact)", "verdict", "items"):
            t.add_column(col)
        for c, row in v.by_class.items():
            t.add_row(c if c == "computed" else f"+ {c}", f"{row['posterior_impact']:.3f}",
                      row["verdict"], ", ".join(row["items"]) or "none")  # fmt: skip
        con.print(t)
        fc = v.fleet_check
        con.print(
            f"Fleet check: {fc['predicted_penetrations']:.3g} penetrations predicted at k = 1, "
            f"{fc['observed_leaks']} leaks observed; k = {fc['k_median']:.2g} "
            f"(90 % {fc['k_interval'][0]:.2g}–{fc['k_interval'][1]:.2g})."
        )
        pc = v.production_change
        if "bayes_factor" in pc:
            lo, hi = pc["bayes_factor_range"]
            con.print(f"Production change: Bayes factor {pc['bayes_factor']:.3g} "
                      f"(prior range {lo:.3g}–{hi:.3g}): {pc['words']}.")  # fmt: skip
        for w in v.warnings:
            con.print(f"WARNING ({w['kind']}): {w['text']}")
        con.print(f"Official finding (comparison only): {v.official_finding['finding']}.")
        con.print(v.single)
        single = v.single.to_dict() if hasattr(v.single, "to_dict") else {}
        rate = (single.get("rates") or {}).get("impact")
        con.print(impact_rate_line(rate, command="attribute"), highlight=False)
