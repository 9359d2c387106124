"""Tenancy tables: shops and the API keys that act on them."""

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import UTCDateTime, new_id, utcnow


class Shop(SQLModel, table=True):
    """A tenant. Every other row belongs to exactly one shop."""

    __tablename__ = "shops"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    slug: str = Field(sa_type=String(64), unique=True, index=True)
    name: str = Field(sa_type=String(200))
    currency: str = Field(default="EUR", sa_type=String(3))
    language: str = Field(default="en", sa_type=String(8))
    public_base_url: str | None = Field(default=None, sa_type=String(500))
    # A demo/sandbox shop: its parcels are simulated by the sandbox carrier, never polled
    # at a real carrier. Real shops never get simulated events.
    sandbox: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    """An HTTP Basic credential: the name is the username, the secret the password.

    Only a SHA-256 digest of the secret is stored. Secrets are 256-bit random strings, so a
    fast digest is as good as a slow KDF here, and it makes the lookup an index hit.
    `shop_id` NULL means a platform key valid for every shop (`*`).
    """

    __tablename__ = "api_keys"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID | None = Field(
        default=None, foreign_key="shops.id", ondelete="CASCADE", index=True
    )
    name: str = Field(sa_type=String(100))
    secret_hash: str = Field(sa_type=String(64), unique=True, index=True)
    role: str = Field(sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
