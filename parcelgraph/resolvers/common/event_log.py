"""The one path every event takes into the log: sequence, position, outbox, publish notice.

Orders, carrier ingestion, appended events and claims all call `append`, inside their own
write transaction, so a committed change always has its events and its webhook deliveries
committed with it, and a rolled-back change has neither.

Per batch the cost is fixed, whatever the number of events: one UPDATE hands out per-order
sequences, one INSERT writes the events, one SELECT finds the shop's active webhooks, and
(only when some webhook wants an event) one SELECT per context table plus two INSERTs write
the envelopes and the deliveries.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, text, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import DeliveryStatus, WebhookStatus
from parcelgraph.domain.webhook_matching import webhook_wants
from parcelgraph.models import Event, EventEnvelope, Order, Shop, Webhook, WebhookDelivery
from parcelgraph.models.rows import as_stored
from parcelgraph.resolvers.common import envelopes


@dataclass
class NewEvent:
    """An event about to be appended. `order_id` names the order whose sequence it takes."""

    order_id: uuid.UUID
    source: str
    ref: str
    event_name: str
    event_group: str
    occurred_at: datetime
    phase: str | None = None
    direction: str | None = None
    shipment_id: uuid.UUID | None = None
    claim_id: uuid.UUID | None = None
    external_id: str | None = None
    location: str | None = None
    message: str | None = None
    raw_code: str | None = None
    simulated: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def _advisory_key(shop_id: uuid.UUID) -> int:
    return int.from_bytes(shop_id.bytes[:8], "big", signed=True)


async def lock_shop_writes(session: AsyncSession, shop_id: uuid.UUID) -> None:
    """Serialize this transaction with every other event-writing transaction of the shop.

    `append` takes it itself. Use cases that read before they write (order upserts, claims)
    take it first, so their reads see every committed write and two of them can never both
    decide to insert the same thing; taking it again later in the transaction is a no-op.
    """
    # PostgreSQL hands out sequence values at INSERT time, but transactions commit in any
    # order: a reader could see position 11 committed before 10 and skip 10 for good. One
    # transaction-scoped lock per shop makes positions visible in commit order. SQLite's
    # BEGIN IMMEDIATE already serializes every writer.
    if session.get_bind().dialect.name == "postgresql":
        await session.exec(  # type: ignore[call-overload]
            text("SELECT pg_advisory_xact_lock(:key)"), params={"key": _advisory_key(shop_id)}
        )


async def _reserve_sequences(
    session: AsyncSession, counts: Counter[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Advance each order's counter by its number of new events; return the first number."""
    order_ids = list(counts)
    bump = case({oid: counts[oid] for oid in order_ids}, value=Order.id)  # type: ignore[arg-type]
    stmt = (
        update(Order)
        .where(Order.id.in_(order_ids))  # type: ignore[attr-defined]
        .values(event_sequence=Order.event_sequence + bump)
        .returning(Order.id, Order.event_sequence)
        .execution_options(synchronize_session=False)
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    if len(rows) != len(order_ids):
        raise LookupError("appending events to an order that does not exist")
    return {oid: last - counts[oid] + 1 for oid, last in rows}


async def append(
    session: AsyncSession, *, shop: Shop, events: Sequence[NewEvent], now: datetime
) -> list[Event]:
    """Append events (any number of orders of one shop) with their outbox rows.

    Returns the stored events in input order, with `position` and `sequence` set. The caller
    commits; after the commit, `Context.transaction` publishes the notices recorded here.
    """
    if not events:
        return []
    await lock_shop_writes(session, shop.id)
    next_sequence = await _reserve_sequences(session, Counter(e.order_id for e in events))
    rows: list[dict[str, Any]] = []
    for new in events:
        sequence = next_sequence[new.order_id]
        next_sequence[new.order_id] = sequence + 1
        rows.append(_row(shop.id, new, sequence, now))
    # Matched by id rather than with sort_by_parameter_order: SQLite can't order RETURNING
    # rows of a multi-row INSERT, so SQLAlchemy would fall back to one INSERT per event.
    result = await session.exec(  # type: ignore[call-overload]
        insert(Event).returning(Event.id, Event.position), params=rows
    )
    positions = dict(result.all())
    # Built from the values just written: the constructor would re-set every field (slow).
    stored = [as_stored(Event, {**row, "position": positions[row["id"]]}) for row in rows]
    await _write_outbox(session, shop=shop, events=stored, now=now)
    notices = session.info.setdefault("committed_events", [])
    notices.extend(
        {
            "shop_id": shop.id,
            "order_id": e.order_id,
            "shipment_id": e.shipment_id,
            "position": e.position,
        }
        for e in stored
    )
    return stored


def _row(shop_id: uuid.UUID, new: NewEvent, sequence: int, now: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "shop_id": shop_id,
        "order_id": new.order_id,
        "shipment_id": new.shipment_id,
        "claim_id": new.claim_id,
        "sequence": sequence,
        "source": new.source,
        "ref": new.ref,
        "phase": new.phase,
        "event_name": new.event_name,
        "event_group": new.event_group,
        "direction": new.direction,
        "occurred_at": new.occurred_at,
        "recorded_at": now,
        "external_id": new.external_id,
        "location": new.location,
        "message": new.message,
        "raw_code": new.raw_code,
        "simulated": new.simulated,
        "data": new.data,
    }


async def active_webhooks(session: AsyncSession, shop_id: uuid.UUID) -> list[Webhook]:
    """The shop's active webhooks, read once per transaction."""
    cache: dict[uuid.UUID, list[Webhook]] = session.info.setdefault("active_webhooks", {})
    if shop_id not in cache:
        stmt = select(Webhook).where(
            Webhook.shop_id == shop_id, Webhook.status == WebhookStatus.ACTIVE.value
        )
        cache[shop_id] = list((await session.exec(stmt)).all())
    return cache[shop_id]


async def _write_outbox(
    session: AsyncSession, *, shop: Shop, events: list[Event], now: datetime
) -> None:
    webhooks = await active_webhooks(session, shop.id)
    if not webhooks:
        return
    wanted = [
        (event, hook)
        for event in events
        for hook in webhooks
        if webhook_wants(hook.enabled_events, event.ref, event.event_group)
    ]
    if not wanted:
        return
    wanted_events = list({e.position: e for e, _ in wanted}.values())
    bodies = await envelopes.build(session, shop=shop, events=wanted_events)
    await session.exec(  # type: ignore[call-overload]
        insert(EventEnvelope),
        params=[{"event_position": e.position, "body": bodies[e.position]} for e in wanted_events],
    )
    await session.exec(  # type: ignore[call-overload]
        insert(WebhookDelivery),
        params=[
            {
                "id": uuid.uuid4(),
                "shop_id": shop.id,
                "webhook_id": hook.id,
                "event_position": event.position,
                "event_id": event.id,
                "status": DeliveryStatus.PENDING.value,
                "attempt_count": 0,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for event, hook in wanted
        ],
    )
    session.info["outbox_written"] = session.info.get("outbox_written", 0) + len(wanted)


async def latest_position(session: AsyncSession, shop_id: uuid.UUID) -> int:
    """The newest committed event position of a shop (0 when none): a resume cursor."""
    stmt = select(func.coalesce(func.max(Event.position), 0)).where(Event.shop_id == shop_id)
    return int((await session.exec(stmt)).one())
