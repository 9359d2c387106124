"""Reading a shop's orders back out in the shape `upsertOrder` takes, a page at a time.

Each exported order is one `UpsertOrderInput` object (camelCase, by order number): the
order with its address, products (bundles with their parts), discounts and analytics, and
one tracking per fulfilled package with the package's contents. Importing such a file into
an empty shop recreates what the upsert can express; event history, claims, tokens and a
cancellation are not part of that shape and are not exported.

A page costs six statements whatever its size (orders, line items, discounts, analytics,
shipments, package contents); pages follow the order id, so a running import into the same
shop does not make the export skip or repeat an order.
"""

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from decimal import Decimal
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Discount, LineItem, Order, OrderAnalytics, Shipment, ShipmentItem

_ORDER_FIELDS = (
    "order_number", "order_name", "external_id", "order_placed_at", "email", "currency",
    "total_order_price", "sub_total_price", "shipping_price", "discount_price", "weight",
    "segments", "user_agent", "expected_number_of_shipments", "address",
)  # fmt: skip
_PRODUCT_FIELDS = ("title", "sku", "quantity", "price", "size", "weight", "images", "type")
_ANALYTICS_FIELDS = (
    "source", "campaign", "medium", "landing_url", "landing_path", "referrer", "captured_at",
    "extras",  # last: kept as stored (see _order)
)  # fmt: skip
_TRACKING_FIELDS = (
    "tracking_number", "tracking_url", "tracking_placed_at", "carrier_reference",
    "tracking_company", "external_shipment_id", "direction",
)  # fmt: skip


async def count(session: AsyncSession, *, shop_id: uuid.UUID) -> int:
    """How many orders the shop has (for a progress bar's total)."""
    statement = select(func.count()).select_from(Order).where(Order.shop_id == shop_id)
    return int((await session.exec(statement)).one()[0])


async def pages(
    session: AsyncSession, *, shop_id: uuid.UUID, page_size: int = 500
) -> AsyncIterator[list[dict[str, Any]]]:
    """Every order of the shop as upsert objects, `page_size` orders per yielded list."""
    after: uuid.UUID | None = None
    while True:
        statement = select(Order).where(Order.shop_id == shop_id)
        if after is not None:
            statement = statement.where(Order.id > after)
        orders = list((await session.scalars(statement.order_by(Order.id).limit(page_size))).all())
        if not orders:
            return
        yield await _upserts(session, orders)
        after = orders[-1].id


async def _upserts(session: AsyncSession, orders: list[Order]) -> list[dict[str, Any]]:
    ids = [order.id for order in orders]
    items = await _grouped(session, LineItem.order_id, ids, order_by=LineItem.position)
    discounts = await _grouped(session, Discount.order_id, ids, order_by=Discount.position)
    analytics = {
        row.order_id: row
        for row in await session.scalars(
            select(OrderAnalytics).where(OrderAnalytics.order_id.in_(ids))
        )
    }
    shipments = await _grouped(
        session, Shipment.order_id, ids, order_by=Shipment.position,
        where=Shipment.tracking_number.is_not(None),
    )  # fmt: skip
    shipment_ids = [shipment.id for group in shipments.values() for shipment in group]
    contents = await _grouped(session, ShipmentItem.shipment_id, shipment_ids)
    return [
        {
            "id": order.order_number,
            "order": _order(order, items[order.id], discounts[order.id], analytics),
            "trackings": [_camel(_tracking(s, contents[s.id])) for s in shipments[order.id]],
        }
        for order in orders
    ]


async def _grouped(
    session: AsyncSession,
    key: Any,
    ids: list[uuid.UUID],
    *,
    order_by: Any = None,
    where: Any = None,
) -> defaultdict[uuid.UUID, list[Any]]:
    """Rows of `key`'s table whose `key` is one of `ids`, grouped by it (one statement)."""
    groups: defaultdict[uuid.UUID, list[Any]] = defaultdict(list)
    if not ids:
        return groups
    statement = select(key.class_).where(key.in_(ids))
    if where is not None:
        statement = statement.where(where)
    statement = statement.order_by(key, *(() if order_by is None else (order_by,)))
    for row in await session.scalars(statement):
        groups[getattr(row, key.key)].append(row)
    return groups


def _order(
    order: Order,
    items: list[LineItem],
    discounts: list[Discount],
    analytics: dict[uuid.UUID, OrderAnalytics],
) -> dict[str, Any]:
    body = _camel(_pick(order, _ORDER_FIELDS))
    body["products"] = _camel(_products(items))
    body["discounts"] = _camel([_pick(d, ("code", "amount", "type")) for d in discounts])
    if order.id in analytics:
        row = analytics[order.id]
        # `extras` holds the merchant's own keys: they are data, not API names to convert
        body["orderAnalytics"] = _camel(_pick(row, _ANALYTICS_FIELDS[:-1])) | {"extras": row.extras}
    return body


def _products(items: list[LineItem]) -> list[dict[str, Any]]:
    parts: defaultdict[uuid.UUID, list[LineItem]] = defaultdict(list)
    for item in items:
        if item.parent_id is not None:
            parts[item.parent_id].append(item)
    return [
        _product(item, [_product(part, []) for part in parts[item.id]])
        for item in items
        if item.parent_id is None
    ]


def _product(item: LineItem, bundled: list[dict[str, Any]]) -> dict[str, Any]:
    body = _pick(item, _PRODUCT_FIELDS)
    body["tax_lines"] = item.tax_lines
    if bundled:
        body["bundled_products"] = bundled
    return body


def _tracking(shipment: Shipment, contents: Iterable[ShipmentItem]) -> dict[str, Any]:
    body = _pick(shipment, _TRACKING_FIELDS)
    items = [{"sku": c.sku, "quantity": c.quantity} for c in contents if c.sku is not None]
    if items:
        body["products"] = items
    return body


def _pick(row: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named attributes that hold a value (an upsert leaves out what it does not set)."""
    picked = {name: getattr(row, name) for name in names}
    return {name: value for name, value in picked.items() if value is not None}


def _camel(value: Any) -> Any:
    """Keys to the API's camelCase names, values to JSON (money as exact decimal strings)."""
    if isinstance(value, dict):
        return {to_camel(key): _camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel(item) for item in value]
    if isinstance(value, Decimal):
        # stored with four places; cents are how a merchant wrote them (12.50, not 12.5000)
        return f"{value:.2f}" if value == round(value, 2) else str(value.normalize())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
