"""Idempotency keys: the first result of a mutation, replayed for a retried request."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import JSONType, UTCDateTime, new_id, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """What a mutation answered for (shop, operation, key), and a hash of its input."""

    __tablename__ = "idempotency_records"
    __table_args__ = (
        UniqueConstraint("shop_id", "operation", "key", name="uq_idempotency_shop_op_key"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    operation: str = Field(sa_type=String(64))
    key: str = Field(sa_type=String(200))
    request_hash: str = Field(sa_type=String(64))
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
