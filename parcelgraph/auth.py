"""Who is calling: API keys (HTTP Basic) and order tokens (Bearer) become principals.

A principal is resolved once per HTTP request or WebSocket connection, against the shop
named in the URL. The lookup is one SQL statement on the happy path; the slower path that
tells 401 from 403 runs only for refused credentials.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.models import ApiKey, OrderToken, Shop

# Opens a read session: `Database.reader` or a request's shared `RequestReads.session`.
Reader = Callable[[], AbstractAsyncContextManager[AsyncSession]]

API_KEY_PREFIX = "pgk_"
ORDER_TOKEN_PREFIX = "pgt_"  # noqa: S105 (a public prefix, not a secret)


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """A merchant integration acting through an API key with a role."""

    key_id: uuid.UUID
    name: str
    role: Role
    platform: bool  # a `*` key, valid for every shop


@dataclass(frozen=True)
class CustomerPrincipal:
    """A customer holding an order token: reaches exactly one order."""

    token_id: uuid.UUID
    order_id: uuid.UUID
    expires_at: datetime


@dataclass(frozen=True)
class AnonymousPrincipal:
    """No credentials at all: only the public, read-only lookups."""


Principal = ApiKeyPrincipal | CustomerPrincipal | AnonymousPrincipal


class AuthError(Exception):
    """Credentials refused. `status` is 401 (who are you?) or 403 (not here)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ShopNotFound(Exception):
    """A valid platform key named a shop that does not exist."""


def digest(secret: str) -> str:
    """The stored form of a key or token secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_key_secret() -> str:
    """A fresh API key (shown once)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_order_token_secret() -> str:
    """A fresh order token (shown once)."""
    return ORDER_TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Credentials:
    """What the caller presented, before any lookup."""

    kind: str  # "basic", "bearer" or "none"
    username: str = ""
    secret: str = ""


def parse_authorization(header: str | None) -> Credentials:
    """Parse an Authorization header value; raises AuthError(401) when malformed."""
    if not header or not header.strip():
        return Credentials("none")
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthError(401, "Malformed Basic credentials.") from None
        username, sep, password = decoded.partition(":")
        if not sep or not password:
            raise AuthError(401, "Malformed Basic credentials.")
        return Credentials("basic", username, password)
    if scheme == "bearer" and value:
        return Credentials("bearer", "", value)
    raise AuthError(401, "Unsupported or malformed Authorization header.")


# The lookups are built once, with bound parameters: building a statement per request costs
# more than running it (construction, then its cache key). Keys and tokens select only the
# columns a principal needs, so no hash or timestamp is converted for nothing.
_KEY_COLUMNS = (ApiKey.id, ApiKey.name, ApiKey.role, ApiKey.shop_id, ApiKey.revoked_at)
_SHOP_WITH_KEY = (
    select(Shop, *_KEY_COLUMNS)
    .join(
        ApiKey,
        and_(
            ApiKey.secret_hash == bindparam("hash"),
            or_(ApiKey.shop_id == Shop.id, ApiKey.shop_id.is_(None)),  # type: ignore[union-attr]
        ),
    )
    .where(Shop.slug == bindparam("slug"))
)
_KEY_BY_HASH = select(*_KEY_COLUMNS).where(ApiKey.secret_hash == bindparam("hash"))
_TOKEN_COLUMNS = (OrderToken.id, OrderToken.order_id, OrderToken.expires_at, OrderToken.revoked_at)
_SHOP_WITH_TOKEN = (
    select(Shop, *_TOKEN_COLUMNS)
    .join(OrderToken, OrderToken.shop_id == Shop.id)
    .where(Shop.slug == bindparam("slug"), OrderToken.token_hash == bindparam("hash"))
)
_SHOP = select(Shop).where(Shop.slug == bindparam("slug"))
# Two columns, so a row comes back (one column would come back bare: None for "not revoked"
# and for "no such key" alike).
_KEY_VALIDITY = select(ApiKey.id, ApiKey.revoked_at).where(ApiKey.id == bindparam("id"))
_TOKEN_VALIDITY = select(OrderToken.revoked_at, OrderToken.expires_at).where(
    OrderToken.id == bindparam("id")
)


