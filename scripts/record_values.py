"""Values recorded before a refactor, to check that a split changed nothing (issue: rooms a reader can hold).

`python scripts/record_values.py > tests/fixtures/recorded_values.json` writes them;
`tests/validation/test_recorded_values.py` recomputes them and compares. Only models whose numbers
are not meant to change are recorded here: the risk engine on the MS-22 case (numpy kernels, so the
summation order is fixed), the descent-module thermal model and the meteoroid/debris fluxes. Models
that an issue deliberately changes (telemetry fits, the verdict) are not.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def risk_values() -> dict[str, float]:
    from breachkit.risk.config import run_case

    result = run_case(ROOT / "cases" / "soyuz-ms22")
    out: dict[str, float] = {}
    for w in result.windows:
        out[f"{w.label}/expected_failures"] = float(w.expected_failures)
        out[f"{w.label}/expected_impacts"] = float(w.expected_impacts)
        for region in result.region_names:
            out[f"{w.label}/{region}/failures"] = float(result.region_failures(region, w.label))
    return out


def thermal_values() -> dict[str, float]:
    from breachkit.ops.thermal import DEFAULT_PARAMETERS, simulate_return

    out: dict[str, float] = {}
    for crew in (1, 2, 3):
        run = simulate_return(crew, DEFAULT_PARAMETERS)
        out[f"crew{crew}/peak_air_k"] = float(run.air_temperature_k.max())
        out[f"crew{crew}/final_rh"] = float(run.relative_humidity[-1])
        out[f"crew{crew}/deficit_w_max"] = float(run.evaporation_deficit_w.max())
    return out


def main() -> int:
    os.environ.setdefault("BREACHKIT_KERNELS", "numpy")
    json.dump({"risk": risk_values(), "thermal": thermal_values()}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
