"""Warnings shown beside the verdict: where it is weak.

* ``physics_fleet``: the fleet record disagrees with the risk engine (the posterior 90 % interval
  of the model factor k excludes 1);
* ``rests_on_judgement``: the computed-only verdict words differ from the cited or the
  all-evidence ones;
* ``placeholder``: a computed number rests on a placeholder (a shield whose assumptions say
  PLACEHOLDER, or an impact rate whose source says ASSUMPTION/PLACEHOLDER);
* ``approximation``: the per-flight penetrations are one rate times docked days;
* ``synthetic``: an item was built on a synthetic series (a what-if, not weighed);
* ``proxy``: the case names a proxy for its fleet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from breachkit.attribution.classes import Tagged

__all__ = ["placeholder_shields", "verdict_warnings"]


def placeholder_shields(case: Any) -> list[str]:
    """Regions of the case whose shield preset says PLACEHOLDER in its assumptions."""
    shields = ((case.data.get("vehicle") or {}).get("shields")) or {}
    out = []
    for region, spec in shields.items():
        name = spec.get("preset") if isinstance(spec, Mapping) else None
        if not name:
            continue
        try:
            from breachkit.damage.shields import get_shield

            shield = get_shield(str(name))
        except Exception:
            continue
        if any("PLACEHOLDER" in str(a) for a in getattr(shield, "assumptions", ())):
            out.append(f"{region} ({name})")
    return out


def _w(kind: str, text: str) -> dict[str, str]:
    return {"kind": kind, "text": text}


def verdict_warnings(
    case: Any,
    by_class: Mapping[str, Mapping[str, Any]],
    fleet_check: Mapping[str, Any],
    own: Sequence[Tagged],
    impact_rate_source: str,
    fleet: Any,
) -> list[dict[str, str]]:
    """The warnings for one case (module docstring)."""
    out = []
    lo, hi = fleet_check["k_interval"]
    if not lo <= 1.0 <= hi:
        side = "higher" if hi < 1 else "lower"
        out.append(_w("physics_fleet", (
            f"The fleet record disagrees with the risk engine: it predicts "
            f"{fleet_check['predicted_penetrations']:.3g} penetrations of the part over "
            f"{fleet_check['n_dockings']} dockings, {fleet_check['observed_leaks']} leaks were "
            f"observed; the posterior model factor k is {fleet_check['k_median']:.2g} "
            f"(90 % {lo:.2g}–{hi:.2g}), i.e. the engine's rate is {side} than the fleet allows. "
            "The verdict uses k's posterior, not the engine's rate."
        )))  # fmt: skip
    c, ci, j = (by_class[x] for x in ("computed", "cited", "judgement"))
    if c["verdict"] != j["verdict"] or c["verdict"] != ci["verdict"]:
        out.append(_w("rests_on_judgement", (
            f"The verdict rests on more than computed evidence: computed only '{c['verdict']}' "
            f"(P(impact) {c['posterior_impact']:.3g}), + cited '{ci['verdict']}' "
            f"({ci['posterior_impact']:.3g}), + judgement '{j['verdict']}' "
            f"({j['posterior_impact']:.3g})."
        )))  # fmt: skip
    ph = placeholder_shields(case)
    if ph:
        out.append(_w("placeholder", (
            "The risk engine's rate (the fleet model's λ and the computed timing) rests on a "
            f"PLACEHOLDER shield: {', '.join(ph)}."
        )))  # fmt: skip
    if any(w in impact_rate_source.upper() for w in ("ASSUMPTION", "PLACEHOLDER")):
        out.append(_w("placeholder", (
            f"The impact rate per docked day is an assumption, not the risk engine: "
            f"{impact_rate_source}."
        )))  # fmt: skip
    if fleet.approximation:
        out.append(_w("approximation", fleet.approximation))
    for t in own:
        if t.evidence_class == "what_if":
            out.append(_w("synthetic", (
                f"'{t.item.name}' is built on SYNTHETIC data: shown as a what-if, LR 1 in the "
                "verdict."
            )))  # fmt: skip
    for n in fleet.notes:
        if "PROXY" in n.upper():
            out.append(_w("proxy", n))
    return out
