"""One upsert applied in memory to a batch's working set: create or update, then trackings.

`apply_upsert` never touches the database. It validates the whole item, applies it to a
copy of the order's aggregate, and returns the copy with the events to record, or raises
`Rejected` with every issue found (the working set is then unchanged). Single upserts,
placements and bulk calls all run through it, so they behave the same.
"""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parcelgraph.domain.enums import OrderIdType, OrderState, ProductType
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import Discount, LineItem, Order, OrderAnalytics, Shop
from parcelgraph.resolvers import order_events, trackings
from parcelgraph.resolvers.event_log import NewEvent
from parcelgraph.resolvers.order_input import (
    MONEY_FIELDS,
    AnalyticsInput,
    DiscountInput,
    OrderInput,
    ProductInput,
    UpsertInput,
    address_json,
    money,
    product_json,
    validate_new_order,
    validate_order,
    validate_tracking,
)
from parcelgraph.resolvers.order_store import (
    OrderAggregate,
    Row,
    WorkingSet,
    new_row,
    parse_uuid,
)

# Order columns copied as given when the input sets them.
_PLAIN_FIELDS = (
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


@dataclass
class Applied:
    """The outcome of one item: the changed aggregate, its events, and what happened."""

    aggregate: OrderAggregate
    events: list[NewEvent]
    created: bool = False
    duplicate: bool = False


def lookups(item: UpsertInput) -> list[tuple[str, str]]:
    """Every identifier an item may hit, so one SELECT loads all a batch needs."""
    keys = [(item.id_type, item.id)]
    if item.order is not None:
        if item.order.order_number:
            keys.append((OrderIdType.ORDER_NUMBER.value, item.order.order_number))
        if item.order.external_id:
            keys.append((OrderIdType.EXTERNAL_ID.value, item.order.external_id))
    return keys


def _with_identity(item: UpsertInput) -> OrderInput | None:
    """The order input with the field named by `id_type` defaulted from `id`."""
    if item.order is None:
        return None
    order = copy.copy(item.order)
    name = {
        "ORDER_NUMBER": "order_number",
        "EXTERNAL_ID": "external_id",
        "ORDER_NAME": "order_name",
    }.get(item.id_type)
    if name is not None and getattr(order, name) is None:
        setattr(order, name, item.id)
    return order


def _identity_issues(
    ws: WorkingSet, item: UpsertInput, order: OrderInput, target: uuid.UUID | None
) -> list[Issue]:
    issues: list[Issue] = []
    if item.id_type == OrderIdType.ORDER_NUMBER.value and order.order_number != item.id:
        issues.append(
            Issue(
                "INVALID_INPUT",
                "orderNumber must equal id when idType is ORDER_NUMBER.",
                ("order", "orderNumber"),
            )
        )
    for id_type, value, code, name in (
        ("ORDER_NUMBER", order.order_number, "INVALID_INPUT", "orderNumber"),
        ("EXTERNAL_ID", order.external_id, "DUPLICATE_EXTERNAL_ID", "externalId"),
    ):
        other = ws.find(id_type, value) if value else None
        if other is not None and other.id != target:
            issues.append(
                Issue(code, f"Another order of this shop has that {name}.", ("order", name))
            )
    return issues


def apply_upsert(
    ws: WorkingSet, item: UpsertInput, *, shop: Shop, now: datetime, place_only: bool = False
) -> Applied:
    """Apply one upsert (or placement) to a copy of its order; raise Rejected on any issue."""
    if not item.id.strip():
        raise Rejected.one("REQUIRED", "An id is required.", "id")
    if item.id_type == OrderIdType.UUID.value and parse_uuid(item.id) is None:
        raise Rejected.one("INVALID_ID", f"{item.id!r} is not an order UUID.", "id")
    order_in = _with_identity(item)
    issues: list[Issue] = []
    if order_in is not None:
        issues += validate_order(order_in, shop_currency=shop.currency, prefix=("order",))
    issues += [
        i for n, t in enumerate(item.trackings) for i in validate_tracking(t, ("trackings", n))
    ]
    existing = ws.find(item.id_type, item.id)
    if existing is None and (order_in is None or item.id_type == OrderIdType.UUID.value):
        raise Rejected([Issue("ORDER_NOT_FOUND", "No order matches this id.", ("id",)), *issues])
    if existing is not None and place_only:
        if issues:
            raise Rejected(issues)
        return Applied(existing, [], duplicate=True)
    if order_in is not None:
        issues += _identity_issues(ws, item, order_in, existing.id if existing else None)
    if existing is None:
        assert order_in is not None
        issues += validate_new_order(order_in, prefix=("order",))
        if issues:
            raise Rejected(issues)
        aggregate = new_aggregate(order_in, shop=shop, now=now)
        fresh = {s["id"] for s in aggregate.shipments}
    else:
        if existing.order["state"] == OrderState.CANCELLED.value:
            issues.append(Issue("ORDER_NOT_EDITABLE", "The order is cancelled.", ("id",)))
        if issues:
            raise Rejected(issues)
        aggregate, fresh = existing.copy(), set()
    return _finish(aggregate, item, order_in, fresh, created=existing is None, now=now)


def _finish(
    aggregate: OrderAggregate,
    item: UpsertInput,
    order_in: OrderInput | None,
    fresh: set[uuid.UUID],
    *,
    created: bool,
    now: datetime,
) -> Applied:
    before = copy.deepcopy(aggregate.order)
    events: list[NewEvent] = []
    if order_in is not None and not created:
        events += update_fields(aggregate, order_in, now=now, fresh=fresh)
    issues, tracking_events = trackings.attach(aggregate, item.trackings, now=now, fresh=fresh)
    if issues:
        raise Rejected(issues)
    events = announce_drafts(aggregate, fresh, now=now) + events + tracking_events
    aggregate.refresh_state()
    if created or events or before != aggregate.order:
        aggregate.order["updated_at"] = now
        aggregate.changes.order = True
    return Applied(aggregate, events, created=created)


def announce_drafts(
    aggregate: OrderAggregate, fresh: set[uuid.UUID], *, now: datetime
) -> list[NewEvent]:
    """ORDER_CREATED for each draft made in this call that no tracking filled."""
    events = []
    for shipment in aggregate.shipments:
        if shipment["id"] in fresh and shipment["tracking_number"] is None:
            events.append(
                order_events.record(shipment, order_events.PLACED, occurred_at=now, new=True)
            )
    fresh.clear()
    return events


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
    for name in _PLAIN_FIELDS:
        if getattr(order, name) is not None:
            row[name] = _plain(order, name)
    row["address"] = address_json(order.address) if order.address else None
    aggregate = OrderAggregate(order=row, is_new=True)
    aggregate.line_items = line_item_rows(aggregate.id, order.products or [])
    aggregate.discounts = discount_rows(aggregate.id, order.discounts or [])
    if order.order_analytics is not None:
        aggregate.analytics = analytics_row(aggregate, order.order_analytics, now=now)
    for _ in range(row["expected_number_of_shipments"]):
        trackings.new_shipment(aggregate, now=now)
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
    changed: list[str] = []
    row = aggregate.order
    for name in _PLAIN_FIELDS:
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
    if order.products is not None:
        changed += replace_products(aggregate, order.products)
    if order.discounts is not None:
        rows = discount_rows(aggregate.id, order.discounts)
        if _strip_ids(rows) != _strip_ids(aggregate.discounts):
            aggregate.discounts, aggregate.changes.discounts = rows, True
            changed.append("discounts")
    if order.order_analytics is not None:
        changed += set_analytics(aggregate, order.order_analytics, now=now)
    events: list[NewEvent] = []
    expected = order.expected_number_of_shipments
    if expected is not None and expected != row["expected_number_of_shipments"]:
        events += set_expected(aggregate, expected, now=now, fresh=fresh)
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


def set_expected(
    aggregate: OrderAggregate, expected: int, *, now: datetime, fresh: set[uuid.UUID]
) -> list[NewEvent]:
    """Add drafts up to `expected` shipments, or remove surplus drafts (newest first)."""
    aggregate.order["expected_number_of_shipments"] = expected
    forward = [s for s in aggregate.shipments if s["direction"] == trackings.FORWARD]
    events: list[NewEvent] = []
    for _ in range(expected - len(forward)):
        fresh.add(trackings.new_shipment(aggregate, now=now)["id"])
    drafts = [s for s in forward if s["tracking_number"] is None]
    surplus = max(0, len(forward) - expected)
    for draft in sorted(drafts, key=lambda s: s["position"], reverse=True)[:surplus]:
        aggregate.shipments.remove(draft)
        aggregate.contents.pop(draft["id"], None)
        aggregate.changes.contents.discard(draft["id"])
        if draft["id"] in aggregate.changes.new_shipments:
            aggregate.changes.new_shipments.discard(draft["id"])
        else:
            aggregate.changes.shipments.discard(draft["id"])
            aggregate.changes.removed_shipments.add(draft["id"])
        events.append(
            order_events.note(
                order_id=aggregate.id,
                occurred_at=now,
                action="expected_shipment_removed",
                data={"shipment_id": str(draft["id"]), "position": draft["position"]},
            )
        )
    return events
