"""The one representation that ties risk together: a directional, speed-binned particle flux.

Every environment model (sporadic meteoroids, each meteor shower, orbital debris, a user's
tabulated ORDEM/MASTER output) produces a `Population`; the risk engine consumes only that.

Conventions (see docs/conventions.md):

* directions are unit vectors *towards the source* (where particles come from), in the frame
  named by `DirectionGrid.frame` (``"lvlh"`` unless stated);
* `Population.flux` is the number of particles with diameter ≥ `reference_diameter_m` crossing a
  unit area held **normal to their arrival direction**, per second, summed over the solid angle of
  each direction cell and over each speed bin: shape (n_directions, n_speeds), [m⁻² s⁻¹];
* the size distribution is separable from direction and speed: the cumulative flux above a
  diameter d in cell (k, j) is ``flux[k, j] · size_fraction(d)``, where `size_fraction` is the
  log-log interpolation of (`diameter_grid_m`, `cumulative_fraction`), equal to 1 at the reference
  diameter. Outside the table the validity policy applies (NaN + warning, or an error in strict
  mode), never an extrapolation;
* the flux on a one-sided flat plate with outward normal n is Σ_k,j flux[k,j]·max(0, n·u_k); on a
  randomly tumbling one-sided plate it is ¼ of the omnidirectional (cross-section) flux Σ flux.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.validity import ValidityRange, apply_validity

__all__ = ["DirectionGrid", "Environment", "Population"]


@dataclass(frozen=True, eq=False)
class DirectionGrid:
    """Unit vectors on the sphere with the solid angle each one stands for.

    Parameters
    ----------
    vectors
        (n, 3) unit vectors towards the source [-].
    solid_angle_sr
        (n,) solid angle of each cell [sr]; they sum to 4π for a full-sphere grid.
    frame
        Name of the frame the vectors are written in (``"lvlh"`` or ``"body"``).
    """

    vectors: NDArray[np.float64]
    solid_angle_sr: NDArray[np.float64]
    frame: str = "lvlh"

    def __post_init__(self) -> None:
        v = np.asarray(self.vectors, dtype=float)
        w = np.asarray(self.solid_angle_sr, dtype=float)
        if v.ndim != 2 or v.shape[1] != 3:
            raise InputError(f"DirectionGrid vectors: shape {v.shape} is not (n, 3)")
        if w.shape != (v.shape[0],):
            raise InputError(
                f"DirectionGrid solid_angle_sr: shape {w.shape} does not match {v.shape[0]} vectors"
            )
        norms = np.linalg.norm(v, axis=1)
        if not np.allclose(norms, 1.0, atol=1e-9):
            raise InputError("DirectionGrid vectors: not all vectors have unit length")
        if np.any(w < 0) or not np.all(np.isfinite(w)):
            raise InputError("DirectionGrid solid_angle_sr: must be finite and >= 0")
        object.__setattr__(self, "vectors", v)
        object.__setattr__(self, "solid_angle_sr", w)

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @classmethod
    def fibonacci(cls, n: int, frame: str = "lvlh") -> DirectionGrid:
        """An equal-area Fibonacci lattice of `n` directions, each 4π/n sr."""
        if n < 1:
            raise InputError(f"DirectionGrid.fibonacci n: {n} must be >= 1")
        i = np.arange(n, dtype=float) + 0.5
        z = 1.0 - 2.0 * i / n
        r = np.sqrt(np.clip(1.0 - z * z, 0.0, None))
        golden = np.pi * (3.0 - np.sqrt(5.0))
        phi = golden * np.arange(n)
        v = np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)
        return cls(v, np.full(n, 4.0 * np.pi / n), frame)

    @classmethod
    def single(cls, direction: ArrayLike, frame: str = "lvlh") -> DirectionGrid:
        """One direction standing for the whole flux (a collimated beam)."""
        v = np.asarray(direction, dtype=float).reshape(1, 3)
        v = v / np.linalg.norm(v)
        return cls(v, np.array([0.0]), frame)

    def rotated(self, matrix: ArrayLike, frame: str) -> DirectionGrid:
        """The same grid expressed in another frame: ``u_new = matrix @ u``."""
        m = np.asarray(matrix, dtype=float)
        return DirectionGrid(self.vectors @ m.T, self.solid_angle_sr, frame)


_FRACTION_NAME = "diameter_m"


@dataclass(frozen=True, eq=False)
class Population:
    """One particle population's directional flux table (see module docstring).

    Parameters
    ----------
    name
        Short name, e.g. ``"sporadic"``, ``"GEM"``, ``"debris"``.
    kind
        ``"meteoroid"`` or ``"debris"``.
    directions
        The direction grid of the table's first axis.
    speed_m_s
        (n_speeds,) representative impact speed of each speed bin [m s⁻¹] (relative to the
        vehicle).
    flux
        (n_directions, n_speeds) flux of particles with diameter ≥ `reference_diameter_m` per unit
        area normal to the arrival direction [m⁻² s⁻¹].
    reference_diameter_m
        Diameter at which `flux` is given [m].
    diameter_grid_m
        (n_d,) increasing diameters of the size table [m].
    cumulative_fraction
        (n_d,) F(≥d)/F(≥reference_diameter_m), non-increasing, positive [-].
    density_kg_m3
        Projectile density paired with the flux model's size↔mass conversion [kg m⁻³].
    source
        The models and choices that made this table (one line).
    """

    name: str
    kind: str
    directions: DirectionGrid
    speed_m_s: NDArray[np.float64]
    flux: NDArray[np.float64]
    reference_diameter_m: float
    diameter_grid_m: NDArray[np.float64]
    cumulative_fraction: NDArray[np.float64]
    density_kg_m3: float
    source: str = ""
    _log_d: NDArray[np.float64] = field(init=False, repr=False)
    _log_f: NDArray[np.float64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("meteoroid", "debris"):
            raise InputError(f"Population {self.name}: kind {self.kind!r} is not meteoroid/debris")
        v = np.asarray(self.speed_m_s, dtype=float).reshape(-1)
        f = np.asarray(self.flux, dtype=float)
        if f.shape != (len(self.directions), v.size):
            raise InputError(
                f"Population {self.name}: flux shape {f.shape} is not "
                f"(n_directions={len(self.directions)}, n_speeds={v.size})"
            )
        if np.any(~np.isfinite(f)) or np.any(f < 0):
            raise InputError(f"Population {self.name}: flux must be finite and >= 0")
        if np.any(~np.isfinite(v)) or np.any(v <= 0):
            raise InputError(f"Population {self.name}: speeds must be finite and > 0")
        d = np.asarray(self.diameter_grid_m, dtype=float).reshape(-1)
        c = np.asarray(self.cumulative_fraction, dtype=float).reshape(-1)
        if d.size < 2 or d.shape != c.shape:
            raise InputError(f"Population {self.name}: size table needs >= 2 matching points")
        if np.any(np.diff(d) <= 0) or np.any(d <= 0):
            raise InputError(f"Population {self.name}: diameter_grid_m must increase and be > 0")
        if np.any(c <= 0) or np.any(np.diff(c) > 1e-12 * np.max(c)):
            raise InputError(
                f"Population {self.name}: cumulative_fraction must be > 0 and non-increasing"
            )
        if not (d[0] <= self.reference_diameter_m <= d[-1]):
            raise InputError(
                f"Population {self.name}: reference_diameter_m {self.reference_diameter_m} "
                "lies outside diameter_grid_m"
            )
        if not np.isfinite(self.density_kg_m3) or self.density_kg_m3 <= 0:
            raise InputError(f"Population {self.name}: density_kg_m3 must be > 0")
        object.__setattr__(self, "speed_m_s", v)
        object.__setattr__(self, "flux", f)
        object.__setattr__(self, "diameter_grid_m", d)
        object.__setattr__(self, "cumulative_fraction", c)
        object.__setattr__(self, "_log_d", np.log(d))
        object.__setattr__(self, "_log_f", np.log(c))

    @property
    def size_range(self) -> ValidityRange:
        """The diameters the size table covers [m]."""
        return ValidityRange(
            _FRACTION_NAME,
            float(self.diameter_grid_m[0]),
            float(self.diameter_grid_m[-1]),
            "m",
            source=f"size table of population {self.name}",
        )

    def size_fraction(self, diameter_m: ArrayLike) -> NDArray[np.float64] | float:
        """F(≥d)/F(≥reference): log-log interpolation of the size table [-].

        Out-of-table diameters follow the validity policy (NaN + `ValidityWarning`).
        """
        d = np.asarray(diameter_m, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            logd = np.log(np.where(d > 0, d, np.nan))
        raw = np.exp(np.interp(logd, self._log_d, self._log_f))
        return apply_validity(
            f"Population[{self.name}].size_fraction", raw, {_FRACTION_NAME: (d, self.size_range)}
        )

    def cumulative_flux(self, diameter_m: ArrayLike) -> NDArray[np.float64]:
        """Flux above diameter(s) per cell: broadcast of ``flux · size_fraction(d)`` [m⁻² s⁻¹].

        `diameter_m` may be a scalar (result (n_dir, n_v)) or any array broadcastable against
        (n_dir, n_v), e.g. critical diameters per (direction, speed).
        """
        return np.asarray(self.flux * self.size_fraction(diameter_m))

    def omnidirectional_flux(self, diameter_m: ArrayLike) -> NDArray[np.float64] | float:
        """Flux above d through unit cross-section from all directions (sphere convention)."""
        total = float(self.flux.sum())
        out = total * np.asarray(self.size_fraction(diameter_m))
        return float(out) if out.ndim == 0 else out

    def random_plate_flux(self, diameter_m: ArrayLike) -> NDArray[np.float64] | float:
        """Flux above d on a randomly tumbling one-sided plate: ¼ of the omnidirectional flux."""
        out = 0.25 * np.asarray(self.omnidirectional_flux(diameter_m))
        return float(out) if out.ndim == 0 else out

    def plate_flux(self, normal: ArrayLike, diameter_m: ArrayLike) -> float:
        """Flux above a single diameter on a fixed one-sided plate with outward `normal` [m⁻² s⁻¹].

        Each direction cell contributes ``flux · max(0, n·u)``.
        """
        n = np.asarray(normal, dtype=float)
        n = n / np.linalg.norm(n)
        cos = np.clip(self.directions.vectors @ n, 0.0, None)
        return float((self.flux.sum(axis=1) * cos).sum() * float(self.size_fraction(diameter_m)))

    def mean_speed_m_s(self) -> float:
        """Flux-weighted mean impact speed (at the reference size) [m s⁻¹]."""
        w = self.flux.sum(axis=0)
        return float((w * self.speed_m_s).sum() / w.sum()) if w.sum() > 0 else float("nan")

    def rotated(self, matrix: ArrayLike, frame: str) -> Population:
        """The same population with its direction grid expressed in another frame."""
        return replace(self, directions=self.directions.rotated(matrix, frame))

    def scaled(self, factor: float, source_note: str = "") -> Population:
        """The population with every flux multiplied by `factor` (e.g. a model-uncertainty bound)."""
        note = f"{self.source}; ×{factor:g} {source_note}".strip()
        return replace(self, flux=self.flux * float(factor), source=note)


@dataclass(frozen=True)
class Environment:
    """A set of populations on a common footing (same frame), e.g. sporadic + showers + debris."""

    populations: tuple[Population, ...]
    description: str = ""

    def __post_init__(self) -> None:
        names = [p.name for p in self.populations]
        if len(set(names)) != len(names):
            raise InputError(f"Environment: duplicate population names in {names}")
        frames = {p.directions.frame for p in self.populations}
        if len(frames) > 1:
            raise InputError(f"Environment: populations are in different frames {sorted(frames)}")

    def __iter__(self) -> Iterator[Population]:
        return iter(self.populations)

    def __len__(self) -> int:
        return len(self.populations)

    def __getitem__(self, name: str) -> Population:
        for p in self.populations:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def names(self) -> Sequence[str]:
        return [p.name for p in self.populations]

    def random_plate_flux(self, diameter_m: ArrayLike) -> Mapping[str, NDArray[np.float64] | float]:
        """Random-tumbling-plate flux above d for each population [m⁻² s⁻¹]."""
        return {p.name: p.random_plate_flux(diameter_m) for p in self.populations}
