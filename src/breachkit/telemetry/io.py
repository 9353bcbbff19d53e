"""Reading telemetry: CSV, Parquet and ISS-Mimic raw files, with a record of what was done to them.

Real telemetry is messy. `read_telemetry` returns a `TelemetrySeries` whose ``actions`` list says, in
words, every repair made (sorting, merging duplicate timestamps, dropping dropouts, holding
report-by-exception values, cutting gaps, censoring a sensor floor) and whose attributes give the
estimates (sampling step, quantisation step, gaps). Repairable defects are repaired and reported;
unusable input raises `InputError` naming the file, column or row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.timeutil import parse_utc
from breachkit._core.units import PRESSURE_UNITS, T_ZERO_CELSIUS

__all__ = [
    "TEMPERATURE_UNITS",
    "TelemetrySeries",
    "clean_series",
    "read_telemetry",
    "unit_to_si",
]

#: Temperature units: name → (scale, offset), SI = value·scale + offset [K].
TEMPERATURE_UNITS: dict[str, tuple[float, float]] = {
    "K": (1.0, 0.0),
    "degC": (1.0, T_ZERO_CELSIUS),
    "°C": (1.0, T_ZERO_CELSIUS),
    "C": (1.0, T_ZERO_CELSIUS),
}
#: Dimensionless quantities (tank or accumulator quantity): stored as a fraction.
RATIO_UNITS: dict[str, float] = {"percent": 0.01, "%": 0.01, "fraction": 1.0, "1": 1.0}

Quantity = Literal["pressure", "temperature", "ratio"]


def unit_to_si(unit: str, *, where: str = "unit") -> tuple[Quantity, float, float]:
    """(quantity, scale, offset) so that SI = value·scale + offset; `InputError` if unknown."""
    if not unit or not str(unit).strip():
        raise InputError(f"{where}: no unit given (pressure: {', '.join(PRESSURE_UNITS)}; K, degC)")
    u = str(unit).strip()
    for name, factor in PRESSURE_UNITS.items():
        if u.lower() == name.lower():
            return "pressure", float(factor), 0.0
    if u in TEMPERATURE_UNITS:
        s, o = TEMPERATURE_UNITS[u]
        return "temperature", s, o
    if u.lower() in RATIO_UNITS:
        return "ratio", RATIO_UNITS[u.lower()], 0.0
    known = ", ".join([*PRESSURE_UNITS, *TEMPERATURE_UNITS, *RATIO_UNITS])
    raise InputError(f"{where}: unknown unit {u!r} (known: {known})")


@dataclass
class TelemetrySeries:
    """One cleaned channel: times (UTC) and values (SI), with the data-handling report.

    Attributes
    ----------
    source, channel, unit
        File, column and the unit the file used.
    quantity
        ``"pressure"`` [Pa], ``"temperature"`` [K] or ``"ratio"`` [-].
    start
        UTC instant of ``t_s = 0`` (the first kept sample).
    t_s, values
        Seconds since `start` (float64, sorted, unique) and SI values (float64, or float32 for very
        long series, see ``actions``). Report-by-exception data are resampled on a regular grid by
        holding the last value (the ISS convention); gaps stay gaps.
    raw_samples
        Rows read for this channel.
    sampling
        ``"regular"``, ``"irregular"`` or ``"report-by-exception"``.
    median_step_s, quantum
        Median sampling step [s] and the estimated quantisation step (SI; 0 when not quantised).
    gaps
        (start_s, end_s) intervals longer than the gap threshold, without data.
    floor
        The sensor floor value (SI) when the end of the record sits at a floor near vacuum, else None.
    n_floor
        Samples at the floor removed from fitting (censored: the true value is at or below it).
    actions
        What was done to the data, in words.
    """

    source: str
    channel: str
    unit: str
    quantity: Quantity
    start: datetime
    t_s: NDArray[np.float64]
    values: NDArray[Any]
    raw_samples: int
    sampling: str = "regular"
    median_step_s: float = float("nan")
    quantum: float = 0.0
    gaps: list[tuple[float, float]] = field(default_factory=list)
    floor: float | None = None
    n_floor: int = 0
    n_duplicates: int = 0
    n_unsorted: int = 0
    n_dropouts: int = 0
    actions: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.t_s.size)

    @property
    def duration_s(self) -> float:
        """Span of the record [s]."""
        return float(self.t_s[-1] - self.t_s[0]) if self.t_s.size else 0.0

    def utc(self, t_s: float) -> datetime:
        """UTC instant of `t_s` seconds after `start`."""
        return datetime.fromtimestamp(self.start.timestamp() + float(t_s), tz=UTC)

    def report(self) -> dict[str, Any]:
        """JSON-safe summary of the data handling."""
        return {
            "source": self.source,
            "channel": self.channel,
            "unit": self.unit,
            "quantity": self.quantity,
            "start_utc": self.start,
            "duration_s": self.duration_s,
            "raw_samples": self.raw_samples,
            "samples_used": len(self),
            "sampling": self.sampling,
            "median_step_s": self.median_step_s,
            "quantum_si": self.quantum,
            "gaps_s": [list(g) for g in self.gaps],
            "sensor_floor_si": self.floor,
            "n_floor": self.n_floor,
            "n_duplicates": self.n_duplicates,
            "n_unsorted": self.n_unsorted,
            "n_dropouts": self.n_dropouts,
            "actions": list(self.actions),
        }


#: Epoch seconds accepted in a time column: 1957-01-01 to 2200-01-01 UTC (the space age; beyond
#: it a value is a unit slip, and int64 nanoseconds would wrap past 2262).
_EPOCH_S_RANGE = (-409_968_000.0, 7_258_118_400.0)


def _parse_times(col: pd.Series, where: str) -> NDArray[np.int64]:
    """Epoch seconds (numeric) or ISO 8601 strings → int64 ns since 1970 UTC."""
    if pd.api.types.is_numeric_dtype(col):
        x = col.to_numpy(dtype=float)
        bad = ~np.isfinite(x)
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(f"{where} row {i + 2}: time {col.iloc[i]!r} is not a number")
        out = (x < _EPOCH_S_RANGE[0]) | (x > _EPOCH_S_RANGE[1])
        if out.any():
            i = int(np.argmax(out))
            raise InputError(
                f"{where} row {i + 2}: time {col.iloc[i]!r} s is outside 1957–2200 "
                "(epoch seconds since 1970 UTC)"
            )
        return np.round(x * 1e9).astype(np.int64)
    s = col.astype(str).str.strip()
    try:
        t = pd.to_datetime(s, utc=True, format="ISO8601")
    except (ValueError, TypeError):
        t = pd.to_datetime(s, utc=True, format="ISO8601", errors="coerce")
        bad = t.isna().to_numpy()
        i = int(np.argmax(bad)) if bad.any() else 0
        raise InputError(
            f"{where} row {i + 2}: cannot parse time {col.iloc[i]!r} (ISO 8601 or epoch seconds)"
        ) from None
    if t.isna().any():
        i = int(np.argmax(t.isna().to_numpy()))
        raise InputError(f"{where} row {i + 2}: cannot parse time {col.iloc[i]!r}")
    years = t.dt.year.to_numpy()
    out = (years < 1957) | (years > 2200)
    if out.any():
        i = int(np.argmax(out))
        raise InputError(f"{where} row {i + 2}: time {col.iloc[i]!r} is outside 1957–2200")
    return t.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def _parse_values(col: pd.Series, where: str) -> NDArray[np.float64]:
    if pd.api.types.is_numeric_dtype(col):
        return col.to_numpy(dtype=float)
    num = pd.to_numeric(col, errors="coerce")
    text = col.astype(str).str.strip()
    blank = col.isna() | text.isin(["", "nan", "NaN", "NA", "null", "None"])
    bad = num.isna() & ~blank
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise InputError(f"{where} row {i + 2}: value {col.iloc[i]!r} is not a number")
    return num.to_numpy(dtype=float)


def _read_table(path: Path, fmt: str, columns: list[str] | None) -> pd.DataFrame:
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "reading Parquet needs pyarrow: pip install breachkit[parquet]"
            ) from exc
        try:
            table = pq.read_table(path)
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"{path}: cannot read as Parquet: {first}") from None
        try:
            return table.to_pandas()
        except Exception as exc:  # damaged metadata (e.g. non-UTF-8 pandas schema)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"{path}: damaged Parquet file: {first}") from None
    try:
        df = pd.read_csv(path, skipinitialspace=True, low_memory=False, comment="#")
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as CSV: {str(exc).splitlines()[0]}") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _read_mimic(path: Path, epoch_utc: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """ISS-Mimic raw file: ``iss_hours value`` per line, hours since `epoch_utc`."""
    try:
        arr = np.loadtxt(path, dtype=float, ndmin=2)
    except ValueError as exc:
        raise InputError(f"{path}: not an ISS-Mimic 'hours value' file: {exc}") from None
    if arr.size == 0:
        raise InputError(f"{path}: the file is empty")
    if arr.shape[1] < 2:
        raise InputError(f"{path}: expected two columns 'iss_hours value'")
    e = parse_utc(epoch_utc, field="mimic_epoch_utc")
    t_ns = round(e.timestamp() * 1e9) + np.round(arr[:, 0] * 3600e9).astype(np.int64)
    return t_ns, arr[:, 1].astype(float)


def read_telemetry(
    path: str | Path,
    channel: str,
    unit: str,
    *,
    time_column: str | None = None,
    fmt: Literal["auto", "csv", "parquet", "mimic"] = "auto",
    mimic_epoch_utc: str | None = None,
    gap_factor: float = 20.0,
    floor_fraction: float = 0.02,
) -> TelemetrySeries:
    """Read one channel of a telemetry file and clean it (see `clean_series`).

    Parameters
    ----------
    path
        CSV (header row), Parquet, or an ISS-Mimic raw ``iss_hours value`` file (``fmt="mimic"``).
    channel
        Column holding the channel (ignored for Mimic files, which hold one channel).
    unit
        The channel's unit: a pressure unit of `breachkit._core.units.PRESSURE_UNITS` (Pa, hPa, kPa,
        bar, mbar, atm, psi, mmHg, torr), a temperature (K, degC) or ``percent``.
    time_column
        The time column: ISO 8601 strings (an offset is converted, naive is UTC) or epoch seconds.
        Default: the first column named time/timestamp/utc/date… or else the first column.
    mimic_epoch_utc
        For Mimic files: the instant of ``iss_hours = 0`` (00:00 UTC on 31 December of the previous
        year, e.g. ``"2017-12-31T00:00:00Z"`` for 2018 data).
    gap_factor
        A step longer than ``gap_factor`` × the median step (report-by-exception: × 50, and ≥ 1 h)
        is a gap.
    floor_fraction
        A run of equal minimum values at the end of the record below this fraction of the maximum
        is treated as a sensor floor near vacuum and censored.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: file not found")
    if p.stat().st_size == 0:
        raise InputError(f"{p}: the file is empty")
    quantity, scale, offset = unit_to_si(unit, where=f"{p.name}: channel {channel!r} unit")
    if fmt == "auto":
        suffix = p.suffix.lower()
        fmt = "parquet" if suffix in (".parquet", ".pq") else "csv"
    if fmt == "mimic":
        if not mimic_epoch_utc:
            raise InputError(f"{p}: mimic_epoch_utc is required for ISS-Mimic files")
        t_ns, v = _read_mimic(p, mimic_epoch_utc)
        raw = v.size
    else:
        df = _read_table(p, fmt, None)
        if df.shape[0] == 0:
            raise InputError(f"{p}: no data rows")
        if channel not in df.columns:
            raise InputError(
                f"{p}: unknown channel {channel!r} (columns: {', '.join(map(str, df.columns))})"
            )
        if time_column is None:
            names = [c for c in df.columns if str(c).lower() in _TIME_NAMES]
            time_column = names[0] if names else str(df.columns[0])
        if time_column not in df.columns:
            raise InputError(f"{p}: unknown time column {time_column!r}")
        if time_column == channel:
            raise InputError(f"{p}: the time column and the channel are both {channel!r}")
        t_ns = _parse_times(df[time_column], f"{p.name}: column {time_column!r}")
        v = _parse_values(df[channel], f"{p.name}: column {channel!r}")
        raw = int(v.size)
    if not np.isfinite(v).any():
        raise InputError(f"{p.name}: column {channel!r} holds no numeric value (all empty or NaN)")
    v_si = v * scale + offset
    if quantity in ("pressure", "temperature"):
        neg = np.isfinite(v_si) & (v_si < 0)
        if neg.any():
            i = int(np.argmax(neg))
            what = "absolute pressure" if quantity == "pressure" else "temperature"
            raise InputError(
                f"{p.name}: column {channel!r} sample {i + 1}: {v[i]!r} {unit} is a negative "
                f"{what} (below 0 {'Pa' if quantity == 'pressure' else 'K'})"
            )
    return clean_series(
        t_ns,
        v_si,
        source=str(p),
        channel=channel,
        unit=unit,
        quantity=quantity,
        raw_samples=raw,
        gap_factor=gap_factor,
        floor_fraction=floor_fraction,
        quantum_scale=scale,
    )


