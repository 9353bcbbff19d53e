"""Shared fixtures: the path to ../shared (tests that need it skip cleanly when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the checkout; skip the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); this test reads real shared data")
    return SHARED


@pytest.fixture
def rng():
    """An explicit, seeded random generator."""
    import numpy as np

    return np.random.default_rng(20221215)
