"""Sources as a reader can follow them: short citations instead of internal names and paths.

A reported number carries the full provenance string in results.json (the breachkit function and
the case-file sections it used). The report's numbered list shows a short form of it instead:
"computed by breachkit's risk engine from case.toml [vehicle], [orbit] …" for a breachkit model,
and the publication text as written for a cited source; paths to files a reader does not have
(the project's research notes) are replaced by their name.
"""

from __future__ import annotations

import re

__all__ = ["short_citation"]

_PARTS = {
    "attribution": "breachkit's attribution model",
    "damage": "breachkit's ballistic limit equations",
    "environment": "breachkit's environment models",
    "fleet": "breachkit's fleet statistics",
    "geometry": "breachkit's geometry",
    "investigate": "breachkit's investigation pipeline",
    "ops": "breachkit's crew-return planner",
    "report": "breachkit's report",
    "risk": "breachkit's risk engine",
    "telemetry": "breachkit's telemetry analysis",
}
_INTERNAL = re.compile(r"\bbreachkit\.([a-z_]+)(?:\.[A-Za-z_][\w.]*)?(?:\s*\([^)]*\))?")
_SECTION = re.compile(r"\[[a-z_][a-z_.]*\]")
_RESEARCH = re.compile(r"(?:\.\./)?shared/research/([\w.-]+?)(?:\.md)?\b(?=[\s,;)§]|$)")


def _balanced(text: str) -> str:
    """`text` without the parentheses that have no partner (left by removing internal names)."""
    keep = [True] * len(text)
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if opened:
                opened.pop()
            else:
                keep[i] = False
    for i in opened:
        keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)


def short_citation(source: str) -> str:
    """The short, reader-facing form of a provenance string (see the module docstring)."""
    text = _RESEARCH.sub(lambda m: f"breachkit research notes ({m.group(1)})", str(source))
    parts = [m.group(1) for m in _INTERNAL.finditer(text)]
    if not parts:
        return text.strip()
    names = list(dict.fromkeys(_PARTS.get(p, f"breachkit ({p})") for p in parts))
    if "case.toml" in text:
        sections = list(dict.fromkeys(_SECTION.findall(text.split("case.toml", 1)[1])))
        inputs = " from case.toml " + ", ".join(sections) if sections else " from the case file"
    else:
        inputs = ""
    rest = _INTERNAL.sub("", text)
    rest = re.sub(r"case\.toml(\s*\[[^\]]*\](\s*,\s*\[[^\]]*\])*)?", "", rest)
    rest = re.sub(r"\s*→\s*:?", " ", rest)
    rest = re.sub(r"\(\s*\)|\bfrom\s*(?=[;:,]|$)", "", rest)
    rest = re.sub(r"^[\s;:,-]+|[\s;:,-]+$", "", rest)
    rest = _balanced(re.sub(r"^[\s;:,()-]+|[\s;:,(-]+$", "", _balanced(rest)))
    rest = re.sub(r"\s{2,}", " ", rest)
    lead = "computed by " + " and ".join(names) + inputs
    return f"{lead}; {rest}" if len(rest) > 3 else lead
