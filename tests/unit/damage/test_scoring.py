"""HVI scoring: runs on the copied fixture; the committed report matches a rerun on ../shared."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from breachkit._core.units import CM, DEG, G_PER_CM3, KM_S, KSI
from breachkit._core.validity import ValidityWarning
from breachkit.damage import christiansen_whipple
from breachkit.damage.scoring import FILES, load_table, main, render_markdown, score_all

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "hvi"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "validation"


def test_scoring_runs_on_fixture_and_applies_filters():
    scores, log = score_all(FIX)
    text = "\n".join(log)
    assert "dropped with result N/A" in text and "HCSP: 1 dropped with speed < 0.5 km/s" in text
    assert "stuffed Whipple: 21 rows; 1 dropped" in text
    assert "foam SP: 17 rows; 2 dropped" in text
    inconel = next(line for line in log if "Inconel" in line)
    assert not inconel.startswith("HCSP: 0 ")
    for s in scores:
        assert s.tp + s.tn + s.fn + s.fp == s.n
        assert sum(c["n"] for c in s.by_regime.values()) == s.n
    radiator = [s for s in scores if s.rows == "radiator"]
    assert radiator and radiator[0].n > 0
    md = render_markdown(scores, log)
    assert "| ryan_christiansen_whipple (2011) | whipple |" in md


def test_whipple_counts_match_row_by_row_classification():
    """The vectorised scorer and a plain per-row loop classify the fixture's Whipple shots alike."""
    scores, _ = score_all(FIX)
    s = next(x for x in scores if x.ble.startswith("christiansen_whipple (1993), every row"))
    df = load_table(FIX / FILES["whipple"])
    tp = tn = fn = fp = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ValidityWarning)
        for _, r in df.iterrows():
            dc = christiansen_whipple(
                r.velocity * KM_S,
                r.angle * DEG,
                r.proj_density * G_PER_CM3,
                bumper_thickness_m=r.bumper_thick * CM,
                bumper_density_kg_m3=r.bumper_density * G_PER_CM3,
                standoff_m=r.standoff * CM,
                wall_thickness_m=r.wall_thick * CM,
                wall_yield_pa=r.wall_yield * KSI,
                check_bumper=False,
            )
            pred, obs = r.proj_diam * CM >= dc, r.perforated_class == 1
            tp += pred and obs
            tn += (not pred) and (not obs)
            fn += (not pred) and obs
            fp += pred and not obs
    assert (s.tp, s.tn, s.fn, s.fp) == (tp, tn, fn, fp)


@pytest.mark.shared
def test_committed_report_matches_a_rerun(shared_dir, tmp_path):
    out = tmp_path / "ble.md"
    assert main(["--data", str(shared_dir / "data" / "hvi"), "--out", str(out)]) == 0
    assert out.read_text() == (DOCS / "ble.md").read_text()
    new = json.loads(out.with_suffix(".json").read_text())
    old = json.loads((DOCS / "ble.json").read_text())
    assert new == old
    total = sum(1 for _ in new["scores"])
    assert total >= 10
    # every family with shots is scored on a real number of them
    by_rows = {s["rows"]: s["n"] for s in new["scores"]}
    assert by_rows["whipple"] > 1000 and by_rows["foam"] > 100 and by_rows["radiator"] == 31
    assert np.isfinite([s["accuracy"] for s in new["scores"]]).all()