async def authenticate(
    db: Database,
    slug: str,
    credentials: Credentials,
    now: datetime,
    *,
    reader: Reader | None = None,
) -> tuple[Shop | None, Principal]:
    """Resolve the shop named by `slug` and the principal for `credentials`.

    Raises AuthError: 401 for missing-but-required, wrong, expired or revoked credentials,
    403 for a valid key used on another shop's URL. The shop's existence is revealed only to
    platform keys (ShopNotFound); everyone else gets the same answers either way.
    `reader` opens the read session (an HTTP request passes its shared one, so the key
    check costs no connection of its own); by default a short session of `db`.
    Every call reads the database: a key revoked by another process is refused at once.
    """
    reader = reader or db.reader
    if credentials.kind == "basic":
        return await _by_api_key(reader, slug, credentials)
    if credentials.kind == "bearer":
        return await _by_order_token(reader, slug, credentials.secret, now)
    async with reader() as session:
        shop = (await session.exec(_SHOP, params={"slug": slug})).first()
    return shop, AnonymousPrincipal()


async def _by_api_key(
    reader: Reader, slug: str, credentials: Credentials
) -> tuple[Shop | None, Principal]:
    hashed = digest(credentials.secret)
    async with reader() as session:
        row = (await session.exec(_SHOP_WITH_KEY, params={"slug": slug, "hash": hashed})).first()
        if row is None:
            key = (await session.exec(_KEY_BY_HASH, params={"hash": hashed})).first()
    if row is not None:
        shop, *columns = row
        return shop, _checked_key(KeyColumns(*columns), credentials.username)
    # Refused path: tell a good key on the wrong URL (403) from a bad key (401).
    if key is None:
        raise AuthError(401, "Invalid API key.")
    _checked_key(KeyColumns(*key), credentials.username)
    if key.shop_id is None:
        raise ShopNotFound(slug)
    raise AuthError(403, "This API key is not valid for this shop.")


class KeyColumns(NamedTuple):
    """The columns of an API key that a lookup reads (`_KEY_COLUMNS`, in that order)."""

    id: uuid.UUID
    name: str
    role: str
    shop_id: uuid.UUID | None
    revoked_at: datetime | None


def _checked_key(key: KeyColumns, username: str) -> ApiKeyPrincipal:
    # The hash already matched; the name is compared in constant time all the same.
    if not hmac.compare_digest(key.name.encode(), username.encode()):
        raise AuthError(401, "Invalid API key.")
    if key.revoked_at is not None:
        raise AuthError(401, "Invalid API key.")
    return ApiKeyPrincipal(
        key_id=key.id, name=key.name, role=Role(key.role), platform=key.shop_id is None
    )


async def _by_order_token(
    reader: Reader, slug: str, secret: str, now: datetime
) -> tuple[Shop | None, Principal]:
    async with reader() as session:
        params = {"slug": slug, "hash": digest(secret)}
        row = (await session.exec(_SHOP_WITH_TOKEN, params=params)).first()
    if row is None:
        raise AuthError(401, "Invalid order token.")
    shop, token_id, order_id, expires_at, revoked_at = row
    if revoked_at is not None or expires_at <= now:
        raise AuthError(401, "This order token has expired or was revoked.")
    return shop, CustomerPrincipal(token_id=token_id, order_id=order_id, expires_at=expires_at)


async def still_valid(db: Database, principal: Principal, now: datetime) -> bool:
    """Re-check a long-lived principal (a WebSocket's) against revocation and expiry."""
    async with db.reader() as session:
        if isinstance(principal, ApiKeyPrincipal):
            key = (await session.exec(_KEY_VALIDITY, params={"id": principal.key_id})).first()
            return key is not None and key.revoked_at is None
        if isinstance(principal, CustomerPrincipal):
            params = {"id": principal.token_id}
            token = (await session.exec(_TOKEN_VALIDITY, params=params)).first()
            return token is not None and token.revoked_at is None and token.expires_at > now
    return True
