"""Initial fleet schema: vehicles, flights, dockings, incidents, analyses, exposure cache.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("family", sa.String(40), nullable=False),
        sa.Column("design_series", sa.String(40), nullable=False),
        sa.Column("serial", sa.String(20), nullable=True),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_vehicles_name", "vehicles", ["name"], unique=True)
    op.create_table(
        "flights",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("vehicle_id", sa.Integer, sa.ForeignKey("vehicles.id"), nullable=False),
        sa.Column("launch", sa.DateTime, nullable=False),
        sa.Column("dock", sa.DateTime, nullable=True),
        sa.Column("port", sa.String(40), nullable=True),
        sa.Column("port_text", sa.Text, nullable=False),
        sa.Column("undock", sa.DateTime, nullable=True),
        sa.Column("end", sa.DateTime, nullable=True),
        sa.Column("crewed", sa.Boolean, nullable=False),
        sa.Column("anomaly", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_flights_vehicle_id", "flights", ["vehicle_id"])
    op.create_table(
        "dockings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("flight_id", sa.Integer, sa.ForeignKey("flights.id"), nullable=False),
        sa.Column("port", sa.String(40), nullable=False),
        sa.Column("start", sa.DateTime, nullable=False),
        sa.Column("end", sa.DateTime, nullable=True),
    )
    op.create_index("ix_dockings_flight_id", "dockings", ["flight_id"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("time", sa.DateTime, nullable=False),
        sa.Column("vehicle_id", sa.Integer, sa.ForeignKey("vehicles.id"), nullable=False),
        sa.Column("system", sa.String(80), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("official_finding", sa.String(40), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.UniqueConstraint("key", name="uq_incident_key"),
    )
    op.create_index("ix_incidents_vehicle_id", "incidents", ["vehicle_id"])
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("outputs", sa.JSON, nullable=False),
        sa.Column("breachkit_version", sa.String(20), nullable=False),
    )
    op.create_index("ix_analyses_kind", "analyses", ["kind"])
    op.create_table(
        "exposure_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("flight_id", sa.Integer, sa.ForeignKey("flights.id"), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("mean", sa.Float, nullable=False),
        sa.Column("lo", sa.Float, nullable=False),
        sa.Column("hi", sa.Float, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_exposure_cache_flight_id", "exposure_cache", ["flight_id"])


def downgrade() -> None:
    for table in ("exposure_cache", "analyses", "incidents", "dockings", "flights", "vehicles"):
        op.drop_table(table)
