"""Fetchers of orders and what hangs off them: products, discounts, attribution."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Discount, LineItem, Order, OrderAnalytics, ShipmentItem
from parcelgraph.resolvers.common.loaders import aligned, fetcher, grouped


@fetcher("order_by_id")
async def order_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Orders by id (keys come from already-scoped parents)."""
    rows = (await session.exec(select(Order).where(Order.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


@fetcher("line_items_by_order_id")
async def line_items_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every line item of each order (bundle parts included), in input order."""
    return await _in_position(session, LineItem, keys)


async def _in_position(session: AsyncSession, model: Any, keys: Sequence[Any]) -> list[Any]:
    """The rows of `model` (an order's numbered parts) of each order, in input order."""
    stmt = select(model).where(model.order_id.in_(keys)).order_by(model.order_id, model.position)
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("line_item_by_id")
async def line_item_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Line items by id."""
    rows = (await session.exec(select(LineItem).where(LineItem.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


@dataclass
class OrderProducts:
    """An order's line items, and which of them (how many units) each shipment holds."""

    line_items: list[LineItem] = field(default_factory=list)
    by_shipment: dict[uuid.UUID, list[tuple[ShipmentItem, LineItem]]] = field(default_factory=dict)

    def parts_of(self, line_item_id: uuid.UUID) -> list[LineItem]:
        """The bundled products of a BUNDLE line item."""
        return [li for li in self.line_items if li.parent_id == line_item_id]


# Built once (see resolvers/events/shipment_fetchers.py: no per-call construction or cycle).
_PRODUCTS_BY_ORDER_ID = (
    select(LineItem, ShipmentItem)
    .outerjoin(ShipmentItem, ShipmentItem.line_item_id == LineItem.id)  # type: ignore[arg-type]
    .where(LineItem.order_id.in_(bindparam("keys", expanding=True)))  # type: ignore[attr-defined]
    .order_by(LineItem.order_id, LineItem.position, ShipmentItem.shipment_id)  # type: ignore[arg-type]
)


@fetcher("products_by_order_id")
async def products_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Each order's products with the per-shipment contents, in ONE statement.

    The tracking page shows both the order's products and what each package holds; reading
    line items LEFT JOIN shipment items at once serves both, so that page stays within four
    statements (order, shipments, products, events).
    """
    found: dict[Any, OrderProducts] = {k: OrderProducts() for k in keys}
    seen: set[uuid.UUID] = set()
    for line, item in (
        await session.exec(_PRODUCTS_BY_ORDER_ID, params={"keys": list(keys)})
    ).all():
        products = found[line.order_id]
        if line.id not in seen:
            seen.add(line.id)
            products.line_items.append(line)
        if item is not None:
            products.by_shipment.setdefault(item.shipment_id, []).append((item, line))
    return [found[k] for k in keys]


@fetcher("discounts_by_order_id")
async def discounts_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Discounts of each order, in input order."""
    return await _in_position(session, Discount, keys)


@fetcher("analytics_by_order_id")
async def analytics_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Attribution of each order, or None."""
    stmt = select(OrderAnalytics).where(OrderAnalytics.order_id.in_(keys))  # type: ignore[attr-defined]
    return aligned(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)
