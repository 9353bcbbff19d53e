"""The workbench in a real browser: investigate MS-22, see the verdict, turn and hover the 3-D view."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "out" / "browser"

_NON_BACKGROUND = """() => {
  const c = document.querySelector('#view3d canvas');
  if (!c) return -1;
  const g = document.createElement('canvas'); g.width = c.width; g.height = c.height;
  const x = g.getContext('2d'); x.drawImage(c, 0, 0);
  const d = x.getImageData(0, 0, g.width, g.height).data; let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - 16) + Math.abs(d[i + 1] - 22) + Math.abs(d[i + 2] - 28) > 30) n++;
  }
  return n / (d.length / 4);
}"""


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_start_page_lists_cases_and_is_accessible(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server)
    page.get_by_role("button", name="soyuz-ms22 — Soyuz MS-22").wait_for()
    assert _axe_violations(page) == []
    page.close()


def test_investigate_ms22_and_turn_it_in_3d(server: str, browser) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    page.get_by_role("button", name="soyuz-ms22 — Soyuz MS-22").click()
    page.get_by_role("button", name="Investigate").click()
    page.locator("#verdict").get_by_text("P(impact) =").wait_for(timeout=300_000)
    verdict = page.locator("#verdict").inner_text()
    assert "P(impact) =" in verdict
    assert "computed evidence" in verdict  # the three evidence classes side by side
    page.locator("#view3d canvas").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    lit = page.evaluate(_NON_BACKGROUND)
    assert lit > 0.01, f"the 3-D canvas is blank ({lit:.4f} of its pixels lit)"
    page.locator("#view3d canvas").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = page.locator("#view3d canvas").bounding_box()
    assert box is not None
    hover = ""
    for fx, fy in ((0.5, 0.5), (0.45, 0.5), (0.55, 0.5), (0.5, 0.45), (0.5, 0.55), (0.4, 0.4)):
        page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        page.wait_for_timeout(300)
        hover = page.locator("#hover").inner_text()
        if hover:
            break
    assert "shield" in hover and "/" in hover, f"hovering the vehicle showed {hover!r}"
    page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + 0.5 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.7 * box["width"], box["y"] + 0.5 * box["height"], steps=5)
    page.mouse.up()
    page.screenshot(path=str(SHOTS / "workbench-ms22.png"), full_page=True)
    assert _axe_violations(page) == []
    page.close()
