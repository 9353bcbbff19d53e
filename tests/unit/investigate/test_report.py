"""The HTML report and results.json: self-contained, valid, escaped, written atomically."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from breachkit.investigate import InvestigationContext, Section, Stage, investigate, quantity, table
from breachkit.report import render_html, write_report

from .conftest import FakeResult

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr", "area", "base"}


class _Checker(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.doctype = ""
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k in ("src", "href") and v is not None:
                self.urls.append((tag, k, v))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> _Checker:
    c = _Checker()
    c.feed(text)
    c.close()
    return c


class DemoStage(Stage):
    """A stage reporting a quantity, a table, a plot and an assumption (fake numbers; tests only)."""

    name = "risk"
    title = "Impact risk"

    def run(self, context: InvestigationContext) -> Any:
        return FakeResult({"expected_failures": 0.012})

    def summarise(self, result: Any, context: InvestigationContext) -> Section:
        src = "fake risk <stage> & co"
        return Section(
            quantities={
                "expected_failures": quantity(
                    0.012, "1", src, interval=(0.01, 0.015), level=0.9, label="N <failures>"
                )
            },
            tables=[
                table("By region", ["region", "N"], [["radiator", 0.01], ["hull", 0.002]], src)
            ],
            plots=[
                {
                    "title": "By region",
                    "kind": "bar",
                    "x": ["radiator", "hull"],
                    "series": [{"label": "N", "y": [0.01, 0.002]}],
                    "source": src,
                }
            ],
            assumptions=["an assumption with <script>alert(1)</script>"],
        )


@pytest.fixture
def result(minimal_case: Path) -> Any:
    return investigate(minimal_case, stages=[DemoStage()])


def test_report_is_valid_html5_and_self_contained(result: Any) -> None:
    text = render_html(result.to_dict())
    c = parse(text)
    assert c.doctype.lower() == "doctype html"
    assert c.errors == []
    assert c.stack == []
    for tag, attr, url in c.urls:
        assert not re.match(r"^\s*(https?:)?//", url, re.I), (tag, attr, url)
        if tag == "img":
            assert url.startswith("data:image/png;base64,")
        if tag == "a":
            assert url.startswith("#")
    assert "<link" not in text
    assert "<script" not in text.lower()  # the assumption's <script> is escaped
    assert any(tag == "img" for tag, _, _ in c.urls)  # the plot is embedded


def test_every_number_links_to_its_source(result: Any) -> None:
    text = render_html(result.to_dict())
    assert 'href="#src-1"' in text and 'id="src-1"' in text
    assert "fake risk &lt;stage&gt; &amp; co" in text
    assert "N &lt;failures&gt;" in text
    # The incident text is escaped too.
    assert "coolant &lt;leak&gt; &amp; flakes" in text


def test_skipped_stages_say_not_in_this_case(minimal_case: Path) -> None:
    from breachkit.investigate.stages import TelemetryStage

    res = investigate(minimal_case, stages=[TelemetryStage()])
    text = render_html(res.to_dict())
    assert "not in this case" in text
    assert "No verdict" in text


def test_write_report_writes_html_and_json(result: Any, tmp_path: Path) -> None:
    out = tmp_path / "out" / "deeper"
    paths = write_report(result, out)
    assert paths.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["sections"]["risk"]["quantities"]["expected_failures"]["value"] == 0.012
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.json"]


def test_a_failure_while_rendering_writes_nothing(
    result: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import breachkit.report as report

    def boom(results: Any) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(report, "render_html", boom)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        write_report(result, out)
    assert not out.exists() or list(out.iterdir()) == []


def test_a_failure_while_writing_leaves_no_partial_file(
    result: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    import os

    import breachkit.report.atomic as atomic

    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("previous report", encoding="utf-8")
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file (report.html) fails mid-way
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_report(result, out)
    # The old report is untouched, no results.json appeared, and no temporary file is left.
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert (out / "report.html").read_text(encoding="utf-8") == "previous report"


def test_report_rebuilds_from_saved_results_json(result: Any, tmp_path: Path) -> None:
    paths = write_report(result, tmp_path)
    saved = json.loads(paths.json.read_text(encoding="utf-8"))
    again = render_html(saved, draw=lambda spec: "data:image/png;base64,AAAA")
    assert "By region" in again and parse(again).errors == []
