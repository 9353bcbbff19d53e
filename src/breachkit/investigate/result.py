"""`InvestigationResult`: the outcome of every stage of one case, with its headline numbers."""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breachkit.investigate.pipeline import StageOutcome
from breachkit.investigate.provenance import jsonable

__all__ = ["InvestigationResult", "format_quantity", "format_value"]

# Where each headline number comes from: (stage name, key in that stage's quantities).
HEADLINE_KEYS: dict[str, tuple[str, str]] = {
    "posterior_impact": ("attribution", "posterior_impact"),
    "posterior_defect": ("attribution", "posterior_defect"),
    "posterior_impact_computed": ("attribution", "posterior_impact_computed"),
    "posterior_impact_cited": ("attribution", "posterior_impact_cited"),
    "posterior_impact_judgement": ("attribution", "posterior_impact_judgement"),
    "model_factor_k": ("attribution", "model_factor_k"),
    "cluster_p_value": ("fleet", "cluster_p_value"),
    "production_change_bayes_factor": ("attribution", "production_change_bayes_factor"),
    "production_change_probability": ("attribution", "production_change_probability"),
}


def format_value(value: Any, unit: str = "1") -> str:
    """A number in 3 significant figures (scientific when very small or large), with its unit."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, int):
        text = f"{value:d}"
    elif value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        text = f"{value:.3g}"
    else:
        text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if unit and unit not in ("1", "UTC"):
        return f"{text} {unit}"
    return text


def _display_unit(value: Any, unit: str) -> tuple[float, str]:
    """A display factor and unit: small lengths in mm (presentation only; the data stay SI)."""
    if unit == "m" and isinstance(value, int | float) and value != 0 and abs(value) < 1e-2:
        return 1e3, "mm"
    return 1.0, unit


def format_quantity(q: dict[str, Any], *, brackets: bool = False) -> str:
    """A reported quantity as text: value (and interval) in one display unit."""
    unit = str(q.get("unit", "1"))
    value = q.get("value")
    factor, shown = _display_unit(value, unit)

    def scaled(x: Any) -> Any:
        return x * factor if isinstance(x, int | float) and not isinstance(x, bool) else x

    text = format_value(scaled(value), shown)
    iv = q.get("interval")
    if iv and iv[0] is not None and iv[1] is not None:
        lo, hi = format_value(scaled(iv[0]), "1"), format_value(scaled(iv[1]), "1")
        level = q.get("level")
        lev = f"{level:.0%} " if isinstance(level, int | float) and not brackets else ""
        text += f" [{lo}, {hi}]" if brackets else f" ({lev}interval {lo} – {hi})"
    return text


_REPORT_WRITER: Callable[[Any, Path], Any] | None = None


def register_report_writer(writer: Callable[[Any, Path], Any]) -> None:
    """Set the function `InvestigationResult.write_report` calls (the report layer's writer)."""
    global _REPORT_WRITER
    _REPORT_WRITER = writer


_STATUS_WORDS = {"done": "done", "not_in_case": "not in this case", "unavailable": "unavailable"}


def _status_word(status: str) -> str:
    return _STATUS_WORDS.get(status, status)


def _reason_text(outcome: Any) -> str:
    """The stage's reason without a leading repeat of its status words."""
    word = _status_word(str(outcome.status))
    text = str(outcome.reason or "")
    if text.lower().startswith(word.lower()):
        text = text[len(word) :].lstrip(" :;,-–")
    return text


def _section_assumptions(outcome: Any) -> list[str]:
    sec = getattr(outcome, "section", None)
    found = getattr(sec, "assumptions", None) if sec is not None else None
    return [str(a) for a in found] if isinstance(found, list | tuple) else []


@dataclass
class InvestigationResult:
    """Everything one `investigate` run found.

    Attributes
    ----------
    case_name, case_path
        The case folder's name and its case.toml.
    incident
        The case's ``[incident]`` table as written (time, vehicle, system, description, source).
    outcomes
        One `StageOutcome` per stage, in pipeline order (done, not in this case, or unavailable).
    created_utc, breachkit_version
        When and with which version the investigation ran.
    """

    case_name: str
    case_path: str
    incident: dict[str, Any]
    outcomes: list[StageOutcome]
    created_utc: str
    breachkit_version: str
    assumptions: list[str] = field(default_factory=list)
    risk_view: dict[str, Any] | None = (
        None  # the vehicle's neighbourhood in 3-D (the report's view)
    )

    # ---- access -------------------------------------------------------------------------------
    def outcome(self, name: str) -> StageOutcome | None:
        for o in self.outcomes:
            if o.name == name:
                return o
        return None

    def headline(self, key: str) -> dict[str, Any] | None:
        """The reported quantity (with its source) behind a headline key, or None."""
        stage, qkey = HEADLINE_KEYS[key]
        o = self.outcome(stage)
        if o is None or not o.done:
            return None
        return o.section.quantities.get(qkey)

    def _value(self, key: str) -> Any:
        q = self.headline(key)
        return None if q is None else q.get("value")

    @property
    def posterior_impact(self) -> float | None:
        return self._value("posterior_impact")

    @property
    def posterior_defect(self) -> float | None:
        return self._value("posterior_defect")

    @property
    def cluster_p_value(self) -> float | None:
        return self._value("cluster_p_value")

    @property
    def production_change_probability(self) -> float | None:
        return self._value("production_change_probability")

    @property
    def verdict(self) -> str | None:
        """The attribution's verdict sentence, or None when the attribution did not run."""
        o = self.outcome("attribution")
        if o is None or not o.done:
            return None
        v = o.section.extra.get("verdict")
        return str(v) if v is not None else None

    @property
    def verdict_sentence(self) -> str | None:
        """One sentence: the verdict label with both posteriors."""
        o = self.outcome("attribution")
        if o is None or not o.done:
            return None
        v = o.section.extra.get("verdict_sentence")
        return str(v) if v is not None else None

    def _attribution_extra(self, key: str) -> Any:
        o = self.outcome("attribution")
        if o is None or not o.done:
            return None
        return o.section.extra.get(key)

    @property
    def verdict_by_class(self) -> dict[str, Any] | None:
        """P(impact) from computed evidence, + cited, + judgement (cumulative)."""
        v = self._attribution_extra("verdict_by_class")
        return dict(v) if v else None

    @property
    def warnings(self) -> list[dict[str, str]]:
        """Where the verdict is weak: ``{kind, text}`` each (attribution, then every other stage)."""
        out = list(self._attribution_extra("warnings") or [])
        for o in self.outcomes:
            if o.name != "attribution" and o.section is not None:
                out.extend(w for w in o.section.extra.get("warnings", []) or [] if w not in out)
        return out

    @property
    def evidence(self) -> list[dict[str, Any]]:
        """Each piece of evidence: name, likelihood_ratio, sentence, source."""
        o = self.outcome("attribution")
        if o is None or not o.done:
            return []
        return list(o.section.extra.get("evidence", []))

    # ---- output -------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe results (the content of results.json)."""
        headline = {k: self.headline(k) for k in HEADLINE_KEYS}
        out: dict[str, Any] = {
            "case": {"name": self.case_name, "path": self.case_path, "incident": self.incident},
            "breachkit_version": self.breachkit_version,
            "created_utc": self.created_utc,
            "verdict": self.verdict,
            "verdict_sentence": self.verdict_sentence,
            "verdict_by_class": self.verdict_by_class,
            "warnings": self.warnings,
            "official_finding": self._attribution_extra("official_finding"),
            "fleet_check": self._attribution_extra("fleet_check"),
            "production_change": self._attribution_extra("production_change"),
            "what_if": self._attribution_extra("what_if"),
            "posterior_impact": self.posterior_impact,
            "posterior_defect": self.posterior_defect,
            "evidence": self.evidence,
            "cluster_p_value": self.cluster_p_value,
            "production_change_probability": self.production_change_probability,
            "headline": headline,
            "stages": [
                {"name": o.name, "status": o.status, "reason": o.reason, "elapsed_s": o.elapsed_s}
                for o in self.outcomes
            ],
            "sections": {o.name: o.to_dict() for o in self.outcomes},
            "assumptions": self.all_assumptions(),
            "risk_view": self.risk_view,
        }
        return jsonable(out)

    def all_assumptions(self) -> list[str]:
        """The investigation's assumptions and every stage section's, each once, in order."""
        out: list[str] = []
        for a in [*self.assumptions, *(a for o in self.outcomes for a in _section_assumptions(o))]:
            if a not in out:
                out.append(a)
        return out

    def write_report(self, out_dir: str | Path) -> Any:
        """Write ``report.html`` and ``results.json`` into `out_dir` atomically; return the paths.

        The writer is the presentation layer's `breachkit.report.write_report`, which registers
        itself (`register_report_writer`) when ``breachkit.report`` is imported. If it is not
        loaded yet it is loaded here: the one place where orchestration reaches up to
        presentation, at run time only and on the user's explicit request.
        """
        if _REPORT_WRITER is None:
            importlib.import_module("breachkit.report")  # registers the writer
        if _REPORT_WRITER is None:  # pragma: no cover - the report package always registers
            raise RuntimeError("no report writer registered (import breachkit.report)")
        return _REPORT_WRITER(self, Path(out_dir))

    def _headline_rows(self) -> list[tuple[str, str, str]]:
        labels = {
            "posterior_impact_computed": "P(impact), computed evidence",
            "posterior_impact_cited": "P(impact), + cited",
            "posterior_impact_judgement": "P(impact), + judgement",
            "model_factor_k": "risk-engine factor k (fleet check)",
            "production_change_bayes_factor": "production-change Bayes factor",
        }
        rows = []
        for key, label in labels.items():
            q = self.headline(key)
            if q is None:
                rows.append((label, "n/a", "stage did not run"))
            else:
                rows.append((label, format_quantity(q), q["source"]))
        return rows

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [
            f"<div><h3>Investigation: {e(self.case_name)}</h3>",
            f"<p><b>{e(self.verdict_sentence or 'No verdict: the attribution did not run.')}</b></p>",
            "<table><tr><th>quantity</th><th>value</th><th>source</th></tr>",
        ]
        for label, value, source in self._headline_rows():
            parts.append(f"<tr><td>{e(label)}</td><td>{e(value)}</td><td>{e(source)}</td></tr>")
        parts.append("</table>")
        if self.evidence:
            parts.append(
                "<table><tr><th>evidence</th><th>likelihood ratio (impact : defect)</th>"
                "<th>why</th></tr>"
            )
            for ev in self.evidence:
                parts.append(
                    f"<tr><td>{e(str(ev.get('name', '')))}</td>"
                    f"<td>{e(format_value(ev.get('likelihood_ratio')))}</td>"
                    f"<td>{e(str(ev.get('sentence', '')))}</td></tr>"
                )
            parts.append("</table>")
        parts.append("<table><tr><th>stage</th><th>status</th><th>note</th></tr>")
        for o in self.outcomes:
            parts.append(
                f"<tr><td>{e(o.name)}</td><td>{e(_status_word(o.status))}</td><td>{e(_reason_text(o))}</td></tr>"
            )
        parts.append("</table></div>")
        return "".join(parts)

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        title = Text(f"Investigation: {self.case_name}", style="bold")
        verdict = Text(
            self.verdict_sentence or "No verdict: the attribution stage did not run.",
            style="bold",
        )
        head = Table(title="Headline (sources in the report)", show_lines=False)
        head.add_column("quantity")
        head.add_column("value", justify="right")
        for label, value, _ in self._headline_rows():
            head.add_row(Text(label), Text(value))
        items: list[Any] = [title, verdict, head]
        for w in self.warnings:
            items.append(Text(f"WARNING ({w['kind']}): {w['text']}", style="yellow"))
        if self.evidence:
            ev_table = Table(title="Evidence (likelihood ratio impact : defect)")
            ev_table.add_column("evidence")
            ev_table.add_column("LR", justify="right")
            ev_table.add_column("why", overflow="fold")
            for ev in self.evidence:
                ev_table.add_row(
                    Text(str(ev.get("name", ""))),
                    Text(format_value(ev.get("likelihood_ratio"))),
                    Text(str(ev.get("sentence", ""))),
                )
            items.append(ev_table)
        key_table = Table(title="Key numbers by stage (sources in the report)")
        key_table.add_column("stage")
        key_table.add_column("quantity", overflow="fold")
        key_table.add_column("value", justify="right")
        for o in self.outcomes:
            if not o.done:
                continue
            for qkey, q in o.section.quantities.items():
                if qkey in ("posterior_impact", "posterior_defect"):
                    continue
                value = format_quantity(q, brackets=True)
                key_table.add_row(Text(o.name), Text(str(q.get("label") or qkey)), Text(value))
        if key_table.row_count:
            items.append(key_table)
        stages = Table(title="Stages")
        stages.add_column("stage")
        stages.add_column("status")
        stages.add_column("note", overflow="fold")
        for o in self.outcomes:
            stages.add_row(Text(o.name), Text(_status_word(o.status)), Text(_reason_text(o)))
        items.append(stages)
        return Group(*items)
