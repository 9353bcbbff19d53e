"""Real ISS telemetry (../shared, skipped when absent): no leak in nominal operations, sensible
tank depletion. Values: ../shared/data/telemetry/iss-24h-2018-10-12/README.md."""

from __future__ import annotations

import pytest

from breachkit.telemetry import analyze, read_telemetry

Y2018 = "2017-12-31T00:00:00Z"


def _read(shared_dir, rel, unit, epoch=Y2018):
    p = shared_dir / "data" / "telemetry" / rel
    return read_telemetry(p, p.stem, unit, fmt="mimic", mimic_epoch_utc=epoch)


@pytest.mark.shared
def test_o2_tank_depletion_is_sensible(shared_dir):
    # README: high-pressure O2 tank 12,548 → 12,343 in 24 h (≈ −9.2 per hour, 12.07-count steps);
    # a straight line to zero gives ≈ 56 days. Accept 30–120 days (the whole-record slope of a
    # stepwise use differs from the two-point figure) and a 12.07 kPa quantum within 1 %.
    s = _read(shared_dir, "iss-24h-2018-10-12/raw/AIRLOCK000055.txt", "kPa")
    assert s.quantum / 1e3 == pytest.approx(12.07, rel=0.01)
    r = analyze(s)
    assert not r.leak
    assert r.depletion_utc is not None
    days = (r.depletion_utc - s.utc(s.t_s[-1])).total_seconds() / 86400
    assert 30 < days < 120
    lo, _hi = r.depletion_ci_utc
    assert lo is not None and lo < r.depletion_utc


@pytest.mark.shared
@pytest.mark.parametrize(
    ("rel", "unit"),
    [
        ("iss-24h-2018-10-12/raw/S1000002.txt", "kPa"),  # NH3 loop A, +32 kPa step at 03:39
        ("iss-24h-2018-10-12/raw/AIRLOCK000049.txt", "mmHg"),  # crewlock, repress then decline
        ("iss-24h-2018-10-12/raw/NODE3000017.txt", "percent"),  # water accumulator, flat
    ],
)
def test_nominal_channels_are_not_leaks(shared_dir, rel, unit):
    r = analyze(_read(shared_dir, rel, unit))
    assert not r.leak and r.signature == "none" and r.onset_utc is None
