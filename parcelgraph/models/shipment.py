"""Shipments (draft "expected packages" and fulfilled parcels) and what each one holds."""

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import UTCDateTime, new_id, utcnow


class Shipment(SQLModel, table=True):
    """One package of an order. A draft has no tracking number yet.

    `phase` and the lifecycle flags are a cache of the fold over the shipment's events,
    rewritten in the same transaction as every event append.
    """

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("order_id", "tracking_number", name="uq_shipments_order_tracking"),
        Index("ix_shipments_order", "order_id", "position"),
        Index("ix_shipments_shop_tracking", "shop_id", "tracking_number"),
        Index("ix_shipments_shop_phase", "shop_id", "phase"),
        Index("ix_shipments_shop_carrier", "shop_id", "carrier_reference"),
        Index("ix_shipments_shop_created", "shop_id", "created_at", "id"),
        Index("ix_shipments_next_check", "next_check_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE")
    position: int = Field(default=1, description="1-based: 'package n of m'")
    tracking_number: str | None = Field(default=None, sa_type=String(100))
    tracking_url: str | None = Field(default=None, sa_type=Text)
    tracking_placed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    tracking_company: str | None = Field(default=None, sa_type=String(200))
    carrier_reference: str | None = Field(default=None, sa_type=String(32))
    carrier_confidence: float | None = Field(default=None)
    carrier_reason: str | None = Field(default=None, sa_type=Text)
    external_shipment_id: str | None = Field(default=None, sa_type=String(200))
    direction: str = Field(default="MERCHANT_CUSTOMER", sa_type=String(32))
    phase: str = Field(default="order_created", sa_type=String(32))
    delayed: bool = Field(default=False)
    damaged: bool = Field(default=False)
    failed_attempts: int = Field(default=0)
    last_event_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    estimated_arrival_earliest: datetime | None = Field(default=None, sa_type=UTCDateTime)
    estimated_arrival_latest: datetime | None = Field(default=None, sa_type=UTCDateTime)
    estimated_arrival_source: str | None = Field(default=None, sa_type=String(32))
    # The carrier schedule: NULL `next_check_at` means not polled (draft, not configured,
    # stopped); the poller claims rows whose time has come through the index.
    tracking_state: str | None = Field(default=None, sa_type=String(32))
    tracking_error: str | None = Field(default=None, sa_type=Text)
    last_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    poll_failures: int = Field(default=0)
    not_found_count: int = Field(default=0)
    # Digest of the carrier's last answer: an unchanged history skips the recording path.
    tracking_digest: str | None = Field(default=None, sa_type=String(64))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ShipmentItem(SQLModel, table=True):
    """How many units of an order's line item travel in this shipment."""

    __tablename__ = "shipment_items"
    __table_args__ = (
        UniqueConstraint("shipment_id", "line_item_id", name="uq_shipment_items_line"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shipment_id: uuid.UUID = Field(foreign_key="shipments.id", ondelete="CASCADE", index=True)
    line_item_id: uuid.UUID = Field(foreign_key="line_items.id", ondelete="CASCADE", index=True)
    sku: str | None = Field(default=None, sa_type=String(200))
    quantity: int = Field(default=1)
