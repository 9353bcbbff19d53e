"""The geometry data file is listed in the data manifest with its checksum and sources."""

from __future__ import annotations

import hashlib
import tomllib
from importlib import resources

from breachkit.geometry import vehicle_dimensions


def test_vehicles_toml_in_manifest_with_matching_sha256() -> None:
    data = resources.files("breachkit").joinpath("data")
    manifest = tomllib.loads(data.joinpath("MANIFEST.toml").read_text("utf-8"))
    rows = {r["file"]: r for r in manifest["file"]}
    row = rows["geometry/vehicles.toml"]
    digest = hashlib.sha256(data.joinpath("geometry/vehicles.toml").read_bytes()).hexdigest()
    assert row["sha256"] == digest
    assert row["source"] and row["licence"] and row["units"]


def test_every_vehicle_table_names_its_source() -> None:
    for v in ("soyuz_ms", "progress_ms", "iss"):
        assert "source" in vehicle_dimensions(v) and len(vehicle_dimensions(v)["source"]) > 20
