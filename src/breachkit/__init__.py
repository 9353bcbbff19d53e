"""breachkit: open MMOD impact risk, leak forensics and impact-versus-defect attribution.

The package keeps its import light: nothing heavy is imported here. Use the sub-packages
(`breachkit.environment`, `breachkit.damage`, `breachkit.geometry`, `breachkit.risk`,
`breachkit.telemetry`, `breachkit.fleet`, `breachkit.attribution`, `breachkit.ops`).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
