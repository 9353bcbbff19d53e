"""Run the leak analysis on every pressure / quantity channel of ../shared/data/telemetry.

Prints a Markdown table (docs/telemetry.md): sampling, quantum, verdict, Bayes factor leak : no
leak, residual lag-1 autocorrelation, and the depletion forecast (trend to zero) with its interval.

Run:  python scripts/real_telemetry_table.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from breachkit.telemetry import analyze, read_telemetry

Y2018 = "2017-12-31T00:00:00Z"
CHANNELS = [
    ("iss-24h-2018-10-12/raw/USLAB000058.txt", "Lab cabin pressure", "mmHg", Y2018),
    ("iss-24h-2018-10-12/raw/AIRLOCK000049.txt", "Crewlock pressure", "mmHg", Y2018),
    ("iss-24h-2018-10-12/raw/AIRLOCK000054.txt", "Airlock pressure", "mmHg", Y2018),
    ("iss-24h-2018-10-12/raw/USLAB000053.txt", "Lab ppO2", "mmHg", Y2018),
    ("iss-24h-2018-10-12/raw/USLAB000054.txt", "Lab ppN2", "mmHg", Y2018),
    ("iss-24h-2018-10-12/raw/AIRLOCK000055.txt", "O2 tank, high pressure", "kPa", Y2018),
    ("iss-24h-2018-10-12/raw/AIRLOCK000056.txt", "O2 tank, low pressure", "kPa", Y2018),
    ("iss-24h-2018-10-12/raw/AIRLOCK000057.txt", "N2 tank", "kPa", Y2018),
    ("iss-24h-2018-10-12/raw/S1000002.txt", "NH3 loop A outlet", "kPa", Y2018),
    ("iss-24h-2018-10-12/raw/P1000002.txt", "NH3 loop B outlet", "kPa", Y2018),
    ("iss-24h-2018-10-12/raw/USLAB000056.txt", "Lab LT water accumulator", "percent", Y2018),
    ("iss-24h-2018-10-12/raw/USLAB000057.txt", "Lab MT water accumulator", "percent", Y2018),
    ("iss-24h-2018-10-12/raw/NODE2000001.txt", "Node 2 MT accumulator", "percent", Y2018),
    ("iss-24h-2018-10-12/raw/NODE2000002.txt", "Node 2 LT accumulator", "percent", Y2018),
    ("iss-24h-2018-10-12/raw/NODE3000017.txt", "Node 3 MT accumulator", "percent", Y2018),
    ("iss-24h-2018-10-12/raw/NODE3000019.txt", "Node 3 LT accumulator", "percent", Y2018),
    (
        "iss-etcs-loops/raw/OFT2/S1000002.txt",
        "NH3 loop A (OFT2 session)",
        "kPa",
        "2021-12-31T00:00:00Z",
    ),
    (
        "iss-etcs-loops/raw/OFT2/P1000002.txt",
        "NH3 loop B (OFT2 session)",
        "kPa",
        "2021-12-31T00:00:00Z",
    ),
    (
        "iss-etcs-loops/raw/HTV/S1000002.txt",
        "NH3 loop A (HTV, year unknown)",
        "kPa",
        "2018-12-31T00:00:00Z",
    ),
    (
        "iss-etcs-loops/raw/HTV/P1000002.txt",
        "NH3 loop B (HTV, year unknown)",
        "kPa",
        "2018-12-31T00:00:00Z",
    ),
]


def run(shared: Path) -> list[dict[str, object]]:
    rows = []
    base = shared / "data" / "telemetry"
    for rel, name, unit, epoch in CHANNELS:
        s = read_telemetry(base / rel, Path(rel).stem, unit, fmt="mimic", mimic_epoch_utc=epoch)
        rows.append({"file": rel, "name": name, "unit": unit, "series": s, "result": analyze(s)})
    s = read_telemetry(
        base / "astropi-mk2-columbus-2022/astro_pi_mk2_commissioning_ir.csv", "Pressure", "hPa"
    )
    rows.append(
        {
            "file": "astropi-mk2-columbus-2022",
            "name": "Astro Pi cabin pressure",
            "unit": "hPa",
            "series": s,
            "result": analyze(s),
        }
    )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    a = ap.parse_args()
    print(
        "| channel | unit | samples (used) | sampling | quantum | verdict | BF leak:no leak | "
        "lag-1 ρ | trend /day | depletion (trend to 0) [95 %] |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in run(Path(a.shared)):
        s, res = r["series"], r["result"]
        d = res.to_dict()
        from breachkit.telemetry.io import unit_to_si

        _, scale, _ = unit_to_si(r["unit"])
        dep = d["depletion_utc"]
        lo, hi = res.depletion_ci_utc
        days = ""
        if res.depletion_utc is not None:
            end = s.utc(s.t_s[-1])
            days = f"+{(res.depletion_utc - end).total_seconds() / 86400:.0f} d"
            days += f" [{(lo - end).total_seconds() / 86400:.0f}, "
            days += f"{(hi - end).total_seconds() / 86400:.0f} d]" if hi else "∞]"
        print(
            f"| {r['name']} (`{Path(str(r['file'])).stem}`) | {r['unit']} | {s.raw_samples} ({len(s)}) | "
            f"{s.sampling} | {s.quantum / scale:.3g} | {'LEAK' if res.leak else 'no leak'} | "
            f"{res.leak_bayes_factor:.2g} | {res.fit.rho:.2f} | "
            f"{res.fit.trend_slope * 86400 / scale:+.3g} ± {res.fit.trend_slope_se * 86400 / scale:.2g} | "
            f"{(dep.isoformat()[:10] + ' ' + days) if dep else '—'} |"
        )


if __name__ == "__main__":
    main()
