"""Use cases for tenants and credentials: shops and API keys (CLI and admin API)."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import pycountry
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.auth import digest, new_api_key_secret
from parcelgraph.domain.enums import Role
from parcelgraph.domain.errors import Rejected
from parcelgraph.models import ApiKey, Shop
from parcelgraph.resolvers.common import revocation

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PLATFORM = "*"


class ShopExists(Rejected):
    """A shop with that slug already exists."""


async def create(
    session: AsyncSession,
    *,
    slug: str,
    name: str | None = None,
    currency: str = "EUR",
    language: str = "en",
    public_base_url: str | None = None,
    sandbox: bool = False,
    now: datetime,
) -> Shop:
    """Create a shop; the caller commits. A sandbox shop's parcels are simulated."""
    if not SLUG.match(slug):
        raise Rejected.one(
            "INVALID_INPUT", "Slug: lower-case letters, digits and dashes, 1-64.", "slug"
        )
    if pycountry.currencies.get(alpha_3=currency.upper()) is None:
        raise Rejected.one("CURRENCY_INVALID", f"{currency!r} is not ISO 4217.", "currency")
    shop = Shop(
        slug=slug,
        name=name or slug,
        currency=currency.upper(),
        language=language,
        public_base_url=public_base_url,
        sandbox=sandbox,
        created_at=now,
    )
    session.add(shop)
    try:
        await session.flush()
    except IntegrityError:
        raise ShopExists.one("INVALID_INPUT", f"A shop {slug!r} exists already.", "slug") from None
    return shop


async def get_by_slug(session: AsyncSession, *, slug: str) -> Shop | None:
    """The shop with that slug, or None."""
    return (await session.exec(select(Shop).where(Shop.slug == slug))).first()


@dataclass(frozen=True)
class IssuedKey:
    """A new API key. `secret` exists only here: it is stored as a digest."""

    key: ApiKey
    secret: str


async def create_api_key(
    session: AsyncSession, *, shop_slug: str, role: Role, name: str | None, now: datetime
) -> IssuedKey:
    """Issue a key for one shop, or for every shop when `shop_slug` is `*`; caller commits."""
    shop_id: uuid.UUID | None = None
    if shop_slug != PLATFORM:
        shop = await get_by_slug(session, slug=shop_slug)
        if shop is None:
            raise Rejected.one("NOT_FOUND", f"No shop {shop_slug!r}.", "shop")
        shop_id = shop.id
    secret = new_api_key_secret()
    key = ApiKey(
        shop_id=shop_id,
        name=name or (shop_slug if shop_slug != PLATFORM else "platform"),
        secret_hash=digest(secret),
        role=role.value,
        created_at=now,
    )
    session.add(key)
    await session.flush()
    return IssuedKey(key=key, secret=secret)


async def list_api_keys(session: AsyncSession, *, shop_slug: str | None = None) -> list[ApiKey]:
    """Keys of one shop (or all keys), oldest first; never their secrets."""
    stmt = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)  # type: ignore[arg-type]
    if shop_slug == PLATFORM:
        stmt = stmt.where(ApiKey.shop_id.is_(None))  # type: ignore[union-attr]
    elif shop_slug is not None:
        stmt = stmt.join(Shop, Shop.id == ApiKey.shop_id).where(Shop.slug == shop_slug)
    return list((await session.exec(stmt)).all())


async def revoke_api_key(session: AsyncSession, *, key_id: uuid.UUID, now: datetime) -> ApiKey:
    """Revoke a key at once; the caller commits. Revoking twice keeps the first time."""
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise Rejected.one("NOT_FOUND", "No API key with that id.", "id")
    return await revocation.revoke(session, key, now)
