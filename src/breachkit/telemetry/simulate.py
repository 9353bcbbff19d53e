"""Synthetic telemetry of a leak: a known hole, onset, growth law, sensor and sampling.

`simulate_leak` draws a pressure record for a vessel (`breachkit.telemetry.vessels`) with a hole of
given diameter and discharge coefficient opening at a given time, optionally growing, then applies
the sensor: Gaussian noise, a linear thermal drift, quantisation, a floor near vacuum, random
dropouts and report-by-exception sampling. Every random draw comes from the explicit `rng`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.timeutil import to_utc
from breachkit.telemetry import leak
from breachkit.telemetry.io import TelemetrySeries, clean_series
from breachkit.telemetry.vessels import Vessel

__all__ = ["SimulatedTelemetry", "simulate_leak", "true_pressure"]


def true_pressure(
    t_s: NDArray[np.float64],
    vessel: Vessel,
    p0_pa: float,
    *,
    hole_diameter_m: float,
    onset_s: float,
    discharge_coefficient: float = leak.DEFAULT_DISCHARGE_COEFFICIENT,
    growth_law: Literal["constant", "linear", "exponential"] = "constant",
    growth_rate_s: float = 0.0,
) -> NDArray[np.float64]:
    """Noise-free pressure [Pa] at times `t_s` [s] of a hole opening at `onset_s` [s].

    Before the onset the pressure is `p0_pa`; after it p0·R(X) with X the leak coordinate of
    `breachkit.telemetry.leak.leak_coordinate` for the hole's Cd·A and growth law.
    """
    cda = float(leak.hole_cd_area(hole_diameter_m, discharge_coefficient))
    x = leak.leak_coordinate(
        np.asarray(t_s, dtype=float) - onset_s,
        vessel.kappa(p0_pa),
        cda,
        growth_rate_s,
        growth_law,
    )
    return p0_pa * vessel.ratio(np.asarray(x, dtype=float))


@dataclass
class SimulatedTelemetry:
    """A synthetic record: sample times [s], reported values [Pa], the truth and the settings."""

    start: datetime
    t_s: NDArray[np.float64]
    values: NDArray[np.float64]
    truth: NDArray[np.float64]
    params: dict[str, object]

    def to_frame(self, channel: str = "pressure_pa") -> pd.DataFrame:
        """DataFrame with an ISO 8601 ``time_utc`` column and the channel [Pa]."""
        ns = np.round(self.t_s * 1e9).astype("timedelta64[ns]")
        times = np.datetime64(self.start.replace(tzinfo=None), "ns") + ns
        iso = pd.DatetimeIndex(times).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return pd.DataFrame({"time_utc": iso, channel: self.values})

    def to_series(self, channel: str = "pressure_pa") -> TelemetrySeries:
        """Cleaned `TelemetrySeries` (as `read_telemetry` would return for the written file)."""
        ns0 = round(self.start.timestamp() * 1e9)
        return clean_series(
            ns0 + np.round(self.t_s * 1e9).astype(np.int64),
            self.values,
            source="<simulated>",
            channel=channel,
            unit="Pa",
            quantity="pressure",
        )

    def write_csv(self, path: str | Path, channel: str = "pressure_pa", header: str = "") -> None:
        """Write the CSV atomically; `header` lines are written first as ``# `` comments."""
        p = Path(path)
        tmp = p.with_suffix(p.suffix + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for line in header.splitlines():
                fh.write(f"# {line}\n")
            self.to_frame(channel).to_csv(fh, index=False, float_format="%.6g", na_rep="")
        tmp.replace(p)


def simulate_leak(
    vessel: Vessel,
    *,
    p0_pa: float,
    hole_diameter_m: float,
    onset_s: float,
    duration_s: float,
    sample_interval_s: float,
    rng: np.random.Generator,
    start: str | datetime = "2022-12-14T18:00:00Z",
    discharge_coefficient: float = leak.DEFAULT_DISCHARGE_COEFFICIENT,
    growth_law: Literal["constant", "linear", "exponential"] = "constant",
    growth_rate_s: float = 0.0,
    noise_sigma_pa: float = 0.0,
    drift_pa_s: float = 0.0,
    quantum_pa: float = 0.0,
    floor_pa: float = 0.0,
    dropout_fraction: float = 0.0,
    report_by_exception: bool = False,
    jitter_s: float = 0.0,
) -> SimulatedTelemetry:
    """Synthetic pressure telemetry of a hole opening in `vessel`.

    Parameters (SI): initial pressure `p0_pa` [Pa]; `hole_diameter_m` [m] with
    `discharge_coefficient` [-]; `onset_s` [s after `start`; may be negative: the leak began before
    the record]; `duration_s` and `sample_interval_s` [s]; `growth_law` and `growth_rate_s` [s⁻¹];
    sensor: `noise_sigma_pa` [Pa] Gaussian, `drift_pa_s` [Pa s⁻¹] linear drift, `quantum_pa` [Pa]
    rounding step, `floor_pa` [Pa] lowest reading; `dropout_fraction` of samples lost (NaN);
    `report_by_exception`: keep only samples whose (quantised) value changed; `jitter_s` [s]
    uniform timing jitter. `rng` is the only source of randomness.
    """
    if duration_s <= 0 or sample_interval_s <= 0:
        raise InputError("duration_s and sample_interval_s must be > 0")
    n = int(np.floor(duration_s / sample_interval_s)) + 1
    t = np.arange(n, dtype=float) * sample_interval_s
    if jitter_s > 0:
        t = np.sort(t + rng.uniform(-jitter_s, jitter_s, n))
        t -= t[0]
    truth = true_pressure(
        t,
        vessel,
        p0_pa,
        hole_diameter_m=hole_diameter_m,
        onset_s=onset_s,
        discharge_coefficient=discharge_coefficient,
        growth_law=growth_law,
        growth_rate_s=growth_rate_s,
    )
    v = truth + drift_pa_s * t
    if noise_sigma_pa > 0:
        v = v + rng.normal(0.0, noise_sigma_pa, n)
    if quantum_pa > 0:
        v = np.round(v / quantum_pa) * quantum_pa
    v = np.maximum(v, floor_pa)
    keep = np.ones(n, dtype=bool)
    if report_by_exception:
        keep[1:] = np.diff(v) != 0
    if dropout_fraction > 0:
        drop = rng.random(n) < dropout_fraction
        drop[0] = False
        v = np.where(drop, np.nan, v)
    params: dict[str, object] = {
        "p0_pa": p0_pa,
        "hole_diameter_m": hole_diameter_m,
        "discharge_coefficient": discharge_coefficient,
        "onset_s": onset_s,
        "growth_law": growth_law,
        "growth_rate_s": growth_rate_s,
        "noise_sigma_pa": noise_sigma_pa,
        "drift_pa_s": drift_pa_s,
        "quantum_pa": quantum_pa,
        "floor_pa": floor_pa,
        "dropout_fraction": dropout_fraction,
        "report_by_exception": report_by_exception,
        "sample_interval_s": sample_interval_s,
        "vessel": vessel.describe(),
    }
    st = to_utc(start) if not isinstance(start, datetime) else start.astimezone(UTC)
    return SimulatedTelemetry(st, t[keep], v[keep], truth[keep], params)
