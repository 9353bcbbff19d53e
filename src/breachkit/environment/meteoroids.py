"""Sporadic meteoroids: the Grün (1985) flux, density laws, Earth shielding, focusing, speeds.

Every function here is pure and vectorised (scalar in → float out, array in → array out) and
takes and returns SI units. The models:

* `grun_flux` — Grün, Zook, Fechtig & Giese (1985), Icarus 62, 244–272, eq. (A3); adopted
  verbatim as ECSS-E-ST-10-04C §10.2.4.1 eq. (101). Cumulative flux of particles of mass ≥ m on a
  randomly tumbling one-sided plate at 1 AU, no Earth effects.
* Meteoroid density laws, each paired with the flux model that assumed it (`METEOROID_MODELS`).
* `earth_shielding_factor` — ECSS-E-ST-10-04C Annex C.1.3 (sf = (1+cos η)/2, sin η =
  (R_E+100 km)/r).
* `gravitational_focusing_ecss` — single-speed ECSS Annex C.1.2 G = 1 + v_esc²/v∞²;
  `gravitational_focusing_ssp30425` — G = 1 + (R_E+100 km)/r (the form that reproduces the
  NASA Handbook TM-2009-214785 Table 2-3 altitude ratios within 0.3 %; UNVERIFIED as the
  SSP 30425 text).
* `TabulatedSpeedDistribution` and `ecss_speed_distribution` — the candidate ECSS Table C-1
  (Taylor 1995) distribution, shipped as UNVERIFIED (see src/breachkit/data/MANIFEST.toml), and
  `orbit_speed_distribution`, its transformation to an orbit radius (re-binning + focusing).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from breachkit._core.errors import InputError
from breachkit._core.units import GRAM, KM, KM_S, MU_EARTH
from breachkit._core.validity import ValidityRange, apply_validity, register

__all__ = [
    "ECSS_EARTH_RADIUS_M",
    "GRUN_MASS_RANGE",
    "METEOROID_MODELS",
    "MeteoroidModel",
    "TabulatedSpeedDistribution",
    "constant_density",
    "earth_escape_speed",
    "earth_shielding_factor",
    "ecss_speed_distribution",
    "get_meteoroid_model",
    "gravitational_focusing_ecss",
    "gravitational_focusing_ssp30425",
    "grun_flux",
    "mean_focusing_factor",
    "orbit_speed_distribution",
    "spacecraft_motion_factor",
    "sphere_diameter",
    "sphere_mass",
    "ssp30425_density",
]

FloatOrArray = NDArray[np.float64] | float

#: Earth radius used by ECSS-E-ST-10-04C Annex C for shielding (6378 km) [m].
ECSS_EARTH_RADIUS_M: Final = 6378.0 * KM
#: Thickness of the atmosphere added to the Earth's radius for shielding (ECSS C.1.3) [m].
ATMOSPHERE_M: Final = 100.0 * KM


def _out(x: NDArray[np.float64]) -> FloatOrArray:
    return float(x) if np.ndim(x) == 0 else x


# ---------------------------------------------------------------------------------------------
# Grün (1985)
# ---------------------------------------------------------------------------------------------

GRUN_MASS_RANGE: Final = register(
    "grun_flux",
    ValidityRange(
        "mass_kg",
        1e-21,
        0.1,
        "kg",
        source="Grün et al. 1985 (1e-18 g to 100 g); ECSS-E-ST-10-04C §10.2.4.1",
    ),
)[0]


def grun_flux(mass_kg: ArrayLike) -> FloatOrArray:
    """Grün et al. (1985) cumulative interplanetary meteoroid flux at 1 AU [m⁻² s⁻¹].

    Equation (Grün, Zook, Fechtig & Giese 1985, Icarus 62, 244, eq. A3; ECSS-E-ST-10-04C
    §10.2.4.1 eq. 101), with m in grams::

        F(≥m) = F1 + F2 + F3                                [m⁻² s⁻¹]
        F1 = (2.2e3 m^0.306 + 15)^(-4.38)
        F2 = 1.3e-9 (m + 1e11 m² + 1e27 m⁴)^(-0.36)
        F3 = 1.3e-16 (m + 1e6 m²)^(-0.85)

    The bracket is **per second** (ECSS multiplies it by 3.15576e7 to get per year; several
    public codes forget this and label the bracket "per year").

    Convention: number of particles of mass ≥ m per m² per s on a **randomly tumbling one-sided
    flat plate** (= ¼ of the cross-section flux), at 1 AU, unshielded and unfocused by the Earth.
    Includes sporadic and average-stream meteoroids.

    Parameters
    ----------
    mass_kg
        Particle mass [kg]; valid 1e-21 … 0.1 kg (1e-18 … 100 g).

    Returns
    -------
    Cumulative flux [m⁻² s⁻¹]; NaN + `ValidityWarning` outside the mass range.
    """
    m_kg = np.asarray(mass_kg, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        m = np.where(m_kg > 0, m_kg, np.nan) / GRAM
        m2 = m * m
        f1 = (2.2e3 * m**0.306 + 15.0) ** (-4.38)
        f2 = 1.3e-9 * (m + 1e11 * m2 + 1e27 * (m2 * m2)) ** (-0.36)
        f3 = 1.3e-16 * (m + 1e6 * m2) ** (-0.85)
        raw = f1 + f2 + f3
    return apply_validity("grun_flux", raw, {"mass_kg": (m_kg, GRUN_MASS_RANGE)})


# ---------------------------------------------------------------------------------------------
# Density laws and sphere mass <-> diameter
# ---------------------------------------------------------------------------------------------


def sphere_mass(diameter_m: ArrayLike, density_kg_m3: ArrayLike) -> FloatOrArray:
    """Mass of a sphere, m = ρ π d³ / 6 [kg]; `diameter_m` [m], `density_kg_m3` [kg m⁻³]."""
    d = np.asarray(diameter_m, dtype=float)
    rho = np.asarray(density_kg_m3, dtype=float)
    return _out(rho * np.pi * d**3 / 6.0)


def sphere_diameter(mass_kg: ArrayLike, density_kg_m3: ArrayLike) -> FloatOrArray:
    """Diameter of a sphere, d = (6 m / (π ρ))^(1/3) [m]; `mass_kg` [kg], density [kg m⁻³]."""
    m = np.asarray(mass_kg, dtype=float)
    rho = np.asarray(density_kg_m3, dtype=float)
    with np.errstate(invalid="ignore"):
        return _out(np.cbrt(6.0 * m / (np.pi * rho)))


#: Mass steps of the TM-4527 / SSP 30425 meteoroid density law [kg] (1e-6 g and 0.01 g).
SSP30425_DENSITY_STEPS_KG: Final = (1e-9, 1e-5)
#: Densities of the three steps [kg m⁻³]: 2, 1 and 0.5 g/cm³.
SSP30425_DENSITIES_KG_M3: Final = (2000.0, 1000.0, 500.0)


def ssp30425_density(mass_kg: ArrayLike) -> FloatOrArray:
    """Meteoroid bulk density of the TM-4527 / SSP 30425 model, a three-step law [kg m⁻³].

    ρ = 2 g/cm³ for m < 1e-6 g; 1 g/cm³ for 1e-6 g ≤ m ≤ 0.01 g; 0.5 g/cm³ for m > 0.01 g.

    Source: NASA Meteoroid Environment Office, *MEM Web Application User Guide* §1.1 (History),
    describing Anderson & Smith (1994) NASA TM-4527 / SSP 30425 Rev B; consistent with NASA
    TM-2009-214785 (Handbook) §2.6.1 p.15 ("2 g/cm³ for m ≤ 1 µg falling to 0.5 g/cm³ for
    m ≥ 0.01 g"). Valid for every positive mass (it is a definition, not a fit).
    """
    m = np.asarray(mass_kg, dtype=float)
    lo, hi = SSP30425_DENSITY_STEPS_KG
    r0, r1, r2 = SSP30425_DENSITIES_KG_M3
    out = np.where(m < lo, r0, np.where(m <= hi, r1, r2))
    out = np.where(np.isnan(m), np.nan, out)
    return _out(out.astype(float))


def constant_density(value_kg_m3: float) -> Callable[[ArrayLike], FloatOrArray]:
    """A density law returning `value_kg_m3` [kg m⁻³] for every mass."""

    def law(mass_kg: ArrayLike) -> FloatOrArray:
        m = np.asarray(mass_kg, dtype=float)
        return _out(np.where(np.isnan(m), np.nan, float(value_kg_m3)))

    law.__name__ = f"constant_density_{value_kg_m3:g}"
    return law


def _mass_from_diameter_stepped(d: NDArray[np.float64]) -> NDArray[np.float64]:
    """Invert d(m) for the SSP 30425 step law: the mass whose own density gives diameter d.

    d(m) = (6m/(πρ(m)))^(1/3) jumps upward at each step (density falls), so d ↦ m is monotone
    non-decreasing with a plateau at each step mass (every d inside a jump maps to the step
    mass).
    """
    lo, hi = SSP30425_DENSITY_STEPS_KG
    r0, r1, r2 = SSP30425_DENSITIES_KG_M3
    m0 = r0 * np.pi * d**3 / 6.0
    m1 = r1 * np.pi * d**3 / 6.0
    m2 = r2 * np.pi * d**3 / 6.0
    out = np.where(
        m0 < lo,
        m0,
        np.where(m1 < lo, lo, np.where(m1 <= hi, m1, np.where(m2 <= hi, hi, m2))),
    )
    return np.asarray(out, dtype=float)


# ---------------------------------------------------------------------------------------------
# Flux model + density pairs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeteoroidModel:
    """A meteoroid flux model paired with the density law that turns its masses into sizes.

    Parameters
    ----------
    name
        Registry name, e.g. ``"grun-ssp30425"``.
    flux
        Cumulative random-plate flux above a mass, ``flux(mass_kg) -> m⁻² s⁻¹``.
    density
        Density law ``density(mass_kg) -> kg m⁻³``.
    source
        Where the pairing comes from.
    step_law
        True for the SSP 30425 three-step law (diameter → mass inverted exactly).
    """

    name: str
    flux: Callable[[ArrayLike], FloatOrArray]
    density: Callable[[ArrayLike], FloatOrArray]
    source: str
    step_law: bool = False
    constant_density_kg_m3: float | None = field(default=None)

    def mass_from_diameter(self, diameter_m: ArrayLike) -> FloatOrArray:
        """Mass of a meteoroid of diameter d under this model's density law [kg]."""
        d = np.asarray(diameter_m, dtype=float)
        if self.step_law:
            return _out(_mass_from_diameter_stepped(d))
        rho = self.constant_density_kg_m3
        if rho is None:  # pragma: no cover - every registered model is one of the two kinds
            raise InputError(f"meteoroid model {self.name}: no diameter inversion")
        return _out(rho * np.pi * d**3 / 6.0)

    def flux_above_diameter(self, diameter_m: ArrayLike) -> FloatOrArray:
        """Cumulative random-plate flux of meteoroids of diameter ≥ d at 1 AU [m⁻² s⁻¹]."""
        return self.flux(self.mass_from_diameter(diameter_m))

    def density_at_diameter(self, diameter_m: ArrayLike) -> FloatOrArray:
        """Density of the meteoroids of diameter d [kg m⁻³]."""
        return self.density(self.mass_from_diameter(diameter_m))


METEOROID_MODELS: Final[dict[str, MeteoroidModel]] = {
    "grun-ssp30425": MeteoroidModel(
        "grun-ssp30425",
        grun_flux,
        ssp30425_density,
        "Grün et al. 1985 flux with the TM-4527/SSP 30425 three-step density 2/1/0.5 g/cm³ "
        "(NASA MEO MEM user guide §1.1)",
        step_law=True,
    ),
    "grun-1.0": MeteoroidModel(
        "grun-1.0",
        grun_flux,
        constant_density(1000.0),
        "Grün et al. 1985 flux with 1.0 g/cm³ (NASA TM-2009-214785 Table 2-2 caption p.18, "
        "SSP 30425B runs)",
        constant_density_kg_m3=1000.0,
    ),
    "grun-0.5": MeteoroidModel(
        "grun-0.5",
        grun_flux,
        constant_density(500.0),
        "Grün et al. 1985 flux with 0.5 g/cm³ (older NASA design practice: SN3-91-42 p.2; "
        "Cour-Palais 1987 p.222)",
        constant_density_kg_m3=500.0,
    ),
    "grun-2.5": MeteoroidModel(
        "grun-2.5",
        grun_flux,
        constant_density(2500.0),
        "Grün et al. 1985 flux with 2.5 g/cm³ (ECSS-E-ST-10-04C value; UNVERIFIED in the "
        "standard's text)",
        constant_density_kg_m3=2500.0,
    ),
}


def get_meteoroid_model(name: str | MeteoroidModel) -> MeteoroidModel:
    """Look up a flux+density pairing by name (or pass one through)."""
    if isinstance(name, MeteoroidModel):
        return name
    try:
        return METEOROID_MODELS[name]
    except KeyError:
        raise InputError(
            f"meteoroid model {name!r} is unknown; choose one of {sorted(METEOROID_MODELS)}"
        ) from None


# ---------------------------------------------------------------------------------------------
# Earth: escape speed, shielding, focusing
# ---------------------------------------------------------------------------------------------

_RADIUS_RANGE: Final = ValidityRange(
    "radius_m",
    ECSS_EARTH_RADIUS_M + ATMOSPHERE_M,
    np.inf,
    "m",
    low_inclusive=False,
    source="above the 100-km atmosphere of ECSS-E-ST-10-04C C.1.3",
)
_ALTITUDE_RANGE: Final = register(
    "earth_shielding_factor",
    ValidityRange(
        "altitude_m",
        ATMOSPHERE_M,
        np.inf,
        "m",
        low_inclusive=False,
        source="ECSS-E-ST-10-04C C.1.3: the formula needs r > R_E + 100 km",
    ),
)[0]
register("gravitational_focusing_ecss", _RADIUS_RANGE)
register("gravitational_focusing_ssp30425", _ALTITUDE_RANGE)


def earth_escape_speed(radius_m: ArrayLike) -> FloatOrArray:
    """Escape speed from the Earth at geocentric distance r, v_esc = sqrt(2μ/r) [m s⁻¹]."""
    r = np.asarray(radius_m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return _out(np.sqrt(2.0 * MU_EARTH / r))


def earth_shielding_factor(altitude_m: ArrayLike) -> FloatOrArray:
    """Earth-shielding factor for a randomly oriented plate, ECSS-E-ST-10-04C Annex C.1.3 [-].

    Equation (ECSS C-13/C-14)::

        sin η = (R_E + 100 km) / (R_E + h),   R_E = 6378 km
        sf    = (1 + cos η) / 2

    η is the half-angle of the cone occupied by the Earth plus a 100-km atmosphere; sf is the
    fraction of an isotropic flux not blocked by it. Valid for h > 100 km.

    Parameters
    ----------
    altitude_m
        Height above R_E = 6378 km [m].
    """
    h = np.asarray(altitude_m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / (ECSS_EARTH_RADIUS_M + h)
        raw = 0.5 * (1.0 + np.sqrt(np.clip(1.0 - s * s, 0.0, None)))
    return apply_validity("earth_shielding_factor", raw, {"altitude_m": (h, _ALTITUDE_RANGE)})


def gravitational_focusing_ecss(speed_inf_m_s: ArrayLike, radius_m: ArrayLike) -> FloatOrArray:
    """Gravitational flux enhancement for one speed, ECSS-E-ST-10-04C Annex C.1.2 [-].

    Equation (energy conservation plus Liouville, ECSS C-1…C-5)::

        G(v∞, r) = 1 + v_esc(r)² / v∞²,   v_esc = sqrt(2μ/r)

    `speed_inf_m_s` is the speed far from the Earth (the 1-AU speed of the Grün/Taylor model)
    [m s⁻¹]; `radius_m` the geocentric distance [m], valid above R_E + 100 km.
    """
    v = np.asarray(speed_inf_m_s, dtype=float)
    r = np.asarray(radius_m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = 1.0 + (2.0 * MU_EARTH / r) / v**2
    return apply_validity("gravitational_focusing_ecss", raw, {"radius_m": (r, _RADIUS_RANGE)})


def gravitational_focusing_ssp30425(altitude_m: ArrayLike) -> FloatOrArray:
    """Speed-averaged focusing factor G = 1 + (R_E + 100 km)/(R_E + h) [-] (UNVERIFIED form).

    This is the simplified factor attributed to NASA SSP 30425 / TM-4527. It has **not** been
    read in SSP 30425 itself; it is kept because sf·G with this G reproduces the altitude ratios
    of the NASA Handbook TM-2009-214785 Table 2-3 (p.19, SSP 30425B meteoroid flux ≥ 3 mm,
    300–1500 km) within 0.3 % (research note mmod-references.md §1). Valid for h > 100 km.

    The Handbook's absolute level is 1.128 × Grün(1 g/cm³)·sf·G at every one of the six
    altitudes (1.124–1.131, i.e. within the tables' rounding): a constant factor outside sf·G.
    Not resolved without SSP 30425; docs/environment.md §1 quantifies the candidates.
    """
    h = np.asarray(altitude_m, dtype=float)
    raw = 1.0 + (ECSS_EARTH_RADIUS_M + ATMOSPHERE_M) / (ECSS_EARTH_RADIUS_M + h)
    return apply_validity(
        "gravitational_focusing_ssp30425", raw, {"altitude_m": (h, _ALTITUDE_RANGE)}
    )


def spacecraft_motion_factor(speed_m_s: ArrayLike, vehicle_speed_m_s: float) -> FloatOrArray:
    """Flux enhancement of an isotropic stream of speed v seen from a vehicle moving at V [-].

    Average over isotropic directions of |w − V|/|w| (ECSS-E-ST-10-04C C.1.3.2 describes the
    per-bin factor v_rel/v; this is its closed form for an isotropic field)::

        K(v) = 1 + V²/(3 v²)            for v ≥ V
        K(v) = V/v + v/(3 V)            for v < V

    `speed_m_s` [m s⁻¹] is the particle speed in the Earth frame, `vehicle_speed_m_s` [m s⁻¹].
    """
    v = np.asarray(speed_m_s, dtype=float)
    big_v = float(vehicle_speed_m_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(
            v >= big_v, 1.0 + big_v**2 / (3.0 * v**2), big_v / v + v / (3.0 * max(big_v, 1e-300))
        )
    return _out(np.asarray(k, dtype=float))


# ---------------------------------------------------------------------------------------------
# Speed distribution (candidate ECSS Table C-1, Taylor 1995) and its transformation to an orbit
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TabulatedSpeedDistribution:
    """A speed distribution given as probabilities of contiguous speed bins.

    Inside a bin the density is uniform. The probabilities are renormalised to sum to one.

    Parameters
    ----------
    edges_m_s
        (n+1,) increasing bin edges [m s⁻¹].
    probabilities
        (n,) bin probabilities [-] (non-negative, any positive sum).
    name, source, convention
        Labels: what it is, where it comes from, and whether it weights particles by number
        in space ("per-particle") or by impact rate ("per-impact").
    """

    edges_m_s: NDArray[np.float64]
    probabilities: NDArray[np.float64]
    name: str = ""
    source: str = ""
    convention: str = "per-impact"

    def __post_init__(self) -> None:
        e = np.asarray(self.edges_m_s, dtype=float)
        p = np.asarray(self.probabilities, dtype=float)
        if e.ndim != 1 or p.shape != (e.size - 1,) or e.size < 2:
            raise InputError(f"speed distribution {self.name}: edges/probabilities mismatch")
        if np.any(np.diff(e) <= 0) or np.any(p < 0) or not np.isfinite(p).all() or p.sum() <= 0:
            raise InputError(f"speed distribution {self.name}: bad edges or probabilities")
        object.__setattr__(self, "edges_m_s", e)
        object.__setattr__(self, "probabilities", p / p.sum())

    @property
    def centres_m_s(self) -> NDArray[np.float64]:
        """Bin centres [m s⁻¹]."""
        return 0.5 * (self.edges_m_s[1:] + self.edges_m_s[:-1])

    def pdf(self, speed_m_s: ArrayLike) -> FloatOrArray:
        """Probability density [s m⁻¹]; zero outside the table."""
        v = np.asarray(speed_m_s, dtype=float)
        e = self.edges_m_s
        dens = self.probabilities / np.diff(e)
        idx = np.searchsorted(e, v, side="right") - 1
        inside = (v >= e[0]) & (v <= e[-1])
        idx = np.clip(idx, 0, dens.size - 1)
        out = np.where(inside, dens[idx], 0.0)
        return _out(np.where(np.isnan(v), np.nan, out))

    def cdf(self, speed_m_s: ArrayLike) -> FloatOrArray:
        """Cumulative probability P(speed ≤ v) [-] (piecewise linear)."""
        v = np.asarray(speed_m_s, dtype=float)
        c = np.concatenate([[0.0], np.cumsum(self.probabilities)])
        return _out(np.interp(v, self.edges_m_s, c))

    def mean(self) -> float:
        """Mean speed [m s⁻¹] (exact for uniform-in-bin densities)."""
        return float((self.probabilities * self.centres_m_s).sum())

    def sample(self, n: int, rng: np.random.Generator) -> NDArray[np.float64]:
        """Draw `n` speeds [m s⁻¹] with an explicit `numpy.random.Generator`."""
        if n < 0:
            raise InputError(f"sample n: {n} must be >= 0")
        u = rng.random(int(n))
        c = np.concatenate([[0.0], np.cumsum(self.probabilities)])
        c[-1] = 1.0
        return np.asarray(np.interp(u, c, self.edges_m_s), dtype=float)


def _read_speed_table() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    path = resources.files("breachkit.data").joinpath("ecss_c1_taylor1995_candidate.csv")
    v: list[float] = []
    n: list[float] = []
    with path.open("r", encoding="utf-8") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        for row in csv.DictReader(rows):
            v.append(float(row["v_inf_km_s"]))
            n.append(float(row["n"]))
    return np.asarray(v), np.asarray(n)


_SPEED_TABLE: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None


def ecss_speed_distribution() -> TabulatedSpeedDistribution:
    """The sporadic meteoroid speed distribution n(v∞) at 1 AU, CANDIDATE ECSS Table C-1.

    ECSS-E-ST-10-04C Annex C.1.1 specifies a normalised distribution in 1 km/s bins from the
    Harvard Radio Meteor Project re-evaluated by Taylor (1995). The table shipped here
    (src/breachkit/data/ecss_c1_taylor1995_candidate.csv) is a **candidate** read from public
    code (repository Jeroen-Lardot/MeteoroidImpact, models/Distribution.xlsx) that matches the
    standard's description; it is **UNVERIFIED** against the standard (research note
    constants-2.md §4). 72 bins, 0–72 km/s; Σn = 1.00008 (renormalised); mean 17.66 km/s.
    A second, independent transcription was searched for and not found (public code searched
    by its values and by "ECSS/Taylor/HRMP 1 km/s bins"; the ECSS mirror at spenvis.eu, page
    ecss_14_01_01, has the table only as an image; Drolshagen et al. 2020 compare with it only
    in a figure): it stays a single-source candidate.

    Convention used by breachkit: **per-impact** — n(v∞) is the distribution of the flux on a
    surface (the quantity ECSS re-weights by the flux enhancement G), not of spatial density.
    """
    global _SPEED_TABLE
    if _SPEED_TABLE is None:
        _SPEED_TABLE = _read_speed_table()
    v, n = _SPEED_TABLE
    edges = np.concatenate([v - 0.5, [v[-1] + 0.5]]) * KM_S
    return TabulatedSpeedDistribution(
        edges,
        n,
        name="ECSS Table C-1 candidate (Taylor 1995), 1 AU",
        source="candidate ECSS-E-ST-10-04C Table C-1, UNVERIFIED (constants-2.md §4)",
        convention="per-impact",
    )


@dataclass(frozen=True, eq=False)
class OrbitSpeedDistribution:
    """The speed distribution at an orbit radius after the ECSS re-binning (Annex C.1.2).

    Attributes
    ----------
    speeds_m_s
        (n,) speed at the orbit of each 1-AU bin, v = sqrt(v∞² + v_esc²) [m s⁻¹].
    weights
        (n,) normalised flux weights n(v∞)·G(v∞) / Ḡ [-].
    mean_focusing
        Ḡ = Σ n(v∞) G(v∞, r) [-].
    """

    speeds_m_s: NDArray[np.float64]
    weights: NDArray[np.float64]
    mean_focusing: float

    def mean(self) -> float:
        """Flux-weighted mean speed at the orbit (Earth frame) [m s⁻¹]."""
        return float((self.weights * self.speeds_m_s).sum())


def orbit_speed_distribution(
    radius_m: float, distribution: TabulatedSpeedDistribution | None = None
) -> OrbitSpeedDistribution:
    """Transform a 1-AU speed distribution to geocentric distance r (ECSS Annex C.1.2).

    Each bin at v∞ moves to v = sqrt(v∞² + v_esc(r)²), its weight is multiplied by
    G = 1 + v_esc²/v∞² and the result renormalised; Ḡ = Σ n G is the mean focusing factor.
    Earth-frame speeds; the vehicle's own motion is applied separately (`spacecraft_motion_factor`
    or the directional model). `radius_m` [m].
    """
    dist = distribution if distribution is not None else ecss_speed_distribution()
    v_inf = dist.centres_m_s
    g = np.asarray(gravitational_focusing_ecss(v_inf, radius_m))
    v_esc = float(earth_escape_speed(radius_m))
    w = dist.probabilities * g
    gbar = float(w.sum())
    return OrbitSpeedDistribution(np.sqrt(v_inf**2 + v_esc**2), w / gbar, gbar)


def mean_focusing_factor(
    radius_m: float, distribution: TabulatedSpeedDistribution | None = None
) -> float:
    """Ḡ(r) = Σ n(v∞) G(v∞, r): the speed-averaged focusing factor of ECSS C-6/C-7 [-]."""
    return orbit_speed_distribution(radius_m, distribution).mean_focusing
