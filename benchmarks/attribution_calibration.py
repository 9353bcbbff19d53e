"""Benchmark: simulation-based calibration of the attribution over blind synthetic incidents.

Generative model and scoring: `breachkit.attribution.calibration` (docs/attribution.md,
"Calibration"). The location model and the risk-engine impact hole sizes come from a risk run of
cases/soyuz-ms22 (about 15 s); the fleet exposure from the bundled fleet record; the priors are
the MS-22 case's (placeholder impact rate, Jeffreys defect rate over the fleet's docked days).

Regimes (all with the same seed):
  * ``case``: the case priors; the generative model uses exactly the attribution's stated models
    (well specified). The headline ``brier``, ``ece``, ``auc``, ``n`` are this regime's.
  * ``neutral``: both rates with the same prior (prior share 0.5): what the evidence alone does.
  * ``engine_rate``: the impact rate of the risk engine for the PAO radiator + line (its interval).
  * ``uncertain_rates``: impact rate known (1e-4 /d ± 1 %), defect rate Jeffreys with the same
    mean (0 events in 5,000 d): the two causes are equally frequent among incidents, but the
    attribution's prior share E[λ_I/Λ] is not 0.5 (see ``prior_share``).
  * ``misspecified``: the world differs from the attribution's stated models (P(sudden | defect)
    0.8 instead of 0.5, impact holes from the risk Monte Carlo × hole/impactor ratio 1–3 instead
    of the case's power law, flaws three times denser on the radiator than on the line).

Telemetry: a bank of full simulate-and-fit records (``--bank``) is shared by the regimes; each
incident takes the Bayes factor of a bank fit of its own signature with the nearest hole size.
``--n-fit N`` also fits the first N incidents' own records and scores them both ways.

Run:  python benchmarks/attribution_calibration.py --json
      python benchmarks/attribution_calibration.py --json --n 300 --bank 40 --n-fit 0  (quick)
      python benchmarks/attribution_calibration.py --json --plot docs/attribution_calibration.png
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

CASE = Path(__file__).resolve().parents[1] / "cases" / "soyuz-ms22"


def _setup(seed: int) -> dict[str, Any]:
    from breachkit._core.timeutil import parse_utc
    from breachkit.attribution.case import fleet_docked_days
    from breachkit.attribution.physical import impact_hole_samples, location_from_risk
    from breachkit.attribution.verdict import RatePrior
    from breachkit.fleet.exposure import rate_from_risk_result
    from breachkit.risk.config import run_case_full

    run = run_case_full(CASE)
    parts = ["soyuz_ms22/pao_radiator", "soyuz_ms22/pao_coolant_line"]
    fractions = {p: float(run.shields[p].failure_area_fraction) for p in parts}
    loc = location_from_risk(run.result, parts, fractions, window="docked")
    holes = impact_hole_samples(run.monte_carlo, rng=np.random.default_rng(seed), regions=parts)
    days = fleet_docked_days(
        ["Soyuz TMA-M", "Soyuz MS", "Progress M", "Progress MS"],
        parse_utc("2022-12-15T00:45:00Z"),
    )
    m, lo, hi = rate_from_risk_result(run.result, parts, window="docked")
    mets = run.result.breakdown("docked")["by_population"]
    met = sum(v["expected_failures"] for k, v in mets.items() if v["kind"] != "debris")
    tot = sum(v["expected_failures"] for v in mets.values())
    return {
        "location": loc,
        "risk_holes": holes,
        "impact": RatePrior(5e-5, 5e-6, 5e-4, source="MS-22 case placeholder"),
        "defect": RatePrior.from_counts(0, days, source="Jeffreys, fleet docked days"),
        "engine": RatePrior(m, lo, hi, source="risk engine PAO radiator + line"),
        "meteoroid_share": met / tot,
    }


def main(argv: list[str] | None = None) -> int:
    from breachkit.attribution.calibration import (
        BlindAttribution,
        CalibrationStudy,
        FleetFlights,
        IncidentSimulator,
        TelemetryBank,
        TelemetryModel,
        incident_prior_share,
        plot_reliability,
    )
    from breachkit.attribution.verdict import Attribution, RatePrior

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--n", type=int, default=1000, help="incidents per regime")
    ap.add_argument("--bank", type=int, default=160, help="full telemetry fits in the bank")
    ap.add_argument("--n-fit", type=int, default=100, help="incidents also fitted on their own")
    ap.add_argument("--seed", type=int, default=20221215)
    ap.add_argument("--plot", type=Path, default=None, help="write the reliability diagram")
    a = ap.parse_args(argv)

    t0 = time.perf_counter()
    s = _setup(a.seed)
    flights = FleetFlights.bundled(until="2022-12-15T00:45:00Z")
    tm = TelemetryModel()
    t_setup = time.perf_counter() - t0
    bank = TelemetryBank.build(tm, a.bank, rng=np.random.default_rng(a.seed + 1))
    t_bank = time.perf_counter() - t0 - t_setup

    loc = s["location"]
    base_sim = IncidentSimulator(
        s["impact"], s["defect"], flights, loc, meteoroid_share=s["meteoroid_share"]
    )
    base_att = BlindAttribution(s["impact"], s["defect"], loc)
    neutral = s["defect"]
    known = RatePrior(1e-4, 0.99e-4, 1.01e-4, source="known impact rate (test regime)")
    jeffreys = RatePrior.from_counts(0, 5000.0, source="Jeffreys, 0 events in 5000 d")
    mis_loc = replace(loc, flaw_density=(3.0, 1.0))
    regimes = {
        "case": (base_sim, base_att),
        "neutral": (
            replace(base_sim, impact_rate=neutral, _profiles={}),
            replace(base_att, impact_rate=neutral),
        ),
        "engine_rate": (
            replace(base_sim, impact_rate=s["engine"], _profiles={}),
            replace(base_att, impact_rate=s["engine"]),
        ),
        "uncertain_rates": (
            replace(base_sim, impact_rate=known, defect_rate=jeffreys, _profiles={}),
            replace(base_att, impact_rate=known, defect_rate=jeffreys),
        ),
        "misspecified": (
            replace(
                base_sim,
                p_sudden_defect=0.8,
                impact_hole_samples_m=s["risk_holes"],
                location=mis_loc,
                _profiles={},
            ),
            base_att,
        ),
    }
    out: dict[str, Any] = {}
    studies: dict[str, CalibrationStudy] = {}
    for name, (sim, att) in regimes.items():
        st = CalibrationStudy(
            n_incidents=a.n,
            telemetry="bank",
            bank_size=a.bank,
            n_fit=a.n_fit if name == "case" else 0,
            telemetry_model=tm,
        ).fit(sim, att, rng=np.random.default_rng(a.seed), bank=bank)
        studies[name] = st
        out[name] = st.to_dict()
        out[name]["prior_share"] = {
            "attribution": float(
                Attribution(n_samples=200_000)
                .fit({"impact": att.impact_rate, "defect": att.defect_rate}, [],
                     rng=np.random.default_rng(a.seed))
                .posterior_impact_
            ),
            "incident_conditioned": incident_prior_share(
                sim.impact_rate, sim.defect_rate, flights.docked_days,
                rng=np.random.default_rng(a.seed),
            ),
        }  # fmt: skip
    head = out["case"]
    result = {
        "benchmark": "attribution_calibration",
        "n": head["n"],
        "brier": head["brier"],
        "ece": head["ece"],
        "auc": head["auc"],
        "base_rate": head["base_rate"],
        "seed": a.seed,
        "telemetry": f"bank of {a.bank} full simulate-and-fit records",
        "ece_if_calibrated": head["ece_if_calibrated"],
        "regimes": out,
        "inputs": {
            "location_p_impact_radiator": loc.p_impact(["soyuz_ms22/pao_radiator"]),
            "location_p_defect_radiator": loc.p_defect(["soyuz_ms22/pao_radiator"]),
            "meteoroid_share_of_failures": s["meteoroid_share"],
            "fleet_flights": len(flights.names),
            "fleet_docked_days": float(flights.docked_days.sum()),
        },
        "seconds": {
            "setup": t_setup,
            "bank": t_bank,
            "total": time.perf_counter() - t0,
        },
    }
    if a.plot is not None:
        plot_reliability({k: studies[k] for k in ("case", "neutral", "misspecified")}, a.plot)
        result["plot"] = str(a.plot)
    if a.json:
        print(json.dumps(result, default=float))
    else:
        for k in ("n", "brier", "ece", "auc", "base_rate"):
            print(f"{k:10s} {result[k]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
