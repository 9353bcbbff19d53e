"""Fuzz harness: mutators over the bundled cases' real inputs, one target per parser.

Each target takes bytes (a mutated real input), writes them where the parser expects a file
and calls the parser the CLI calls. Every outcome is one of

* ``ok``: accepted, and nothing in what was accepted is physically absurd;
* ``clean``: refused with a `BreachkitError` / pydantic ``ValidationError`` (one line);
* ``traceback``: any other exception (a bug: the CLI would print a traceback);
* ``hang``: over the time limit (SIGALRM);
* ``absurd``: accepted, but a plausibility check on the accepted values fails (a wrong number
  would flow on silently).

Used by ``tests/fuzz/test_fuzz_fast.py`` (a few seconds, every run) and
``benchmarks/fuzz.py`` (≥ 10⁴ inputs per parser, JSON counts). Seeds are the real files of
``cases/`` and ``src/breachkit/data`` (nothing from ../shared).
"""

from __future__ import annotations

import contextlib
import math
import random
import re
import shutil
import signal
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "cases"
DATA = REPO / "src" / "breachkit" / "data"
FIXTURES = REPO / "tests" / "fixtures"

OUTCOMES = ("ok", "clean", "traceback", "hang", "absurd")

# ---------------------------------------------------------------------------------------------
# mutators

#: Values that break parsers: huge, negative, non-finite, 2⁶³, far dates, paths, unicode.
INTERESTING_NUMBERS = (
    "0", "-1", "-0.0", "1", "2", "1e300", "-1e300", "inf", "-inf", "nan", "9223372036854775808",
    "9223372036854775807", "-9223372036854775809", "1.2e19", "1e20", "1e-300", "4294967296",
    "65536", "3.4e38", "1e30", "-1e30", "0.0000001", "123456789012345678901234567890",
)  # fmt: skip
INTERESTING_STRINGS = (
    "", " ", "../../../../etc/passwd", "/etc/passwd", "a" * 300, "\u202e\u0000x", "ü" * 50,
    "10000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1677-09-21T00:00:00Z", "2262-04-12",
    "9999-12-31T23:59:59Z", "2022-02-30", "NaN", "nope", "[1,2", "💥", "C:\\\\x",
)  # fmt: skip
INTERESTING_TOML = (
    *INTERESTING_NUMBERS,
    *(f'"{s}"' for s in INTERESTING_STRINGS if '"' not in s and "\\" not in s),
    "true", "[]", "[1, 2, 3]", '["a"]', "{}", "{ a = 1 }", "1979-05-27T07:32:00Z", "[[1], [2]]",
)  # fmt: skip
NON_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80\x80")


def byte_mutation(data: bytes, rnd: random.Random) -> bytes:
    """One byte-level damage: flip, insert, delete, truncate, duplicate, non-UTF-8."""
    if not data:
        return bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 16)))
    b = bytearray(data)
    op = rnd.randrange(7)
    i = rnd.randrange(len(b))
    if op == 0:
        for _ in range(rnd.randrange(1, 8)):
            j = rnd.randrange(len(b))
            b[j] ^= 1 << rnd.randrange(8)
    elif op == 1:
        b[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 8)))
    elif op == 2:
        del b[i : i + rnd.randrange(1, 64)]
    elif op == 3:
        del b[i:]
    elif op == 4:
        j = min(len(b), i + rnd.randrange(1, 256))
        b[j:j] = b[i:j] * rnd.randrange(1, 4)
    elif op == 5:
        b[i:i] = rnd.choice(NON_UTF8)
    else:
        b[i] = rnd.choice(b"0123456789-.,;=[]\"'\n\r\t eE")
    return bytes(b)


_NUMBER = re.compile(rb"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")


