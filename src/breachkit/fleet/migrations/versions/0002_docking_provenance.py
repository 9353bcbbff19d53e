"""Docking provenance and flight status: ``flights.status``/``flights.as_of`` (why a flight has
no undocking: still docked as of a date, or never docked), ``dockings.source`` and
``dockings.date_quality`` (each docked interval keeps its own citation and date quality).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flights") as batch:
        batch.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="undocked")
        )
        batch.add_column(sa.Column("as_of", sa.DateTime, nullable=True))
    with op.batch_alter_table("dockings") as batch:
        batch.add_column(sa.Column("source", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("date_quality", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("dockings") as batch:
        batch.drop_column("date_quality")
        batch.drop_column("source")
    with op.batch_alter_table("flights") as batch:
        batch.drop_column("as_of")
        batch.drop_column("status")
