"""Bulk fulfilment: up to `bulk_max_items` upserts in one call, each succeeding on its own.

The batch is set-based from end to end: one SELECT per table loads every order the items
name, the items are applied one after another in memory (an item sees what earlier items
of the batch did; a refused item leaves nothing behind), and the surviving changes are
written with one statement per kind of change plus one event-log append for the whole
batch. So 1,000 items cost about as many SQL statements as one.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import Order, Shop
from parcelgraph.resolvers.common.event_log import NewEvent
from parcelgraph.resolvers.events import ArrivalPolicy
from parcelgraph.resolvers.orders import store as order_store
from parcelgraph.resolvers.orders.inputs import UpsertInput
from parcelgraph.resolvers.orders.store import WorkingSet
from parcelgraph.resolvers.orders.txn import DEFAULT_ARRIVAL, commit_changes
from parcelgraph.resolvers.orders.upsert import apply_upsert, lookups


@dataclass
class ItemResult:
    """The outcome of one item: its index in the input, the order, or why it was refused."""

    index: int
    order: Order | None = None
    issues: list[Issue] = field(default_factory=list)
    # The order the item changed, while the batch is being applied.
    order_id: uuid.UUID | None = None


async def fulfill(
    session: AsyncSession,
    *,
    shop: Shop,
    items: list[UpsertInput],
    now: datetime,
    max_items: int,
    arrival: ArrivalPolicy = DEFAULT_ARRIVAL,
) -> list[ItemResult]:
    """Apply every item; refuse the whole call (nothing written) above `max_items`.

    Every shipment fulfilled by the batch gets its first ETA from one history query.
    """
    if len(items) > max_items:
        raise Rejected.one(
            "BATCH_TOO_LARGE",
            f"At most {max_items} items per call (got {len(items)}); nothing was written.",
            "items",
        )
    await order_store.lock_shop(session, shop.id)
    keys = [key for item in items for key in lookups(item)]
    ws = await order_store.load(session, shop_id=shop.id, lookups=keys)
    results, events = _apply_all(ws, items, shop=shop, now=now)
    await commit_changes(
        session, shop=shop, aggregates=ws.changed(), events=events, now=now, arrival=arrival
    )
    for result in results:
        if result.order_id is not None:
            result.order = ws.aggregates[result.order_id].to_order()
    return results


def _apply_all(
    ws: WorkingSet, items: list[UpsertInput], *, shop: Shop, now: datetime
) -> tuple[list[ItemResult], list[NewEvent]]:
    """Apply the items one after another; each sees what the earlier ones did."""
    results: list[ItemResult] = []
    events: list[NewEvent] = []
    for index, item in enumerate(items):
        try:
            applied = apply_upsert(ws, item, shop=shop, now=now)
        except Rejected as rejected:
            results.append(ItemResult(index, issues=list(rejected.issues)))
            continue
        ws.put(applied.aggregate)
        events.extend(applied.events)
        results.append(ItemResult(index, order_id=applied.aggregate.id))
    return results, events
