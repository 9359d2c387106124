"""The anonymous order lookup: order number plus delivery zip code, read-only.

A wrong zip code and an unknown order number give the same answer (None), so the lookup
cannot be used to learn which order numbers exist. Zip codes are compared after removing
spaces and dashes and ignoring case ("10 115" = "10115", "sw1a 1aa" = "SW1A1AA").
"""

import hmac
import re

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Order, Shop

_IGNORED = re.compile(r"[\s-]+")


def normalize_zip(value: str | None) -> str:
    """The comparable form of a zip code ('' when absent)."""
    return _IGNORED.sub("", value or "").upper()


def zip_matches(order: Order, zip_code: str) -> bool:
    """True when `zip_code` is the order's delivery zip code (constant-time comparison)."""
    stored = normalize_zip((order.address or {}).get("zip_code"))
    given = normalize_zip(zip_code)
    return bool(stored) and hmac.compare_digest(stored.encode(), given.encode())


async def find(
    session: AsyncSession, *, shop: Shop, order_number: str, zip_code: str
) -> Order | None:
    """The shop's order with that number and delivery zip code, else None (either way)."""
    stmt = select(Order).where(Order.shop_id == shop.id, Order.order_number == order_number)
    order = (await session.exec(stmt)).first()
    if order is None or not zip_matches(order, zip_code):
        return None
    return order
