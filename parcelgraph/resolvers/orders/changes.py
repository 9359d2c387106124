"""In-memory changes to an order's own fields and rows: a new order with its products,
discounts, attribution and drafts; the fields an update gives, with one note event."""

import uuid
from datetime import datetime
from typing import Any

from parcelgraph.domain.enums import ProductType
from parcelgraph.models import Discount, LineItem, Order, OrderAnalytics, Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders.aggregate import (
    OrderAggregate,
    Row,
    new_row,
)
from parcelgraph.resolvers.orders.inputs import (
    MONEY_FIELDS,
    AnalyticsInput,
    DiscountInput,
    OrderInput,
    ProductInput,
    address_json,
    money,
    product_json,
)

# Order columns copied as given when the input sets them.
PLAIN_FIELDS = (
    "order_number",
    "order_name",
    "external_id",
    "order_placed_at",
    "email",
    "total_order_price",
    "sub_total_price",
    "shipping_price",
    "discount_price",
    "weight",
    "user_agent",
)


def _plain(order: OrderInput, name: str) -> Any:
    value = getattr(order, name)
    return money(value) if name in MONEY_FIELDS and value is not None else value


def new_aggregate(order: OrderInput, *, shop: Shop, now: datetime) -> OrderAggregate:
    """A new order with its products, discounts, attribution and draft shipments."""
    row = new_row(
        Order,
        shop_id=shop.id,
        order_number=order.order_number,
        currency=shop.currency,
        order_placed_at=order.order_placed_at or now,
        expected_number_of_shipments=order.expected_number_of_shipments or 1,
        segments=list(order.segments or []),
        created_at=now,
        updated_at=now,
    )
    for name in PLAIN_FIELDS:
        if getattr(order, name) is not None:
            row[name] = _plain(order, name)
    row["address"] = address_json(order.address) if order.address else None
    aggregate = OrderAggregate(order=row, is_new=True)
    aggregate.line_items = line_item_rows(aggregate.id, order.products or [])
    aggregate.discounts = discount_rows(aggregate.id, order.discounts or [])
    if order.order_analytics is not None:
        aggregate.analytics = analytics_row(aggregate, order.order_analytics, now=now)
    for _ in range(row["expected_number_of_shipments"]):
        aggregate.new_shipment(now=now)
    return aggregate


def line_item_rows(order_id: uuid.UUID, products: list[ProductInput]) -> list[Row]:
    """Line item rows, each bundle directly followed by its parts (parents insert first)."""
    rows: list[Row] = []

    def add(product: ProductInput, parent_id: uuid.UUID | None) -> uuid.UUID:
        row = new_row(
            LineItem,
            order_id=order_id,
            parent_id=parent_id,
            position=len(rows),
            sku=product.sku,
            title=product.title,
            quantity=product.quantity,
            price=money(product.price),
            size=product.size,
            weight=product.weight,
            type=ProductType(product.type).value,
            **product_json(product),
        )
        rows.append(row)
        return row["id"]  # type: ignore[no-any-return]

    for product in products:
        parent = add(product, None)
        for part in product.bundled_products:
            add(part, parent)
    return rows


def discount_rows(order_id: uuid.UUID, discounts: list[DiscountInput]) -> list[Row]:
    """Discount rows in input order."""
    return [
        new_row(
            Discount,
            order_id=order_id,
            position=i,
            code=d.code,
            amount=money(d.amount),
            type=d.type,
        )
        for i, d in enumerate(discounts)
    ]


def analytics_row(aggregate: OrderAggregate, data: AnalyticsInput, *, now: datetime) -> Row:
    """The attribution row of an order (replaces any previous one)."""
    return new_row(
        OrderAnalytics,
        order_id=aggregate.id,
        shop_id=aggregate.order["shop_id"],
        source=data.source,
        campaign=data.campaign,
        medium=data.medium,
        landing_url=data.landing_url,
        landing_path=data.landing_path,
        referrer=data.referrer,
        captured_at=data.captured_at,
        extras=dict(data.extras),
        updated_at=now,
    )


def update_fields(
    aggregate: OrderAggregate, order: OrderInput, *, now: datetime, fresh: set[uuid.UUID]
) -> list[NewEvent]:
    """Apply the fields an update gives; one note event naming what changed, if anything."""
    changed = _set_columns(aggregate.order, order) + _set_parts(aggregate, order, now=now)
    events: list[NewEvent] = []
    expected = order.expected_number_of_shipments
    if expected is not None and expected != aggregate.order["expected_number_of_shipments"]:
        events += aggregate.set_expected(expected, now=now, fresh=fresh)
        changed.append("expected_number_of_shipments")
    if changed:
        events.append(
            order_events.note(
                order_id=aggregate.id,
                occurred_at=now,
                action="order_updated",
                data={"fields": changed},
            )
        )
    return events


def _set_columns(row: Row, order: OrderInput) -> list[str]:
    """The order row's own columns an update gives; the names of those that changed."""
    changed: list[str] = []
    for name in PLAIN_FIELDS:
        value = _plain(order, name)
        if value is not None and row[name] != value:
            row[name] = value
            changed.append(name)
    if order.segments is not None and row["segments"] != list(order.segments):
        row["segments"] = list(order.segments)
        changed.append("segments")
    if order.address is not None and row["address"] != address_json(order.address):
        row["address"] = address_json(order.address)
        changed.append("address")
    return changed


def _set_parts(aggregate: OrderAggregate, order: OrderInput, *, now: datetime) -> list[str]:
    """Products, discounts and attribution an update gives; the names of those that changed."""
    changed: list[str] = []
    if order.products is not None:
        changed += replace_products(aggregate, order.products)
    if order.discounts is not None:
        rows = discount_rows(aggregate.id, order.discounts)
        if _strip_ids(rows) != _strip_ids(aggregate.discounts):
            aggregate.discounts, aggregate.changes.discounts = rows, True
            changed.append("discounts")
    if order.order_analytics is not None:
        changed += set_analytics(aggregate, order.order_analytics, now=now)
    return changed


def _strip_ids(rows: list[Row]) -> list[Row]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


def set_analytics(aggregate: OrderAggregate, data: AnalyticsInput, *, now: datetime) -> list[str]:
    """Replace the order's attribution; ["order_analytics"] when it changed."""
    row = analytics_row(aggregate, data, now=now)
    old = aggregate.analytics
    if old is not None and {**old, "updated_at": now} == row:
        return []
    aggregate.analytics, aggregate.changes.analytics = row, True
    return ["order_analytics"]


def replace_products(aggregate: OrderAggregate, products: list[ProductInput]) -> list[str]:
    """New line items; package contents follow their skus (unknown ones drop out)."""
    rows = line_item_rows(aggregate.id, products)
    if _strip_ids(rows) == _strip_ids(aggregate.line_items):
        return []
    by_sku: dict[Any, Row] = {}
    for line in rows:
        by_sku.setdefault(line["sku"], line)
    for shipment_id, items in aggregate.contents.items():
        remapped = []
        for item in items:
            line = by_sku.get(item["sku"]) if item["sku"] is not None else None
            if line is not None:
                remapped.append({**item, "id": uuid.uuid4(), "line_item_id": line["id"]})
        aggregate.contents[shipment_id] = remapped
        aggregate.changes.contents.add(shipment_id)
    aggregate.line_items, aggregate.changes.products = rows, True
    return ["products"]
