"""Batched reads of only the columns a compiled read plan needs.

The GraphQL layer compiles hot read documents (`schema/orders/compiled_*.py`) into these
statements: the same keys, filters and ORDER BY as the read graph's fetchers (so rows
come back in the same order), but only the columns the document selects, as plain rows
instead of ORM objects. Statements are built once per column set and cached: building
one per call costs its construction and leaves a reference cycle per call.
"""

import uuid
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Event, LineItem, Order, Shipment, ShipmentItem
from parcelgraph.resolvers.common import paging


@lru_cache(maxsize=64)
def _order_by_number(columns: tuple[str, ...], scoped: bool) -> Any:
    stmt = select(*(getattr(Order, c) for c in columns)).where(
        Order.shop_id == bindparam("shop_id"),
        Order.order_number == bindparam("number"),
    )
    if scoped:  # a customer's token reaches only its own order
        stmt = stmt.where(Order.id == bindparam("only_order_id"))
    return stmt


async def order_by_number(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    order_number: str,
    only_order_id: uuid.UUID | None,
    columns: tuple[str, ...],
) -> Any | None:
    """The shop's order with this number (restricted like `orders.find`), or None."""
    params: dict[str, Any] = {"shop_id": shop_id, "number": order_number}
    if only_order_id is not None:
        params["only_order_id"] = only_order_id
    stmt = _order_by_number(columns, only_order_id is not None)
    return (await session.exec(stmt, params=params)).first()


async def order_page(
    session: AsyncSession,
    listed: Select[Any],
    sort: paging.Sort,
    args: paging.PageArgs,
    *,
    columns: tuple[str, ...],
    max_page_size: int,
) -> paging.Page:
    """One page of the orders `listed` selects (as `paging.fetch_page` reads it for the
    connection: same WHERE, order, cursors and flags), with only `columns` of each row.

    `columns` must hold the sort's keys (the cursors are made of them) and at least two
    columns (rows, not scalars)."""
    narrowed = select(*(getattr(Order, c) for c in columns)).where(listed.whereclause)  # type: ignore[arg-type]
    return await paging.fetch_page(session, narrowed, sort, args, max_page_size=max_page_size)


@lru_cache(maxsize=64)
def _shipments(columns: tuple[str, ...]) -> Any:
    return (
        select(*(getattr(Shipment, c) for c in columns))
        .where(Shipment.order_id.in_(bindparam("keys", expanding=True)))  # type: ignore[attr-defined]
        .order_by(Shipment.order_id, Shipment.position, Shipment.created_at, Shipment.id)
    )


async def shipments_of(
    session: AsyncSession, order_ids: Sequence[uuid.UUID], columns: tuple[str, ...]
) -> list[Any]:
    """Every shipment of the orders, in package order (as `shipments_by_order_id`)."""
    return list((await session.exec(_shipments(columns), params={"keys": list(order_ids)})).all())


@lru_cache(maxsize=64)
def _events(columns: tuple[str, ...]) -> Any:
    return (
        select(*(getattr(Event, c) for c in columns))
        .where(Event.shipment_id.in_(bindparam("keys", expanding=True)))  # type: ignore[union-attr]
        .order_by(Event.shipment_id, Event.occurred_at, Event.position)
    )


async def events_of(
    session: AsyncSession, shipment_ids: Sequence[uuid.UUID], columns: tuple[str, ...]
) -> list[Any]:
    """Every event of the shipments, oldest first (as `events_by_shipment_id`)."""
    return list((await session.exec(_events(columns), params={"keys": list(shipment_ids)})).all())


# What each package holds: the rows `products_by_order_id` pairs with a shipment item, in
# its order (order, line item position, shipment), without the unpaired line items.
_SHIPMENT_CONTENTS = (
    select(
        ShipmentItem.shipment_id,
        ShipmentItem.sku,
        LineItem.sku,
        LineItem.title,
        ShipmentItem.quantity,
    )
    .join(LineItem, LineItem.id == ShipmentItem.line_item_id)  # type: ignore[arg-type]
    .where(LineItem.order_id.in_(bindparam("keys", expanding=True)))  # type: ignore[attr-defined]
    .order_by(LineItem.order_id, LineItem.position, ShipmentItem.shipment_id)  # type: ignore[arg-type]
)


async def shipment_contents_of(session: AsyncSession, order_ids: Sequence[uuid.UUID]) -> list[Any]:
    """(shipment_id, item sku, line sku, title, quantity) of every package of the orders."""
    rows = await session.exec(_SHIPMENT_CONTENTS, params={"keys": list(order_ids)})
    return list(rows.all())
