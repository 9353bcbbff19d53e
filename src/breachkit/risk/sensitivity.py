"""Variance-based (Sobol') sensitivity indices from Saltelli's A, B, AB_i design.

With f_A, f_B the model at the rows of two independent sample matrices A and B (n rows each) and
f_ABi at A with its column i taken from B, V = Var(f_A ∪ f_B):

* first-order index (Saltelli et al. 2010, Comput. Phys. Commun. 181, 259, Table 2 eq. (b)):
  S_i = mean(f_B · (f_ABi − f_A)) / V;
* total index (Jansen 1999, Comput. Phys. Commun. 117, 35; Saltelli et al. 2010 Table 2 eq. (f)):
  ST_i = mean((f_A − f_ABi)²) / (2 V).

Confidence intervals by bootstrap over the n rows (an explicit `numpy.random.Generator`).
`ishigami` and `ishigami_indices` give the standard analytic test case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError

__all__ = ["SobolIndices", "ishigami", "ishigami_indices", "sobol_indices"]


@dataclass(frozen=True)
class SobolIndices:
    """First-order `s1` and total `st` indices per input, with bootstrap 90 % intervals."""

    names: tuple[str, ...]
    s1: NDArray[np.float64]
    st: NDArray[np.float64]
    s1_interval: NDArray[np.float64]  # (k, 2)
    st_interval: NDArray[np.float64]  # (k, 2)
    variance: float
    n: int

    def ranking(self) -> list[tuple[str, float, float]]:
        """(name, ST, S1), largest total index first."""
        order = np.argsort(-self.st)
        return [(self.names[i], float(self.st[i]), float(self.s1[i])) for i in order]

    def to_dict(self) -> dict[str, dict[str, float | list[float]]]:
        return {
            n: {
                "S1": float(self.s1[i]),
                "ST": float(self.st[i]),
                "S1_90": [float(x) for x in self.s1_interval[i]],
                "ST_90": [float(x) for x in self.st_interval[i]],
            }
            for i, n in enumerate(self.names)
        }


def _estimate(
    f_a: NDArray[np.float64], f_b: NDArray[np.float64], f_ab: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    var = float(np.var(np.concatenate([f_a, f_b])))
    if not var > 0:
        return np.zeros(f_ab.shape[0]), np.zeros(f_ab.shape[0]), var
    s1 = np.mean(f_b[None, :] * (f_ab - f_a[None, :]), axis=1) / var
    st = 0.5 * np.mean((f_a[None, :] - f_ab) ** 2, axis=1) / var
    return s1, st, var


def sobol_indices(
    f_a: ArrayLike,
    f_b: ArrayLike,
    f_ab: ArrayLike,
    names: tuple[str, ...] | list[str],
    *,
    rng: np.random.Generator | None = None,
    n_boot: int = 200,
) -> SobolIndices:
    """Sobol' indices from f_A (n,), f_B (n,) and f_AB (k, n) (module docstring)."""
    a, b, ab = (np.asarray(x, dtype=float) for x in (f_a, f_b, f_ab))
    if a.ndim != 1 or b.shape != a.shape or ab.ndim != 2 or ab.shape[1] != a.size:
        raise InputError(f"sobol_indices: shapes {a.shape}, {b.shape}, {ab.shape} disagree")
    if ab.shape[0] != len(names):
        raise InputError(f"sobol_indices: {ab.shape[0]} AB columns for {len(names)} names")
    s1, st, var = _estimate(a, b, ab)
    gen = rng if rng is not None else np.random.default_rng(0)
    boots = []
    for _ in range(n_boot if a.size > 1 else 0):
        i = gen.integers(0, a.size, a.size)
        boots.append(_estimate(a[i], b[i], ab[:, i])[:2])
    if boots:
        bs1 = np.array([x[0] for x in boots])
        bst = np.array([x[1] for x in boots])
        s1i = np.quantile(bs1, [0.05, 0.95], axis=0).T
        sti = np.quantile(bst, [0.05, 0.95], axis=0).T
    else:
        s1i = sti = np.full((len(names), 2), math.nan)
    return SobolIndices(tuple(names), s1, st, s1i, sti, var, int(a.size))


def ishigami(x: ArrayLike, a: float = 7.0, b: float = 0.1) -> NDArray[np.float64]:
    """Ishigami & Homma (1990) test function: sin x1 + a sin² x2 + b x3⁴ sin x1, x ∈ [−π, π]³."""
    x = np.asarray(x, dtype=float)
    return np.asarray(
        np.sin(x[..., 0]) + a * np.sin(x[..., 1]) ** 2 + b * x[..., 2] ** 4 * np.sin(x[..., 0])
    )


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[NDArray[np.float64], ...]:
    """Analytic first-order and total indices of `ishigami` (Sobol' & Levitan 1999; Saltelli
    et al. 2008 *Global Sensitivity Analysis: The Primer* §4.4)."""
    pi4 = math.pi**4
    v1 = 0.5 * (1.0 + b * pi4 / 5.0) ** 2
    v2 = a**2 / 8.0
    v13 = b**2 * math.pi**8 * (1.0 / 18.0 - 1.0 / 50.0)
    v = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / v
    st = np.array([v1 + v13, v2, v13]) / v
    return s1, st
