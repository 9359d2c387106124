"""Order use cases: upsert, place, update, cancel, update a shipment, attribution.

Each takes the write session of one transaction, holds the shop's write lock, loads what it
needs in a fixed number of SELECTs, changes the order in memory (order_apply, trackings),
then writes rows and events together (order_store.save, event_log.append). A refused input
raises `Rejected` before anything is written. Bulk fulfilment lives in `bulk`.
"""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected
from parcelgraph.models import Shop
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders.apply import Applied, apply_upsert, lookups
from parcelgraph.resolvers.orders.edits import cancel, update, update_shipment, upsert_analytics
from parcelgraph.resolvers.orders.inputs import OrderInput, UpsertInput
from parcelgraph.resolvers.orders.txn import (
    DEFAULT_ARRIVAL,
    UNSET,
    OrderRef,
    OrderResult,
    commit_changes,
    once,
)

__all__ = [
    "UNSET",
    "OrderRef",
    "OrderResult",
    "cancel",
    "commit_changes",
    "place",
    "update",
    "update_shipment",
    "upsert",
    "upsert_analytics",
]


async def _apply_one(
    session: AsyncSession,
    *,
    shop: Shop,
    item: UpsertInput,
    now: datetime,
    place_only: bool,
    arrival: ArrivalPolicy,
) -> OrderResult:
    ws = await order_store.load(session, shop_id=shop.id, lookups=lookups(item))
    applied: Applied = apply_upsert(ws, item, shop=shop, now=now, place_only=place_only)
    if not applied.duplicate:
        await commit_changes(
            session,
            shop=shop,
            aggregates=[applied.aggregate],
            events=applied.events,
            now=now,
            arrival=arrival,
        )
    return OrderResult(applied.aggregate.to_order(), duplicate=applied.duplicate)


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

    async def work() -> OrderResult:
        return await _apply_one(
            session, shop=shop, item=input, now=now, place_only=False, arrival=arrival
        )

    return await once(
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
    arrival: ArrivalPolicy = DEFAULT_ARRIVAL,
) -> OrderResult:
    """Create an order; an existing order number changes nothing (`duplicate=True`)."""
    if not order.order_number or not order.order_number.strip():
        raise Rejected.one("REQUIRED", "An order number is required.", "order", "orderNumber")
    item = UpsertInput(id=order.order_number, order=order)

    async def work() -> OrderResult:
        return await _apply_one(
            session, shop=shop, item=item, now=now, place_only=True, arrival=arrival
        )

    return await once(
        session,
        shop=shop,
        operation="placeOrder",
        key=idempotency_key,
        payload=order,
        now=now,
        work=work,
    )
