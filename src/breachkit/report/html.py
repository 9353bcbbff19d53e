"""The self-contained HTML report: one file, no network, CSS inline, plots as data URIs.

The renderer works from the results dictionary alone (the content of results.json), so a report
can be rebuilt from a saved results.json. It holds no physics: it lays out the numbers the stages
reported, each with a numbered reference to its source, and escapes every piece of text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from breachkit.investigate.provenance import collect_sources, is_quantity
from breachkit.investigate.result import format_quantity, format_value
from breachkit.report.citations import short_citation
from breachkit.report.first_page import first_page
from breachkit.report.plots import PlotsUnavailableError, plot_data_uri

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:68rem;
padding:1rem 2rem;color:#1d2330;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d6dbe4;padding-bottom:.2rem;
margin-top:2.2rem}h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem 0;font-size:.9rem}
th,td{border:1px solid #d6dbe4;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{font-size:1.25rem;font-weight:600;padding:.8rem 1rem;border-left:6px solid #3d6cb9;
background:#f3f6fb}.skip{color:#6b7280;font-style:italic}.ref{font-size:.75rem;
vertical-align:super;text-decoration:none}.meta{color:#6b7280;font-size:.85rem}
.caption{color:#4b5563;font-size:.8rem}nav a{margin-right:.8rem}figure{margin:.5rem 0}
img{max-width:100%}ol.sources li{font-size:.85rem;margin-bottom:.2rem}
"""

_SECTION_ORDER = (
    ("environment", "Environment"),
    ("risk", "Impact risk"),
    ("telemetry", "Telemetry"),
    ("fleet", "Fleet statistics"),
    ("attribution", "Attribution details"),
    ("crew_return", "Crew return"),
)

_STATUS_TEXT = {"done": "done", "not_in_case": "not in this case", "unavailable": "unavailable"}


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _cite(source: Any) -> str:
    return short_citation(str(source)) if source else ""


class _Refs:
    """Numbered references to sources: ``[n]`` links into the sources section."""

    def __init__(self, sources: list[str]) -> None:
        self.sources = list(sources)
        self._index = {s: i + 1 for i, s in enumerate(self.sources)}

    def __call__(self, source: Any) -> str:
        if not source:
            return ""
        s = str(source)
        if s not in self._index:
            self.sources.append(s)
            self._index[s] = len(self.sources)
        n = self._index[s]
        return f'<a class="ref" href="#src-{n}" title="{_e(short_citation(s))}">[{n}]</a>'


def _fmt_quantity(q: Mapping[str, Any]) -> str:
    return format_quantity(dict(q))


def _quantity_table(quantities: Mapping[str, Any], refs: _Refs) -> str:
    rows = []
    for key, q in quantities.items():
        if not is_quantity(q):
            continue
        label = q.get("label") or key.replace("_", " ")
        note = f'<div class="caption">{_e(q["note"])}</div>' if q.get("note") else ""
        rows.append(
            f'<tr><td>{_e(label)}</td><td class="num">{_e(_fmt_quantity(q))}'
            f"{refs(q.get('source'))}</td><td>{_e(_cite(q.get('source')))}{note}</td></tr>"
        )
    if not rows:
        return ""
    return (
        "<table><thead><tr><th>quantity</th><th>value</th><th>source or assumption</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return f"<td>{_e('n/a' if value is None else value)}</td>"
    if isinstance(value, int | float):
        return f'<td class="num">{_e(format_value(value))}</td>'
    return f"<td>{_e(value)}</td>"


def _table(t: Mapping[str, Any], refs: _Refs) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in t.get("columns", []))
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in t.get("rows", []))
    note = f" {_e(t['note'])}" if t.get("note") else ""
    return (
        f"<h3>{_e(t.get('title', ''))}</h3><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
        f'<div class="caption">Source: {_e(_cite(t.get("source")))} {refs(t.get("source"))}{note}</div>'
    )


def _plot(spec: Mapping[str, Any], refs: _Refs, draw: Callable[[Mapping[str, Any]], str]) -> str:
    title = _e(spec.get("title", "plot"))
    try:
        uri = draw(spec)
    except PlotsUnavailableError as exc:
        return f'<p class="skip">Figure not drawn: {title}. {_e(exc)}.</p>'
    return (
        f'<figure><img alt="{title}" src="{uri}"><figcaption class="caption">{title}. '
        f"Source: {_e(_cite(spec.get('source')))} {refs(spec.get('source'))}</figcaption></figure>"
    )


def _reason_only(status: Any, reason: Any) -> str:
    """The reason without a leading repeat of the status words ("not in this case: ...")."""
    word = _STATUS_TEXT.get(str(status), str(status))
    text = "" if reason is None else str(reason)
    if text.lower().startswith(word.lower()):
        text = text[len(word) :].lstrip(" :;,-–")
    return text


def _status_and_reason(status: Any, reason: Any) -> str:
    word = _STATUS_TEXT.get(str(status), str(status))
    text = _reason_only(status, reason)
    return f"{word}: {text}" if text else word


