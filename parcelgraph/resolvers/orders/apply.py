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

from parcelgraph.domain.enums import OrderIdType, OrderState
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import trackings
from parcelgraph.resolvers.orders.aggregate import OrderAggregate, WorkingSet
from parcelgraph.resolvers.orders.changes import announce_drafts, new_aggregate, update_fields
from parcelgraph.resolvers.orders.inputs import (
    OrderInput,
    UpsertInput,
)
from parcelgraph.resolvers.orders.rules import validate_new_order, validate_order, validate_tracking
from parcelgraph.resolvers.orders.store import parse_uuid


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
