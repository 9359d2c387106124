"""Webhook subscriptions and the transactional outbox of their deliveries."""

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Text
from sqlmodel import Field, SQLModel

from parcelgraph.models.event import PositionType
from parcelgraph.models.types import JSONType, UTCDateTime, new_id, utcnow


class Webhook(SQLModel, table=True):
    """An endpoint that receives signed event envelopes.

    The secret is kept in the clear because every delivery must be signed with it; it is
    returned by the API only at creation and on rotation. During a rotation's grace period
    the previous secret signs alongside the new one.
    """

    __tablename__ = "webhooks"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE", index=True)
    url: str = Field(sa_type=Text)
    enabled_events: list[str] = Field(
        default_factory=lambda: ["*"], sa_column=Column(JSONType, nullable=False)
    )
    description: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="ACTIVE", sa_type=String(16))
    # Rows from before formats existed read LEGACY (what they were sent then); the use case
    # always names the format of a new webhook.
    format: str = Field(
        default="STANDARD", sa_type=String(16), sa_column_kwargs={"server_default": "LEGACY"}
    )
    secret: str = Field(sa_type=String(200))
    previous_secret: str | None = Field(default=None, sa_type=String(200))
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, sa_type=Text)
    consecutive_failures: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event (or test ping) owed to one webhook: the outbox row the worker drains.

    Written in the same transaction as its event. A worker claims it by moving it to
    IN_FLIGHT with a lease (`claimed_until`); a crashed worker's lease simply expires.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_webhook_created", "webhook_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    webhook_id: uuid.UUID = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    event_position: int | None = Field(
        default=None,
        sa_column=Column(
            PositionType, ForeignKey("events.position", ondelete="CASCADE"), nullable=True
        ),
    )
    event_id: uuid.UUID | None = Field(default=None)
    test_body: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="PENDING", sa_type=String(16))
    attempt_count: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, sa_type=String(100))
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, sa_type=Text)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """The record of one HTTP attempt of a delivery, for the delivery log."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_attempts_delivery", "delivery_id", "attempt_number"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    delivery_id: uuid.UUID = Field(foreign_key="webhook_deliveries.id", ondelete="CASCADE")
    attempt_number: int
    started_at: datetime = Field(sa_type=UTCDateTime)
    duration_ms: int | None = Field(default=None)
    status_code: int | None = Field(default=None)
    response_excerpt: str | None = Field(default=None, sa_type=Text)
    error: str | None = Field(default=None, sa_type=Text)
    succeeded: bool = Field(default=False)
