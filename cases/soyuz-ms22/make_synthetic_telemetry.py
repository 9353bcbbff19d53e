"""Write ms22_loop_pressure_SYNTHETIC.csv: a SYNTHETIC MS-22-like external-loop pressure record.

THIS IS NOT FLIGHT DATA. No Soyuz MS-22 telemetry is public. The record is simulated with
breachkit's liquid-loop model from the public figures (../shared/research/incidents.md §1) plus
stated assumptions, so that the case can be run end to end:

* onset 2022-12-15T00:45:00Z (NASA, 2022-12-19);
* hole 0.8 mm (Borisov via TASS, 2022-12-19);
* 44 L of coolant at 3 atm absolute (anonymous source, Sputnik 2022-12-21, UNVERIFIED);
* ASSUMED: accumulator gas volume 0.5 L, discharge coefficient 0.30 (a partly blocked / freezing
  hole), density 1000 kg m⁻³ (coolant unknown) — chosen so that 90 % of the fluid is gone ≈ 18 h
  after onset (NASA: "most of the fluid" by 13:30 EST = 18:30 UTC), see docs/telemetry.md;
* ASSUMED sensor: one sample every 10 s, Gaussian noise σ = 0.3 kPa, quantisation 0.5 kPa,
  0.5 % dropouts.

Run from the repository root:  python cases/soyuz-ms22/make_synthetic_telemetry.py
(fixed seed 20221215; the output is byte-for-byte reproducible).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from breachkit._core.units import ATM, HOUR, MM
from breachkit.telemetry import LiquidLoop, simulate_leak

HERE = Path(__file__).resolve().parent
OUT = HERE / "ms22_loop_pressure_SYNTHETIC.csv"
SEED = 20221215

PARAMS = {
    "p0_pa": 3.0 * ATM,
    "hole_diameter_m": 0.8 * MM,
    "discharge_coefficient": 0.30,
    "onset_s": 6.75 * HOUR,  # record starts 2022-12-14T18:00Z
    "duration_s": 26.0 * HOUR,
    "sample_interval_s": 10.0,
    "noise_sigma_pa": 300.0,
    "quantum_pa": 500.0,
    "dropout_fraction": 0.005,
}
VESSEL = LiquidLoop(liquid_volume_m3=44e-3, gas_volume_m3=0.5e-3, density_kg_m3=1000.0)


def main() -> Path:
    sim = simulate_leak(
        VESSEL, rng=np.random.default_rng(SEED), start="2022-12-14T18:00:00Z", **PARAMS
    )
    header = (
        "SYNTHETIC DATA - NOT FLIGHT TELEMETRY. Simulated Soyuz MS-22-like external coolant loop\n"
        "pressure [Pa absolute] by cases/soyuz-ms22/make_synthetic_telemetry.py (seed 20221215)\n"
        "from public figures (0.8 mm hole, 44 L at 3 atm, onset 2022-12-15T00:45Z) and ASSUMED\n"
        "accumulator gas 0.5 L, Cd 0.30, density 1000 kg/m3, sensor noise 0.3 kPa, step 0.5 kPa."
    )
    sim.write_csv(OUT, channel="loop_pressure_pa", header=header)
    return OUT


if __name__ == "__main__":
    print(main())
