"""Edits of an existing order: address and expected packages, cancel, a shipment's URL and
contents, attribution. Each loads the one order, changes it in memory, and writes rows and
one event per change in the caller's transaction."""

import uuid
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import validation
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.order_state import PackageFacts, has_tracking
from parcelgraph.models import Shipment, Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.orders import events as order_events
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders.aggregate import (
    FORWARD,
    OrderAggregate,
    announce_drafts,
    plan_contents,
    set_contents,
    set_expected,
)
from parcelgraph.resolvers.orders.changes import set_analytics
from parcelgraph.resolvers.orders.inputs import (
    AddressInput,
    AnalyticsInput,
    PackageItemInput,
    address_json,
)
from parcelgraph.resolvers.orders.rules import (
    validate_address,
    validate_analytics,
    validate_expected,
)
from parcelgraph.resolvers.orders.txn import (
    UNSET,
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

    async def work() -> OrderResult:
        issues = validate_expected(expected_number_of_shipments, ("expectedNumberOfShipments",))
        if address is not None:
            issues += validate_address(address, ("address",))
        aggregate = await load_one(session, shop=shop, ref=ref)
        facts = [PackageFacts(s["tracking_number"], s["direction"]) for s in aggregate.shipments]
        shipped = sum(
            1
            for s in aggregate.shipments
            if s["direction"] == FORWARD and s["tracking_number"] is not None
        )
        if expected_number_of_shipments is not None and 1 <= expected_number_of_shipments < shipped:
            issues.append(
                Issue(
                    "SHIPMENTS_ALREADY_FULFILLED",
                    f"{shipped} packages have shipped already; expect at least that many.",
                    ("expectedNumberOfShipments",),
                )
            )
        if aggregate.order["cancelled_at"] is not None:
            issues.append(Issue("ORDER_NOT_EDITABLE", "The order is cancelled.", ("id",)))
        elif address is not None and has_tracking(facts):
            issues.append(
                Issue(
                    "ORDER_NOT_EDITABLE",
                    "A parcel has shipped; the address is on its label.",
                    ("address",),
                )
            )
        order_store.reject_if(issues)
        fields: list[str] = []
        events: list[NewEvent] = []
        fresh: set[uuid.UUID] = set()
        if address is not None and aggregate.order["address"] != address_json(address):
            aggregate.order["address"] = address_json(address)
            fields.append("address")
        expected = expected_number_of_shipments
        if expected is not None and expected != aggregate.order["expected_number_of_shipments"]:
            events += set_expected(aggregate, expected, now=now, fresh=fresh)
            fields.append("expected_number_of_shipments")
        extra = _CUSTOMER if by_customer else {}
        return await _save_fields(session, shop, aggregate, fields, events, fresh, now, extra=extra)

    payload = {"ref": ref, "address": address, "expected": expected_number_of_shipments}
    return await once(
        session,
        shop=shop,
        operation="updateOrder",
        key=idempotency_key,
        payload=payload,
        now=now,
        work=work,
    )


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
    events = announce_drafts(aggregate, fresh, now=now) + events
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
        facts = [PackageFacts(s["tracking_number"], s["direction"]) for s in aggregate.shipments]
        if aggregate.order["cancelled_at"] is not None:
            raise Rejected.one("ORDER_NOT_CANCELLABLE", "The order is cancelled already.", "id")
        if has_tracking(facts):
            raise Rejected.one(
                "ORDER_NOT_CANCELLABLE", "A shipment has a tracking number already.", "id"
            )
        aggregate.order.update(cancelled_at=now, cancel_reason=reason, updated_at=now)
        events = [
            order_events.record(
                s,
                order_events.CANCELLED,
                occurred_at=now,
                data={
                    **({"reason": reason} if reason else {}),
                    **(_CUSTOMER if by_customer else {}),
                },
            )
            for s in aggregate.shipments
        ]
        for shipment in aggregate.shipments:
            aggregate.touch_shipment(shipment, now)
        aggregate.refresh_state()
        aggregate.changes.order = True
        await commit_changes(session, shop=shop, aggregates=[aggregate], events=events, now=now)
        return OrderResult(aggregate.to_order())

    payload = {"ref": ref, "reason": reason}
    return await once(
        session,
        shop=shop,
        operation="cancelOrder",
        key=idempotency_key,
        payload=payload,
        now=now,
        work=work,
    )


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
        issues: list[Issue] = []
        if tracking_url is not UNSET:
            problems = validation.validate_http_url(tracking_url, ("trackingUrl",))
            issues += [Issue(p.code, p.message, p.field) for p in problems]
        stmt = select(Shipment.order_id).where(
            Shipment.id == shipment_id, Shipment.shop_id == shop.id
        )
        order_id = (await session.exec(stmt)).first()
        if order_id is None:
            raise NotFound([Issue("SHIPMENT_NOT_FOUND", "No shipment with this id.", ("id",))])
        aggregate = await load_one(session, shop=shop, ref=OrderRef(str(order_id)))
        shipment = aggregate.shipment(shipment_id)
        fields: list[str] = []
        if tracking_url is not UNSET and shipment["tracking_url"] != tracking_url:
            shipment["tracking_url"] = tracking_url
            fields.append("tracking_url")
        if products is not None:
            rows, content_issues = plan_contents(aggregate, shipment, products, ("products",))
            issues += content_issues
            if not content_issues and set_contents(aggregate, shipment, rows):
                fields.append("products")
        order_store.reject_if(issues)
        if not fields:
            return OrderResult(aggregate.to_order(), shipment=aggregate.to_shipment(shipment_id))
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
        return OrderResult(aggregate.to_order(), shipment=aggregate.to_shipment(shipment_id))

    payload = {"id": shipment_id, "tracking_url": repr(tracking_url), "products": products}
    return await once(
        session,
        shop=shop,
        operation="updateShipment",
        key=idempotency_key,
        payload=payload,
        now=now,
        work=work,
    )


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
        order_store.reject_if(validate_analytics(analytics, ("analytics",)))
        aggregate = await load_one(session, shop=shop, ref=ref, field="orderId")
        fields = set_analytics(aggregate, analytics, now=now)
        return await _save_fields(
            session, shop, aggregate, fields, [], set(), now, action="order_analytics_updated"
        )

    payload = {"ref": ref, "analytics": analytics}
    return await once(
        session,
        shop=shop,
        operation="upsertOrderAnalytics",
        key=idempotency_key,
        payload=payload,
        now=now,
        work=work,
    )