def token_mutation(data: bytes, rnd: random.Random) -> bytes:
    """Replace one number (or a field between separators) by an interesting value."""
    nums = list(_NUMBER.finditer(data))
    if nums and rnd.random() < 0.7:
        m = rnd.choice(nums)
        new = rnd.choice(INTERESTING_NUMBERS).encode()
        return data[: m.start()] + new + data[m.end() :]
    lines = data.split(b"\n")
    k = rnd.randrange(len(lines))
    fields = lines[k].split(b",")
    j = rnd.randrange(len(fields))
    fields[j] = rnd.choice((*INTERESTING_NUMBERS, *INTERESTING_STRINGS)).encode("utf-8", "replace")
    lines[k] = b",".join(fields)
    return b"\n".join(lines)


def line_mutation(data: bytes, rnd: random.Random) -> bytes:
    """Delete, duplicate, swap or blank lines (missing and extra rows or fields)."""
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data + b"\n" + data
    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    op = rnd.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(j, lines[i])
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = b""
    return b"\n".join(lines)


_TOML_KV = re.compile(rb"^(\s*)([A-Za-z0-9_.\"-]+)(\s*=\s*)(.+)$")


def toml_mutation(data: bytes, rnd: random.Random) -> bytes:
    """Structure-aware TOML damage: a value of another type or size, a key dropped or added."""
    lines = data.split(b"\n")
    kv = [i for i, line in enumerate(lines) if _TOML_KV.match(line)]
    if not kv:
        return line_mutation(data, rnd)
    i = rnd.choice(kv)
    m = _TOML_KV.match(lines[i])
    assert m is not None
    op = rnd.randrange(5)
    if op <= 2:
        value = rnd.choice(INTERESTING_TOML).encode("utf-8")
        lines[i] = m.group(1) + m.group(2) + m.group(3) + value
    elif op == 3:
        del lines[i]
    else:
        lines.insert(i, m.group(1) + b"unknown_key_" + str(rnd.randrange(99)).encode() + b" = 1")
    return b"\n".join(lines)


def mutate(data: bytes, rnd: random.Random, *, toml: bool = False) -> bytes:
    """1–3 stacked mutations of `data`, structure-aware for TOML."""
    ops: list[Callable[[bytes, random.Random], bytes]] = [
        byte_mutation,
        token_mutation,
        line_mutation,
    ]
    if toml:
        ops += [toml_mutation, toml_mutation, toml_mutation]
    out = data
    for _ in range(rnd.choice((1, 1, 1, 2, 3))):
        out = rnd.choice(ops)(out, rnd)
    return out


# ---------------------------------------------------------------------------------------------
# plausibility of accepted values (independent of the parsers' own checks)


def _absurd_number(key: str, x: float) -> str | None:
    k = key.lower()
    if not math.isfinite(x):
        return f"{key} = {x} (not finite)"
    if abs(x) > 1e15 and not k.endswith("seed"):
        return f"{key} = {x:g} (absurdly large)"
    if k.endswith("altitude_km") and not 100 <= x <= 100_000:
        return f"{key} = {x:g} km"
    if k.endswith("_deg") and abs(x) > 720:
        return f"{key} = {x:g}°"
    if (k.endswith("_km_s") and not 0 <= x <= 300) or (k.endswith("_m_s") and not 0 <= x <= 3e5):
        return f"{key} = {x:g} (speed)"
    if ("density" in k and k.endswith(("kg_m3", "_kg_m3"))) and not 0 < x <= 25_000:
        return f"{key} = {x:g} kg/m³"
    if k.endswith(("thickness_m", "thickness_mm")) and x < 0:
        return f"{key} = {x:g} (negative thickness)"
    if k.endswith(("_pa", "pressure")) and x < 0:
        return f"{key} = {x:g} (negative absolute pressure)"
    if k.endswith(("_k", "temperature_k")) and not 0 < x < 10_000:
        return f"{key} = {x:g} K"
    if (k.startswith("n_") or k in ("min_faces", "mc_samples") or k.startswith("shower_")) and (
        x > 1e8
    ):
        return f"{key} = {x:g} (count)"
    return None


