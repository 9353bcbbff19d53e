"""Benchmark the ballistic limit equations: `python benchmarks/ble.py --json` prints one JSON line.

Measures, on one core (one process, numpy element-wise code):

* evaluations per second (wall clock, and per CPU second of this single-threaded process, which
  is the per-core figure when other processes share the machine) of each shield preset's BLE for
  N random (speed, angle, density) cases
  (speed 1-15 km/s, angle 0-80°, density 500-8000 kg/m³), evaluated in chunks of 10⁶;
* the (speed, angle) table fast path against direct evaluation (one density): speed ratio and
  the largest relative interpolation error on the same random points;
* the fast 2011 Whipple (`FastRyanChristiansenWhipple`, one shield and one density, as the risk
  engine and the Monte Carlo use it): build time, evaluations per CPU second and the largest
  relative error against the iterative solve on the same 10⁶ random points;
* the Ryan & Christiansen (2011) Whipple evaluated row by row with a per-row optimiser in the
  hypervelocity branch (SLSQP on the squared residual, as open-source BLE code does) against the
  vectorised solver, at the same inputs: rows per second and the largest relative difference.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import numpy as np

from breachkit._core.units import DEG, KM_S
from breachkit._core.validity import ValidityWarning
from breachkit.damage import CriticalDiameterTable, get_shield
from breachkit.damage.whipple import _hv_classic, _low_velocity_transition
from breachkit.damage.whipple_fast import FastRyanChristiansenWhipple

PRESETS = (
    "single_wall_al_1mm",
    "whipple",
    "whipple_modified",
    "whipple_iss_generic",
    "stuffed_whipple",
    "honeycomb_sandwich",
    "foam_sandwich",
    "soyuz_mli_over_amg6",
    "radiator_generic",
)


def _cases(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        rng.uniform(1.0, 15.0, n) * KM_S,
        rng.uniform(0.0, 80.0, n) * DEG,
        rng.uniform(500.0, 8000.0, n),
    )


def _rate(shield, n: int, chunk: int, rng: np.random.Generator) -> tuple[float, float]:
    """(evaluations per wall-clock second, per CPU second of this process)."""
    done, t, cpu = 0, 0.0, 0.0
    while done < n:
        m = min(chunk, n - done)
        v, a, r = _cases(m, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        shield.critical_diameter(v, a, r)
        t += time.perf_counter() - t0
        cpu += time.process_time() - c0
        done += m
    return n / t, n / cpu


def _row_by_row_whipple(v_km_s, ang, rp, tb, rb, s, tw, sig):
    """Reference: the 2011 Whipple, one row at a time, SLSQP in the hypervelocity branch."""
    from scipy.optimize import fmin_slsqp

    from breachkit.damage.whipple import _f2_star

    c = np.cos(min(ang, 65 * DEG))
    low_num = tw * (sig / 40.0) ** 0.5 + tb
    a0 = (low_num / (0.6 * rp**0.5)) ** (18 / 19)
    v_hv = 7.0 / c
    v_lv = min(float(_low_velocity_transition(np.asarray(a0), np.asarray(tb))) / c, v_hv)

    def d_low(vel):
        return (low_num / (0.6 * c ** (5 / 3) * rp**0.5 * vel ** (2 / 3))) ** (18 / 19)

    def d_high(vel):
        d0 = float(_hv_classic(tw, s, sig, rp, rb, vel * c))

        def obj(x):
            f = float(_f2_star(np.asarray(x[0]), tb, s, sig, rp, rb, c, v_hv))
            return (x[0] - f ** (-2 / 3) * d0) ** 2

        return float(
            fmin_slsqp(obj, [d0], bounds=[(1e-4 * d0, 1e3 * d0)], disp=False, acc=1e-14)[0]
        )

    if v_km_s <= v_lv:
        return d_low(v_km_s)
    if v_km_s >= v_hv:
        return d_high(v_km_s)
    lo, hi = d_low(v_lv), d_high(v_hv)
    return lo + (hi - lo) * (v_km_s - v_lv) / (v_hv - v_lv)


def _fast_whipple(rng: np.random.Generator, n: int) -> dict:
    """The fast 2011 Whipple against the iterative solve, per preset (density 2800 kg/m³)."""
    res = {}
    for name in ("whipple_modified", "whipple_iss_generic"):
        sh = get_shield(name)
        t0 = time.process_time()
        fast = FastRyanChristiansenWhipple(2800.0, **sh.params)
        build = time.process_time() - t0
        cpu, worst = 0.0, 0.0
        done = 0
        while done < n:
            m = min(1_000_000, n - done)
            v, a, _ = _cases(m, rng)
            c0 = time.process_time()
            got = np.asarray(fast.critical_diameter(v, a))
            cpu += time.process_time() - c0
            exact = np.asarray(sh.critical_diameter(v, a, 2800.0))
            ok = np.isfinite(exact)
            worst = max(worst, float(np.max(np.abs(got[ok] / exact[ok] - 1.0))))
            done += m
        res[name] = {
            "build_cpu_s": build,
            "evaluations_per_cpu_s": n / cpu,
            "max_rel_error_random": worst,
            "max_rel_error_cells": fast.max_relative_error_,
            "direct_cells": fast.n_direct_cells_,
        }
    return res


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", action="store_true", help="print one JSON line")
    p.add_argument("--n", type=int, default=10_000_000, help="cases per BLE (default 1e7)")
    p.add_argument(
        "--n-iterative",
        type=int,
        default=2_000_000,
        help="cases for the iteratively solved 2011 Whipple presets (default 2e6)",
    )
    p.add_argument("--n-rows", type=int, default=300, help="rows for the row-by-row reference")
    args = p.parse_args()
    rng = np.random.default_rng(20221215)
    out: dict = {"benchmark": "ble", "cases_per_ble": args.n, "per_ble": {}, "table": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        for name in PRESETS:
            sh = get_shield(name)
            n = args.n_iterative if sh.family == "ryan_christiansen_whipple" else args.n
            if sh.family == "radiator_panel" and sh.params.get("standoff_m", 0) > 0:
                n = args.n_iterative
            wall, cpu = _rate(sh, n, 1_000_000, rng)
            out["per_ble"][name] = {
                "family": sh.family,
                "cases": n,
                "evaluations_per_s": wall,
                "evaluations_per_cpu_s": cpu,
            }
        for name in PRESETS:
            sh = get_shield(name)
            t0 = time.perf_counter()
            tab = CriticalDiameterTable(sh, 2800.0)
            build = time.perf_counter() - t0
            m = 1_000_000
            v = rng.uniform(1.0, 15.0, m) * KM_S
            a = rng.uniform(0.0, 80.0, m) * DEG
            t0 = time.perf_counter()
            direct = np.asarray(sh.critical_diameter(v, a, 2800.0))
            t_direct = time.perf_counter() - t0
            t0 = time.perf_counter()
            approx = np.asarray(tab.critical_diameter(v, a))
            t_table = time.perf_counter() - t0
            ok = np.isfinite(direct) & np.isfinite(approx)
            err = float(np.max(np.abs(approx[ok] / direct[ok] - 1.0))) if ok.any() else None
            out["table"][name] = {
                "build_s": build,
                "direct_per_s": m / t_direct,
                "table_per_s": m / t_table,
                "speed_ratio": t_direct / t_table,
                "max_rel_error_random_1e6": err,
                "max_rel_error_refined_grid": tab.max_relative_error_,
                "max_rel_error_core_grid": tab.max_relative_error_core_,
            }
        out["fast_2011_whipple"] = _fast_whipple(rng, args.n_iterative)
        # row-by-row optimiser reference for the 2011 Whipple (thin bumper so F2* is active)
        sh = get_shield("whipple_modified")
        pr = sh.params
        nr = args.n_rows
        v = rng.uniform(1.0, 15.0, nr)
        a = rng.uniform(0.0, 80.0, nr) * DEG
        t0 = time.perf_counter()
        ref = (
            np.array(
                [
                    _row_by_row_whipple(
                        v[i],
                        a[i],
                        2.8,
                        pr["bumper_thickness_m"] * 100,
                        pr["bumper_density_kg_m3"] / 1e3,
                        pr["standoff_m"] * 100,
                        pr["wall_thickness_m"] * 100,
                        pr["wall_yield_pa"] / 6894757.293168361,
                    )
                    for i in range(nr)
                ]
            )
            / 100.0
        )
        t_rows = time.perf_counter() - t0
        t0 = time.perf_counter()
        vec = np.asarray(sh.critical_diameter(v * KM_S, a, 2800.0))
        t_vec = time.perf_counter() - t0
        out["row_by_row_optimiser"] = {
            "ble": "ryan_christiansen_whipple (whipple_modified preset)",
            "rows": nr,
            "row_by_row_per_s": nr / t_rows,
            "vectorised_per_s_same_rows": nr / t_vec,
            "vectorised_per_s_large": out["per_ble"]["whipple_modified"]["evaluations_per_s"],
            "speed_up": out["per_ble"]["whipple_modified"]["evaluations_per_s"] / (nr / t_rows),
            "max_rel_difference": float(np.max(np.abs(vec / ref - 1.0))),
        }
    if args.json:
        print(json.dumps(out))
    else:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
