"""Investigation timings: `python benchmarks/investigate.py --json` prints one JSON line.

Times each stage of `breachkit.investigate` on a bundled case (default cases/soyuz-ms22, all six
stages) and the report rendering and atomic write.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from breachkit.investigate import investigate
from breachkit.report import render_html, write_report

CASES = Path(__file__).resolve().parents[1] / "cases"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--case", default="soyuz-ms22")
    args = ap.parse_args()
    out: dict[str, object] = {"case": args.case}
    t = time.perf_counter()
    result = investigate(CASES / args.case)
    out["investigate_s"] = time.perf_counter() - t
    for o in result.outcomes:
        out[f"stage_{o.name}_s"] = o.elapsed_s if o.done else None
    results = result.to_dict()
    t = time.perf_counter()
    html_text = render_html(results)
    out["render_html_s"] = time.perf_counter() - t
    out["report_bytes"] = len(html_text.encode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        paths = write_report(result, tmp)
        out["write_report_s"] = time.perf_counter() - t
        out["results_json_bytes"] = paths.json.stat().st_size
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>24}: {v}")


if __name__ == "__main__":
    main()
