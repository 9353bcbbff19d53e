"""The impact environment: meteoroids, meteor showers and orbital debris (physics layer).

* `meteoroids` — Grün (1985) flux, density laws, ECSS shielding/focusing, speed distribution;
* `sporadic` — the directional sporadic model in LVLH;
* `showers` — shower table, solar longitude, ZHR, flux above a mass, radiants, shower beams;
* `debris` — NASA-91 and the crossing-orbit directional population;
* `tabulated` — breachkit flux tables (by hand or converted from ORDEM/MASTER), reader and writer;
* `builder.build_environment` — the LVLH `Environment` for an orbit and a time window.
"""

from breachkit.environment.builder import build_environment
from breachkit.environment.debris import debris_population, nasa91_flux
from breachkit.environment.directional import DirectionGrid, Environment, Population
from breachkit.environment.meteoroids import (
    METEOROID_MODELS,
    earth_shielding_factor,
    ecss_speed_distribution,
    gravitational_focusing_ecss,
    grun_flux,
)
from breachkit.environment.showers import shower_population, shower_zhr, solar_longitude_deg
from breachkit.environment.sporadic import sporadic_population
from breachkit.environment.tabulated import read_tabulated_flux, write_tabulated_flux

__all__ = [
    "METEOROID_MODELS",
    "DirectionGrid",
    "Environment",
    "Population",
    "build_environment",
    "debris_population",
    "earth_shielding_factor",
    "ecss_speed_distribution",
    "gravitational_focusing_ecss",
    "grun_flux",
    "nasa91_flux",
    "read_tabulated_flux",
    "shower_population",
    "shower_zhr",
    "solar_longitude_deg",
    "sporadic_population",
    "write_tabulated_flux",
]