def absurd_values(node: Any, path: str = "") -> str | None:
    """The first physically absurd number in a parsed TOML tree, or None."""
    if isinstance(node, dict):
        for k, v in node.items():
            r = absurd_values(v, f"{path}.{k}" if path else str(k))
            if r:
                return r
    elif isinstance(node, list):
        for i, v in enumerate(node):
            r = absurd_values(v, f"{path}[{i}]")
            if r:
                return r
    elif isinstance(node, bool):
        return None
    elif isinstance(node, int | float):
        return _absurd_number(path.rsplit(".", 1)[-1].split("[")[0], float(node))
    return None


# ---------------------------------------------------------------------------------------------
# targets


@dataclass
class Target:
    """One parser: seed inputs, the file name it reads, and how to call it."""

    name: str
    seeds: list[bytes]
    run: Callable[[Path, bytes], str | None]  # returns an absurdity or None; raises when refused
    toml: bool = False
    setup: Callable[[Path], None] | None = None


def _case_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(CASES.glob("*/case.toml"))]


def _write_case(folder: Path, data: bytes) -> Path:
    (folder / "case.toml").write_bytes(data)
    return folder


def _run_case_toml(folder: Path, data: bytes) -> str | None:
    """Every section loader the commands run before their work (their pre-flight checks)."""
    import tomllib

    from breachkit._core.casefile import read_case
    from breachkit._core.errors import InputError

    _write_case(folder, data)
    case = read_case(folder)
    accepted = False
    loaders: list[tuple[tuple[str, ...], Callable[[], Any]]] = []
    from breachkit.attribution.case import load_attribution_case
    from breachkit.ops.config import load_ops
    from breachkit.risk.config import load_risk_case
    from breachkit.telemetry.config import TelemetryConfig

    def telemetry() -> Any:
        from breachkit._core.casefile import load_section

        cfg = load_section(case, "telemetry", TelemetryConfig)
        assert cfg is not None
        case.resolve_path(cfg.file, field="[telemetry] file")
        return cfg.vessel(case.path.name)

    loaders = [
        (("vehicle", "orbit", "exposure"), lambda: load_risk_case(folder)),
        (("incident", "evidence", "attribution"), lambda: load_attribution_case(folder)),
        (("ops",), lambda: load_ops(case)),
        (("telemetry",), telemetry),
    ]
    first_error: InputError | None = None
    for sections, fn in loaders:
        if not all(case.has(s) for s in sections):
            continue
        try:
            fn()
            accepted = True
        except InputError as exc:
            first_error = first_error or exc
    if first_error is not None:
        raise first_error
    if not accepted:
        return None
    return absurd_values(tomllib.loads(data.decode("utf-8")))


def _setup_case_folder(folder: Path) -> None:
    src = CASES / "soyuz-ms22"
    for p in src.iterdir():
        if p.is_file() and p.name != "case.toml":
            shutil.copy(p, folder / p.name)