_TIME_NAMES = {
    "time",
    "timestamp",
    "utc",
    "time_utc",
    "datetime",
    "date/time",
    "date",
    "t",
    "epoch",
}


def estimate_quantum(values: NDArray[Any]) -> float:
    """Quantisation step of a channel: the common step between its distinct values (0 if none).

    The distinct values of a quantised channel lie on a grid; the smallest spacing that most
    spacings are integer multiples of is the step. Returns 0 when the values look continuous
    (fewer than 70 % of spacings within 5 % of a multiple, or more distinct values than half the
    samples).
    """
    u = np.unique(values[np.isfinite(values)])
    if u.size < 3 or u.size > 0.5 * values.size:
        return 0.0
    d = np.diff(u)
    span = float(u[-1] - u[0])
    d = d[d > 1e-12 * max(span, 1e-300)]
    if d.size == 0:
        return 0.0
    q = float(np.percentile(d, 5))
    ratio = d / q
    ok = np.abs(ratio - np.round(ratio)) < 0.05
    if ok.mean() < 0.7:
        return 0.0
    # refine: least squares over the integer multiples
    k = np.round(ratio[ok])
    return float(np.sum(d[ok] * k) / np.sum(k * k))


def clean_series(
    t_ns: NDArray[np.int64],
    values_si: NDArray[Any],
    *,
    source: str,
    channel: str,
    unit: str,
    quantity: Quantity,
    raw_samples: int | None = None,
    gap_factor: float = 20.0,
    floor_fraction: float = 0.02,
    quantum_scale: float = 1.0,
) -> TelemetrySeries:
    """Sort, merge duplicates, drop dropouts, detect sampling, gaps, quantisation and a floor.

    Every repair is appended to ``actions``. Report-by-exception series (irregular steps and no two
    consecutive equal values) are resampled on a regular grid by holding the last value, never
    across a gap. A run of equal minimum values at the end of the record, below `floor_fraction` of
    the maximum, is a sensor floor: those samples are removed (censored) and reported.
    """
    actions: list[str] = []
    n_raw = int(values_si.size if raw_samples is None else raw_samples)
    v = np.asarray(values_si)
    t = np.asarray(t_ns, dtype=np.int64)
    finite = np.isfinite(v)
    n_drop = int(v.size - np.count_nonzero(finite))
    if n_drop:
        t, v = t[finite], v[finite]
        actions.append(f"dropped {n_drop} dropout sample(s) (empty or NaN)")
    if v.size == 0:
        raise InputError(f"{source}: column {channel!r} holds no numeric value")
    n_unsorted = int(np.count_nonzero(np.diff(t) < 0))
    if n_unsorted:
        order = np.argsort(t, kind="stable")
        t, v = t[order], v[order]
        actions.append(f"sorted {n_unsorted} out-of-order timestamp(s)")
    dup = np.diff(t) == 0
    n_dup = int(np.count_nonzero(dup))
    if n_dup:
        start_flags = np.concatenate(([True], ~dup))
        idx = np.cumsum(start_flags) - 1
        cnt = np.bincount(idx)
        v = (np.bincount(idx, weights=v) / cnt).astype(v.dtype)
        t = t[start_flags]
        actions.append(f"merged {n_dup} duplicate timestamp(s) (mean of the values)")
    if v.size < 3:
        raise InputError(f"{source}: column {channel!r} has fewer than 3 usable samples")
    start_ns = int(t[0])
    ts = (t - start_ns).astype(np.float64) / 1e9
    dt = np.diff(ts)
    med = float(np.median(dt))
    cv = float(np.std(dt) / np.mean(dt)) if dt.size else 0.0
    repeats = float(np.mean(np.diff(v) == 0))
    if cv > 0.5 and repeats < 0.1:
        sampling = "report-by-exception"
    else:
        off = np.abs(dt - med) > 0.1 * med
        missing = off & (np.abs(dt / med - np.round(dt / med)) < 0.1) & (dt > 1.5 * med)
        if np.mean(off & ~missing) > 0.05:
            sampling = "irregular"
        else:
            sampling = "regular"
            n_miss = int(np.sum(np.round(dt[missing] / med) - 1))
            if n_miss:
                actions.append(f"regular {med:.6g} s sampling with {n_miss} missing sample time(s)")
    quantum = estimate_quantum(v)
    if quantum > 0:
        q_unit = quantum / quantum_scale if quantum_scale else quantum
        actions.append(f"quantised channel: step {quantum:.6g} SI ({q_unit:.6g} {unit})")
    # sensor floor near vacuum: a run of equal minimum values at the end
    floor: float | None = None
    n_floor = 0
    vmin, vmax = float(np.min(v)), float(np.max(v))
    if quantity == "pressure" and vmax > 0 and vmin <= floor_fraction * vmax:
        tail = v[::-1]
        run = int(np.argmax(tail != vmin)) if np.any(tail != vmin) else tail.size
        if run >= 3:
            floor = vmin
            n_floor = run
            t, v, ts = t[:-run], v[:-run], ts[:-run]
            actions.append(
                f"censored {run} sample(s) at the sensor floor {vmin:.6g} Pa at the end of the "
                "record (true pressure at or below it)"
            )
    gaps: list[tuple[float, float]] = []
    threshold = gap_factor * med
    if sampling == "report-by-exception":
        threshold = max(50.0 * med, 3600.0)
    dt = np.diff(ts)
    big = np.nonzero(dt > threshold)[0]
    for i in big:
        gaps.append((float(ts[i]), float(ts[i + 1])))
    if gaps:
        actions.append(
            f"{len(gaps)} gap(s) longer than {threshold:.6g} s (longest {max(b - a for a, b in gaps):.6g} s);"
            " no data invented inside them"
        )
    if sampling == "report-by-exception":
        step = max(med, ts[-1] / 200_000.0) if ts[-1] > 0 else med
        grid = np.arange(0.0, ts[-1] + 0.5 * step, step)
        idx = np.searchsorted(ts, grid, side="right") - 1
        keep = np.ones(grid.size, dtype=bool)
        for a, b in gaps:
            keep &= ~((grid > a) & (grid < b))
        n_before = ts.size
        ts = grid[keep]
        v = v[idx[keep]]
        actions.append(
            f"report-by-exception sampling: held the last value on a regular {step:.6g} s grid "
            f"({n_before} reports → {ts.size} samples)"
        )
    elif sampling == "irregular":
        actions.append(f"irregular sampling (step CV {cv:.2f}); fitted at the sample times")
    return TelemetrySeries(
        source=source,
        channel=channel,
        unit=unit,
        quantity=quantity,
        start=datetime.fromtimestamp(start_ns / 1e9, tz=UTC),
        t_s=np.ascontiguousarray(ts, dtype=np.float64),
        values=np.ascontiguousarray(v),
        raw_samples=n_raw,
        sampling=sampling,
        median_step_s=med,
        quantum=quantum,
        gaps=gaps,
        floor=floor,
        n_floor=n_floor,
        n_duplicates=n_dup,
        n_unsorted=n_unsorted,
        n_dropouts=n_drop,
        actions=actions,
    )
