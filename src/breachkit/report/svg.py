"""The incident timeline drawn as inline SVG (no plotting library needed; presentation only).

Dated events on one time axis, each with a label, coloured by kind (leak, shower, decision).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime

__all__ = ["timeline_svg"]

_VIRIDIS = ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37))


def _colour(t: float) -> str:
    x = min(max(t, 0.0), 1.0) * (len(_VIRIDIS) - 1)
    i = min(int(x), len(_VIRIDIS) - 2)
    f = x - i
    rgb = [round(a + f * (b - a)) for a, b in zip(_VIRIDIS[i], _VIRIDIS[i + 1], strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _parse(when: str) -> datetime | None:
    try:
        return datetime.fromisoformat(when.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


def timeline_svg(events: Sequence[Mapping[str, str]], width: int = 960) -> str:
    """An SVG timeline of ``{"when": ISO UTC, "label": text, "kind": ...}`` events (sorted)."""
    dated = sorted(
        ((d, e) for e in events if (d := _parse(e.get("when", ""))) is not None), key=lambda p: p[0]
    )
    if len(dated) < 2:
        return ""
    t0, t1 = dated[0][0].timestamp(), dated[-1][0].timestamp()
    span = max(t1 - t0, 1.0)
    left, right, axis_y = 40, width - 40, 30
    rows = []
    for k, (d, e) in enumerate(dated):
        x = left + (d.timestamp() - t0) / span * (right - left)
        y = axis_y + 24 + 18 * k
        colour = {"leak": "#b3261e", "shower": "#d97706", "decision": "#0b5cad"}.get(
            e.get("kind", ""), "#1d2330"
        )
        anchor = "end" if x > width * 0.6 else "start"
        dx = -6 if anchor == "end" else 6
        rows.append(
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{y - 4}" stroke="{colour}" stroke-width="1"/>'
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="4" fill="{colour}"/>'
            f'<text x="{x + dx:.1f}" y="{y}" font-size="12" text-anchor="{anchor}" fill="{colour}">'
            f"{html.escape(d.strftime('%Y-%m-%d'))} {html.escape(e.get('label', ''))}</text>"
        )
    height = axis_y + 24 + 18 * len(dated) + 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="incident timeline" '
        f'width="100%" viewBox="0 0 {width} {height}">'
        f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="#6b7280" stroke-width="2"/>'
        + "".join(rows)
        + "</svg>"
    )
