"""Carrier API credentials, per shop or for the whole platform, encrypted at rest."""

import uuid
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from parcelgraph.models.types import UTCDateTime, new_id, utcnow

PLATFORM_SCOPE = "*"


class CarrierCredential(SQLModel, table=True):
    """One account at one carrier API (`adapter`), for one shop or the platform default.

    `scope` is the shop's id, or `*` for the platform default (NULL shop_id), so one unique
    constraint covers both. `secret` is a Fernet token of the JSON fields; `hint` (the last
    characters of the secret) is all that is ever shown.
    """

    __tablename__ = "carrier_credentials"
    __table_args__ = (UniqueConstraint("scope", "adapter", name="uq_carrier_credentials_scope"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    shop_id: uuid.UUID | None = Field(
        default=None, foreign_key="shops.id", ondelete="CASCADE", index=True
    )
    scope: str = Field(sa_type=String(36))
    adapter: str = Field(sa_type=String(32))
    secret: str = Field(sa_type=Text)
    hint: str = Field(default="", sa_type=String(16))
    fields: str = Field(default="", sa_type=String(100))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
