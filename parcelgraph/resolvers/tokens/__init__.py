"""Order tokens: issue a customer link for one order, revoke it, build its URLs.

A token is `auth.new_order_token_secret()` (256 random bits); only its SHA-256 is stored, so
the secret exists once, in the answer to `issue`, and can never be read back. The link a
merchant puts in an email is `{publicBaseUrl}/track/{slug}/{orderNumber}#token=…`; without
`#token=` the same address is the public, zip-code-protected lookup (no personal data).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.auth import digest, new_order_token_secret
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.models import Order, OrderToken, Shop
from parcelgraph.resolvers.common import revocation

MAX_DAYS = 365


@dataclass(frozen=True)
class IssuedToken:
    """A new token. `secret` exists only here; the table keeps its digest."""

    token: OrderToken
    order: Order
    secret: str
    tracking_url: str


def base_url(shop: Shop, default: str) -> str:
    """Where customer-facing links point: the shop's own base URL, else the server's."""
    return (shop.public_base_url or default).rstrip("/")


def public_tracking_url(shop: Shop, order_number: str, *, default_base: str) -> str:
    """The order's tracking page without a token: read-only, opened with the zip code."""
    slug = quote(shop.slug, safe="")
    return f"{base_url(shop, default_base)}/track/{slug}/{quote(order_number, safe='')}"


def token_tracking_url(shop: Shop, order_number: str, secret: str, *, default_base: str) -> str:
    """The tracking page acting as the order's customer (the token is URL-safe)."""
    # In the fragment: it never reaches a server (no access log) nor a Referer header.
    return f"{public_tracking_url(shop, order_number, default_base=default_base)}#token={secret}"


async def _order(
    session: AsyncSession, shop: Shop, order_id: uuid.UUID | None, order_number: str | None
) -> Order:
    if (order_id is None) == (order_number is None):
        raise Rejected.one("INVALID_INPUT", "Give exactly one of orderId and orderNumber.")
    stmt = select(Order).where(Order.shop_id == shop.id)
    if order_id is not None:
        stmt, where = stmt.where(Order.id == order_id), "orderId"
    else:
        stmt, where = stmt.where(Order.order_number == order_number), "orderNumber"
    order = (await session.exec(stmt)).first()
    if order is None:
        raise NotFound.one("ORDER_NOT_FOUND", "No such order in this shop.", where)
    return order


async def issue(
    session: AsyncSession,
    *,
    shop: Shop,
    order_id: uuid.UUID | None = None,
    order_number: str | None = None,
    expires_in_days: int,
    default_base_url: str,
    now: datetime,
) -> IssuedToken:
    """Issue a token for one order, valid `expires_in_days` (1..365); the caller commits."""
    issues: list[Issue] = []
    if not 1 <= expires_in_days <= MAX_DAYS:
        message = f"A token lives between 1 and {MAX_DAYS} days."
        issues.append(Issue("VALUE_OUT_OF_RANGE", message, ("expiresInDays",)))
    try:
        order = await _order(session, shop, order_id, order_number)
    except Rejected as rejected:
        raise Rejected([*rejected.issues, *issues]) from None
    if issues:
        raise Rejected(issues)
    secret = new_order_token_secret()
    token = OrderToken(
        shop_id=shop.id,
        order_id=order.id,
        token_hash=digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    session.add(token)
    await session.flush()
    url = token_tracking_url(shop, order.order_number, secret, default_base=default_base_url)
    return IssuedToken(token=token, order=order, secret=secret, tracking_url=url)


async def revoke(
    session: AsyncSession, *, shop: Shop, token_id: uuid.UUID, now: datetime
) -> OrderToken:
    """Revoke at once (every later request with it is refused); revoking twice keeps the
    first time. The caller commits."""
    stmt = select(OrderToken).where(OrderToken.id == token_id, OrderToken.shop_id == shop.id)
    token = (await session.exec(stmt)).first()
    if token is None:
        raise NotFound.one("TOKEN_NOT_FOUND", "No such order token in this shop.", "id")
    return await revocation.revoke(session, token, now)
