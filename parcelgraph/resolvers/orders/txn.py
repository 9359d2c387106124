"""What every order use case shares: naming an order, the result, the idempotent run, the
write of changed aggregates with their events, and loading one order for an edit."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import OrderIdType
from parcelgraph.domain.errors import NotFound, Rejected
from parcelgraph.models import Order, Shipment, Shop
from parcelgraph.resolvers.common import event_log, idempotency
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.events import ArrivalPolicy, start_arrival
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders.aggregate import OrderAggregate


class _Unset:
    """Marks an optional argument the caller did not give (distinct from None = clear)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()

# The settings' defaults; the API passes the configured policy (ArrivalPolicy.from_settings).
DEFAULT_ARRIVAL = ArrivalPolicy()


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
    arrival: ArrivalPolicy = DEFAULT_ARRIVAL,
) -> None:
    """Write changed aggregates, then their events (after the rows they point at exist).

    Shipments that got their tracking number here get their first arrival window in the
    same write (one history query for every carrier of the batch), so a parcel has an ETA
    from the moment it is fulfilled, not only after its first carrier event.
    """
    fulfilled = [s for a in aggregates for s in a.shipments if s["id"] in a.changes.fulfilled]
    await start_arrival(session, shop_id=shop.id, rows=fulfilled, policy=arrival, now=now)
    await order_store.save(session, aggregates)
    await event_log.append(session, shop=shop, events=events, now=now)


async def replay_result(session: AsyncSession, result: dict[str, Any]) -> OrderResult:
    order = await session.get(Order, uuid.UUID(result["order_id"]))
    if order is None:  # deleted since: the first answer cannot be shown any more
        raise NotFound.one("ORDER_NOT_FOUND", "The order of the first request is gone.", "id")
    shipment = None
    if result.get("shipment_id"):
        shipment = await session.get(Shipment, uuid.UUID(result["shipment_id"]))
    return OrderResult(
        order, duplicate=result.get("duplicate", False), replayed=True, shipment=shipment
    )


@dataclass(frozen=True)
class Call:
    """One idempotent call: the operation's name, the client's key, and what it asked for
    (a repeated key with another payload is refused)."""

    operation: str
    key: str | None
    payload: Any


async def once(
    session: AsyncSession,
    *,
    shop: Shop,
    call: Call,
    now: datetime,
    work: Callable[[], Awaitable[OrderResult]],
) -> OrderResult:
    """Run `work` under the shop's write lock, once per idempotency key (a repeat replays)."""
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
        operation=call.operation,
        key=call.key,
        payload=call.payload,
        now=now,
        work=run,
    )
    return await replay_result(session, stored) if replayed else holder["result"]


async def load_one(
    session: AsyncSession, *, shop: Shop, ref: OrderRef, field: str = "id"
) -> OrderAggregate:
    if ref.id_type == OrderIdType.UUID.value and order_store.parse_uuid(ref.id) is None:
        raise Rejected.one("INVALID_ID", f"{ref.id!r} is not an order id.", field)
    ws = await order_store.load(session, shop_id=shop.id, lookups=[(ref.id_type, ref.id)])
    found = ws.find(ref.id_type, ref.id)
    if found is None:
        raise NotFound.one("ORDER_NOT_FOUND", "No order matches this id.", field)
    return found.copy()
