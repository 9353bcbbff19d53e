"""Impact or defect? The Bayesian verdict for one incident.

* `Attribution` (estimator): prior rates per cause (`RatePrior`) × evidence likelihood ratios →
  posterior, with a sensitivity table; result `Verdict`.
* Evidence items (`breachkit.attribution.evidence`): `ShowerTiming`, `TelemetrySignature`,
  `HoleSize`, `Location`, `HardEvidence`; each gives a likelihood ratio and a sentence.
* `attribute_case(case_dir, ...)`: the single-incident verdict of a case folder (rates at face
  value), upstream numbers as arguments.
* `case_verdict(case_dir, ...)`: the verdict by evidence class (computed, + cited, + judgement)
  from the joint model of every leak of the part across the fleet, with the fleet's check of the
  risk engine, the production-change Bayes factor and the warnings.
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
from breachkit.attribution.fleet_verdict import CaseVerdict, case_verdict
from breachkit.attribution.verdict import Attribution, RatePrior, SensitivityRow, Verdict

__all__ = [
    "HARD_EVIDENCE_PRESETS",
    "Attribution",
    "CaseVerdict",
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
    "case_verdict",
    "load_attribution_case",
]
