"""Fleet records: the Soyuz/Progress flight history, incidents, exposures and fleet statistics.

* `open_db` / `FleetDB`: the SQLAlchemy database (SQLite by default, Alembic migrations).
* `breachkit.fleet.exposure`: expected radiator penetrations per flight (`ExposureModel`), cached.
* `breachkit.fleet.stats`: cluster significance (Poisson count, scan statistic) and the Bayesian
  production-change point.
"""

from breachkit.fleet.db import FleetDB, ImportSummary, bundled_path, default_url, open_db

__all__ = ["FleetDB", "ImportSummary", "bundled_path", "default_url", "open_db"]
