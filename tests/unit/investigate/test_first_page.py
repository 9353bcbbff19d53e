"""The report's first page, its short citations and its figures (presentation only)."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

from breachkit.investigate.scene import _png, risk_view
from breachkit.report.citations import short_citation
from breachkit.report.first_page import first_page, incident_events, rests_on
from breachkit.report.svg import timeline_svg


def _results(**extra):
    base = {
        "verdict": "impact",
        "posterior_impact": 0.95,
        "case": {"incident": {"time_utc": "2022-12-15T00:45:00Z"}},
        "sections": {
            "environment": {
                "result": {"showers": [{"name": "Geminids", "peak_utc": "2022-12-14T13:00:00Z"}]}
            }
        },
        "evidence": [
            {"name": "ground test", "likelihood_ratio": 7.0, "evidence_class": "judgement"},
            {"name": "timing", "likelihood_ratio": 1.0, "evidence_class": "computed"},
        ],
    }
    base.update(extra)
    return base


def test_the_three_classes_are_shown_and_a_judgement_verdict_is_named() -> None:
    res = _results(
        verdict_by_class={
            "computed": {"posterior_impact": 0.5, "verdict": "undetermined"},
            "cited": {"posterior_impact": 0.6, "verdict": "undetermined"},
            "judgement": {"posterior_impact": 0.95, "verdict": "impact"},
        }
    )
    page = first_page(res)
    assert "computed evidence only" in page and "+ cited measurements" in page
    assert "0.5" in page and "0.95" in page
    line = rests_on(res)
    assert (
        line.startswith("Rests on judgement") and "ground test" in line and "undetermined" in line
    )


def test_without_classes_the_page_says_so() -> None:
    assert rests_on({"verdict": "impact"}) == "The evidence classes are not in this results file."


def test_placeholders_named_in_warnings_are_the_weak_point() -> None:
    res = _results(
        verdict_by_class={"computed": {"verdict": "impact"}},
        warnings=[{"kind": "placeholder", "text": "the radiator shield is a placeholder"}],
    )
    assert "placeholder" in rests_on(res)
    assert "the radiator shield is a placeholder" in first_page(res)


def test_timeline_has_every_dated_event_in_order() -> None:
    events = incident_events(_results())
    assert [e["label"] for e in events] == ["leak onset", "Geminids peak"]
    svg = timeline_svg(events)
    assert svg.startswith("<svg") and svg.index("Geminids peak") < svg.index("leak onset")
    assert timeline_svg(events[:1]) == ""  # one event is no timeline


def test_short_citations_hide_internal_names_and_research_paths() -> None:
    s = short_citation("breachkit.risk.run_case; case.toml [vehicle], [orbit], [risk]")
    assert s == "computed by breachkit's risk engine from case.toml [vehicle], [orbit], [risk]"
    s = short_citation(
        "breachkit.ops.plan_case; case.toml [ops] (breachkit.ops.thermal lumped model)"
    )
    assert "breachkit." not in s and s.endswith("lumped model")
    s = short_citation("../shared/research/incidents.md §1 (NASA 2022-12-19)")
    assert "../shared" not in s and "incidents" in s and "NASA 2022-12-19" in s
    assert short_citation("TASS 2022-12-19") == "TASS 2022-12-19"


def test_png_writer_makes_a_valid_file() -> None:
    img = np.zeros((3, 4, 3), dtype=np.uint8)
    img[1, 2] = (255, 0, 0)
    data = _png(img)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (4, 3)
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    assert raw[1 * (1 + 12) + 1 + 2 * 3 : 1 * (1 + 12) + 1 + 2 * 3 + 3] == b"\xff\x00\x00"


def test_risk_view_colours_the_risky_side_brighter() -> None:
    # two squares facing +x (risky) and -x (quiet), seen from the default (risk) side
    verts = np.array(
        [
            [1, -1, -1],
            [1, 1, -1],
            [1, 1, 1],
            [1, -1, 1],
            [-1, -1, -1],
            [-1, 1, -1],
            [-1, 1, 1],
            [-1, -1, 1],
        ],
        dtype=float,
    )
    faces = [[0, 1, 2], [0, 2, 3], [4, 6, 5], [4, 7, 6]]
    scene = {
        "vertices": verts.ravel().tolist(),
        "faces": np.ravel(faces).tolist(),
        "failures_per_m2": [1e-2, 1e-2, 1e-5, 1e-5],
        "target": {"centre": [0.0, 0.0, 0.0], "radius": 1.0},
        "window": "w",
        "source": "test",
    }
    view = risk_view(scene, size=64)
    assert view["faces_drawn"] == 4 and view["log10_range"][1] == -2.0
    png = base64.b64decode(view["png"].split(",", 1)[1])
    assert png[:4] == b"\x89PNG"
    raw = zlib.decompress(png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8])
    row = 1 + 64 * 3
    r, g, b = raw[32 * row + 1 + 32 * 3 : 32 * row + 1 + 32 * 3 + 3]
    assert r > 120 and g > 120 and b < 100, (r, g, b)  # the bright (viridis top) risky face
