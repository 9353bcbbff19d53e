"""`breachkit env`: the known node (TLE, --raan-deg, case [orbit]) and --sporadic-model.

With a known node the directional populations are averaged over orbit positions only, with
that node (what `build_environment` does for an orbit with an epoch); without it over positions
and nodes. The CLI numbers must equal direct calls of `build_environment`, and the closing note
must say which averaging was done.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM, MM
from breachkit.cli.env import N_POSITIONS, N_RAAN, SIZES_MM, YEAR_S
from breachkit.cli.main import main
from breachkit.environment.builder import build_environment, node_at
from breachkit.environment.tle import bundled_tle_path, j2_node_rate, orbit_from_tle, read_tle_file

AT = "2022-12-15T00:45:00Z"
WHEN = datetime(2022, 12, 15, 0, 45, tzinfo=UTC)
TLE = str(bundled_tle_path())


def _run(argv, capsys):
    assert main(["env", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _plate(env, name):
    pop = next(p for p in env if p.name == name)
    return np.asarray(pop.random_plate_flux(np.asarray(SIZES_MM) * MM)) * YEAR_S


def test_tle_node_used_for_shower_flux_and_said_in_note(capsys):
    with_tle = _run(["--at", AT, "--tle-file", TLE], capsys)
    orbit_now = orbit_from_tle(*read_tle_file(TLE), at=AT)
    alt_km, inc_deg = with_tle["altitude_km"], with_tle["inclination_deg"]
    # the GEM flux with the TLE node equals a direct call with that node (positions only)
    known = CircularOrbit(
        alt_km * KM,
        inc_deg * DEG,
        raan_rad=orbit_now.raan_rad,
        argument_of_latitude_rad=orbit_now.argument_of_latitude_rad,
        epoch=WHEN,
    )
    env = build_environment(
        known, WHEN, populations=("showers",), showers=["GEM"], n_positions=N_POSITIONS
    )
    np.testing.assert_allclose(with_tle["flux_per_m2_per_year"]["GEM"], _plate(env, "GEM"), 1e-12)
    note = with_tle["notes"][0]
    assert "positions only" in note and "and 12 nodes" not in note
    assert "epoch 2022-12-17T21:35:44Z" in note and "propagated to --at" in note
    assert f"{np.degrees(orbit_now.raan_rad):.2f}°" in note
    assert with_tle["averaging"]["nodes"] == 1
    assert with_tle["averaging"]["raan_deg"] == pytest.approx(np.degrees(orbit_now.raan_rad))

    # same altitude and inclination, node unknown: positions and N_RAAN nodes
    no_tle = _run(
        ["--at", AT, "--altitude-km", repr(alt_km), "--inclination-deg", repr(inc_deg)], capsys
    )
    unknown = CircularOrbit(alt_km * KM, inc_deg * DEG)
    env_u = build_environment(
        unknown,
        WHEN,
        populations=("showers",),
        showers=["GEM"],
        n_positions=N_POSITIONS,
        n_raan=N_RAAN,
    )
    np.testing.assert_allclose(no_tle["flux_per_m2_per_year"]["GEM"], _plate(env_u, "GEM"), 1e-12)
    assert (
        f"and {N_RAAN} nodes" in no_tle["notes"][0] and "positions only" not in no_tle["notes"][0]
    )
    assert no_tle["averaging"] == {
        "positions": N_POSITIONS,
        "nodes": N_RAAN,
        "raan_deg": None,
        "node_from": None,
    }
    # the node matters (radiant β = +56° at this node: visible more often than the node average)
    ratio = (
        np.asarray(with_tle["flux_per_m2_per_year"]["GEM"]) / no_tle["flux_per_m2_per_year"]["GEM"]
    )
    assert np.all(np.abs(ratio - 1.0) > 0.01)
    # isotropic sporadic and debris do not depend on the node
    for name in ("sporadic", "debris"):
        np.testing.assert_allclose(
            with_tle["flux_per_m2_per_year"][name], no_tle["flux_per_m2_per_year"][name], 1e-12
        )


def test_raan_deg_is_a_known_node(capsys):
    out = _run(
        ["--at", AT, "--altitude-km", "420", "--inclination-deg", "51.6", "--raan-deg", "30"],
        capsys,
    )
    assert out["averaging"]["nodes"] == 1 and out["averaging"]["raan_deg"] == pytest.approx(30.0)
    assert "given with --raan-deg" in out["notes"][0]
    env = build_environment(
        CircularOrbit(420 * KM, 51.6 * DEG, raan_rad=30 * DEG, epoch=WHEN),
        WHEN,
        populations=("showers",),
        showers=["GEM"],
        n_positions=N_POSITIONS,
    )
    np.testing.assert_allclose(out["flux_per_m2_per_year"]["GEM"], _plate(env, "GEM"), 1e-12)


def test_raan_deg_and_tle_together_exit_2(capsys):
    assert main(["env", "--at", AT, "--tle-file", TLE, "--raan-deg", "10"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --raan-deg") and "\n" not in err


def _case(tmp_path, orbit_extra="", env_extra=""):
    (tmp_path / "case.toml").write_text(
        f"[orbit]\naltitude_km = 420\ninclination_deg = 51.64\n{orbit_extra}\n"
        f'[incident]\ntime_utc = "{AT}"\n\n'
        f'[environment]\nf107_sfu = 82.0\npopulations = ["sporadic", "showers"]\n{env_extra}\n',
        encoding="utf-8",
    )
    return str(tmp_path)


def test_case_node_propagated_with_j2(tmp_path, capsys):
    epoch = WHEN - timedelta(days=2)
    case = _case(
        tmp_path, f'raan_deg = 170.0\nepoch_utc = "{epoch.strftime("%Y-%m-%dT%H:%M:%SZ")}"'
    )
    out = _run(["--case", case], capsys)
    rate = float(j2_node_rate(420 * KM, 51.64 * DEG))
    expected = node_at(
        CircularOrbit(420 * KM, 51.64 * DEG, raan_rad=170 * DEG, epoch=epoch, raan_rate_rad_s=rate),
        WHEN,
    )
    assert expected is not None
    assert out["averaging"]["raan_deg"] == pytest.approx(np.degrees(expected) % 360.0, abs=1e-9)
    # ISS node regresses ≈ 5° per day: two days before, 170° becomes ≈ 160° at the incident
    assert out["averaging"]["raan_deg"] == pytest.approx(160.1, abs=0.2)
    assert "[orbit] raan_deg" in out["notes"][0] and "J2 node rate" in out["notes"][0]


def test_case_raan_without_epoch_exit_2(tmp_path, capsys):
    assert main(["env", "--case", _case(tmp_path, "raan_deg = 170.0")]) == 2
    err = capsys.readouterr().err.strip()
    assert "[orbit]" in err and "epoch_utc" in err and "\n" not in err


def test_sporadic_model_option(capsys):
    base = ["--at", AT, "--tle-file", TLE]
    iso = _run(base, capsys)
    src = _run([*base, "--sporadic-model", "sources"], capsys)
    assert iso["sporadic_model"] == "isotropic" and src["sporadic_model"] == "sources"
    assert "sporadic ('sources' model)" in src["notes"][0]
    orbit_now = orbit_from_tle(*read_tle_file(TLE), at=AT)
    known = CircularOrbit(
        src["altitude_km"] * KM,
        src["inclination_deg"] * DEG,
        raan_rad=orbit_now.raan_rad,
        argument_of_latitude_rad=orbit_now.argument_of_latitude_rad,
        epoch=WHEN,
    )
    env = build_environment(
        known,
        WHEN,
        populations=("sporadic",),
        n_positions=N_POSITIONS,
        sporadic_model="sources",
    )
    got = np.asarray(src["flux_per_m2_per_year"]["sporadic"])
    np.testing.assert_allclose(got, _plate(env, "sporadic"), 1e-12)
    # orbit average at this node: ≈ 0.98 of isotropic on a random plate (docs/environment.md §11)
    ratio = got / np.asarray(iso["flux_per_m2_per_year"]["sporadic"])
    assert np.all(np.abs(ratio - 1.0) > 0.005)
    assert iso["flux_per_m2_per_year"]["GEM"] == src["flux_per_m2_per_year"]["GEM"]


def test_sporadic_model_bad_option_exit_2(capsys):
    argv = ["env", "--at", AT, "--altitude-km", "420", "--inclination-deg", "51.6"]
    assert main([*argv, "--sporadic-model", "apex"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --sporadic-model") and "'apex'" in err and "\n" not in err


def test_sporadic_model_case_key(tmp_path, capsys):
    out = _run(["--case", _case(tmp_path, env_extra='sporadic_model = "isotropic"')], capsys)
    assert out["sporadic_model"] == "isotropic"
    bad = tmp_path / "bad"
    bad.mkdir()
    assert main(["env", "--case", _case(bad, env_extra='sporadic_model = "apex"')]) == 2
    err = capsys.readouterr().err.strip()
    assert "case.toml: [environment] sporadic_model" in err and "\n" not in err


def test_sporadic_model_case_key_read_by_risk_and_investigate(tmp_path, monkeypatch):
    """Both case readers accept the key, refuse unknown values, and pass it to the builder."""
    import breachkit.environment.builder as builder
    from breachkit.investigate.environment_check import check_environment
    from breachkit.risk.config import EnvironmentConfig
    from breachkit.risk.config import build_environment as risk_build

    assert EnvironmentConfig().sporadic_model == "isotropic"
    with pytest.raises(ValueError, match="sporadic_model"):
        EnvironmentConfig(sporadic_model="apex")

    seen: list[str] = []

    class _Stop(Exception):
        pass

    def fake(*args, **kw):
        seen.append(kw["sporadic_model"])
        raise _Stop

    monkeypatch.setattr(builder, "build_environment", fake)
    with pytest.raises(_Stop):
        check_environment(
            time_utc=WHEN,
            altitude_m=420e3,
            inclination_rad=0.9,
            populations=["sporadic"],
            meteoroid_model="grun-ssp30425",
            f107_sfu=None,
            debris_density="handbook-2.8",
            psi_table="spenvis",
            sporadic_model="sources",
        )
    case = tmp_path / "case.toml"
    case.write_text(
        '[vehicle]\nmodel = "soyuz_ms"\n[orbit]\naltitude_km = 420\ninclination_deg = 51.64\n'
        '[[exposure.windows]]\nlabel = "w"\nstart = "2022-12-14T00:00:00Z"\n'
        f'end = "{AT}"\n[environment]\nsporadic_model = "sources"\nf107_sfu = 82.0\n',
        encoding="utf-8",
    )
    from breachkit.risk.config import load_risk_case

    rc = load_risk_case(tmp_path)
    with pytest.raises(_Stop):
        risk_build(rc, rc.exposure.windows[0])
    assert seen == ["sources", "sources"]
    case.write_text(case.read_text().replace('"sources"', '"apex"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"\[environment\] sporadic_model"):
        load_risk_case(tmp_path)


def test_j2_node_rate_matches_two_iss_element_sets():
    """Two CelesTrak ISS element sets (docs/environment.md §11, 10.2): node 151.3097° at epoch
    22350.92995838 and 146.5036° at 22351.89982037 (the bundled file), i.e. −4.9554°/day.

    The secular J2 rate at the bundled set's mean altitude and inclination must match to 1 %
    (J2 only: J4 and drag change the ISS node rate by ≈ 0.1 %; the two sets' mean nodes carry
    their own fitting noise of ~0.01°, i.e. 0.2 % of the 4.8° step).
    """
    published = (146.5036 - 151.3097) / (22351.89982037 - 22350.92995838)
    orbit = orbit_from_tle(*read_tle_file(TLE))
    rate_deg_day = np.degrees(float(j2_node_rate(orbit.altitude_m, orbit.inclination_rad))) * 86400
    assert rate_deg_day == pytest.approx(published, rel=0.01)
    assert orbit.raan_rate_rad_s == pytest.approx(np.radians(rate_deg_day) / 86400, rel=1e-9)


def test_j2_node_rate_validity():
    from breachkit._core.validity import ValidityWarning

    with pytest.warns(ValidityWarning):
        r = j2_node_rate(np.array([50e3, 400e3]), 0.9)
    assert np.isnan(r[0]) and r[1] < 0
    assert float(j2_node_rate(400e3, np.pi / 2)) == pytest.approx(0.0, abs=1e-20)


def test_case_orbit_tle_drives_env(tmp_path, capsys):
    """A case whose [orbit] is a TLE gives the same node and Geminid flux as --tle-file."""
    l1, l2 = read_tle_file(TLE)
    (tmp_path / "case.toml").write_text(
        f'[incident]\ntime_utc = "{AT}"\n[orbit]\ntle = ["{l1}", "{l2}"]\n'
    )
    a = _run(["--case", str(tmp_path)], capsys)
    b = _run(["--at", AT, "--tle-file", TLE], capsys)
    assert a["averaging"]["raan_deg"] == pytest.approx(b["averaging"]["raan_deg"])
    assert "[orbit] tle" in a["averaging"]["node_from"]
    np.testing.assert_allclose(
        a["flux_per_m2_per_year"]["GEM"], b["flux_per_m2_per_year"]["GEM"], rtol=1e-12
    )


def test_case_orbit_tle_and_altitude_refused(tmp_path, capsys):
    (tmp_path / "case.toml").write_text(
        f'[incident]\ntime_utc = "{AT}"\n[orbit]\naltitude_km = 420\n'
        'inclination_deg = 51.6\ntle = ["1", "2"]\n'
    )
    assert main(["env", "--case", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "tle or altitude_km" in err and err.count("\n") == 1