def _telemetry_seed() -> bytes:
    lines = (CASES / "soyuz-ms22" / "ms22_loop_pressure_SYNTHETIC.csv").read_bytes().split(b"\n")
    head = [ln for ln in lines if ln.startswith(b"#")]
    body = [ln for ln in lines if ln and not ln.startswith(b"#")]
    step = max(1, (len(body) - 1) // 300)  # the header and about 300 rows keep each try fast
    return b"\n".join([*head, body[0], *body[1::step]]) + b"\n"


def _telemetry_config() -> tuple[str, str, str | None]:
    import tomllib

    t = tomllib.loads((CASES / "soyuz-ms22" / "case.toml").read_text(encoding="utf-8"))["telemetry"]
    return str(t["channel"]), str(t["unit"]), t.get("time_column")


def _check_series(series: Any) -> str | None:
    import numpy as np

    t = np.asarray(getattr(series, "t_s", getattr(series, "time_s", [])), dtype=float)
    v = np.asarray(getattr(series, "values", getattr(series, "value", [])), dtype=float)
    if t.size and not np.all(np.isfinite(t)):
        return "non-finite times accepted"
    if v.size and not np.all(np.isfinite(v)):
        return "non-finite values accepted"
    start = getattr(series, "start_utc", None) or getattr(series, "t0_utc", None)
    if start is not None and hasattr(start, "year") and not 1957 <= start.year <= 2200:
        return f"record starts in {start.year}"
    if t.size and float(t.max() - t.min()) > 200 * 365.25 * 86400:
        return "record spans more than 200 years"
    unit = str(getattr(series, "unit", ""))
    if unit in ("Pa", "pa") and v.size and float(v.min()) < 0:
        return "negative absolute pressure accepted"
    return None


def _run_telemetry_csv(folder: Path, data: bytes) -> str | None:
    from breachkit.telemetry.io import read_telemetry

    channel, unit, time_column = _telemetry_config()
    p = folder / "t.csv"
    p.write_bytes(data)
    series = read_telemetry(p, channel, unit, time_column=time_column)
    return _check_series(series)


def _parquet_seed() -> bytes:
    import io

    import pandas as pd

    df = pd.read_csv(io.BytesIO(_telemetry_seed()), comment="#")
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _run_telemetry_parquet(folder: Path, data: bytes) -> str | None:
    from breachkit.telemetry.io import read_telemetry

    channel, unit, time_column = _telemetry_config()
    p = folder / "t.parquet"
    p.write_bytes(data)
    series = read_telemetry(p, channel, unit, time_column=time_column)
    return _check_series(series)


def _mesh_seed() -> bytes:
    from breachkit.geometry import soyuz_ms

    m = soyuz_ms()
    out = ["# breachkit fuzz seed: the built-in Soyuz MS model as OBJ"]
    out += [f"v {x:.6g} {y:.6g} {z:.6g}" for x, y, z in m.vertices]
    names = list(m.region_names)
    idx = list(m.region_index)
    current = None
    for f, r in zip(m.faces, idx, strict=True):
        if r != current:
            out.append(f"g {names[r]}")
            current = r
        out.append("f " + " ".join(str(int(i) + 1) for i in f))
    return ("\n".join(out) + "\n").encode()


def _run_mesh(folder: Path, data: bytes) -> str | None:
    import numpy as np

    from breachkit.geometry import load_mesh

    p = folder / "m.obj"
    p.write_bytes(data)
    m = load_mesh(p, repair=True, allow_open=True)
    v = np.asarray(m.vertices)
    f = np.asarray(m.faces)
    if not np.all(np.isfinite(v)):
        return "non-finite vertex accepted"
    if f.size and (f.min() < 0 or f.max() >= len(v)):
        return "face index out of range accepted"
    if float(np.abs(v).max(initial=0.0)) > 1e6:
        return "vertex more than 1000 km from the origin accepted"
    return None


def _flux_seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "flux_tables").glob("*.csv"))]


def _run_flux(folder: Path, data: bytes) -> str | None:
    import numpy as np

    from breachkit.environment import read_tabulated_flux

    p = folder / "flux.csv"
    p.write_bytes(data)
    pop = read_tabulated_flux(p)
    flux = pop.random_plate_flux(np.array([1e-4, 1e-3]))
    if not np.all(np.isfinite(flux)) or np.any(np.asarray(flux) < 0):
        return "negative or non-finite flux accepted"
    dens = getattr(pop, "density_kg_m3", None)
    if isinstance(dens, int | float) and not 0 < dens <= 25_000:
        return f"density {dens} kg/m³ accepted"
    return None


def _fleet_seeds() -> list[bytes]:
    out = []
    for name in ("fleet.csv", "incidents.csv"):
        lines = (DATA / name).read_bytes().split(b"\n")
        out.append(b"\n".join(lines[:25]) + b"\n")
    return out


