"""Built-in vehicles: published dimensions, closed outward surfaces, ports and docking."""

from __future__ import annotations

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.geometry import (
    ISS_PORTS,
    dock,
    iss_simplified,
    iss_with_ms22_and_ms21,
    progress_ms,
    soyuz_ms,
    vehicle_dimensions,
)
from breachkit.geometry.io import check_mesh


def _closed_outward(m) -> None:  # type: ignore[no-untyped-def]
    # check_mesh with repair=False raises on any open edge, inconsistency or inverted body
    check_mesh(m.vertices, m.faces, m.region_index, source="model", repair=False)


def test_soyuz_ms_published_dimensions() -> None:
    # Wikipedia 'Soyuz MS' infobox: solar array span 10.7 m, width (max diameter) 2.72 m;
    # Soyuz-TMA module lengths 2.98 + 2.24 + 2.26 = 7.48 m.
    m = soyuz_ms()
    lo, hi = m.bounds
    assert hi[1] - lo[1] == pytest.approx(10.7, abs=1e-9)
    assert hi[2] - lo[2] == pytest.approx(2.72, abs=1e-9)
    assert -lo[0] == pytest.approx(7.48, abs=1e-9)
    assert hi[0] <= 0 and hi[0] > -0.1  # orbital module pole cap just aft of the interface
    assert {
        "pao_radiator",
        "pao_coolant_line",
        "solar_arrays",
        "orbital_module",
        "descent_module",
    } <= set(m.region_names)
    # radiator skin: PAO cylinder 2.15 m diameter: inscribed 32-gon lateral area over its length
    d = vehicle_dimensions("soyuz_ms")["service_module"]
    length = d["length_m"] - d["intermediate_length_m"] - d["flare_length_m"]
    side = 32 * 2 * 1.075 * np.sin(np.pi / 32) * length
    ra = m.region_areas()
    assert ra["pao_radiator"] + ra["pao_coolant_line"] == pytest.approx(side, rel=1e-9)
    _closed_outward(m)


def test_progress_ms_published_dimensions() -> None:
    # RKK Energia (altusintel 2021-10-25): length 7.2 m, maximum diameter 2.72 m
    m = progress_ms()
    lo, hi = m.bounds
    assert hi[2] - lo[2] == pytest.approx(2.72, abs=1e-9)
    assert -lo[0] == pytest.approx(7.2, abs=1e-9)
    assert "pao_radiator" in m.region_names and "refuelling_module" in m.region_names
    _closed_outward(m)


def test_iss_span_and_ports() -> None:
    # DLR 'Modules of the ISS': span 109 m (truss); arrays overhang the truss ends slightly
    m = iss_simplified()
    assert vehicle_dimensions("iss")["truss_length_m"] == 109.0
    truss = m.select_regions("truss")
    assert np.ptp(truss.vertices[:, 1]) == pytest.approx(109.0)
    assert tuple(p.name for p in m.ports) == ISS_PORTS
    assert m.port("rassvet_nadir").axis == (0.0, 0.0, 1.0)
    assert m.port("poisk_zenith").axis == (0.0, 0.0, -1.0)
    assert m.port("zvezda_aft").axis == (-1.0, 0.0, 0.0)
    assert m.port("harmony_forward").axis == (1.0, 0.0, 0.0)
    _closed_outward(m)
    with pytest.raises(InputError, match="port 'nope'"):
        m.port("nope")


@pytest.mark.parametrize("port", ISS_PORTS)
def test_dock_places_vehicle_outside_the_port(port: str) -> None:
    iss = iss_simplified()
    s = dock(soyuz_ms(), iss, port)
    p = iss.port(port)
    a = np.asarray(p.axis)
    # interfaces coincide and the vehicle's docking axis points into the station
    vp = s.port("forward")
    np.testing.assert_allclose(vp.position_m, p.position_m, atol=1e-9)
    np.testing.assert_allclose(vp.axis, -a, atol=1e-12)
    # the whole vehicle lies on the outward side of the port plane, 7.48 m deep
    depth = (s.vertices - np.asarray(p.position_m)) @ a
    assert depth.min() > -1e-9
    assert depth.max() == pytest.approx(7.48, abs=1e-9)
    # areas unchanged by the rigid move
    assert s.region_areas() == pytest.approx(soyuz_ms().region_areas())


def test_dock_roll() -> None:
    iss = iss_simplified()
    s0 = dock(soyuz_ms(), iss, "rassvet_nadir")
    s90 = dock(soyuz_ms(), iss, "rassvet_nadir", roll_rad=np.pi / 2)
    # arrays span station y at roll 0 and station x at roll 90°
    arr0 = s0.select_regions("solar_arrays").vertices
    arr90 = s90.select_regions("solar_arrays").vertices
    assert np.ptp(arr0[:, 1]) == pytest.approx(10.7) and np.ptp(arr90[:, 0]) == pytest.approx(10.7)


def test_assembly_regions() -> None:
    m = iss_with_ms22_and_ms21()
    assert "soyuz_ms22/pao_radiator" in m.region_names
    assert "progress_ms21/pao_radiator" in m.region_names
    assert "iss/rassvet" in m.region_names
    # Soyuz below Rassvet (nadir, +z), Progress above Poisk (zenith, −z)
    s = m.select_regions("soyuz_ms22/pao_radiator").centroids
    p = m.select_regions("progress_ms21/pao_radiator").centroids
    assert s[:, 2].min() > m.port("iss/rassvet_nadir").position_m[2]
    assert p[:, 2].max() < m.port("iss/poisk_zenith").position_m[2]
