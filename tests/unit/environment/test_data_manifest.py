"""Every environment data file is in MANIFEST.toml with its true sha256 and its source."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources

import pytest

FILES = ("ecss_c1_taylor1995_candidate.csv", "showers.csv", "f107_annual_noaa_swpc.csv")


@pytest.mark.parametrize("name", FILES)
def test_manifest_entry(name):
    data = resources.files("breachkit.data")
    manifest = tomllib.loads(data.joinpath("MANIFEST.toml").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["file"] if f["file"] == name)
    digest = hashlib.sha256(data.joinpath(name).read_bytes()).hexdigest()
    assert entry["sha256"] == digest
    assert entry["source"] and entry["licence"] and entry["units"]
