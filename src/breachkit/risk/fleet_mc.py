"""Monte Carlo of the fleet risk: uncertain inputs, Sobol' sampling, cheap evaluation per draw.

Every uncertain input has a stated distribution and source (`DEFAULT_INPUTS`; a user overrides
any of them). The draws are quasi-random: a scrambled Sobol' sequence (`scipy.stats.qmc.Sobol`)
of dimension 2k (k sampled inputs) gives Saltelli's two matrices A and B; each point's uniforms
are mapped through the input's inverse CDF. A block of draws is fixed by its index range alone
(`fast_forward`), so any worker computes the same points.

Per draw, with the docking's tables of `breachkit.risk.fleet` (Q: geometry × flux, fixed):

* flux factors (meteoroid, debris) and the failure-area fraction f_r **scale N analytically**
  (N is linear in each);
* the shield (face sheet and tube wall thickness, standoff), the meteoroid density and the
  BLE-scatter hook change only G = S_p(d_c(v_j, θ_m, ρ)) on the (cos nodes × speeds) grid:
  ≈ 64 × 170 BLE evaluations per draw, shared by every docking (the size fraction is applied
  per population, cached by its size table);
* the attitude (TEA yaw) interpolates N linearly between the attitude nodes at which the
  visibility was traced (N is smooth in yaw; the nodes' spacing bounds the error).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.risk.fleet import FleetRiskConfig, FlightTables, size_fraction_above

__all__ = [
    "DEFAULT_INPUTS",
    "DISTRIBUTIONS",
    "BlockResult",
    "InputDistribution",
    "block_points",
    "evaluate_block",
    "evaluate_draws",
]

_Z95 = 1.959963984540054  # standard normal 97.5 % quantile


@dataclass(frozen=True)
class InputDistribution:
    """One uncertain input: a distribution by name with its parameters, and its source.

    Kinds (`DISTRIBUTIONS`): ``fixed`` (a: the value; not sampled), ``uniform`` (a, b),
    ``loguniform`` (0 < a < b), ``lognormal`` (a: median > 0, b: factor > 1 such that
    [a/b, a·b] is the central 95 % interval), ``zero_or_uniform`` (0 with probability `p0`,
    else uniform on [a, b], 0 ≤ a < b).
    """

    kind: str
    a: float
    b: float = math.nan
    source: str = ""
    unit: str = "-"
    p0: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in DISTRIBUTIONS:
            raise InputError(
                f"distribution {self.kind!r} is unknown (known: {', '.join(DISTRIBUTIONS)})"
            )
        a, b = self.a, self.b
        ok = math.isfinite(a) and (self.kind == "fixed" or math.isfinite(b))
        if ok and self.kind == "uniform":
            ok = a < b
        elif ok and self.kind == "loguniform":
            ok = 0 < a < b
        elif ok and self.kind == "lognormal":
            ok = a > 0 and b > 1
        elif ok and self.kind == "zero_or_uniform":
            ok = 0 <= a < b and 0 < self.p0 < 1
        if not ok:
            raise InputError(f"distribution {self.kind}({a}, {b}): invalid parameters")
        if not self.source:
            raise InputError(f"distribution {self.kind}({a}, {b}): needs a source")

    @property
    def sampled(self) -> bool:
        return self.kind != "fixed"

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """The inverse CDF at uniforms `u` ∈ (0, 1)."""
        from scipy.special import ndtri

        u = np.asarray(u, dtype=float)
        if self.kind == "fixed":
            return np.full_like(u, self.a)
        if self.kind == "uniform":
            return self.a + (self.b - self.a) * u
        if self.kind == "loguniform":
            return np.exp(math.log(self.a) + (math.log(self.b) - math.log(self.a)) * u)
        if self.kind == "zero_or_uniform":
            w = np.clip((u - self.p0) / (1.0 - self.p0), 0.0, 1.0)
            return np.where(u < self.p0, 0.0, self.a + (self.b - self.a) * w)
        sigma = math.log(self.b) / _Z95
        return np.asarray(self.a * np.exp(sigma * ndtri(np.clip(u, 1e-12, 1 - 1e-12))))

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "p0": self.p0,
            "unit": self.unit,
            "source": self.source,
        }


DISTRIBUTIONS = ("fixed", "uniform", "loguniform", "lognormal", "zero_or_uniform")

#: The uncertain inputs and their default distributions. None of the ranges is a published
#: uncertainty of these models: each is labelled as an assumption or a judgement.
DEFAULT_INPUTS: Mapping[str, InputDistribution] = {
    "meteoroid_flux_factor": InputDistribution(
        "lognormal",
        1.0,
        3.0,
        "ASSUMPTION: the x1/3..x3 meteoroid envelope of breachkit.risk.uncertainty (NRC 2011, "
        "NAP 13244 p.39: 'major uncertainties', no factor given) read as a central 95 % interval",
    ),
    "debris_flux_factor": InputDistribution(
        "lognormal",
        1.0,
        2.0,
        "ASSUMPTION: the x1/2..x2 debris envelope of breachkit.risk.uncertainty (ORDEM/MASTER "
        "size-dependent bounds not retrieved) read as a central 95 % interval",
    ),
    "meteoroid_density_kg_m3": InputDistribution(
        "loguniform",
        500.0,
        2500.0,
        "JUDGEMENT: spans the 0.5 g/cm3 of SSP 30425 (NASA-91 meteoroids) to the 2.5 g/cm3 "
        "often used for sporadic meteoroids (ECSS-E-ST-10-04C); nominal breachkit 1.0 g/cm3",
        "kg m-3",
    ),
    "face_thickness_m": InputDistribution(
        "uniform",
        0.2e-3,
        0.4e-3,
        "JUDGEMENT: +-33 % about the 0.3 mm PLACEHOLDER face sheet (construction not public)",
        "m",
    ),
    "tube_wall_thickness_m": InputDistribution(
        "uniform",
        0.7e-3,
        1.3e-3,
        "JUDGEMENT: +-30 % about the 1.0 mm PLACEHOLDER tube wall (construction not public)",
        "m",
    ),
    "standoff_m": InputDistribution(
        "zero_or_uniform",
        5.0e-3,
        20.0e-3,
        "JUDGEMENT: tube bonded to the face sheet (0, the placeholder) with probability 0.5, "
        "else stood off 5-20 mm behind it (Whipple regime, Ryan & Christiansen 2011). Standoffs "
        "below a few mm are not sampled: there the Whipple equation gives critical diameters "
        "up to 4x below the bonded wall's (0.16 vs 0.62 mm at 7 km/s for 10 um), far outside "
        "the spacings it was fitted on",
        "m",
        p0=0.5,
    ),
    "failure_area_fraction": InputDistribution(
        "uniform",
        0.05,
        0.2,
        "JUDGEMENT: tube footprint 5-20 % of the radiator about the 10 % PLACEHOLDER",
    ),
    "yaw_deg": InputDistribution(
        "uniform",
        -10.0,
        10.0,
        "JUDGEMENT: ISS torque-equilibrium yaw in +XVV within +-10 deg (TEA history not in the "
        "sources); interpolated between the traced attitude nodes",
        "deg",
    ),
    # hook for the probabilistic BLE (another part): a factor on the critical diameter
    "ble_dc_factor": InputDistribution(
        "fixed",
        1.0,
        source="HOOK: the BLE's own scatter (probabilistic BLE issue); not sampled until given",
    ),
}

_SHIELD_KEYS = ("face_thickness_m", "tube_wall_thickness_m", "standoff_m")


def resolve_inputs(overrides: Mapping[str, InputDistribution] | None) -> dict[str, Any]:
    """The default inputs updated by `overrides` (an unknown name is an `InputError`)."""
    out = dict(DEFAULT_INPUTS)
    for k, v in (overrides or {}).items():
        if k not in out:
            raise InputError(f"monte carlo: unknown input {k!r} (known: {', '.join(out)})")
        out[k] = v
    return out


def sampled_names(inputs: Mapping[str, InputDistribution]) -> list[str]:
    return [k for k, v in inputs.items() if v.sampled]


def block_points(
    seed: int, n_dim: int, start: int, stop: int, sampler: str = "sobol"
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Rows [start, stop) of Saltelli's uniform matrices A and B (each (stop − start, n_dim)).

    ``sobol``: one scrambled Sobol' sequence of dimension 2·n_dim for the whole run, its
    scrambling seeded by the first child of ``SeedSequence(seed)``; the block fast-forwards to
    `start`, so its points do not depend on which worker computes them or when. ``random``:
    pseudo-random uniforms from the block's own child of the second child of
    ``SeedSequence(seed)`` (``spawn`` by block index = start // (stop − start)).
    """
    from scipy.stats import qmc

    root = np.random.SeedSequence(seed)
    scramble, blocks = root.spawn(2)
    n = stop - start
    if sampler == "sobol":
        eng = qmc.Sobol(2 * n_dim, scramble=True, seed=np.random.default_rng(scramble))
        if start:
            eng.fast_forward(start)
        u = eng.random(n)
    elif sampler == "random":
        child = blocks.spawn(start // n + 1)[start // n]
        u = np.random.default_rng(child).random((n, 2 * n_dim))
    else:
        raise InputError(f"monte carlo sampler {sampler!r} is not 'sobol' or 'random'")
    return u[:, :n_dim], u[:, n_dim:]


def draws_from_uniforms(
    u: NDArray[np.float64], inputs: Mapping[str, InputDistribution]
) -> dict[str, NDArray[np.float64]]:
    """Input values per draw: sampled inputs from the columns of `u`, fixed ones broadcast."""
    names = sampled_names(inputs)
    out = {}
    for k, dist in inputs.items():
        out[k] = dist.ppf(u[:, names.index(k)]) if dist.sampled else np.full(u.shape[0], dist.a)
    return out


def _critical_grids(
    cfg: FleetRiskConfig,
    region: str,
    draws: Mapping[str, NDArray[np.float64]],
    speeds_by: Mapping[tuple[str, float], NDArray[np.float64]],
    nodes: NDArray[np.float64],
) -> dict[tuple[str, float], NDArray[np.float64]]:
    """d_c (draws, m, speeds) of the region's shield per (kind, nominal density) on that kind's
    speeds, × the BLE-scatter hook factor.

    A `breachkit.damage` shield with a vectorised BLE (``ble`` and ``params``) is evaluated once
    per (density kind, regime), its sampled parameters broadcast as (draws, 1, 1) arrays (draws
    with a bonded and a stood-off tube apart: the Whipple equation is the costly one); any other
    shield is built and evaluated draw by draw.
    """
    from breachkit.damage import get_shield

    preset, base = cfg.shields[region]
    ang = np.arccos(np.clip(nodes, 0.0, 1.0))[None, :, None]
    nd = draws["yaw_deg"].shape[0]
    nominal: Any = get_shield(preset, **base)
    sampled = {k: draws[k] for k in _SHIELD_KEYS}
    vector = hasattr(nominal, "ble") and all(k in nominal.params for k in sampled)
    stood = draws["standoff_m"] > 0
    out: dict[tuple[str, float], NDArray[np.float64]] = {}
    for (kind, dens), sp in speeds_by.items():
        rho_d = draws["meteoroid_density_kg_m3"] * (dens / 1000.0) if kind == "meteoroid" else None
        rho = np.full(nd, dens) if rho_d is None else rho_d
        dc = np.empty((nd, nodes.size, sp.size))
        if vector:
            for rows in (np.flatnonzero(stood), np.flatnonzero(~stood)):
                if rows.size:
                    params = dict(nominal.params)
                    params.update({k: x[rows, None, None] for k, x in sampled.items()})
                    val = nominal.ble(sp[None, None, :], ang, rho[rows, None, None], **params)
                    dc[rows] = np.broadcast_to(np.asarray(val, float), (rows.size, *dc.shape[1:]))
        else:
            for i in range(nd):
                p = {k: val for k, val in base.items() if k != "failure_area_fraction"}
                p.update({k: float(x[i]) for k, x in sampled.items()})
                dc[i] = get_shield(preset, **p).critical_diameter(sp[None, :], ang[0], rho[i])
        out[(kind, dens)] = dc * draws["ble_dc_factor"][:, None, None]
    return out


def evaluate_draws(
    tables: Sequence[FlightTables],
    draws: Mapping[str, NDArray[np.float64]],
    cfg: FleetRiskConfig,
    nodes: NDArray[np.float64],
    yaw_nodes_deg: Sequence[float],
) -> NDArray[np.float64]:
    """Expected penetrations (flights, regions, draws) for the input values `draws`."""
    import warnings

    from breachkit._core.validity import ValidityWarning

    nd = draws["yaw_deg"].shape[0]
    pops = [p for ft in tables for p in ft.populations]
    speeds_by = {
        key: np.unique(
            np.concatenate([p.speed_m_s for p in pops if (p.kind, p.density_kg_m3) == key])
        )
        for key in sorted({(p.kind, p.density_kg_m3) for p in pops})
    }
    regions = list(cfg.shields)
    out = np.zeros((len(tables), len(regions), nd))
    dc_cache: dict[str, dict[tuple[str, float], NDArray[np.float64]]] = {}
    for ri, region in enumerate(regions):
        preset, base = cfg.shields[region]
        skey = repr(
            (preset, sorted((k, v) for k, v in base.items() if k != "failure_area_fraction"))
        )
        if skey not in dc_cache:  # regions of one construction share d_c (f_r differs)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ValidityWarning)  # NaN cells: no failures
                dc_cache[skey] = _critical_grids(cfg, region, draws, speeds_by, nodes)
        dc_by = dc_cache[skey]
        faf = _faf(cfg, region, draws)
        g_cache: dict[int, NDArray[np.float64]] = {}
        for fi, ft in enumerate(tables):
            total = np.zeros(nd)
            for p in ft.populations:
                key = (p.kind, p.density_kg_m3)
                g = _size_grid(p, dc_by[key], speeds_by[key], g_cache)
                per_node = np.einsum("dmj,ymj->dy", g, p.q[:, ri])  # (draws, yaw nodes)
                total += _factor(p.kind, draws) * _interp_yaw(per_node, draws, yaw_nodes_deg)
            out[fi, ri] = faf * total
    return out


def _size_grid(
    p: Any, dc: NDArray[np.float64], speeds: NDArray[np.float64], cache: dict[int, Any]
) -> NDArray[np.float64]:
    """G (draws, m, ns_p) = S_p(d_c) on the population's speeds, 0 where undefined (cached)."""
    key = hash(
        (
            p.diameter_grid_m.tobytes(),
            p.cumulative_fraction.tobytes(),
            p.speed_m_s.tobytes(),
            p.kind,
            p.density_kg_m3,
        )
    )
    if key not in cache:
        cols = np.searchsorted(speeds, p.speed_m_s)
        s = size_fraction_above(p.diameter_grid_m, p.cumulative_fraction, dc[:, :, cols])
        s[:, 0, :] = 0.0  # c = 0: no projected area (K(0) = 0 in the engine)
        cache[key] = np.where(np.isfinite(s), s, 0.0)
    return cache[key]


def _factor(kind: str, draws: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    if kind == "meteoroid":
        return draws["meteoroid_flux_factor"]
    if kind == "debris":
        return draws["debris_flux_factor"]
    return np.ones_like(draws["meteoroid_flux_factor"])


def _faf(cfg: FleetRiskConfig, region: str, draws: Mapping[str, NDArray[np.float64]]) -> Any:
    """The region's failure-area fraction per draw: the sampled one for the radiator, the
    configured one (e.g. 1 for the coolant line, all tube) otherwise."""
    _, base = cfg.shields[region]
    if "failure_area_fraction" in base:
        return float(base["failure_area_fraction"])
    return draws["failure_area_fraction"]


def _interp_yaw(
    per_node: NDArray[np.float64],
    draws: Mapping[str, NDArray[np.float64]],
    yaw_nodes_deg: Sequence[float],
) -> NDArray[np.float64]:
    y = np.asarray(yaw_nodes_deg, dtype=float)
    yaw = draws["yaw_deg"]
    if y.size == 1:
        return per_node[:, 0]
    if np.any((yaw < y[0] - 1e-9) | (yaw > y[-1] + 1e-9)):
        raise InputError(
            f"monte carlo: yaw_deg draws outside the traced attitude nodes {y[0]}..{y[-1]} deg"
        )
    b = np.clip(np.searchsorted(y, yaw, side="right") - 1, 0, y.size - 2)
    t = (yaw - y[b]) / (y[b + 1] - y[b])
    rows = np.arange(yaw.size)
    return (1.0 - t) * per_node[rows, b] + t * per_node[rows, b + 1]


@dataclass(frozen=True)
class BlockResult:
    """One Monte Carlo block of one port group: f_A, f_B (flights, regions, n) and f_AB
    (k, flights, regions, n) when Sobol' indices are asked for."""

    group: int
    start: int
    f_a: NDArray[np.float64]
    f_b: NDArray[np.float64]
    f_ab: NDArray[np.float64] | None
    imp_a: NDArray[np.float64]  # expected impacts (flights, regions, n) at the A draws


def evaluate_block(
    group: int,
    tables: Sequence[FlightTables],
    nodes: NDArray[np.float64],
    yaw_nodes_deg: Sequence[float],
    cfg: FleetRiskConfig,
    inputs: Mapping[str, InputDistribution],
    seed: int,
    start: int,
    stop: int,
    *,
    sampler: str = "sobol",
    sobol_indices: bool = True,
) -> BlockResult:
    """Draws [start, stop) of every docking in `tables`: A, B and (optionally) the AB_i."""
    names = sampled_names(inputs)
    ua, ub = block_points(seed, len(names), start, stop, sampler)

    def run(u: NDArray[np.float64]) -> NDArray[np.float64]:
        return evaluate_draws(tables, draws_from_uniforms(u, inputs), cfg, nodes, yaw_nodes_deg)

    f_a, f_b = run(ua), run(ub)
    f_ab = None
    if sobol_indices:
        f_ab = np.stack([run(_ab(ua, ub, i)) for i in range(len(names))])
    imp_a = impact_draws(tables, draws_from_uniforms(ua, inputs), yaw_nodes_deg)
    return BlockResult(group, start, f_a, f_b, f_ab, imp_a)


def impact_draws(
    tables: Sequence[FlightTables],
    draws: Mapping[str, NDArray[np.float64]],
    yaw_nodes_deg: Sequence[float],
) -> NDArray[np.float64]:
    """Expected impacts (flights, regions, draws): flux factors × the attitude interpolation."""
    nd = draws["yaw_deg"].shape[0]
    nreg = tables[0].populations[0].impacts.shape[1] if tables else 0
    out = np.zeros((len(tables), nreg, nd))
    for fi, ft in enumerate(tables):
        for p in ft.populations:
            for ri in range(nreg):
                per_node = np.broadcast_to(p.impacts[:, ri][None, :], (nd, p.impacts.shape[0]))
                out[fi, ri] += _factor(p.kind, draws) * _interp_yaw(
                    np.asarray(per_node), draws, yaw_nodes_deg
                )
    return out


def _ab(ua: NDArray[np.float64], ub: NDArray[np.float64], i: int) -> NDArray[np.float64]:
    out = ua.copy()
    out[:, i] = ub[:, i]
    return out


#: The nominal value of every input: the radiator_generic placeholder construction
#: (breachkit.damage), breachkit's meteoroid density, factors 1, the nominal attitude.
NOMINAL: Mapping[str, float] = {
    "meteoroid_flux_factor": 1.0,
    "debris_flux_factor": 1.0,
    "meteoroid_density_kg_m3": 1000.0,
    "face_thickness_m": 0.3e-3,
    "tube_wall_thickness_m": 1.0e-3,
    "standoff_m": 0.0,
    "failure_area_fraction": 0.1,
    "yaw_deg": 0.0,
    "ble_dc_factor": 1.0,
}


def nominal_draws() -> dict[str, NDArray[np.float64]]:
    """One draw at the nominal value of every input."""
    return {k: np.array([v]) for k, v in NOMINAL.items()}
