"""The attribution stage's reported section, built from a `CaseVerdict` dictionary: the verdict by
evidence class, the fleet's check of the physics, the production change and the warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachkit.investigate.pipeline import Section
from breachkit.investigate.provenance import quantity, table
from breachkit.investigate.stages._common import _num

SRC_JOINT = "breachkit joint fleet model of every leak of the part (docs/attribution.md)"
SRC_CP = "breachkit change-point model with latent leak labels (docs/fleet.md); Kass & Raftery 1995"
CLASS_WORDS = {"computed": "computed evidence", "cited": "+ cited", "judgement": "+ judgement"}


def _class_quantities(sec: Section, d: Mapping[str, Any]) -> None:
    bc = d.get("verdict_by_class") or {}
    for c, v in bc.items():
        sec.quantities[f"posterior_impact_{c}"] = quantity(
            _num(v.get("posterior_impact")), "1", SRC_JOINT,
            label=f"P(impact) from {CLASS_WORDS.get(c, c)}", note=f"verdict: {v.get('verdict')}",
        )  # fmt: skip
    sec.quantities["posterior_impact"] = quantity(
        _num(d.get("posterior_impact")), "1", SRC_JOINT, label="P(impact), all weighed evidence"
    )
    sec.quantities["posterior_defect"] = quantity(
        _num(d.get("posterior_defect")), "1", SRC_JOINT, label="P(defect), all weighed evidence"
    )


def _fleet_quantities(sec: Section, fc: Mapping[str, Any]) -> None:
    if "k_interval" not in fc:
        return
    src = SRC_JOINT + "; fleet record (incidents.csv, fleet.csv)"
    sec.quantities["fleet_predicted_penetrations"] = quantity(
        _num(fc.get("predicted_penetrations")), "1", src, interval=tuple(fc["predicted_interval"]),
        level=0.9, label="penetrations of the part predicted by the risk engine over the fleet (k = 1)",
        note=fc.get("approximation") or "per-docking penetrations of the risk engine",
    )  # fmt: skip
    sec.quantities["fleet_observed_leaks"] = quantity(
        fc.get("observed_leaks"), "1", "fleet record (incidents.csv)", label="leaks of the part observed"
    )  # fmt: skip
    sec.quantities["fleet_p_n_at_most_observed"] = quantity(
        _num(fc.get("p_n_at_most_observed")), "1", src,
        label="P(N ≤ observed leaks) at k = 1 (rate uncertain)",
    )  # fmt: skip
    sec.quantities["model_factor_k"] = quantity(
        _num(fc.get("k_median")), "1", src, interval=tuple(fc["k_interval"]), level=0.9,
        label="posterior model factor k of the risk engine (median)", note=str(fc.get("k_prior")),
    )  # fmt: skip


def _change_quantities(sec: Section, pc: Mapping[str, Any]) -> None:
    if "bayes_factor" not in pc:
        return
    sec.quantities["production_change_bayes_factor"] = quantity(
        _num(pc.get("bayes_factor")), "1", SRC_CP, interval=tuple(pc["bayes_factor_range"]),
        label="Bayes factor: defect rate changed vs not (interval = prior-sensitivity range)",
        note=str(pc.get("words")),
    )  # fmt: skip
    sec.quantities["production_change_probability"] = quantity(
        _num(pc.get("posterior_change")), "1", SRC_CP,
        label="P(production process changed), P(change) = 0.5 a priori",
    )  # fmt: skip


def _tables(sec: Section, d: Mapping[str, Any]) -> None:
    bc = d.get("verdict_by_class") or {}
    sec.tables.append(table(
        "Verdict by evidence class (cumulative)",
        ["evidence", "P(impact)", "verdict", "LR of the case's items", "items"],
        [[CLASS_WORDS.get(c, c), _num(v.get("posterior_impact")), v.get("verdict"),
          _num(v.get("likelihood_ratio")), ", ".join(v.get("items") or []) or "none"]
         for c, v in bc.items()], SRC_JOINT,
    ))  # fmt: skip
    fc = d.get("fleet_check") or {}
    sec.tables.append(table(
        "Every leak of the part in the fleet record (joint model, all weighed evidence)",
        ["leak", "vehicle", "time (UTC)", "official finding (comparison)", "P(impact)"],
        [[x.get("key"), x.get("vehicle"), x.get("time_utc"), x.get("official_finding"),
          _num(x.get("p_impact"))] for x in fc.get("leaks", [])], SRC_JOINT,
    ))  # fmt: skip
    ex = d.get("excluded") or []
    if ex:
        sec.tables.append(table(
            "Listed but not weighed (official-finding comparisons, what-ifs on synthetic data)",
            ["item", "class", "LR", "why not weighed"],
            [[x.get("name"), x.get("evidence_class"), _num(x.get("likelihood_ratio")), x.get("basis")]
             for x in ex], "case.toml [evidence]",
        ))  # fmt: skip
    _single_tables(sec, d.get("single_incident") or {})


def _single_tables(sec: Section, s: Mapping[str, Any]) -> None:
    if not s:
        return
    sec.tables.append(table(
        "Comparison: single-incident posterior with the impact rate at face value (no fleet check)",
        ["cause", "prior share", "posterior", "rate mean [d⁻¹]", "rate source"],
        [[h, _num((s.get("prior") or {}).get(h)), _num(p), _num(((s.get("rates") or {}).get(h) or {}).get("mean")),
          ((s.get("rates") or {}).get(h) or {}).get("source")] for h, p in (s.get("posterior") or {}).items()],
        "competing-rates model (docs/attribution.md)",
    ))  # fmt: skip
    sens = s.get("sensitivity") or []
    if sens:
        sec.tables.append(table(
            "Sensitivity of the single-incident posterior to each uncertain input",
            ["input", "low", "P(impact) at low", "high", "P(impact) at high"],
            [[r.get("input"), r.get("low"), _num(r.get("posterior_impact_low")), r.get("high"),
              _num(r.get("posterior_impact_high"))] for r in sens],
            "competing-rates model (docs/attribution.md)",
        ))  # fmt: skip


def _evidence_list(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ev in d.get("evidence", []) or []:
        row = {
            "key": ev.get("key"),
            "name": ev.get("name"),
            "likelihood_ratio": _num(ev.get("likelihood_ratio")),
            "sentence": ev.get("explanation"),
            "source": ev.get("source"),
            "evidence_class": ev.get("evidence_class"),
            "basis": ev.get("basis"),
        }
        if ev.get("evidence_class") == "judgement":
            row["break_even_lr"] = _num(ev.get("break_even_lr"))
            row["break_even_lr_down"] = _num(ev.get("break_even_lr_down"))
            row["break_even_lr_up"] = _num(ev.get("break_even_lr_up"))
        out.append(row)
    return out


def verdict_sentence(d: Mapping[str, Any]) -> str:
    bc = d.get("verdict_by_class") or {}
    parts = [f"{CLASS_WORDS.get(c, c)} {v['posterior_impact']:.3g} ({v['verdict']})"
             for c, v in bc.items()]  # fmt: skip
    fc = d.get("fleet_check") or {}
    if "k_interval" not in fc:
        pi = _num(d.get("posterior_impact"))
        return f"Verdict: {d.get('verdict')}. P(impact) = {pi if pi is None else format(pi, '.3g')}."
    return (
        f"Verdict: {d.get('verdict')}. P(impact) from {'; '.join(parts)}. The fleet record's "
        f"{fc.get('observed_leaks')} leak(s) against {fc.get('predicted_penetrations', 0):.3g} "
        f"predicted penetrations give the risk engine a factor k = {fc.get('k_median', 0):.2g} "
        f"(90 % {fc['k_interval'][0]:.2g}–{fc['k_interval'][1]:.2g})."
    )


def verdict_section(d: Mapping[str, Any]) -> Section:
    """The section of a `CaseVerdict.to_dict()`."""
    sec = Section()
    _class_quantities(sec, d)
    fc = d.get("fleet_check") or {}
    _fleet_quantities(sec, fc)
    pc = d.get("production_change") or {}
    _change_quantities(sec, pc)
    _tables(sec, d)
    sec.extra["evidence"] = _evidence_list(d)
    sec.extra["verdict"] = d.get("verdict")
    sec.extra["verdict_sentence"] = verdict_sentence(d)
    sec.extra["verdict_by_class"] = d.get("verdict_by_class")
    sec.extra["warnings"] = list(d.get("warnings") or [])
    sec.extra["official_finding"] = d.get("official_finding")
    sec.extra["what_if"] = d.get("what_if")
    sec.extra["fleet_check"] = fc
    sec.extra["production_change"] = pc
    if pc.get("words"):
        lo, hi = pc["bayes_factor_range"]
        sec.text.append(
            f"Has the production process changed? Bayes factor {pc['bayes_factor']:.3g} (prior "
            f"range {lo:.3g}–{hi:.3g}): {pc['words']} (scale: {pc.get('scale')}). Each leak "
            "counts with its probability of being a defect, summed over its label."
        )
    wi = d.get("what_if")
    if wi:
        sec.text.append(
            f"WHAT-IF (not a verdict): with the SYNTHETIC {', '.join(wi['items'])} weighed "
            f"(LR {wi['likelihood_ratio']:.3g}) P(impact) would be {wi['p_impact']:.3g}."
        )
    of = d.get("official_finding") or {}
    sec.text.append(
        f"Official finding (comparison only, never an input): {of.get('finding')} — "
        f"{of.get('source')}."
    )
    for n in d.get("notes", []) or []:
        sec.assumptions.append(f"Attribution: {n}")
    for n in fc.get("notes", []) or []:
        sec.assumptions.append(f"Fleet model: {n}")
    return sec
