"""Fast fuzz slice (a few seconds): hypothesis drives the mutator over every parser's real inputs.

The full run (≥ 10⁴ inputs per parser) is ``python benchmarks/fuzz.py --json``. Here every
outcome must be an acceptance of a plausible input or a clean one-line error: no traceback, no
hang, no absurd value accepted.
"""

from __future__ import annotations

import importlib.util
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_spec = importlib.util.spec_from_file_location("bk_fuzz_load", Path(__file__).with_name("_load.py"))
assert _spec is not None and _spec.loader is not None
_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_load)
H = _load.harness()

TARGETS = H.targets()


def test_the_real_inputs_are_accepted() -> None:
    """Each seed (a real bundled input) parses cleanly: the mutations start from valid files."""
    for t in TARGETS.values():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if t.setup is not None:
                t.setup(folder)
            for seed in t.seeds:
                outcome, detail = H.classify(t, folder, seed, limit_s=30.0)
                assert outcome == "ok", (t.name, detail)


def test_mutators_change_the_input() -> None:
    rnd = random.Random(3)
    seed = b"[orbit]\naltitude_km = 418.0\ninclination_deg = 51.64\n"
    outs = {H.mutate(seed, rnd, toml=True) for _ in range(50)}
    assert len(outs) > 40 and seed not in outs


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, 16))
def test_fuzz_slice(name: str, seed: int, which: int) -> None:
    t = TARGETS[name]
    data = H.mutate(t.seeds[which % len(t.seeds)], random.Random(seed), toml=t.toml)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if t.setup is not None:
            t.setup(folder)
        outcome, detail = H.classify(t, folder, data, limit_s=20.0)
    assert outcome in ("ok", "clean"), f"{name}: {outcome}: {detail}\ninput: {data[:400]!r}"
