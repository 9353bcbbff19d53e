"""Unit factors and physical constants. Multiply a value in the named unit to get SI.

Only I/O edges (case files, CSV readers, the CLI) and the insides of models published in non-SI
units use these; every public physics function takes and returns SI.
"""

from __future__ import annotations

from typing import Final

# Length
KM: Final = 1.0e3  # [m]
CM: Final = 1.0e-2  # [m]
MM: Final = 1.0e-3  # [m]
UM: Final = 1.0e-6  # [m]
INCH: Final = 0.0254  # [m]

# Mass and density
GRAM: Final = 1.0e-3  # [kg]
G_PER_CM3: Final = 1.0e3  # [kg m⁻³]
G_PER_CM2: Final = 10.0  # [kg m⁻²]

# Speed
KM_S: Final = 1.0e3  # [m s⁻¹]

# Time. The Julian year is the one Grün et al. (1985) and ECSS-E-ST-10-04C use (3.15576e7 s).
MINUTE: Final = 60.0  # [s]
HOUR: Final = 3600.0  # [s]
DAY: Final = 86400.0  # [s]
JULIAN_YEAR: Final = 365.25 * DAY  # [s]

# Pressure
PA: Final = 1.0
KPA: Final = 1.0e3
BAR: Final = 1.0e5
ATM: Final = 101325.0  # standard atmosphere, exact
PSI: Final = 6894.757293168361  # lbf in⁻², exact from 0.45359237 kg and 0.0254 m
MMHG: Final = 133.322387415  # conventional millimetre of mercury
HPA: Final = 100.0
KSI: Final = 1.0e3 * PSI  # [Pa]

PRESSURE_UNITS: Final[dict[str, float]] = {
    "Pa": PA,
    "hPa": HPA,
    "kPa": KPA,
    "bar": BAR,
    "mbar": 100.0,
    "atm": ATM,
    "psi": PSI,
    "mmHg": MMHG,
    "torr": ATM / 760.0,
}

# Angles
DEG: Final = 0.017453292519943295  # [rad]

# Earth and gravitation (WGS-84 / IERS values; a model that uses other values converts inside)
MU_EARTH: Final = 3.986004418e14  # [m³ s⁻²]
R_EARTH_EQUATORIAL: Final = 6378.137e3  # [m]
G0: Final = 9.80665  # [m s⁻²]
R_GAS: Final = 8.314462618  # [J mol⁻¹ K⁻¹]
T_ZERO_CELSIUS: Final = 273.15  # [K]
AU: Final = 1.495978707e11  # [m]