def _section_body(
    sec: Mapping[str, Any], refs: _Refs, draw: Callable[[Mapping[str, Any]], str]
) -> str:
    status = sec.get("status")
    if status != "done":
        return f'<p class="skip">{_e(_status_and_reason(status, sec.get("reason")))}</p>'
    parts = [f"<p>{_e(t)}</p>" for t in sec.get("text", [])]
    parts.append(_quantity_table(sec.get("quantities", {}), refs))
    parts.extend(_table(t, refs) for t in sec.get("tables", []))
    parts.extend(_plot(p, refs, draw) for p in sec.get("plots", []))
    if sec.get("assumptions"):
        parts.append(
            "<h3>Assumptions</h3><ul>"
            + "".join(f"<li>{_e(a)}</li>" for a in sec["assumptions"])
            + "</ul>"
        )
    return "".join(parts)


def _summary(results: Mapping[str, Any], refs: _Refs) -> str:
    verdict = (
        results.get("verdict_sentence")
        or results.get("verdict")
        or "No verdict: the attribution stage did not run."
    )
    headline = results.get("headline", {}) or {}
    labels = {
        "model_factor_k": "Risk-engine factor k from the fleet record (posterior median)",
        "production_change_bayes_factor": "Production-change Bayes factor (prior range)",
        "cluster_p_value": "Cluster p-value under impact only",
    }
    rows = []
    for key, label in labels.items():
        q = headline.get(key)
        if q is not None and is_quantity(q):
            rows.append(
                f'<tr><td>{_e(label)}</td><td class="num">{_e(_fmt_quantity(q))}'
                f"{refs(q.get('source'))}</td><td>{_e(_cite(q.get('source')))}</td></tr>"
            )
        else:
            rows.append(
                f'<tr><td>{_e(label)}</td><td class="num">n/a</td>'
                '<td class="skip">the stage computing it did not run on this case</td></tr>'
            )
    return (
        f'<p class="verdict">{_e(verdict)}</p>'
        + _by_class(results)
        + _warnings(results)
        + _comparisons(results)
        + "<table><thead><tr><th>quantity</th><th>value</th><th>source</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


_CLASS_WORDS = {"computed": "computed evidence", "cited": "+ cited", "judgement": "+ judgement"}


def _by_class(results: Mapping[str, Any]) -> str:
    """P(impact) from computed, + cited, + judgement evidence, side by side."""
    bc = results.get("verdict_by_class") or {}
    if not bc:
        return ""
    head = "".join(f"<th>{_e(_CLASS_WORDS.get(c, c))}</th>" for c in bc)
    p = "".join(
        f'<td class="num">{_e(format_value(v.get("posterior_impact")))}</td>' for v in bc.values()
    )
    words = "".join(f"<td>{_e(v.get('verdict'))}</td>" for v in bc.values())
    items = "".join(
        f"<td>{_e(', '.join(v.get('items') or []) or 'none')}</td>" for v in bc.values()
    )
    return (
        "<h3>P(impact) by class of evidence (cumulative)</h3>"
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>"
        f"<tr><th>P(impact)</th>{p}</tr><tr><th>verdict</th>{words}</tr>"
        f"<tr><th>items</th>{items}</tr></tbody></table>"
        '<div class="caption">Computed: breachkit models on the case\'s data; cited: published '
        "measurements; judgement: analysts' numbers. Every column is the joint model of every "
        "leak of the part across the fleet.</div>"
    )


def _warnings(results: Mapping[str, Any]) -> str:
    ws = results.get("warnings") or []
    if not ws:
        return ""
    return (
        '<h3>Where this verdict is weak</h3><ul class="warnings">'
        + "".join(f"<li><b>{_e(w.get('kind'))}</b>: {_e(w.get('text'))}</li>" for w in ws)
        + "</ul>"
    )


def _comparisons(results: Mapping[str, Any]) -> str:
    parts = []
    of = results.get("official_finding") or {}
    if of:
        alt = of.get("p_impact_if_its_items_were_weighed")
        extra = (
            f" Had the items that restate it been weighed, P(impact) would be {format_value(alt)}."
            if alt is not None
            else ""
        )
        parts.append(
            f"<p><b>Official finding (comparison only, never an input):</b> {_e(of.get('finding'))} "
            f"— {_e(of.get('source'))}.{_e(extra)}</p>"
        )
    wi = results.get("what_if")
    if wi:
        parts.append(
            f"<p><b>What-if (SYNTHETIC data, not a verdict):</b> with {_e(', '.join(wi['items']))} "
            f"weighed (LR {_e(format_value(wi['likelihood_ratio']))}) P(impact) would be "
            f"{_e(format_value(wi['p_impact']))}.</p>"
        )
    return "".join(parts)


def _evidence(results: Mapping[str, Any], refs: _Refs) -> str:
    evidence = results.get("evidence") or []
    if not evidence:
        return (
            '<p class="skip">No evidence was weighed (none recorded, or the attribution stage '
            "did not run); the verdict is the joint fleet model alone.</p>"
        )
    rows = []
    for ev in evidence:
        lr = ev.get("likelihood_ratio")
        be = ev.get("break_even_lr")
        be_text = (
            format_value(be)
            if be is not None
            else ("none" if ev.get("evidence_class") == "judgement" else "")
        )
        rows.append(
            f"<tr><td>{_e(ev.get('name'))}</td><td>{_e(ev.get('evidence_class', ''))}</td>"
            f'<td class="num">{_e(format_value(lr))}'
            f'{refs(ev.get("source"))}</td><td class="num">{_e(be_text)}</td>'
            f'<td>{_e(ev.get("sentence"))}<div class="caption">{_e(ev.get("basis", ""))}</div></td></tr>'
        )
    return (
        "<p>A likelihood ratio above 1 favours an impact, below 1 a manufacturing defect. "
        "Break-even: the value of a judgement item's LR at which the verdict words change.</p>"
        "<table><thead><tr><th>evidence</th><th>class</th><th>likelihood ratio (impact : defect)</th>"
        "<th>break-even LR</th><th>what it rests on</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _stages(results: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{_e(s.get('name'))}</td><td>{_e(_STATUS_TEXT.get(str(s.get('status')), s.get('status')))}</td>"
        f'<td>{_e(_reason_only(s.get("status"), s.get("reason")))}</td><td class="num">{_e(format_value(s.get("elapsed_s"), "s"))}</td></tr>'
        for s in results.get("stages", [])
    )
    return (
        "<table><thead><tr><th>stage</th><th>status</th><th>note</th><th>time</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def render_html(
    results: Mapping[str, Any],
    *,
    draw: Callable[[Mapping[str, Any]], str] = plot_data_uri,
) -> str:
    """The report of one investigation as a complete HTML5 document (a str).

    Parameters
    ----------
    results
        The investigation's results dictionary (`InvestigationResult.to_dict()` / results.json).
    draw
        Turns a plot specification into an image ``src`` (default: a PNG data URI).
    """
    case = results.get("case", {}) or {}
    name = case.get("name", "case")
    incident = case.get("incident", {}) or {}
    sections = results.get("sections", {}) or {}
    refs = _Refs(collect_sources(results))

    summary = _summary(results, refs)
    evidence = _evidence(results, refs)
    body_sections = []
    nav = ['<a href="#summary">Summary</a>', '<a href="#evidence">Evidence</a>']
    for key, title in _SECTION_ORDER:
        sec = sections.get(key)
        if sec is None:
            continue
        nav.append(f'<a href="#{key}">{_e(title)}</a>')
        body_sections.append(
            f'<section id="{key}"><h2>{_e(title)}</h2>{_section_body(sec, refs, draw)}</section>'
        )
    nav.append('<a href="#sources">Sources and assumptions</a>')

    incident_rows = "".join(
        f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>"
        for k, v in incident.items()
        if not isinstance(v, dict | list)
    )
    incident_html = (
        f"<table><tbody>{incident_rows}</tbody></table>"
        '<div class="caption">As recorded in the case file\'s [incident] section.</div>'
        if incident_rows
        else ""
    )

    assumptions: list[str] = list(results.get("assumptions", []))
    for sec in sections.values():
        for a in sec.get("assumptions", []) if isinstance(sec, Mapping) else []:
            if a not in assumptions:
                assumptions.append(a)
    # The sources list is complete only after every section was rendered (refs may grow).
    sources_html = (
        '<ol class="sources">'
        + "".join(
            f'<li id="src-{i + 1}">{_e(short_citation(s))}</li>' for i, s in enumerate(refs.sources)
        )
        + "</ol>"
    )
    assumptions_html = (
        "<ul>" + "".join(f"<li>{_e(a)}</li>" for a in assumptions) + "</ul>" if assumptions else ""
    )
    meta = (
        f"breachkit {_e(results.get('breachkit_version'))} · created {_e(results.get('created_utc'))}"
        f" · case file {_e(case.get('path'))}"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>breachkit investigation: {_e(name)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<header><h1>breachkit investigation: {_e(name)}</h1>"
        f'<p class="meta">{meta}</p><nav>{" ".join(nav)}</nav></header><main>'
        f'<section id="summary"><h2>Summary</h2>{first_page(results)}{summary}{incident_html}'
        f"<h3>Stages</h3>{_stages(results)}</section>"
        f'<section id="evidence"><h2>Evidence</h2>{evidence}</section>'
        + "".join(body_sections)
        + '<section id="sources"><h2>Sources and assumptions</h2>'
        "<p>Every number above links to one of these sources: the breachkit model that "
        "computed it and the case-file sections it read, or the publication it cites "
        "(results.json keeps the full provenance of each).</p>"
        f"{sources_html}<h3>Assumptions</h3>{assumptions_html or '<p>None recorded.</p>'}"
        "</section></main></body></html>\n"
    )
