"""LDEF face ratios from breachkit against the published 20× (forward/aft) and 200× (forward/Earth).

Published: NASA TM-2009-214785 (Handbook for Designing MMOD Protection) §2.8.2 p.17 — LDEF had 20×
more craters on its forward face than on its aft face and 200× more than on its Earth-facing side
(no crater size given). LDEF: 28.5°, ~477 km (1984) → ~340 km (1990), fixed gravity-gradient
attitude. breachkit: sporadic meteoroids (Grün/SSP 30425, isotropic Earth-frame baseline) and
NASA-91 debris (taken at 1988.5, the model's first valid year, F10.7 = 70 or 230 sfu: assumptions
spanning a solar cycle); impacts ≥ d on faces facing ram, wake, nadir (Earth) and zenith (space).
Validation test: tests/validation/test_risk_calibration_ldef.py; discussion: docs/risk.md.

Run:  python scripts/ldef_face_ratios.py            (human table)
      python scripts/ldef_face_ratios.py --json     (one JSON line)
"""

from __future__ import annotations

import json
import sys

import numpy as np

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM
from breachkit.damage import get_shield
from breachkit.environment.debris import debris_population
from breachkit.environment.directional import Environment
from breachkit.environment.sporadic import sporadic_population
from breachkit.risk.engine import ExposureWindow, FaceSet, compute_risk

NORMALS = np.array([[1.0, 0, 0], [-1.0, 0, 0], [0, 0, 1.0], [0, 0, -1.0]])
FACES = ("ram", "wake", "earth", "space")
THRESHOLDS_M = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3)
ALTITUDES_KM = (340.0, 477.0)
F107_SFU = (None, 70.0, 230.0)  # None: meteoroids only
YEAR_S = 365.25 * 86400.0


def rows() -> list[dict[str, float | str | None]]:
    out: list[dict[str, float | str | None]] = []
    faces = FaceSet(NORMALS, np.ones(4), np.arange(4), FACES)
    for h in ALTITUDES_KM:
        orbit = CircularOrbit(altitude_m=h * KM, inclination_rad=28.5 * DEG)
        met = sporadic_population(orbit.altitude_m)
        for s in F107_SFU:
            pops = (met,) if s is None else (met, debris_population(orbit, 1988.5, s))
            win = ExposureWindow("ldef", Environment(pops), YEAR_S)
            for d in THRESHOLDS_M:
                shields = {k: get_shield("constant", critical_diameter_m=d) for k in FACES}
                res = compute_risk(faces, win, shields, impact_min_diameter_m=d)
                ram, wake, earth, space = np.asarray(res.windows[0].face_impacts)
                out.append(
                    {
                        "altitude_km": h,
                        "f107_sfu": s,
                        "populations": "sporadic" if s is None else "sporadic+debris",
                        "d_min_mm": d * 1e3,
                        "ram_per_m2_yr": float(ram),
                        "ram_over_wake": float(ram / wake),
                        "ram_over_earth": float(ram / earth),
                        "ram_over_space": float(ram / space),
                    }
                )
    return out


def main(argv: list[str]) -> int:
    table = rows()
    if "--json" in argv:
        print(
            json.dumps(
                {"published": {"ram_over_wake": 20.0, "ram_over_earth": 200.0}, "rows": table}
            )
        )
        return 0
    print("published (Handbook TM-2009-214785 §2.8.2 p.17): forward/aft 20, forward/Earth 200")
    print(
        f"{'h km':>6} {'F10.7':>6} {'d≥ mm':>7} {'ram m⁻²yr⁻¹':>12} {'ram/wake':>9} {'ram/earth':>10} {'ram/space':>10}"
    )
    for r in table:
        s = "-" if r["f107_sfu"] is None else f"{r['f107_sfu']:.0f}"
        print(
            f"{r['altitude_km']:6.0f} {s:>6} {r['d_min_mm']:7.3f} {r['ram_per_m2_yr']:12.4g} "
            f"{r['ram_over_wake']:9.2f} {r['ram_over_earth']:10.2f} {r['ram_over_space']:10.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
