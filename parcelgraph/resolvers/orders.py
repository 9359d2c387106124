"""Order use cases: upsert, place, update, cancel, update a shipment, attribution.

Each takes the write session of one transaction, holds the shop's write lock, loads what it
needs in a fixed number of SELECTs, changes the order in memory (order_apply, trackings),
then writes rows and events together (order_store.save, event_log.append). A refused input
raises `Rejected` before anything is written. Bulk fulfilment lives in `bulk`.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import validation
from parcelgraph.domain.enums import OrderIdType
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.order_state import PackageFacts, has_tracking
from parcelgraph.models import Order, Shipment, Shop
from parcelgraph.resolvers import event_log, idempotency, order_events, order_store, trackings
from parcelgraph.resolvers.event_log import NewEvent
from parcelgraph.resolvers.order_apply import (
    Applied,
    announce_drafts,
    apply_upsert,
    lookups,
    set_analytics,
)
from parcelgraph.resolvers.order_apply import set_expected as _set_expected
from parcelgraph.resolvers.order_input import (
    AddressInput,
    AnalyticsInput,
    OrderInput,
    PackageItemInput,
    UpsertInput,
    address_json,
    validate_address,
    validate_analytics,
    validate_expected,
)
from parcelgraph.resolvers.order_store import OrderAggregate


class _Unset:
    """Marks an optional argument the caller did not give (distinct from None = clear)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class OrderRef:
    """Names an order: a value read per `id_type` (UUID by default)."""

    id: str
    id_type: str = OrderIdType.UUID.value


@dataclass
class OrderResult:
    """What an order mutation returns: the order as stored, and how the call went."""

    order: Order
    duplicate: bool = False
    replayed: bool = False
    shipment: Shipment | None = None


async def commit_changes(
    session: AsyncSession,
    *,
    shop: Shop,
    aggregates: list[OrderAggregate],
    events: list[NewEvent],
    now: datetime,
) -> None:
    """Write changed aggregates, then their events (after the rows they point at exist)."""
    await order_store.save(session, aggregates)
    await event_log.append(session, shop=shop, events=events, now=now)


async def _replayed(session: AsyncSession, result: dict[str, Any]) -> OrderResult:
    order = await session.get(Order, uuid.UUID(result["order_id"]))
    if order is None:  # deleted since: the first answer cannot be shown any more
        raise NotFound.one("ORDER_NOT_FOUND", "The order of the first request is gone.", "id")
    shipment = None
    if result.get("shipment_id"):
        shipment = await session.get(Shipment, uuid.UUID(result["shipment_id"]))
    return OrderResult(
        order, duplicate=result.get("duplicate", False), replayed=True, shipment=shipment
    )


async def _once(
    session: AsyncSession,
    *,
    shop: Shop,
    operation: str,
    key: str | None,
    payload: Any,
    now: datetime,
    work: Any,
) -> OrderResult:
    await order_store.lock_shop(session, shop.id)
    holder: dict[str, OrderResult] = {}

    async def run() -> dict[str, Any]:
        holder["result"] = result = await work()
        return {
            "order_id": str(result.order.id),
            "duplicate": result.duplicate,
            "shipment_id": str(result.shipment.id) if result.shipment else None,
        }

    stored, replayed = await idempotency.run_once(
        session,
        shop_id=shop.id,
        operation=operation,
        key=key,
        payload=payload,
        now=now,
        work=run,
    )
    return await _replayed(session, stored) if replayed else holder["result"]


async def _apply_one(
    session: AsyncSession, *, shop: Shop, item: UpsertInput, now: datetime, place_only: bool
) -> OrderResult:
    ws = await order_store.load(session, shop_id=shop.id, lookups=lookups(item))
    applied: Applied = apply_upsert(ws, item, shop=shop, now=now, place_only=place_only)
    if not applied.duplicate:
        await commit_changes(
            session, shop=shop, aggregates=[applied.aggregate], events=applied.events, now=now
        )
    return OrderResult(applied.aggregate.to_order(), duplicate=applied.duplicate)


async def upsert(
    session: AsyncSession,
    *,
    shop: Shop,
    input: UpsertInput,
    now: datetime,
    idempotency_key: str | None = None,
) -> OrderResult:
    """Create or update the order named by `input.id`/`id_type` and attach its trackings."""

    async def work() -> OrderResult:
        return await _apply_one(session, shop=shop, item=input, now=now, place_only=False)

    return await _once(
        session,
        shop=shop,
        operation="upsertOrder",
        key=idempotency_key,
        payload=input,
        now=now,
        work=work,
    )


