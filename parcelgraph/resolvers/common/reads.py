"""Scoped reads by id or key: the one place that decides which rows a caller may see by id.

Every lookup is filtered by the caller's shop, and for a customer (order token) by their
one order, so an id from another tenant or another order resolves to nothing — never to
the row, never to an error that reveals it exists.
"""

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim, Event, LineItem, Order, Shipment, Webhook, WebhookDelivery

M = TypeVar("M", bound=SQLModel)

# How each model reaches its shop and its order.
_SCOPE: dict[type, tuple[str | None, str]] = {
    Order: ("shop_id", "id"),
    Shipment: ("shop_id", "order_id"),
    Event: ("shop_id", "order_id"),
    Claim: ("shop_id", "order_id"),
    LineItem: (None, "order_id"),
    # No order: a customer's order id never equals their id, so customers see none.
    Webhook: ("shop_id", "id"),
    WebhookDelivery: ("shop_id", "id"),
}


def parse_uuid(value: str) -> uuid.UUID | None:
    """A UUID from text, or None when it is not one."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None


async def by_ids(
    session: AsyncSession,
    model: type[M],
    ids: Sequence[Any],
    *,
    shop_id: uuid.UUID,
    order_id: uuid.UUID | None = None,
    key: str = "id",
) -> list[M | None]:
    """Rows of `model` for `ids` (aligned, None where missing or out of scope)."""
    parsed = [parse_uuid(i) if not isinstance(i, (uuid.UUID, int)) else i for i in ids]
    wanted = [p for p in parsed if p is not None]
    if not wanted:
        return [None] * len(ids)
    shop_column, order_column = _SCOPE[model]
    column = getattr(model, key)
    stmt = select(model).where(column.in_(wanted))
    if shop_column is not None:
        stmt = stmt.where(getattr(model, shop_column) == shop_id)
    else:
        stmt = stmt.join(Order, Order.id == getattr(model, order_column)).where(
            Order.shop_id == shop_id
        )
    if order_id is not None:
        stmt = stmt.where(getattr(model, order_column) == order_id)
    rows = {getattr(r, key): r for r in (await session.exec(stmt)).all()}
    return [rows.get(p) if p is not None else None for p in parsed]


async def first_by_key(
    session: AsyncSession,
    model: type[M],
    keys: Sequence[tuple[Any, Any]],
    *,
    shop_id: uuid.UUID,
    order_id: uuid.UUID | None = None,
    newest_first: bool = False,
) -> M | None:
    """The shop's row of `model` found by the first of `keys` (column, value) given a value;
    None when no key is given or nothing matches.

    Lookups take one of several keys (an id, an order number, a tracking number), tried in
    the order listed. `order_id` keeps the answer within one order (a customer's token):
    any other row is missing, never forbidden. `newest_first` picks the newest row where a
    key is not unique (carriers recycle tracking numbers).
    """
    given = [(column, value) for column, value in keys if value is not None]
    if not given:
        return None
    column, value = given[0]
    stmt = select(model).where(model.shop_id == shop_id, column == value)  # type: ignore[attr-defined]
    if order_id is not None:
        stmt = stmt.where(getattr(model, _SCOPE[model][1]) == order_id)
    if newest_first:
        stmt = stmt.order_by(model.created_at.desc(), model.id.desc()).limit(1)  # type: ignore[attr-defined]
    return (await session.exec(stmt)).first()
