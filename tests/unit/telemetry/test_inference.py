"""Inference round trips on simulated data and the no-leak behaviour.

Documented operating point (docs/telemetry.md): 2000 samples, Gaussian noise σ = 0.5 % of the
initial pressure, quantisation 0.1 %, onset in the first 20–60 % of the record, decay time scale
0.3–2 × the time left after the onset. Claims checked: equivalent diameter within 10 %, onset
within 5 samples (sudden hole) or 30 samples (growing hole, whose start is gradual by nature),
signature right with the growing-vs-sudden Bayes factor threshold 10.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachkit.telemetry import GasVessel, LiquidLoop, analyze, leak, read_telemetry, simulate_leak

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "telemetry"
DUR, N = 20000.0, 2000
DT = DUR / N


def _case(kind, onset_frac, scale, growth, seed, gas_volume=1.0):
    rng = np.random.default_rng(seed)
    if kind == "gas":
        v, p0 = GasVessel(volume_m3=gas_volume, temperature_k=293.0), 1e5
    else:
        v, p0 = LiquidLoop(44e-3, 1e-3 * gas_volume, 1000.0), 3e5
    onset = onset_frac * DUR
    cda = 1.0 / (scale * (DUR - onset)) / v.kappa(p0)
    d = float(leak.equivalent_hole_diameter(cda))
    rate = 0.0 if growth == "constant" else 5.0 / (DUR - onset)
    sim = simulate_leak(
        v,
        p0_pa=p0,
        hole_diameter_m=d,
        onset_s=onset,
        duration_s=DUR,
        sample_interval_s=DT,
        rng=rng,
        noise_sigma_pa=0.005 * p0,
        quantum_pa=0.001 * p0,
        growth_law=growth,
        growth_rate_s=rate,
    )
    return v, sim, d, onset


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["gas", "liquid"]),
    onset_frac=st.floats(0.2, 0.6),
    scale=st.floats(0.3, 2.0),
    vol=st.floats(0.5, 5.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_sudden_hole_round_trip(kind, onset_frac, scale, vol, seed):
    v, sim, d, onset = _case(kind, onset_frac, scale, "constant", seed, vol)
    r = analyze(sim.to_series(), v, max_bins=1000)
    assert r.leak and r.signature == "sudden"
    assert r.growing_bayes_factor is not None and r.growing_bayes_factor < 10
    assert r.hole_diameter_m == pytest.approx(d, rel=0.10)
    assert abs(r.fit.onset_s - onset) < 5 * DT
    lo, hi = r.hole_diameter_ci_m
    assert lo <= r.hole_diameter_m <= hi


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["gas", "liquid"]),
    onset_frac=st.floats(0.2, 0.5),
    scale=st.floats(0.4, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_growing_hole_round_trip(kind, onset_frac, scale, seed):
    v, sim, d, onset = _case(kind, onset_frac, scale, "linear", seed)
    r = analyze(sim.to_series(), v, max_bins=1000)
    assert r.leak and r.signature == "growing"
    assert r.growing_bayes_factor is not None and r.growing_bayes_factor > 10
    assert abs(r.fit.onset_s - onset) < 30 * DT
    # the initial effective area of the fitted growth law (linear or exponential)
    d0 = float(leak.equivalent_hole_diameter(r.fit.cd_area_m2))
    assert d0 == pytest.approx(d, rel=0.10)


@pytest.mark.parametrize("kind", ["gas", "liquid"])
def test_onset_before_the_record_still_gives_the_hole(kind):
    v, sim, d, _ = _case(kind, 0.0, 1.0, "constant", 7)
    if kind == "liquid":  # the charge state fixes the gas volume at any later pressure
        v = LiquidLoop(44e-3, 1e-3, 1000.0, charge_pressure_pa=3e5)
    # drop the first 15 % of the record: the leak began before the data
    keep = sim.t_s > 0.15 * DUR
    sim.t_s, sim.values, sim.truth = (
        sim.t_s[keep] - sim.t_s[keep][0],
        sim.values[keep],
        sim.truth[keep],
    )
    r = analyze(sim.to_series(), v, max_bins=1000)
    assert r.leak and r.onset_before_record
    assert r.onset_utc == r.series.start
    # the record starts at a lower pressure; the hole itself (Cd·A) is state-independent
    assert r.hole_diameter_m == pytest.approx(d, rel=0.10)


@pytest.mark.slow
def test_noise_drift_and_quantisation_are_not_leaks(rng):
    v = LiquidLoop(44e-3, 1e-3, 1000.0)
    for i in range(6):
        sim = simulate_leak(
            v,
            p0_pa=3e5,
            hole_diameter_m=1e-3,
            onset_s=1e9,
            duration_s=DUR,
            sample_interval_s=DT,
            rng=rng,
            noise_sigma_pa=600.0,
            quantum_pa=1000.0,
            drift_pa_s=(-1) ** i * 0.05,
        )
        r = analyze(sim.to_series(), v, max_bins=1000)
        assert not r.leak and r.signature == "none" and r.onset_utc is None
        assert r.to_dict()["hole_diameter_m"] is None


def test_real_cabin_pressure_fixture_is_no_leak():
    # Real ISS Lab cabin pressure (NASA / ISS Mimic, MIT): repress then a slow decline; no leak.
    s = read_telemetry(
        FIX / "USLAB000058.txt",
        "USLAB000058",
        "mmHg",
        fmt="mimic",
        mimic_epoch_utc="2017-12-31T00:00:00Z",
    )
    r = analyze(s, GasVessel(volume_m3=106.0, temperature_k=295.0))
    assert not r.leak and r.signature == "none"
    d = r.to_dict()
    assert d["onset_utc"] is None and d["leak_bayes_factor"] < 100


def test_to_dict_keys_and_reprs():
    v, sim, _, _ = _case("liquid", 0.3, 1.0, "constant", 3)
    r = analyze(sim.to_series(), v, max_bins=500)
    d = r.to_dict()
    for k in (
        "onset_utc",
        "onset_ci_s",
        "hole_diameter_m",
        "hole_diameter_ci_m",
        "signature",
        "bayes_factor",
        "depletion_utc",
        "leak_rate",
        "data_handling",
    ):
        assert k in d
    import json

    from breachkit.cli._common import dump_json

    json.loads(dump_json(d))
    assert "<table>" in r._repr_html_()
    assert r.__rich__() is not None


def test_onset_refined_on_raw_samples_when_bins_are_coarse():
    # 40 000 samples in 500 bins (80 per bin): the binned kink is refined on the raw samples.
    v = LiquidLoop(44e-3, 1e-3, 1000.0)
    sim = simulate_leak(
        v,
        p0_pa=3e5,
        hole_diameter_m=0.8e-3,
        onset_s=15_000.3,
        duration_s=40_000.0,
        sample_interval_s=1.0,
        rng=np.random.default_rng(11),
        noise_sigma_pa=600.0,
        quantum_pa=100.0,
    )
    r = analyze(sim.to_series(), v, max_bins=500)
    assert any("raw samples" in e for e in r.evidence)
    assert abs(r.fit.onset_s - 15_000.3) < 3.0  # < 3 samples; a bin is 80 samples
    lo, hi = r.fit.onset_ci_s
    assert lo <= 15_000.3 <= hi
    assert r.hole_diameter_m == pytest.approx(0.8e-3, rel=0.02)
