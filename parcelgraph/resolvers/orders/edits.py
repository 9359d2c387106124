"""Edits of an existing order: address and expected packages, cancel, a shipment's URL and
contents, attribution. Each loads the one order, changes it in memory, and writes rows and
one event per change in the caller's transaction."""

import uuid
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.order_state import has_tracking
from parcelgraph.models import Shipment, Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.common.fields import Url
from parcelgraph.resolvers.common.inputs import check, problems
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders.aggregate import FORWARD, OrderAggregate, Row
from parcelgraph.resolvers.orders.changes import set_analytics
from parcelgraph.resolvers.orders.inputs import (
    AddressInput,
    AnalyticsInput,
    ExpectedShipments,
    PackageItemInput,
    address_json,
)
from parcelgraph.resolvers.orders.txn import (
    UNSET,
    Call,
    OrderRef,
    OrderResult,
    commit_changes,
    load_one,
    once,
)

# Added to the data of events a customer caused through their order token.
_CUSTOMER = {"changed_by": "CUSTOMER"}


async def update(
    session: AsyncSession,
    *,
    shop: Shop,
    ref: OrderRef,
    address: AddressInput | None = None,
    expected_number_of_shipments: int | None = None,
    now: datetime,
    idempotency_key: str | None = None,
    by_customer: bool = False,
) -> OrderResult:
    """Change the address and/or the expected number of shipments (None: unchanged).

    The address can no longer change once a parcel has a tracking number: it travels to
    the address on its label. `by_customer` marks the recorded event with
    `changed_by: CUSTOMER`, so the merchant's systems can tell a customer's own change
    (through their order token) from their own.
    """
    expected = expected_number_of_shipments
    payload = {"ref": ref, "address": address, "expected": expected}

    async def work() -> OrderResult:
        issues = check(ExpectedShipments, expected, ("expectedNumberOfShipments",))
        if address is not None:
            issues += problems(address, ("address",))
        aggregate = await load_one(session, shop=shop, ref=ref)
        order_store.reject_if(issues + _update_refusals(aggregate, address, expected))
        fresh: set[uuid.UUID] = set()
        fields, events = _apply_update(aggregate, address, expected, now=now, fresh=fresh)
        extra = _CUSTOMER if by_customer else {}
        return await _save_fields(session, shop, aggregate, fields, events, fresh, now, extra=extra)

    call = Call("updateOrder", idempotency_key, payload)
    return await once(session, shop=shop, call=call, now=now, work=work)


def _update_refusals(
    aggregate: OrderAggregate, address: AddressInput | None, expected: int | None
) -> list[Issue]:
    """What the stored order refuses: fewer packages than shipped, a label's address."""
    issues: list[Issue] = []
    shipped = sum(
        1
        for s in aggregate.shipments
        if s["direction"] == FORWARD and s["tracking_number"] is not None
    )
    if expected is not None and 1 <= expected < shipped:
        message = f"{shipped} packages have shipped already; expect at least that many."
        issues.append(Issue("SHIPMENTS_ALREADY_FULFILLED", message, ("expectedNumberOfShipments",)))
    if aggregate.order["cancelled_at"] is not None:
        issues.append(Issue("ORDER_NOT_EDITABLE", "The order is cancelled.", ("id",)))
    elif address is not None and has_tracking(aggregate.package_facts()):
        message = "A parcel has shipped; the address is on its label."
        issues.append(Issue("ORDER_NOT_EDITABLE", message, ("address",)))
    return issues


def _apply_update(
    aggregate: OrderAggregate,
    address: AddressInput | None,
    expected: int | None,
    *,
    now: datetime,
    fresh: set[uuid.UUID],
) -> tuple[list[str], list[NewEvent]]:
    """Set what differs; the names of the changed fields and the events of removed drafts."""
    fields: list[str] = []
    events: list[NewEvent] = []
    if address is not None and aggregate.order["address"] != address_json(address):
        aggregate.order["address"] = address_json(address)
        fields.append("address")
    if expected is not None and expected != aggregate.order["expected_number_of_shipments"]:
        events += aggregate.set_expected(expected, now=now, fresh=fresh)
        fields.append("expected_number_of_shipments")
    return fields, events


async def _save_fields(
    session: AsyncSession,
    shop: Shop,
    aggregate: OrderAggregate,
    fields: list[str],
    events: list[NewEvent],
    fresh: set[uuid.UUID],
    now: datetime,
    action: str = "order_updated",
    extra: dict[str, str] | None = None,
) -> OrderResult:
    if not fields:
        return OrderResult(aggregate.to_order())
    events = aggregate.announce_drafts(fresh, now=now) + events
    events.append(
        order_events.note(
            order_id=aggregate.id,
            occurred_at=now,
            action=action,
            data={"fields": fields, **(extra or {})},
        )
    )
    aggregate.refresh_state()
    aggregate.order["updated_at"] = now
    aggregate.changes.order = True
    await commit_changes(session, shop=shop, aggregates=[aggregate], events=events, now=now)
    return OrderResult(aggregate.to_order())


