"""SQLAlchemy 2 models of the fleet database: vehicles, flights, docked intervals, incidents,
analyses and the exposure cache.

All instants are stored as naive UTC datetimes (SQLite has no time zones); the accessors of
`breachkit.fleet.db` hand them back as aware UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Analysis",
    "Base",
    "Docking",
    "ExposureCache",
    "Flight",
    "Incident",
    "Vehicle",
]


class Base(DeclarativeBase):
    """Declarative base of every fleet table."""


class Vehicle(Base):
    """One spacecraft (e.g. ``Soyuz MS-22``): family, factory serial and design series."""

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    family: Mapped[str] = mapped_column(String(40))  # "Soyuz", "Progress", "ISS module"
    design_series: Mapped[str] = mapped_column(String(40))  # "Soyuz MS", "Progress M"...
    serial: Mapped[str | None] = mapped_column(String(20), nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")

    flights: Mapped[list[Flight]] = relationship(
        back_populates="vehicle", cascade="all, delete-orphan"
    )
    incidents: Mapped[list[Incident]] = relationship(
        back_populates="vehicle", cascade="all, delete-orphan"
    )


class Flight(Base):
    """One flight of a vehicle to the ISS (launch, first docking, port, undocking, end)."""

    __tablename__ = "flights"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    launch: Mapped[datetime] = mapped_column(DateTime)
    dock: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    port: Mapped[str | None] = mapped_column(String(40), nullable=True)
    port_text: Mapped[str] = mapped_column(Text, default="")
    undock: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    end: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    crewed: Mapped[bool] = mapped_column(Boolean, default=False)
    anomaly: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    #: ``undocked`` | ``docked`` (still docked as of `as_of`) | ``not_docked`` (never docked).
    status: Mapped[str] = mapped_column(String(20), default="undocked")
    as_of: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    vehicle: Mapped[Vehicle] = relationship(back_populates="flights")
    dockings: Mapped[list[Docking]] = relationship(
        back_populates="flight", cascade="all, delete-orphan", order_by="Docking.start"
    )


class Docking(Base):
    """One docked interval of a flight at one port (a relocation starts a new interval)."""

    __tablename__ = "dockings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id"), index=True)
    port: Mapped[str] = mapped_column(String(40))
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    date_quality: Mapped[str] = mapped_column(Text, default="")

    flight: Mapped[Flight] = relationship(back_populates="dockings")


class Incident(Base):
    """An in-flight anomaly: when, which vehicle and system, what was seen, what was found."""

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("key", name="uq_incident_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    time: Mapped[datetime] = mapped_column(DateTime)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    system: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    official_finding: Mapped[str] = mapped_column(String(40))  # impact | defect | unknown ...
    label: Mapped[str] = mapped_column(String(20))  # confirmed | single-source | UNVERIFIED
    source: Mapped[str] = mapped_column(Text)

    vehicle: Mapped[Vehicle] = relationship(back_populates="incidents")


class Analysis(Base):
    """A recorded breachkit analysis: its inputs, outputs and the breachkit version."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    created: Mapped[datetime] = mapped_column(DateTime)
    inputs: Mapped[dict[str, object]] = mapped_column(JSON)
    outputs: Mapped[dict[str, object]] = mapped_column(JSON)
    breachkit_version: Mapped[str] = mapped_column(String(20))


class ExposureCache(Base):
    """Expected radiator penetrations of one flight under one exposure model (keyed by hash)."""

    __tablename__ = "exposure_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    flight_id: Mapped[int] = mapped_column(ForeignKey("flights.id"), index=True)
    model: Mapped[str] = mapped_column(Text)
    mean: Mapped[float] = mapped_column(Float)
    lo: Mapped[float] = mapped_column(Float)
    hi: Mapped[float] = mapped_column(Float)
    created: Mapped[datetime] = mapped_column(DateTime)
