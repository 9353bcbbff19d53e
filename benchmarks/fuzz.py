"""Fuzz every parser with ≥ 10⁴ mutated real inputs; print counts per outcome.

    python benchmarks/fuzz.py --json --n 10000            # all parsers
    python benchmarks/fuzz.py --n 2000 --only case_toml   # one parser

Outcomes (tests/fuzz/harness.py): ``ok`` (accepted, plausible), ``clean_errors`` (one-line
InputError / validation error), ``tracebacks`` (any other exception), ``hangs`` (over
``--limit-s`` per input) and ``absurd_accepts`` (accepted with a physically absurd value).
Goal: 0 tracebacks, 0 hangs, 0 absurd accepts. Examples of each failure are printed (their
first line) so that each becomes a regression test (tests/fuzz/test_fuzz_regressions.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _harness():
    name = "breachkit_fuzz_harness"
    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "fuzz" / "harness.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="inputs per parser (default 10000)")
    ap.add_argument("--seed", type=int, default=20221215, help="random seed of the mutator")
    ap.add_argument("--limit-s", type=float, default=10.0, help="time limit per input [s]")
    ap.add_argument("--only", action="append", default=[], help="run only this parser")
    ap.add_argument("--json", action="store_true", help="print JSON")
    args = ap.parse_args(argv)
    h = _harness()
    targets = h.targets()
    names = args.only or list(targets)
    unknown = [n for n in names if n not in targets]
    if unknown:
        ap.error(f"unknown parser {unknown[0]!r} (one of {', '.join(targets)})")
    t0 = time.perf_counter()
    results = {}
    for name in names:
        tally = h.fuzz(targets[name], args.n, seed=args.seed, limit_s=args.limit_s)
        results[name] = tally.to_dict()
        if not args.json:
            d = results[name]
            print(
                f"{name:18s} tried {d['tried']:6d}  ok {d['ok']:6d}  clean {d['clean_errors']:6d}"
                f"  tracebacks {d['tracebacks']:4d}  hangs {d['hangs']:3d}"
                f"  absurd {d['absurd_accepts']:4d}  ({d['seconds']:.0f} s)",
                flush=True,
            )
            for kind, ex in d["examples"].items():
                for e in ex:
                    print(f"    {kind}: {e}")
    out = {
        "benchmark": "fuzz",
        "n_per_parser": args.n,
        "seed": args.seed,
        "limit_s": args.limit_s,
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - t0, 1),
        "parsers": results,
        "totals": {
            k: sum(r[k] for r in results.values())
            for k in ("tried", "clean_errors", "tracebacks", "hangs", "absurd_accepts")
        },
    }
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    bad = out["totals"]["tracebacks"] + out["totals"]["hangs"] + out["totals"]["absurd_accepts"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