async def cancel(
    session: AsyncSession,
    *,
    shop: Shop,
    ref: OrderRef,
    reason: str | None = None,
    now: datetime,
    idempotency_key: str | None = None,
    by_customer: bool = False,
) -> OrderResult:
    """Cancel an order while nothing has shipped; ORDER_CANCELLED on each draft.

    `by_customer` marks the events with `changed_by: CUSTOMER` (see `update`).
    """

    async def work() -> OrderResult:
        if reason is not None and len(reason) > 2000:
            raise Rejected.one("VALUE_TOO_LONG", "At most 2000 characters.", "reason")
        aggregate = await load_one(session, shop=shop, ref=ref)
        if aggregate.order["cancelled_at"] is not None:
            raise Rejected.one("ORDER_NOT_CANCELLABLE", "The order is cancelled already.", "id")
        if has_tracking(aggregate.package_facts()):
            message = "A shipment has a tracking number already."
            raise Rejected.one("ORDER_NOT_CANCELLABLE", message, "id")
        data = {**({"reason": reason} if reason else {}), **(_CUSTOMER if by_customer else {})}
        events = _cancel_drafts(aggregate, reason, data, now)
        await commit_changes(session, shop=shop, aggregates=[aggregate], events=events, now=now)
        return OrderResult(aggregate.to_order())

    call = Call("cancelOrder", idempotency_key, {"ref": ref, "reason": reason})
    return await once(session, shop=shop, call=call, now=now, work=work)


def _cancel_drafts(
    aggregate: OrderAggregate, reason: str | None, data: dict[str, str], now: datetime
) -> list[NewEvent]:
    """Mark the order cancelled; ORDER_CANCELLED for each of its (unshipped) drafts."""
    aggregate.order.update(cancelled_at=now, cancel_reason=reason, updated_at=now)
    events = [
        order_events.record(s, order_events.CANCELLED, occurred_at=now, data=dict(data))
        for s in aggregate.shipments
    ]
    for shipment in aggregate.shipments:
        aggregate.touch_shipment(shipment, now)
    aggregate.refresh_state()
    aggregate.changes.order = True
    return events


async def update_shipment(
    session: AsyncSession,
    *,
    shop: Shop,
    shipment_id: uuid.UUID,
    tracking_url: str | None = UNSET,
    products: list[PackageItemInput] | None = None,
    now: datetime,
    idempotency_key: str | None = None,
) -> OrderResult:
    """Change a shipment's tracking URL (None clears it) and/or replace its contents."""

    async def work() -> OrderResult:
        issues = [] if tracking_url is UNSET else check(Url, tracking_url, ("trackingUrl",))
        aggregate = await _load_by_shipment(session, shop=shop, shipment_id=shipment_id)
        shipment = aggregate.shipment(shipment_id)
        fields, content_issues = _change_shipment(aggregate, shipment, tracking_url, products)
        order_store.reject_if(issues + content_issues)
        if fields:
            await _save_shipment(session, shop, aggregate, shipment, fields, now)
        return OrderResult(aggregate.to_order(), shipment=aggregate.to_shipment(shipment_id))

    payload = {"id": shipment_id, "tracking_url": repr(tracking_url), "products": products}
    call = Call("updateShipment", idempotency_key, payload)
    return await once(session, shop=shop, call=call, now=now, work=work)


async def _load_by_shipment(
    session: AsyncSession, *, shop: Shop, shipment_id: uuid.UUID
) -> OrderAggregate:
    """The order the shop's shipment belongs to (SHIPMENT_NOT_FOUND when there is none)."""
    stmt = select(Shipment.order_id).where(Shipment.id == shipment_id, Shipment.shop_id == shop.id)
    order_id = (await session.exec(stmt)).first()
    if order_id is None:
        raise NotFound([Issue("SHIPMENT_NOT_FOUND", "No shipment with this id.", ("id",))])
    return await load_one(session, shop=shop, ref=OrderRef(str(order_id)))


async def _save_shipment(
    session: AsyncSession,
    shop: Shop,
    aggregate: OrderAggregate,
    shipment: Row,
    fields: list[str],
    now: datetime,
) -> None:
    aggregate.touch_shipment(shipment, now)
    aggregate.order["updated_at"] = now
    aggregate.changes.order = True
    event = order_events.note(
        order_id=aggregate.id,
        occurred_at=now,
        action="shipment_updated",
        shipment=shipment,
        data={"fields": fields},
    )
    await commit_changes(session, shop=shop, aggregates=[aggregate], events=[event], now=now)


def _change_shipment(
    aggregate: OrderAggregate,
    shipment: Row,
    tracking_url: str | None,
    products: list[PackageItemInput] | None,
) -> tuple[list[str], list[Issue]]:
    """Set the URL and contents that differ; the changed fields, or the contents' issues."""
    fields: list[str] = []
    if tracking_url is not UNSET and shipment["tracking_url"] != tracking_url:
        shipment["tracking_url"] = tracking_url
        fields.append("tracking_url")
    if products is None:
        return fields, []
    rows, issues = aggregate.plan_contents(shipment, products, ("products",))
    if not issues and aggregate.set_contents(shipment, rows):
        fields.append("products")
    return fields, issues


async def upsert_analytics(
    session: AsyncSession,
    *,
    shop: Shop,
    ref: OrderRef,
    analytics: AnalyticsInput,
    now: datetime,
    idempotency_key: str | None = None,
) -> OrderResult:
    """Attach or replace an order's attribution."""

    async def work() -> OrderResult:
        order_store.reject_if(problems(analytics, ("analytics",)))
        aggregate = await load_one(session, shop=shop, ref=ref, field="orderId")
        fields = set_analytics(aggregate, analytics, now=now)
        return await _save_fields(
            session, shop, aggregate, fields, [], set(), now, action="order_analytics_updated"
        )

    call = Call("upsertOrderAnalytics", idempotency_key, {"ref": ref, "analytics": analytics})
    return await once(session, shop=shop, call=call, now=now, work=work)
