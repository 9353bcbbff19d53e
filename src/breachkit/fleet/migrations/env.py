"""Alembic environment of the fleet database: run programmatically by `breachkit.fleet.db`.

The caller passes an open SQLAlchemy connection in ``config.attributes["connection"]``; there is no
alembic.ini and no offline mode.
"""

from __future__ import annotations

from alembic import context

from breachkit.fleet.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable when misused from the alembic CLI
    raise RuntimeError("breachkit fleet migrations run through breachkit.fleet.db.open_db()")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
