"""Assemble the LVLH `Environment` the risk engine consumes for an orbit and a time window.

What is averaged, and how (also in docs/environment.md):

* **sporadic** — default `sporadic_model="isotropic"`: isotropic inertial baseline, so the LVLH
  table is the same at every position of a circular orbit and at every time: computed once
  (`sporadic_population`). Opt-in `sporadic_model="sources"` (`sporadic_sources_population`,
  UNVERIFIED source parameters): averaged over the same `n_times` × `n_positions` × (unknown
  node) `n_raan` samples as the showers; cost ≈ 0.6 s per (time, node) sample (a batch of
  36 positions) on one core with the default 20 000 source directions.
* **showers** — each shower whose ZHR reaches `min_zhr` during the window is built as beams
  for `n_times` instants evenly spread over [start, end] (one instant, `start`, when `end` is
  None) × `n_positions` arguments of latitude evenly spread over the orbit × (when the orbit has
  no epoch, i.e. an unknown node) `n_raan` right ascensions of the node evenly spread over
  360°. Every beam carries weight 1/(n_times·n_positions·n_raan) and is zero when the radiant is
  below the Earth + 100 km limb. With a known node (`orbit.epoch` set) the node is propagated
  with `orbit.raan_rate_rad_s`. Beams are binned on the equal-area igloo grid and in 1 km/s
  relative-speed bins (flux-weighted mean speed per bin).
* **debris** — NASA-91 at the window's mid-time (decimal year); directions and speeds from
  crossing circular orbits (`debris_model="nasa91"`, default, averaged over 720 positions) or
  from eccentric orbits (`"kessler"`, Kessler 1981, 360 positions); `"table"`: none (the debris
  comes from the tables / flux files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit._core.orbit import CircularOrbit
from breachkit._core.timeutil import decimal_year, to_utc
from breachkit._core.units import KM_S
from breachkit.environment.config import DEBRIS_MODELS
from breachkit.environment.debris import DEFAULT_DEBRIS_INCLINATIONS, debris_population
from breachkit.environment.directional import Environment, Population
from breachkit.environment.fluxfiles import read_flux_file
from breachkit.environment.kessler import DebrisOrbits
from breachkit.environment.kessler_debris import kessler_debris_population
from breachkit.environment.meteoroids import MeteoroidModel
from breachkit.environment.showers import (
    DEFAULT_SHOWER_DENSITY_KG_M3,
    load_showers,
    shower_population,
    shower_zhr,
)
from breachkit.environment.sporadic import (
    _grid_shape,
    get_sporadic_directional_model,
    igloo_grid,
    igloo_index,
)
from breachkit.environment.tabulated import read_tabulated_flux

__all__ = [
    "KNOWN_POPULATIONS",
    "active_shower_codes",
    "bin_beams",
    "build_environment",
    "node_at",
    "shower_node_samples",
]

KNOWN_POPULATIONS = ("sporadic", "showers", "debris")


def _bin_weighted_beams(
    template: Population,
    vectors: NDArray[np.float64],
    speeds_m_s: NDArray[np.float64],
    weights: NDArray[np.float64],
    all_speeds_m_s: NDArray[np.float64],
    n_directions: int,
    speed_bin_m_s: float,
) -> Population:
    """Bin beams given as flat arrays (direction k, speed k, flux k) onto the igloo grid.

    Memory is O(len(weights) + cells × speed bins): no (n_beams × n_beams) table is formed.
    `all_speeds_m_s` are the speeds of the unbinned table (zero-flux beams included): their
    maximum fixes the number of speed bins, their mean the speed of an all-zero population.
    """
    n_el, n_az = _grid_shape(n_directions)
    grid = igloo_grid(n_el, n_az)
    cells = igloo_index(vectors, n_el, n_az)
    n_b = int(np.ceil((float(all_speeds_m_s.max()) + 1.0) / speed_bin_m_s))
    sb = np.minimum((speeds_m_s / speed_bin_m_s).astype(np.intp), n_b - 1)
    flux = np.zeros((len(grid), n_b))
    np.add.at(flux, (cells, sb), weights)
    vs = np.zeros(n_b)
    np.add.at(vs, sb, weights * speeds_m_s)
    tot = flux.sum(axis=0)
    used = tot > 0
    if not used.any():
        used[:] = False
        used[0] = True
        speeds = np.array([float(all_speeds_m_s.mean())])
    else:
        speeds = vs[used] / tot[used]
    return Population(
        name=template.name,
        kind=template.kind,
        directions=grid,
        speed_m_s=speeds,
        flux=flux[:, used],
        reference_diameter_m=template.reference_diameter_m,
        diameter_grid_m=template.diameter_grid_m,
        cumulative_fraction=template.cumulative_fraction,
        density_kg_m3=template.density_kg_m3,
        source=template.source,
    )


def bin_beams(pop: Population, n_directions: int, speed_bin_m_s: float = 1.0 * KM_S) -> Population:
    """Re-bin a population of many beams onto the igloo grid and speed bins (same total flux)."""
    k_idx, j_idx = np.nonzero(pop.flux)
    return _bin_weighted_beams(
        pop,
        pop.directions.vectors[k_idx],
        pop.speed_m_s[j_idx],
        pop.flux[k_idx, j_idx],
        pop.speed_m_s,
        n_directions,
        speed_bin_m_s,
    )


def _window(start: Any, end: Any | None) -> tuple[Any, float | None]:
    """(start as UTC, window length [s] or None for an instant); an end before start is refused."""
    t0 = to_utc(start)
    if end is None:
        return t0, None
    t1 = to_utc(end)
    if t1 < t0:
        raise InputError("build_environment end: is before start")
    return t0, (t1 - t0).total_seconds()


def _times(start: Any, end: Any | None, n_times: int) -> list[Any]:
    t0, span = _window(start, end)
    if span is None:
        return [t0]
    n = max(1, int(n_times))
    return [t0 + timedelta(seconds=span * (k + 0.5) / n) for k in range(n)]


def active_shower_codes(start: Any, end: Any | None = None, *, min_zhr: float = 2.0) -> list[str]:
    """Showers whose ZHR reaches `min_zhr` [h⁻¹] in [start, end] (hourly sampling)."""
    t0 = to_utc(start)
    t1 = to_utc(end) if end is not None else t0
    n = max(2, int((t1 - t0).total_seconds() // 3600) + 2)
    base = np.datetime64(t0.replace(tzinfo=None), "s")
    offs = np.linspace(0.0, (t1 - t0).total_seconds(), n)
    times = base + offs.astype("timedelta64[s]")
    return [c for c, s in load_showers().items() if float(np.max(shower_zhr(s, times))) >= min_zhr]


def node_at(orbit: CircularOrbit, t: Any) -> float | None:
    """The orbit's node Ω at UTC `t` [rad], or None when the node is unknown (`orbit.epoch` None).

    Ω(t) = Ω(epoch) + dΩ/dt · (t − epoch), dΩ/dt = `orbit.raan_rate_rad_s` (e.g.
    `breachkit.environment.tle.j2_node_rate`). This is the node `build_environment` uses.
    """
    if orbit.epoch is None:
        return None
    dt = (to_utc(t) - to_utc(orbit.epoch)).total_seconds()
    return float(orbit.raan_rad + orbit.raan_rate_rad_s * dt)


def shower_node_samples(orbit: CircularOrbit, t: Any, n_raan: int) -> NDArray[np.float64]:
    """The nodes [rad] `build_environment` averages over at `t`: the known node, or `n_raan`.

    Known node (`orbit.epoch` set): one value, `node_at(orbit, t)`. Unknown: `n_raan` nodes
    evenly spread over 360° ((k + ½)·2π/n_raan).
    """
    om = node_at(orbit, t)
    if om is not None:
        return np.array([om])
    return 2.0 * np.pi * (np.arange(n_raan) + 0.5) / n_raan


#: Orbit positions per `shower_population` call in `_shower_beams`: that function returns an
#: (n, n) diagonal table, so positions are requested in chunks to keep memory O(n_beams).
_POSITION_CHUNK = 256


def _shower_time_samples(
    code: str, start: Any, end: Any | None, n_times: int
) -> list[tuple[Any, float]]:
    """(time, activity factor) of each of `n_times` equal sub-intervals of [start, end].

    A shower's activity can rise and fall within a day (the Geminid profile falls tenfold in
    1.4° of solar longitude), far faster than its geometry changes, so sampling ZHR at a few
    instants of a long window misses or over-counts the peak. Each sub-interval is therefore
    represented by the instant of its highest ZHR (where the geometry is evaluated) and a factor
    ⟨ZHR⟩/ZHR(that instant), ⟨ZHR⟩ being the sub-interval's mean ZHR from 15-minute sampling
    (at least 64 points): the flux, linear in ZHR, then averages the activity profile exactly
    up to that sampling. One instant, `start`, with factor 1 when `end` is None.
    """
    t0, span = _window(start, end)
    if span is None:
        return [(t0, 1.0)]
    n = max(1, int(n_times))
    m = max(64, int(np.ceil(span / n / 900.0)))
    out: list[tuple[Any, float]] = []
    for k in range(n):
        a = span * k / n
        offs = a + (np.arange(m) + 0.5) * (span / n) / m
        tt = [t0 + timedelta(seconds=float(o)) for o in offs]
        z = np.asarray(shower_zhr(code, tt), dtype=float)
        i = int(np.argmax(z))
        out.append((tt[i], float(z.mean() / z[i]) if z[i] > 0 else 0.0))
    return out


def _shower_beams(
    code: str,
    orbit: CircularOrbit,
    times: Sequence[Any],
    n_positions: int,
    n_raan: int,
    density_kg_m3: float,
    n_directions: int,
    speed_bin_m_s: float = 1.0 * KM_S,
    factors: Sequence[float] | None = None,
) -> Population:
    """The shower's beams for every (time, node, position) sample, binned on the igloo grid.

    `factors` (one per time, default 1) scale each time's beams (`_shower_time_samples`).

    Each `shower_population` beam k (one orbit position) has its own direction and speed and a
    diagonal flux entry; the beams are kept as flat arrays (direction, speed, flux / n_samples)
    and binned directly, so memory grows linearly with the number of beams. (The earlier version
    stacked them into an (n_beams × n_beams) diagonal table: a 1.5 GiB peak for 12 960 beams,
    measured with benchmarks/shower_beams_memory.py.)
    """
    n_pos = int(n_positions)
    if n_pos < 1:
        raise InputError(f"build_environment n_positions: {n_positions} must be >= 1")
    u_all = 2.0 * np.pi * (np.arange(n_pos) + 0.5) / n_pos  # as in shower_population
    vec_parts: list[NDArray[np.float64]] = []
    spd_parts: list[NDArray[np.float64]] = []
    flx_parts: list[NDArray[np.float64]] = []
    first: Population | None = None
    n = 0
    fac = [1.0] * len(times) if factors is None else [float(f) for f in factors]
    for t, f_t in zip(times, fac, strict=True):
        for om in shower_node_samples(orbit, t, n_raan):
            n += 1
            for lo in range(0, n_pos, _POSITION_CHUNK):
                chunked = n_pos > _POSITION_CHUNK
                p = shower_population(
                    code,
                    orbit,
                    t,
                    raan_rad=float(om),
                    n_positions=n_pos,
                    latitude_arguments_rad=u_all[lo : lo + _POSITION_CHUNK] if chunked else None,
                    density_kg_m3=density_kg_m3,
                )
                d = np.diagonal(p.flux).copy()  # one beam per position; off-diagonal zeros
                if chunked:  # shower_population divides by the positions it was given
                    d *= d.size / n_pos
                d *= f_t
                vec_parts.append(p.directions.vectors)
                spd_parts.append(p.speed_m_s)
                flx_parts.append(d)
                if first is None:
                    first = p
                del p
    assert first is not None
    vec = np.concatenate(vec_parts)
    spd = np.concatenate(spd_parts)
    flx = np.concatenate(flx_parts) / n
    keep = np.nonzero(flx)[0]
    # fraction tables depend on time only through ZHR (a constant factor): identical shapes
    template = replace(
        first,
        source=first.source + f"; averaged over {n} (time, node) samples × positions",
    )
    return _bin_weighted_beams(
        template,
        vec[keep],
        spd[keep],
        flx[keep],
        spd,
        n_directions,
        speed_bin_m_s,
    )


def build_environment(
    orbit: CircularOrbit,
    start: Any,
    end: Any | None = None,
    *,
    populations: Sequence[str] = KNOWN_POPULATIONS,
    n_directions: int = 648,
    meteoroid_model: str | MeteoroidModel = "grun-ssp30425",
    showers: Sequence[str] | None = None,
    min_zhr: float = 2.0,
    n_times: int = 6,
    n_positions: int = 36,
    n_raan: int = 12,
    shower_density_kg_m3: float = DEFAULT_SHOWER_DENSITY_KG_M3,
    f107_sfu: float | None = None,
    debris_inclinations: Sequence[tuple[float, float]] = DEFAULT_DEBRIS_INCLINATIONS,
    debris_density: str = "handbook-2.8",
    psi_table: str = "spenvis",
    tabulated: Sequence[str] = (),
    sporadic_model: str = "isotropic",
    debris_model: str = "nasa91",
    debris_orbits: DebrisOrbits | None = None,
    flux_files: Sequence[Mapping[str, Any]] = (),
) -> Environment:
    """The LVLH environment for `orbit` during [start, end] (module docstring says what is averaged).

    Parameters
    ----------
    orbit
        Circular orbit (altitude, inclination; node and epoch if known).
    start, end
        UTC window (end None: the instant `start`).
    populations
        Any of "sporadic", "showers", "debris".
    n_directions
        Approximate number of igloo cells for the binned populations.
    f107_sfu
        F10.7 of the year before `start` [sfu]; required when "debris" is requested.
    tabulated
        Paths of user flux tables (`read_tabulated_flux`) added as further populations.
    sporadic_model
        "isotropic" (default) or "sources" (`SPORADIC_DIRECTIONAL_MODELS`).
    debris_model
        "nasa91" (default; crossing circular orbits), "kessler" (NASA-91 level and sizes,
        eccentric-orbit directions from `debris_orbits` or the assumed mix) or "table" (no model
        debris: a debris-kind table or flux file must be given).
    flux_files
        Native MASTER-2009 / MEM 3 outputs (`read_flux_file` entries, paths resolved).
    """
    if debris_model not in DEBRIS_MODELS:
        raise InputError(f"debris_model: {debris_model!r} is not one of {list(DEBRIS_MODELS)}")
    unknown = [p for p in populations if p not in KNOWN_POPULATIONS]
    if unknown:
        raise InputError(f"populations: {unknown[0]!r} is not one of {list(KNOWN_POPULATIONS)}")
    pops: list[Population] = []
    times = _times(start, end, n_times)
    if "sporadic" in populations:
        spor = get_sporadic_directional_model(sporadic_model)
        n_pos = int(n_positions)
        if n_pos < 1:
            raise InputError(f"build_environment n_positions: {n_positions} must be >= 1")
        pops.append(
            spor(
                orbit,
                times,
                latitude_arguments_rad=2.0 * np.pi * (np.arange(n_pos) + 0.5) / n_pos,
                raan_rad=None
                if orbit.epoch is not None
                else 2.0 * np.pi * (np.arange(n_raan) + 0.5) / n_raan,
                model=meteoroid_model,
                n_directions=n_directions,
            )
        )
    if "showers" in populations:
        codes = (
            list(showers)
            if showers is not None
            else active_shower_codes(start, end, min_zhr=min_zhr)
        )
        # with a known node each time sample has one node: take n_times × n_raan time samples
        # so that the (time, node) sampling is as dense as when nodes are averaged over
        n_st = n_times if orbit.epoch is None else n_times * n_raan
        for code in codes:
            samples = _shower_time_samples(code, start, end, n_st)
            pops.append(
                _shower_beams(
                    code,
                    orbit,
                    [t for t, _ in samples],
                    n_positions,
                    n_raan,
                    shower_density_kg_m3,
                    n_directions,
                    factors=[f for _, f in samples],
                )
            )
    if "debris" in populations and debris_model != "table":
        if f107_sfu is None:
            raise InputError("f107_sfu: the debris model needs the F10.7 of the previous year")
        mid = times[len(times) // 2]
        if debris_model == "kessler":
            pops.append(
                kessler_debris_population(
                    orbit,
                    float(decimal_year(mid)),
                    f107_sfu,
                    orbits=debris_orbits,
                    density=debris_density,
                    psi_table=psi_table,
                )
            )
        else:
            pops.append(
                debris_population(
                    orbit,
                    float(decimal_year(mid)),
                    f107_sfu,
                    debris_inclinations=debris_inclinations,
                    density=debris_density,
                    psi_table=psi_table,
                )
            )
    n_model = len(pops)
    for path in tabulated:
        pops.append(read_tabulated_flux(path))
    for spec in flux_files:
        pops.append(read_flux_file(spec))
    if debris_model == "table" and "debris" in populations:
        if not any(p.kind == "debris" for p in pops[n_model:]):
            raise InputError(
                'debris_model: "table" needs a debris flux table or flux file '
                "(flux_tables / flux_files)"
            )
    desc = (
        f"LVLH environment, h={orbit.altitude_m / 1e3:.1f} km, i={np.degrees(orbit.inclination_rad):.2f}°, "
        f"{to_utc(start).isoformat()}"
        + (f" to {to_utc(end).isoformat()}" if end is not None else "")
    )
    return Environment(tuple(pops), desc)
