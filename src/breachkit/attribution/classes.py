"""Evidence in three classes, and where a verdict would change.

* ``computed``: a breachkit model from data in the case (timing against the impact rate, the
  telemetry signature, a computed hole size or location);
* ``cited``: a published measurement with its reference (e.g. a reported hole diameter);
* ``judgement``: an analyst's number, with who or what it rests on (the hard-evidence presets).

Two more tags are listed but never weighed: ``comparison`` (an item that restates the official
finding: a known outcome is a comparison, not evidence) and ``what_if`` (an item built on
synthetic data). The verdicts are cumulative: computed; computed + cited; all three.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from breachkit.attribution.evidence import Evidence

__all__ = [
    "CLASSES",
    "EvidenceClass",
    "Tagged",
    "break_even_lr",
    "class_lrs",
    "evidence_key",
]

EvidenceClass = Literal["computed", "cited", "judgement", "comparison", "what_if"]
#: The weighed classes in cumulative order.
CLASSES: tuple[str, ...] = ("computed", "cited", "judgement")
#: The P(impact) boundaries of the verdict words (`verdict.verdict_label`).
LABEL_EDGES = (0.1, 0.3, 0.7, 0.9)


def evidence_key(item: Evidence) -> str:
    """A stable key of an evidence item (its name, spaces as underscores)."""
    return item.name.replace(" ", "_")


@dataclass(frozen=True)
class Tagged:
    """An evidence item with its class and a sentence on who or what it rests on."""

    item: Evidence
    evidence_class: EvidenceClass
    basis: str

    @property
    def weighed(self) -> bool:
        return self.evidence_class in CLASSES

    @property
    def key(self) -> str:
        return evidence_key(self.item)

    def describe(self) -> dict[str, Any]:
        return {"key": self.key, "evidence_class": self.evidence_class, "basis": self.basis}

    def to_dict(self) -> dict[str, Any]:
        return {**self.item.to_dict(), **self.describe()}


def class_lrs(items: Sequence[Tagged]) -> dict[str, float]:
    """The product of the likelihood ratios of the items of each cumulative class."""
    out: dict[str, float] = {}
    acc = 1.0
    for c in CLASSES:
        for t in items:
            if t.evidence_class == c:
                acc *= t.item.likelihood_ratio()
        out[c] = acc
    return out


def _label_index(p: float) -> int:
    return sum(p >= e if e >= 0.7 else p > e for e in LABEL_EDGES)


def break_even_lr(
    p_of_lr: Callable[[float], float], lr: float, *, span: float = 1e8
) -> dict[str, float | None]:
    """The likelihood ratio of one item at which the verdict words change, the others fixed.

    `p_of_lr(x)` is P(impact) with the item's LR set to x (monotone increasing in x). Returns
    ``down`` (the LR below which the verdict drops a class) and ``up`` (above which it rises),
    None where no LR within `span` of the current one changes it, and ``nearest`` (the one closer
    in ln LR).
    """
    from scipy import optimize

    p0 = p_of_lr(lr)
    i0 = _label_index(p0)
    edges = (0.0, *LABEL_EDGES, 1.0)
    out: dict[str, float | None] = {"down": None, "up": None}
    for side, target, lim in (("down", edges[i0], lr / span), ("up", edges[i0 + 1], lr * span)):
        if target in (0.0, 1.0):
            continue
        f = lambda lx, t=target: p_of_lr(math.exp(lx)) - t  # noqa: E731
        a, b = math.log(lr), math.log(lim)
        if f(a) * f(b) > 0:
            continue
        out[side] = math.exp(optimize.brentq(f, min(a, b), max(a, b), xtol=1e-6))
    cands = [v for v in (out["down"], out["up"]) if v is not None]
    out["nearest"] = min(cands, key=lambda v: abs(math.log(v / lr))) if cands else None
    return out