def _run_fleet(folder: Path, data: bytes) -> str | None:
    from breachkit.fleet.records import read_flights_csv, read_incidents_csv

    p = folder / "f.csv"
    p.write_bytes(data)
    head = data.split(b"\n", 1)[0]
    rows: list[Any] = read_incidents_csv(p) if b"time_utc" in head else read_flights_csv(p)
    for r in rows:
        for k, v in vars(r).items() if hasattr(r, "__dict__") else []:
            year = getattr(v, "year", None)
            if year is not None and not 1957 <= year <= 2200:
                return f"{k} in {year} accepted"
    return None


def targets() -> dict[str, Target]:
    """Every fuzzed parser, by name."""
    return {
        "case_toml": Target(
            "case_toml", _case_seeds(), _run_case_toml, toml=True, setup=_setup_case_folder
        ),
        "telemetry_csv": Target("telemetry_csv", [_telemetry_seed()], _run_telemetry_csv),
        "telemetry_parquet": Target("telemetry_parquet", [_parquet_seed()], _run_telemetry_parquet),
        "mesh_obj": Target("mesh_obj", [_mesh_seed()], _run_mesh),
        "flux_table": Target("flux_table", _flux_seeds(), _run_flux),
        "fleet_import": Target("fleet_import", _fleet_seeds(), _run_fleet),
    }


# ---------------------------------------------------------------------------------------------
# running


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def classify(target: Target, folder: Path, data: bytes, *, limit_s: float) -> tuple[str, str]:
    """Run `target` on `data`; return (outcome, detail)."""
    from pydantic import ValidationError

    from breachkit._core.errors import BreachkitError

    try:
        with warnings.catch_warnings(), _time_limit(limit_s):
            warnings.simplefilter("ignore")
            absurd = target.run(folder, data)
    except _Timeout:
        return "hang", f"over {limit_s:g} s"
    except (BreachkitError, ValidationError) as exc:
        text = str(exc).strip()
        return "clean", text.splitlines()[0] if text else type(exc).__name__
    except RecursionError:
        return "traceback", "RecursionError"
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        return "traceback", f"{type(exc).__name__} at {where}: {str(exc)[:120]}"
    if absurd:
        return "absurd", absurd
    return "ok", ""


@dataclass
class Tally:
    """Counts per outcome, and a few examples of each failure kind."""

    tried: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    examples: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, outcome: str, detail: str, data: bytes, keep: int = 5) -> None:
        self.tried += 1
        self.counts[outcome] += 1
        if outcome in ("traceback", "hang", "absurd"):
            ex = self.examples.setdefault(outcome, [])
            if len(ex) < keep and all(d != detail for d, _ in ex):
                ex.append((detail, data))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tried": self.tried,
            "ok": self.counts["ok"],
            "clean_errors": self.counts["clean"],
            "tracebacks": self.counts["traceback"],
            "hangs": self.counts["hang"],
            "absurd_accepts": self.counts["absurd"],
            "seconds": round(self.seconds, 1),
            "examples": {k: [d for d, _ in v] for k, v in self.examples.items()},
        }


def fuzz(target: Target, n: int, *, seed: int = 0, limit_s: float = 5.0) -> Tally:
    """Run `n` mutated inputs through `target` (deterministic for a given seed)."""
    rnd = random.Random(seed)
    tally = Tally()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"bk-fuzz-{target.name}-") as tmp:
        folder = Path(tmp)
        if target.setup is not None:
            target.setup(folder)
        for _ in range(n):
            data = mutate(rnd.choice(target.seeds), rnd, toml=target.toml)
            outcome, detail = classify(target, folder, data, limit_s=limit_s)
            tally.add(outcome, detail, data)
    tally.seconds = time.perf_counter() - t0
    return tally
