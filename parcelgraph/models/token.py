"""Order tokens: customer credentials bound to exactly one order."""

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import UTCDateTime, new_id, utcnow


class OrderToken(SQLModel, table=True):
    """A high-entropy secret acting as one order's customer. Only its SHA-256 is stored."""

    __tablename__ = "order_tokens"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID = Field(foreign_key="shops.id", ondelete="CASCADE")
    order_id: uuid.UUID = Field(foreign_key="orders.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(sa_type=String(64), unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
