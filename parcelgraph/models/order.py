"""The order aggregate: orders, their line items, discounts and attribution."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import JSONType, Money, UTCDateTime, new_id, utcnow


class Order(SQLModel, table=True):
    """A customer's order in one shop.

    `state` is derived from the shipments and rewritten in the same
    transaction as every shipment change, so filters can use it without recomputing.
    `event_sequence` is the last per-order event sequence handed out; incrementing it under
    the order's row lock is what makes sequences gap-free.
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("shop_id", "order_number", name="uq_orders_shop_number"),
        UniqueConstraint("shop_id", "external_id", name="uq_orders_shop_external_id"),
        Index("ix_orders_shop_name", "shop_id", "order_name"),
        Index("ix_orders_shop_email", "shop_id", "email"),
        Index("ix_orders_shop_placed", "shop_id", "order_placed_at", "id"),
        Index("ix_orders_shop_updated", "shop_id", "updated_at", "id"),
        Index("ix_orders_shop_state", "shop_id", "state"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    order_number: str = Field(sa_type=String(100))
    order_name: str | None = Field(default=None, sa_type=String(100))
    external_id: str | None = Field(default=None, sa_type=String(200))
    order_placed_at: datetime = Field(sa_type=UTCDateTime)
    email: str | None = Field(default=None, sa_type=String(320))
    currency: str = Field(sa_type=String(3))
    total_order_price: Decimal = Field(default=Decimal(0), sa_type=Money)
    sub_total_price: Decimal = Field(default=Decimal(0), sa_type=Money)
    shipping_price: Decimal = Field(default=Decimal(0), sa_type=Money)
    discount_price: Decimal = Field(default=Decimal(0), sa_type=Money)
    weight: int | None = Field(default=None, description="grams")
    segments: list[str] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    user_agent: str | None = Field(default=None, sa_type=Text)
    expected_number_of_shipments: int = Field(default=1)
    address: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONType))
    state: str = Field(default="PLACED", sa_type=String(32))
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: str | None = Field(default=None, sa_type=Text)
    event_sequence: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LineItem(SQLModel, table=True):
    """A product on an order. A BUNDLE's parts point at it through `parent_id` (one level)."""

    __tablename__ = "line_items"
    __table_args__ = (Index("ix_line_items_order", "order_id", "position"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE")
    parent_id: uuid.UUID | None = Field(
        default=None, foreign_key="line_items.id", ondelete="CASCADE"
    )
    position: int = Field(default=0)
    sku: str | None = Field(default=None, sa_type=String(200))
    title: str = Field(sa_type=String(500))
    quantity: int = Field(default=1)
    price: Decimal = Field(default=Decimal(0), sa_type=Money)
    size: str | None = Field(default=None, sa_type=String(100))
    weight: int | None = Field(default=None)
    images: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    tax_lines: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONType, nullable=False)
    )
    type: str = Field(default="PRODUCT", sa_type=String(16))


class Discount(SQLModel, table=True):
    """A discount code applied to an order."""

    __tablename__ = "discounts"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE", index=True)
    position: int = Field(default=0)
    code: str = Field(sa_type=String(200))
    amount: Decimal = Field(default=Decimal(0), sa_type=Money)
    type: str | None = Field(default=None, sa_type=String(50))


class OrderAnalytics(SQLModel, table=True):
    """Attribution for an order; columns so analytics can GROUP BY them in SQL."""

    __tablename__ = "order_analytics"
    __table_args__ = (Index("ix_order_analytics_shop_source", "shop_id", "source", "campaign"),)

    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE", primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    source: str | None = Field(default=None, sa_type=String(200))
    campaign: str | None = Field(default=None, sa_type=String(200))
    medium: str | None = Field(default=None, sa_type=String(200))
    landing_url: str | None = Field(default=None, sa_type=Text)
    landing_path: str | None = Field(default=None, sa_type=Text)
    referrer: str | None = Field(default=None, sa_type=Text)
    captured_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    extras: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
