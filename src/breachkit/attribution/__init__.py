"""Impact or defect? The Bayesian verdict for one incident.

* `Attribution` (estimator): prior rates per cause (`RatePrior`) × evidence likelihood ratios →
  posterior, with a sensitivity table; result `Verdict`.
* Evidence items (`breachkit.attribution.evidence`): `ShowerTiming`, `TelemetrySignature`,
  `HoleSize`, `Location`, `HardEvidence`; each gives a likelihood ratio and a sentence.
* `attribute_case(case_dir, ...)`: the verdict of a case folder, upstream numbers as arguments.
"""

from breachkit.attribution.case import attribute_case, load_attribution_case
from breachkit.attribution.evidence import (
    HARD_EVIDENCE_PRESETS,
    Evidence,
    HardEvidence,
    HoleSize,
    ImpactTiming,
    Location,
    ShowerTiming,
    TelemetrySignature,
)
from breachkit.attribution.verdict import Attribution, RatePrior, SensitivityRow, Verdict

__all__ = [
    "HARD_EVIDENCE_PRESETS",
    "Attribution",
    "Evidence",
    "HardEvidence",
    "HoleSize",
    "ImpactTiming",
    "Location",
    "RatePrior",
    "SensitivityRow",
    "ShowerTiming",
    "TelemetrySignature",
    "Verdict",
    "attribute_case",
    "load_attribution_case",
]
