"""Every failing input the fuzzer found (issue 19), kept: each is now one clean line or refused.

Each case names the parser, the damaged input and a piece of the expected one-line message.
"""

from __future__ import annotations

import importlib.util
import re
import tempfile
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bk_fuzz_load", Path(__file__).with_name("_load.py"))
assert _spec is not None and _spec.loader is not None
_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_load)
H = _load.harness()
TARGETS = H.targets()

MS22 = (H.CASES / "soyuz-ms22" / "case.toml").read_bytes()


def _sub(data: bytes, pattern: bytes, repl: bytes) -> bytes:
    out, n = re.subn(pattern, repl, data, count=1, flags=re.M)
    assert n == 1, pattern
    return out


CASE_TOML = [
    ("non-UTF-8 byte", MS22[:300] + b"\xff" + MS22[300:], "not UTF-8"),
    ("empty file", b"# nothing here\n", "empty"),
    ("attitude 1e30 deg", _sub(MS22, rb"^\[risk\]$", b"[risk]"), None),
    ("pitch_deg = -1e30", _sub(MS22, rb"^(\[attitude\][^\[]*?)$", rb"\1"), None),
    ("n_directions 1.2e19", _sub(MS22, rb"^n_directions = \d+", b"n_directions = 12000000000000000000"), "n_directions"),
    ("min_faces 2^63", _sub(MS22, rb"^min_faces = \d+", b"min_faces = 9223372036854775807"), "min_faces"),
    ("shower_raan 2^63", _sub(MS22, rb"^shower_raan = \d+", b"shower_raan = 9223372036854775807"), "shower_raan"),
    ("shower_times 2^63", _sub(MS22, rb"^shower_times = \d+", b"shower_times = 9223372036854775807"), "shower_times"),
    ("inclination -inf", _sub(MS22, rb"^inclination_deg = [\d.]+", b"inclination_deg = -inf"), "inclination_deg"),
    ("altitude nan", _sub(MS22, rb"^altitude_km = [\d.]+", b"altitude_km = nan"), "altitude_km"),
    ("negative seed", _sub(MS22, rb"^seed = \d+", b"seed = -5"), "seed"),
    ("date past 9999", _sub(MS22, rb'^time_utc = "2022', b'time_utc = "10000'), "time_utc"),
    ("probability 1.2e19", re.sub(rb"(?m)^(p_given_\w+ = ).*$", rb"\g<1>1.2e19", MS22, count=1), "p_given"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "data", "expect"), CASE_TOML, ids=[c[0] for c in CASE_TOML])
