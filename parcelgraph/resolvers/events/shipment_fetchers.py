"""Fetchers of shipments and their contents."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import LineItem, Shipment, ShipmentItem
from parcelgraph.resolvers.common.loaders import aligned, fetcher, grouped


@fetcher("shipment_by_id")
async def shipment_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Shipments by id."""
    rows = (await session.exec(select(Shipment).where(Shipment.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


# Built once: a statement built per call costs its construction and, through SQLAlchemy's
# cloned IN parameters, leaves a reference cycle per call for the garbage collector.
_SHIPMENTS_BY_ORDER_ID = (
    select(Shipment)
    .where(Shipment.order_id.in_(bindparam("keys", expanding=True)))  # type: ignore[attr-defined]
    .order_by(Shipment.order_id, Shipment.position, Shipment.created_at, Shipment.id)
)


@fetcher("shipments_by_order_id")
async def shipments_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every shipment of each order, drafts included, in package order."""
    rows = (await session.exec(_SHIPMENTS_BY_ORDER_ID, params={"keys": list(keys)})).all()
    return grouped(keys, rows, lambda r: r.order_id)


@fetcher("shipment_items_by_shipment_id")
async def shipment_items_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """What each shipment holds, as (ShipmentItem, LineItem) pairs.

    The read graph uses `products_by_order_id` instead (it shares a statement with the
    order's products); this one serves callers that start from shipments alone.
    """
    stmt = (
        select(ShipmentItem, LineItem)
        .join(LineItem, LineItem.id == ShipmentItem.line_item_id)  # type: ignore[arg-type]
        .where(ShipmentItem.shipment_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(ShipmentItem.shipment_id, LineItem.position)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r[0].shipment_id)
