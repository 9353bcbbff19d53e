"""Per-docking fleet risk: equal to the engine, shared visibility, analytic scalings, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.fleet.records import read_flights_csv
from breachkit.risk.fleet import (
    FleetDocking,
    FleetRiskConfig,
    build_port_geometry,
    docking_environment,
    fleet_dockings,
    flight_tables,
    port_tables,
)
from breachkit.risk.fleet_mc import (
    DEFAULT_INPUTS,
    InputDistribution,
    block_points,
    evaluate_draws,
    nominal_draws,
)

pytest.importorskip("trimesh")

MS22 = FleetDocking(
    "Soyuz MS-22", "Soyuz", "Soyuz MS", 1, "rassvet_nadir", "rassvet_nadir", "", "soyuz_ms",
    datetime(2022, 9, 21, 17, 6, tzinfo=UTC), datetime(2022, 12, 15, 0, 45, tzinfo=UTC),
)  # fmt: skip
CFG = FleetRiskConfig(n_directions=200, min_faces=200, yaw_nodes_deg=(-10.0, 0.0, 10.0))


@pytest.fixture(scope="module")
def ms22():
    geom = build_port_geometry("soyuz_ms", "rassvet_nadir", CFG.min_faces)
    env, f107 = docking_environment(MS22, CFG)
    pt = port_tables(geom, [p.directions.vectors for p in env], CFG)
    ft = flight_tables(MS22, env, f107, pt, 1e-4)
    return geom, env, pt, ft


def test_nominal_equals_the_risk_engine(ms22):
    from breachkit.damage import get_shield
    from breachkit.geometry.attitude import iss_flight_attitude
    from breachkit.geometry.shadowing import visibility
    from breachkit.risk.engine import ExposureWindow, compute_risk

    geom, env, pt, ft = ms22
    mine = evaluate_draws([ft], nominal_draws(), CFG, pt.nodes, pt.yaw_nodes_deg)[0, :, 0]
    shields = {f"vehicle/{r}": get_shield(p, **q) for r, (p, q) in CFG.shields.items()}

    def vis(idx, dirs):
        return visibility(geom.surface, dirs, faces=geom.sel[idx], keep_order=True)

    res = compute_risk(
        geom.faces,
        ExposureWindow.between("docked", MS22.dock, MS22.undock, env),
        shields,
        attitude=iss_flight_attitude("+XVV", 0.0, 0.0, 0.0),
        visibility=vis,
    )
    w = res.windows[0]
    names = list(res.region_names)
    ref = [w.failures_by_population_region[:, names.index(f"vehicle/{r}")].sum()
           for r in CFG.shields]  # fmt: skip
    # same sum in another order: rounding only (the engine's numba and numpy paths differ by
    # 4e-16, docs/risk.md)
    np.testing.assert_allclose(mine, ref, rtol=1e-10)
    imp = [w.impacts_by_population_region[:, names.index(f"vehicle/{r}")].sum()
           for r in CFG.shields]  # fmt: skip
    np.testing.assert_allclose([sum(p.impacts[1, i] for p in ft.populations) for i in range(2)],
                               imp, rtol=1e-10)  # fmt: skip


def test_one_visibility_per_grid_and_attitude(ms22):
    _, env, pt, _ = ms22
    grids = {np.round(p.directions.vectors, 12).tobytes() for p in env}
    # showers are binned on the sporadic igloo grid: 2 grids (igloo, debris) x 3 attitudes
    assert len(grids) == 2 and pt.visibility_calls == 2 * 3


def test_flux_factors_and_tube_fraction_scale_linearly(ms22):
    _, _, pt, ft = ms22
    base = evaluate_draws([ft], nominal_draws(), CFG, pt.nodes, pt.yaw_nodes_deg)
    d = nominal_draws()
    d["meteoroid_flux_factor"] = np.array([2.0])
    d["debris_flux_factor"] = np.array([2.0])
    d["failure_area_fraction"] = np.array([0.3])
    both = evaluate_draws([ft], d, CFG, pt.nodes, pt.yaw_nodes_deg)
    # radiator: x2 flux x3 tube fraction; coolant line (all tube, f = 1): x2 only
    np.testing.assert_allclose(both[0, :, 0], base[0, :, 0] * [6.0, 2.0], rtol=1e-12)


def test_attitude_interpolation_hits_the_nodes(ms22):
    _, _, pt, ft = ms22
    d = nominal_draws()
    out = []
    for yaw in (-10.0, -5.0, 10.0):
        d["yaw_deg"] = np.array([yaw])
        out.append(evaluate_draws([ft], d, CFG, pt.nodes, pt.yaw_nodes_deg)[0, 0, 0])
    d["yaw_deg"] = np.array([0.0])
    n0 = evaluate_draws([ft], d, CFG, pt.nodes, pt.yaw_nodes_deg)[0, 0, 0]
    assert out[1] == pytest.approx(0.5 * (out[0] + n0), rel=1e-12)
    d["yaw_deg"] = np.array([11.0])
    with pytest.raises(InputError, match="attitude nodes"):
        evaluate_draws([ft], d, CFG, pt.nodes, pt.yaw_nodes_deg)


def test_thicker_tube_fewer_penetrations(ms22):
    _, _, pt, ft = ms22
    d = nominal_draws()
    d["tube_wall_thickness_m"] = np.array([0.7e-3, 1.0e-3, 1.3e-3])
    for k, v in d.items():
        if v.size == 1:
            d[k] = np.repeat(v, 3)
    n = evaluate_draws([ft], d, CFG, pt.nodes, pt.yaw_nodes_deg)[0, 0]
    assert n[0] > n[1] > n[2] > 0


def test_sobol_blocks_are_one_sequence():
    a, b = block_points(7, 3, 0, 16)
    a1, b1 = block_points(7, 3, 0, 8)
    a2, b2 = block_points(7, 3, 8, 16)
    np.testing.assert_array_equal(np.vstack([a1, a2]), a)
    np.testing.assert_array_equal(np.vstack([b1, b2]), b)
    assert not np.array_equal(block_points(8, 3, 0, 16)[0], a)


@pytest.mark.parametrize(
    "kind,a,b",
    [("uniform", 2.0, 1.0), ("loguniform", 0.0, 1.0), ("lognormal", 1.0, 0.5), ("beta", 1, 2)],
)
def test_invalid_distribution_is_one_line(kind, a, b):
    with pytest.raises(InputError) as e:
        InputDistribution(kind, a, b, source="test")
    assert "\n" not in str(e.value)


def test_distributions_are_monotone_and_sourced():
    u = np.linspace(0.001, 0.999, 101)
    for name, dist in DEFAULT_INPUTS.items():
        assert dist.source, name
        x = dist.ppf(u)
        assert np.all(np.diff(x) >= 0), name
    ln = DEFAULT_INPUTS["meteoroid_flux_factor"]
    # lognormal(median 1, factor 3): the 2.5 % and 97.5 % quantiles are 1/3 and 3
    np.testing.assert_allclose(ln.ppf(np.array([0.025, 0.5, 0.975])), [1 / 3, 1.0, 3.0], rtol=1e-6)


def _csv(tmp_path, port: str):
    text = (
        "vehicle,family,serial,launch_date,dock_date,dock_port,undock_date,end_date,crewed,"
        "anomaly,source\n"
        f"Soyuz MS-22,Soyuz MS,751,2022-09-21,2022-09-21,{port},2023-03-28,2023-03-28,yes,,test\n"
    )
    p = tmp_path / "flights.csv"
    p.write_text(text, encoding="utf-8")
    return read_flights_csv(p)


def test_port_without_geometry_is_an_error(tmp_path):
    ports = ["rassvet_nadir", "poisk_zenith", "prichal_nadir", "zvezda_aft"]
    d, _ = fleet_dockings(_csv(tmp_path, "Pirs"), ports)
    assert d[0].model_port == "prichal_nadir" and "APPROXIMATION" in d[0].port_note
    with pytest.raises(InputError, match=r"row 1 \(Soyuz MS-22\): port 'pirs_nadir'"):
        fleet_dockings(_csv(tmp_path, "Pirs"), ports, port_map={}, source="flights.csv")
    with pytest.raises(InputError, match=r"names no (station|known) port"):
        fleet_dockings(_csv(tmp_path, "Unity"), ports)


def test_bundled_record_every_row_placed():
    from importlib import resources

    from breachkit.geometry import models as gm

    rows = read_flights_csv(resources.files("breachkit.data").joinpath("fleet.csv"))
    d, skipped = fleet_dockings(rows, [p.name for p in gm.iss_simplified().ports])
    docked = [r for r in rows if r.dock is not None]
    # every docked flight is either placed or named in `skipped`
    placed = {x.flight for x in d}
    assert all(r.vehicle.name in placed or any(r.vehicle.name in s for s in skipped)
               for r in docked)  # fmt: skip
    assert all(x.undock > x.dock for x in d)
