"""Claims (damaged, missing, not received, return) and the items they concern."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, String, Text, text
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import JSONType, Money, UTCDateTime, new_id, utcnow

_OPEN = text("status IN ('PENDING', 'ACCEPTED')")


class Claim(SQLModel, table=True):
    """A problem reported on one shipment of an order.

    The partial unique index allows one open claim per (shipment, reason): the database,
    not a race-prone check, stops a double-clicked form from filing twice.
    """

    __tablename__ = "claims"
    __table_args__ = (
        Index(
            "uq_claims_open_per_reason",
            "shipment_id",
            "reason",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
        Index("ix_claims_shop_created", "shop_id", "created_at", "id"),
        Index("ix_claims_order", "order_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE")
    shipment_id: uuid.UUID = Field(foreign_key="shipments.id", ondelete="CASCADE", index=True)
    reason: str = Field(sa_type=String(32))
    status: str = Field(default="PENDING", sa_type=String(16))
    resolution_preference: str | None = Field(default=None, sa_type=String(16))
    description: str | None = Field(default=None, sa_type=Text)
    image_urls: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    optional_image_urls: list[str] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    customer_signature_image_url: str | None = Field(default=None, sa_type=Text)
    dropoff_permission: bool | None = Field(default=None)
    created_by: str = Field(default="MERCHANT", sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClaimItem(SQLModel, table=True):
    """One product (and how many units) a claim is about."""

    __tablename__ = "claim_items"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    claim_id: uuid.UUID = Field(foreign_key="claims.id", ondelete="CASCADE", index=True)
    line_item_id: uuid.UUID | None = Field(
        default=None, foreign_key="line_items.id", ondelete="SET NULL"
    )
    sku: str = Field(sa_type=String(200))
    title: str = Field(sa_type=String(500))
    quantity: int
    net_price: Decimal | None = Field(default=None, sa_type=Money)
    image_urls: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
