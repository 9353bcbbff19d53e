"""The report's first page: what a board member needs in one screen.

The verdict and P(impact) from computed evidence, then with cited, then with judgement evidence
(``results["verdict_by_class"]``); a one-line "rests on" naming the weakest input; the
crew-return recommendation with its reason; the warnings; then the incident timeline and the 3-D
risk view of the vehicle. Everything is read from the results dictionary (presentation only).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from breachkit.report.svg import timeline_svg

__all__ = ["first_page", "incident_events", "rests_on"]

_CLASS_LABEL = {
    "computed": "computed evidence only",
    "cited": "+ cited measurements",
    "judgement": "+ analysts' judgement",
}


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _p(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if not math.isfinite(v) else f"{v:.3g}"


def rests_on(results: Mapping[str, Any]) -> str:
    """One line: the weakest input the verdict rests on (judgement first, then placeholders)."""
    evidence = [e for e in results.get("evidence") or [] if isinstance(e, Mapping)]

    def weight(e: Mapping[str, Any]) -> float:
        lr = e.get("likelihood_ratio")
        try:
            return abs(math.log(float(lr))) if lr and float(lr) > 0 else 0.0
        except (TypeError, ValueError):
            return 0.0

    judged = [e for e in evidence if e.get("evidence_class") == "judgement" and weight(e) > 0]
    by_class = results.get("verdict_by_class") or {}
    computed = (by_class.get("computed") or {}).get("verdict")
    if judged and computed and computed != results.get("verdict"):
        top = max(judged, key=weight)
        return (
            f"Rests on judgement: “{top.get('name')}” (LR {_p(top.get('likelihood_ratio'))}); "
            f"computed evidence alone says “{computed}”."
        )
    for w in results.get("warnings") or []:
        text = w.get("text", "") if isinstance(w, Mapping) else str(w)
        if "placeholder" in text.lower():
            return f"Rests on a placeholder: {text}"
    if judged:
        top = max(judged, key=weight)
        return f"Weakest input: the judgement “{top.get('name')}” (LR {_p(top.get('likelihood_ratio'))})."
    if by_class:
        return "Rests on computed and cited evidence only."
    return "The evidence classes are not in this results file."


def _verdict_box(results: Mapping[str, Any]) -> str:
    verdict = results.get("verdict") or "no verdict (the attribution stage did not run)"
    rows = []
    for key, label in _CLASS_LABEL.items():
        c = (results.get("verdict_by_class") or {}).get(key)
        if isinstance(c, Mapping):
            rows.append(
                f'<tr><th scope="row">{_e(label)}</th><td class="num">'
                f"{_e(_p(c.get('posterior_impact')))}</td><td>{_e(c.get('verdict'))}</td></tr>"
            )
    table = (
        '<table><thead><tr><th scope="col">evidence used</th><th scope="col">P(impact)</th>'
        '<th scope="col">verdict</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
        if rows
        else ""
    )
    return (
        f'<p class="verdict">{_e(verdict)}: P(impact) = {_e(_p(results.get("posterior_impact")))}</p>'
        f"{table}<p><strong>{_e(rests_on(results))}</strong></p>"
    )


def _crew(results: Mapping[str, Any]) -> str:
    sec = (results.get("sections") or {}).get("crew_return") or {}
    if sec.get("status") != "done":
        return ""
    options = (sec.get("result") or {}).get("options") or []
    best = options[0] if options and isinstance(options[0], Mapping) else {}
    label = best.get("name") or ""
    reason = best.get("explanation") or ""
    if not label and not reason:
        return ""
    return (
        "<h3>Crew return</h3>"
        f"<p><strong>Recommendation:</strong> {_e(label)} {_e(reason)} "
        "(computed by breachkit's crew-return planner from the case's [ops] section)</p>"
    )


def _warnings(results: Mapping[str, Any]) -> str:
    items = []
    for w in results.get("warnings") or []:
        text = w.get("text") if isinstance(w, Mapping) else w
        items.append(f'<li class="warn">{_e(text)}</li>')
    return f"<h3>Warnings</h3><ul>{''.join(items)}</ul>" if items else ""


def incident_events(results: Mapping[str, Any]) -> list[dict[str, str]]:
    """Dated events of the case for the timeline: leak, showers, decisions, launches, landing."""
    events: list[dict[str, str]] = []
    incident = (results.get("case") or {}).get("incident") or {}
    for key, label, kind in (
        ("launch_utc", "launch", ""),
        ("dock_utc", "docking", ""),
        ("time_utc", "leak onset", "leak"),
        ("detected_utc", "detection", "leak"),
        ("decision_utc", "decision", "decision"),
    ):
        if incident.get(key):
            events.append({"when": str(incident[key]), "label": label, "kind": kind})
    sections = results.get("sections") or {}
    env = (sections.get("environment") or {}).get("result") or {}
    for s in env.get("showers") or []:
        if s.get("peak_utc"):
            events.append(
                {"when": s["peak_utc"], "label": f"{s.get('name')} peak", "kind": "shower"}
            )
    ops = (sections.get("crew_return") or {}).get("result") or {}
    if ops.get("situation_utc"):
        events.append(
            {"when": ops["situation_utc"], "label": "crew-return situation", "kind": "decision"}
        )
    for e in _ops_events(ops):
        events.append(e)
    return events


def _ops_events(ops: Mapping[str, Any]) -> Sequence[dict[str, str]]:
    out = []
    damaged = ops.get("damaged_vehicle")
    for v in ops.get("vehicles") or []:
        if isinstance(v, Mapping) and v.get("name") == damaged and v.get("docked_utc"):
            out.append({"when": str(v["docked_utc"]), "label": f"{damaged} docks", "kind": ""})
    options = ops.get("options") or []
    best = options[0] if options and isinstance(options[0], Mapping) else {}
    raw = best.get("replacement")
    rep: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    for when, label in (
        (rep.get("launch_utc"), f"{rep.get('name')} launches (plan)"),
        (rep.get("dock_utc"), f"{rep.get('name')} docks (plan)"),
        (best.get("return_utc"), f"crew home in {best.get('return_vehicle')} (plan)"),
    ):
        if when:
            out.append({"when": str(when), "label": label, "kind": "decision"})
    return out


def _risk_view(results: Mapping[str, Any]) -> str:
    view = results.get("risk_view")
    if not isinstance(view, Mapping) or not str(view.get("png", "")).startswith("data:image/png"):
        return ""
    lo, hi = view.get("log10_range", (math.nan, math.nan))
    return (
        f'<figure><img alt="3-D risk view of the vehicle" src="{_e(view["png"])}">'
        f'<figcaption class="caption">The vehicle and what shadows it, coloured by expected '
        f"failures per m² over “{_e(view.get('window'))}” (log10 {lo:.1f} … {hi:.1f}, dark to "
        "bright; grey faces only cast shadows). Computed by breachkit's risk engine; turn it in "
        "3-D in the workbench (breachkit serve).</figcaption></figure>"
    )


def first_page(results: Mapping[str, Any]) -> str:
    """The HTML of the first page (verdict box, rests on, crew, warnings, timeline, 3-D view)."""
    timeline = timeline_svg(incident_events(results))
    return (
        _verdict_box(results)
        + _crew(results)
        + _warnings(results)
        + (f"<h3>Timeline</h3><figure>{timeline}</figure>" if timeline else "")
        + _risk_view(results)
    )