def test_case_toml_regressions(what: str, data: bytes, expect: str | None) -> None:
    t = TARGETS["case_toml"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        assert t.setup is not None
        t.setup(folder)
        outcome, detail = H.classify(t, folder, data, limit_s=30.0)
    if expect is None:  # an unchanged input stays accepted
        assert outcome == "ok", detail
        return
    assert outcome == "clean", (what, outcome, detail)
    assert expect in detail, detail


def test_attitude_of_1e30_degrees_is_refused(tmp_path: Path) -> None:
    from breachkit._core.casefile import load_section, read_case
    from breachkit._core.errors import InputError
    from breachkit.risk.config import AttitudeConfig

    (tmp_path / "case.toml").write_text("[attitude]\npitch_deg = -1e30\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[attitude\] pitch_deg: .*absurdly large"):
        read_case(tmp_path)
    (tmp_path / "case.toml").write_text("[attitude]\npitch_deg = 1e5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[attitude\] pitch_deg: .*not plausible as an angle"):
        load_section(read_case(tmp_path), "attitude", AttitudeConfig)


@pytest.mark.parametrize(
    ("key", "value", "why"),
    [
        ("density_kg_m3", -3.0, "density"),
        ("density_kg_m3", 1e9, "density"),
        ("tube_wall_thickness_m", -0.001, "thickness"),
        ("speed_km_s", 1e300, "speed"),
        ("accumulator_pressure_pa", -1e5, "pressure"),
        ("altitude_km", 5e6, "altitude"),
    ],
)
def test_physical_plausibility_names_the_field(key: str, value: float, why: str) -> None:
    from breachkit._core.errors import InputError
    from breachkit._core.plausibility import check_plausible

    with pytest.raises(InputError, match=rf"case.toml: \[x\] {key}: .*{why}"):
        check_plausible("case.toml", "x", {key: value})


TELEMETRY = TARGETS["telemetry_csv"].seeds[0]
_first_row = re.search(rb"(?m)^(?!#)[^\n]*\n([^,\n]+),", TELEMETRY)
assert _first_row is not None


def _time_row(value: bytes) -> bytes:
    assert _first_row is not None
    return TELEMETRY[: _first_row.start(1)] + value + TELEMETRY[_first_row.end(1) :]


@pytest.mark.parametrize(
    ("what", "data", "expect"),
    [
        ("timestamp 1e20 s in an ISO column", _time_row(b"1e20"), "cannot parse time"),
        ("year 1500", _time_row(b"1500-01-01T00:00:00Z"), "outside 1957"),
    ],
)
def test_telemetry_regressions(what: str, data: bytes, expect: str) -> None:
    t = TARGETS["telemetry_csv"]
    with tempfile.TemporaryDirectory() as tmp:
        outcome, detail = H.classify(t, Path(tmp), data, limit_s=30.0)
    assert outcome == "clean", (what, outcome, detail)
    assert expect in detail


def test_epoch_seconds_of_1e20_are_refused(tmp_path: Path) -> None:
    """One timestamp of 1e20 s wrapped int64 ns to 'a record starting in 1677' (exit 0)."""
    from breachkit._core.errors import InputError
    from breachkit.telemetry.io import read_telemetry

    p = tmp_path / "p.csv"
    p.write_text("t,p\n1671062400,100\n1e20,99\n1671062520,98\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3: time .* outside 1957"):
        read_telemetry(p, "p", "kPa", time_column="t")


def test_negative_absolute_pressure_is_refused(tmp_path: Path) -> None:
    from breachkit._core.errors import InputError
    from breachkit.telemetry.io import read_telemetry

    p = tmp_path / "p.csv"
    p.write_text("time,p\n2022-12-15T00:00:00Z,100\n2022-12-15T00:01:00Z,-5\n", encoding="utf-8")
    with pytest.raises(InputError, match="negative absolute pressure"):
        read_telemetry(p, "p", "kPa")


def test_damaged_parquet_is_one_line() -> None:
    t = TARGETS["telemetry_parquet"]
    seed = t.seeds[0]
    data = seed[:-40] + bytes(range(200, 240)) if len(seed) > 80 else seed[:10]
    with tempfile.TemporaryDirectory() as tmp:
        outcome, detail = H.classify(t, Path(tmp), data, limit_s=30.0)
    assert outcome == "clean" and "\n" not in detail


MESH = TARGETS["mesh_obj"].seeds[0]


@pytest.mark.parametrize(
    ("what", "data", "expect"),
    [
        ("face index 2^63", MESH + b"f 1 2 9223372036854775808\n", "vertex index"),
        ("vertex 1e300", MESH.replace(b"\nv ", b"\nv 1e300 ", 1), "coordinate beyond"),
    ],
)
def test_mesh_regressions(what: str, data: bytes, expect: str) -> None:
    t = TARGETS["mesh_obj"]
    with tempfile.TemporaryDirectory() as tmp:
        outcome, detail = H.classify(t, Path(tmp), data, limit_s=30.0)
    assert outcome == "clean", (what, outcome, detail)
    assert expect in detail


def test_flux_table_not_utf8_is_one_line() -> None:
    t = TARGETS["flux_table"]
    data = t.seeds[0][:150] + b"\xa7" + t.seeds[0][150:]
    with tempfile.TemporaryDirectory() as tmp:
        outcome, detail = H.classify(t, Path(tmp), data, limit_s=30.0)
    assert outcome == "clean" and "not UTF-8" in detail


@pytest.mark.parametrize("date", [b"0001-01-01", b"9999-12-31", b"2316-01-01"])
def test_fleet_dates_outside_the_space_age(date: bytes) -> None:
    t = TARGETS["fleet_import"]
    seed = t.seeds[0]
    data = re.sub(rb"2008-11-26", date, seed, count=1)
    assert data != seed
    with tempfile.TemporaryDirectory() as tmp:
        outcome, detail = H.classify(t, Path(tmp), data, limit_s=30.0)
    assert outcome == "clean" and "1957" in detail, detail
