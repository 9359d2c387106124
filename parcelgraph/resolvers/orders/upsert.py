"""Upserting an order, from the API's call down to the written rows, in reading order.

`upsert` and `place` hold the shop's write lock and run once per idempotency key; each loads
the orders its item names (`store.load`), applies the item in memory (`apply_upsert`), and
writes the changed aggregate with its events (`txn.commit_changes`). `apply_upsert` never
touches the database: it validates the whole item, applies it to a copy of the order's
aggregate (new order or field changes, then trackings, then the derived state), and
returns the copy with the events to record, or raises `Rejected` with every issue found (the
working set is then unchanged). Bulk calls (`bulk`) run through it too, so they behave the
same.
"""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import OrderIdType, OrderState
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.common.inputs import problems
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders import trackings
from parcelgraph.resolvers.orders.aggregate import OrderAggregate
from parcelgraph.resolvers.orders.changes import new_aggregate, update_fields
from parcelgraph.resolvers.orders.inputs import OrderInput, UpsertInput
from parcelgraph.resolvers.orders.rules import validate_new_order, validate_order
from parcelgraph.resolvers.orders.store import WorkingSet, parse_uuid
from parcelgraph.resolvers.orders.txn import (
    DEFAULT_ARRIVAL,
    Call,
    OrderResult,
    commit_changes,
    once,
)


@dataclass
class Applied:
    """The outcome of one item: the changed aggregate, its events, and what happened."""

    aggregate: OrderAggregate
    events: list[NewEvent]
    created: bool = False
    duplicate: bool = False


async def upsert(
    session: AsyncSession,
    *,
    shop: Shop,
    input: UpsertInput,
    now: datetime,
    idempotency_key: str | None = None,
    arrival: ArrivalPolicy = DEFAULT_ARRIVAL,
) -> OrderResult:
    """Create or update the order named by `input.id`/`id_type` and attach its trackings.

    `arrival` is the ETA policy for shipments fulfilled here (the configured one).
    """
    call = Call("upsertOrder", idempotency_key, input)
    return await _apply_one(session, shop, input, call, now=now, place_only=False, arrival=arrival)


async def place(
    session: AsyncSession,
    *,
    shop: Shop,
    order: OrderInput,
    now: datetime,
    idempotency_key: str | None = None,
    arrival: ArrivalPolicy = DEFAULT_ARRIVAL,
) -> OrderResult:
    """Create an order; an existing order number changes nothing (`duplicate=True`)."""
    if not order.order_number or not order.order_number.strip():
        raise Rejected.one("REQUIRED", "An order number is required.", "order", "orderNumber")
    item = UpsertInput(id=order.order_number, order=order)
    call = Call("placeOrder", idempotency_key, order)
    return await _apply_one(session, shop, item, call, now=now, place_only=True, arrival=arrival)


async def _apply_one(
    session: AsyncSession,
    shop: Shop,
    item: UpsertInput,
    call: Call,
    *,
    now: datetime,
    place_only: bool,
    arrival: ArrivalPolicy,
) -> OrderResult:
    """Load what the item names, apply it, write the changes: once per idempotency key."""

    async def work() -> OrderResult:
        ws = await order_store.load(session, shop_id=shop.id, lookups=lookups(item))
        applied = apply_upsert(ws, item, shop=shop, now=now, place_only=place_only)
        if not applied.duplicate:
            aggregates, events = [applied.aggregate], applied.events
            await commit_changes(
                session, shop=shop, aggregates=aggregates, events=events, now=now, arrival=arrival
            )
        return OrderResult(applied.aggregate.to_order(), duplicate=applied.duplicate)

    return await once(session, shop=shop, call=call, now=now, work=work)


def lookups(item: UpsertInput) -> list[tuple[str, str]]:
    """Every identifier an item may hit, so one SELECT loads all a batch needs."""
    keys = [(item.id_type, item.id)]
    if item.order is not None:
        if item.order.order_number:
            keys.append((OrderIdType.ORDER_NUMBER.value, item.order.order_number))
        if item.order.external_id:
            keys.append((OrderIdType.EXTERNAL_ID.value, item.order.external_id))
    return keys


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
    issues += [i for n, t in enumerate(item.trackings) for i in problems(t, ("trackings", n))]
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
    events = aggregate.announce_drafts(fresh, now=now) + events + tracking_events
    aggregate.refresh_state()
    if created or events or before != aggregate.order:
        aggregate.order["updated_at"] = now
        aggregate.changes.order = True
    return Applied(aggregate, events, created=created)
