"""The impact environment: meteoroids, meteor showers and orbital debris (physics layer)."""

from breachkit.environment.directional import DirectionGrid, Environment, Population

__all__ = ["DirectionGrid", "Environment", "Population"]
