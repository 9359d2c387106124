"""The append-only event log, and the webhook envelope built once per event."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import JSONType, UTCDateTime, new_id, utcnow

# SQLite only autoincrements a column declared exactly INTEGER PRIMARY KEY.
PositionType = BigInteger().with_variant(Integer(), "sqlite")


class Event(SQLModel, table=True):
    """One normalized event of a shipment or a claim.

    `position` is the global, monotonically increasing cursor (subscribers and webhook
    receivers resume after it); `sequence` is gap-free per order. Writers append events with
    the order row locked, so positions become visible in commit order.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("order_id", "sequence", name="uq_events_order_sequence"),
        UniqueConstraint("shipment_id", "external_id", name="uq_events_shipment_external_id"),
        Index("ix_events_shop_position", "shop_id", "position"),
        Index("ix_events_order_position", "order_id", "position"),
        Index("ix_events_shipment_occurred", "shipment_id", "occurred_at"),
        Index("ix_events_claim", "claim_id"),
        # AUTOINCREMENT: positions are never reused, even after the newest event is deleted.
        {"sqlite_autoincrement": True},
    )

    position: int | None = Field(default=None, sa_type=PositionType, primary_key=True)
    id: uuid.UUID = Field(default_factory=new_id, unique=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE")
    shipment_id: uuid.UUID | None = Field(
        default=None, foreign_key="shipments.id", ondelete="CASCADE"
    )
    claim_id: uuid.UUID | None = Field(default=None, foreign_key="claims.id", ondelete="CASCADE")
    sequence: int
    source: str = Field(sa_type=String(16))
    ref: str = Field(sa_type=String(200))
    phase: str | None = Field(default=None, sa_type=String(32))
    event_name: str = Field(sa_type=String(100))
    event_group: str = Field(sa_type=String(100))
    direction: str | None = Field(default=None, sa_type=String(32))
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    external_id: str | None = Field(default=None, sa_type=String(200))
    location: str | None = Field(default=None, sa_type=String(300))
    message: str | None = Field(default=None, sa_type=Text)
    raw_code: str | None = Field(default=None, sa_type=String(100))
    # Made up by the sandbox carrier, not reported by a real one (demo shops, sandbox
    # trackings, and the scans older versions invented for real parcels).
    simulated: bool = Field(default=False)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))


class EventEnvelope(SQLModel, table=True):
    """The serialized webhook body of an event, written once when any webhook wants it.

    Every delivery of the event (and every redelivery) sends exactly these bytes, so the
    payload is a snapshot of the moment the event happened and is built once, not per webhook.
    """

    __tablename__ = "event_envelopes"

    event_position: int = Field(
        sa_column=Column(
            PositionType, ForeignKey("events.position", ondelete="CASCADE"), primary_key=True
        )
    )
    body: str = Field(sa_type=Text)
