"""Is the public MS-22 leak story consistent with the liquid-loop model? (docs/telemetry.md)

Public figures (../shared/research/incidents.md §1): hole ≈ 0.8 mm (Borisov, TASS 2022-12-19);
≈ 44 L of coolant at ≈ 3 atm (anonymous source, Sputnik 2022-12-21, UNVERIFIED); most of the fluid
gone ≈ 18 h after 00:45 UTC on 2022-12-15 (NASA 2022-12-19); a "3 h" vigorous phase (UNVERIFIED);
a ≈ 4 mm hole in the feed line (UNVERIFIED). Unknown: coolant, density, accumulator gas volume,
whether 3 atm is absolute or gauge.

Run:  python scripts/ms22_consistency.py            (human table)
      python scripts/ms22_consistency.py --json     (one JSON line)
"""

from __future__ import annotations

import json
import sys

import numpy as np
from scipy.optimize import brentq

from breachkit._core.units import ATM, HOUR, MM
from breachkit.telemetry import leak

P0 = 3.0 * ATM  # [Pa] absolute (gauge 3 atm would be 4 atm absolute: checked below)
VL = 44e-3  # [m³]
RHO = 1000.0  # [kg m⁻³] placeholder: coolant not published (organic coolants 800–1100)
D = 0.8 * MM
CD = leak.DEFAULT_DISCHARGE_COEFFICIENT
T_MOST = 18.0 * HOUR
MOST = 0.9  # "most of the fluid" read as 90 %


def t_lost(
    frac: float,
    vg: float,
    cd: float = CD,
    d: float = D,
    p0: float = P0,
    pv: float = 0.0,
    rho: float = RHO,
) -> float:
    return float(
        leak.accumulator_loop_drain_time(frac * VL, p0, vg, rho, leak.hole_cd_area(d, cd), 1.0, pv)
    )


def main() -> dict[str, object]:
    cda = float(leak.hole_cd_area(D, CD))
    q0 = float(leak.orifice_volume_flow(P0, RHO, cda))
    out: dict[str, object] = {
        "cd_area_m2": cda,
        "initial_flow_l_h": q0 * 1e3 * HOUR,
        "jet_speed_m_s": float(np.sqrt(2 * P0 / RHO)),
        "constant_pressure_empty_h": VL / q0 / HOUR,
    }
    rows = []
    for vg in (0.1e-3, 0.25e-3, 0.5e-3, 1e-3, 2e-3, 5e-3, 10e-3):

        def f(c: float, vg: float = vg) -> float:
            return t_lost(MOST, vg, cd=c) - T_MOST

        cd_need = brentq(f, 1e-4, 1.0) if f(1e-4) > 0 > f(1.0) else float("nan")
        rows.append(
            {
                "gas_volume_l": vg * 1e3,
                "t50_h": t_lost(0.5, vg) / HOUR,
                "t90_h": t_lost(0.9, vg) / HOUR,
                "t100_h": t_lost(1.0, vg) / HOUR,
                "p_end_kpa": float(leak.accumulator_pressure(VL, P0, vg)) / 1e3,
                "cd_for_t90_18h": cd_need,
                "d_equiv_mm_at_0611_for_t90_18h": float(
                    leak.equivalent_hole_diameter(leak.hole_cd_area(D, cd_need), CD)
                )
                / MM
                if np.isfinite(cd_need)
                else float("nan"),
            }
        )
    out["accumulator_table"] = rows
    # gas volume that makes t90 = 18 h with Cd = 0.611
    vg18 = brentq(lambda vg: t_lost(MOST, vg) - T_MOST, 1e-6, 1.0)
    out["gas_volume_for_t90_18h_at_cd0611_l"] = vg18 * 1e3
    # boiling inside the loop: pressure held at the vapour pressure once the gas has expanded
    out["vapour_pressure_cases"] = [
        {
            "gas_volume_l": vg * 1e3,
            "vapour_pressure_kpa": pv / 1e3,
            "t90_h": t_lost(0.9, vg, pv=pv) / HOUR,
            "t100_h": t_lost(1.0, vg, pv=pv) / HOUR,
        }
        for vg in (0.1e-3, 0.5e-3, 1e-3)
        for pv in (2.3e3, 7.4e3)  # water at 20 °C and 40 °C (CRC Handbook), as examples
    ]
    # the 4 mm line hole of the unverified report
    out["line_hole_4mm"] = {
        "t100_h_vg_0.5l": t_lost(1.0, 0.5e-3, d=4 * MM) / HOUR,
        "t100_h_vg_5l": t_lost(1.0, 5e-3, d=4 * MM) / HOUR,
        "constant_pressure_empty_min": VL
        / float(leak.orifice_volume_flow(P0, RHO, leak.hole_cd_area(4 * MM, CD)))
        / 60.0,
    }
    # gauge reading: 3 atm gauge = 4 atm absolute
    out["gauge_4atm_abs_t90_h_vg_0.5l"] = t_lost(0.9, 0.5e-3, p0=4 * ATM) / HOUR
    # density range
    out["density_800_t90_h_vg_0.5l"] = t_lost(0.9, 0.5e-3, rho=800.0) / HOUR
    out["density_1100_t90_h_vg_0.5l"] = t_lost(0.9, 0.5e-3, rho=1100.0) / HOUR
    # hole size that gives t90 = 18 h with Cd 0.611 and a 1 L accumulator
    out["d_for_t90_18h_vg_1l_mm"] = (
        brentq(lambda d: t_lost(MOST, 1e-3, d=d) - T_MOST, 1e-5, 5e-3) / MM
    )
    return out


if __name__ == "__main__":
    res = main()
    if "--json" in sys.argv:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            if isinstance(v, list):
                print(k)
                for r in v:
                    print(
                        "   ", {a: round(b, 4) if isinstance(b, float) else b for a, b in r.items()}
                    )
            else:
                print(k, v)