async def place(
    session: AsyncSession,
    *,
    shop: Shop,
    order: OrderInput,
    now: datetime,
    idempotency_key: str | None = None,
) -> OrderResult:
    """Create an order; an existing order number changes nothing (`duplicate=True`)."""
    if not order.order_number or not order.order_number.strip():
        raise Rejected.one("REQUIRED", "An order number is required.", "order", "orderNumber")
    item = UpsertInput(id=order.order_number, order=order)

    async def work() -> OrderResult:
        return await _apply_one(session, shop=shop, item=item, now=now, place_only=True)

    return await _once(
        session,
        shop=shop,
        operation="placeOrder",
        key=idempotency_key,
        payload=order,
        now=now,
        work=work,
    )


async def _load_one(
    session: AsyncSession, *, shop: Shop, ref: OrderRef, field: str = "id"
) -> OrderAggregate:
    if ref.id_type == OrderIdType.UUID.value and order_store.parse_uuid(ref.id) is None:
        raise Rejected.one("INVALID_ID", f"{ref.id!r} is not an order id.", field)
    ws = await order_store.load(session, shop_id=shop.id, lookups=[(ref.id_type, ref.id)])
    found = ws.find(ref.id_type, ref.id)
    if found is None:
        raise NotFound.one("ORDER_NOT_FOUND", "No order matches this id.", field)
    return found.copy()


async def update(
    session: AsyncSession,
    *,
    shop: Shop,
    ref: OrderRef,
    address: AddressInput | None = None,
    expected_number_of_shipments: int | None = None,
    now: datetime,
    idempotency_key: str | None = None,
) -> OrderResult:
    """Change the address and/or the expected number of shipments (None: unchanged).

    The address can no longer change once a parcel has a tracking number: it travels to
    the address on its label.
    """

    async def work() -> OrderResult:
        issues = validate_expected(expected_number_of_shipments, ("expectedNumberOfShipments",))
        if address is not None:
            issues += validate_address(address, ("address",))
        aggregate = await _load_one(session, shop=shop, ref=ref)
        facts = [PackageFacts(s["tracking_number"], s["direction"]) for s in aggregate.shipments]
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
            events += _set_expected(aggregate, expected, now=now, fresh=fresh)
            fields.append("expected_number_of_shipments")
        return await _save_fields(session, shop, aggregate, fields, events, fresh, now)

    payload = {"ref": ref, "address": address, "expected": expected_number_of_shipments}
    return await _once(
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
) -> OrderResult:
    if not fields:
        return OrderResult(aggregate.to_order())
    events = announce_drafts(aggregate, fresh, now=now) + events
    events.append(
        order_events.note(
            order_id=aggregate.id, occurred_at=now, action=action, data={"fields": fields}
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
) -> OrderResult:
    """Cancel an order while nothing has shipped; ORDER_CANCELLED on each draft."""

    async def work() -> OrderResult:
        if reason is not None and len(reason) > 2000:
            raise Rejected.one("VALUE_TOO_LONG", "At most 2000 characters.", "reason")
        aggregate = await _load_one(session, shop=shop, ref=ref)
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
                data={"reason": reason} if reason else {},
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
    return await _once(
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
        aggregate = await _load_one(session, shop=shop, ref=OrderRef(str(order_id)))
        shipment = aggregate.shipment(shipment_id)
        fields: list[str] = []
        if tracking_url is not UNSET and shipment["tracking_url"] != tracking_url:
            shipment["tracking_url"] = tracking_url
            fields.append("tracking_url")
        if products is not None:
            rows, content_issues = trackings.plan_contents(
                aggregate, shipment, products, ("products",)
            )
            issues += content_issues
            if not content_issues and trackings.set_contents(aggregate, shipment, rows):
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
    return await _once(
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
        aggregate = await _load_one(session, shop=shop, ref=ref, field="orderId")
        fields = set_analytics(aggregate, analytics, now=now)
        return await _save_fields(
            session, shop, aggregate, fields, [], set(), now, action="order_analytics_updated"
        )

    payload = {"ref": ref, "analytics": analytics}
    return await _once(
        session,
        shop=shop,
        operation="upsertOrderAnalytics",
        key=idempotency_key,
        payload=payload,
        now=now,
        work=work,
    )
