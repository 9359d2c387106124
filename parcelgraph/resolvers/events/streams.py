"""Live, resumable event streams: replay from the event table, then follow the broker.

The hand-over has no gap and no duplicate because the broker is only a doorbell:
1. subscribe to the shop's channel FIRST (every commit from now on rings);
2. replay every stored event after the cursor, in position order, in batches;
3. on each ring (or `RESYNC` after a broker reconnect) load events with a position greater
   than the last one delivered. A notice whose positions were all delivered by the replay is
   skipped without a query; a lost notice is healed by the next one, since the query is by
   cursor, not by the notice's positions.

Positions become visible in commit order (event_log serializes appends per shop), so
"greater than the last delivered" never skips an event committed late.

Subscribers that wait on the same filter at the same cursor share one query (`SharedReads`):
a thousand widgets on one order cost one SELECT per commit, not a thousand. Each query opens
its own short read session; nothing is held per connection.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.db import Database
from parcelgraph.domain.webhook_matching import DELIVERED_ALL_EVENTS_GROUP, DELIVERED_GROUPS
from parcelgraph.models import Event, Order, Shipment
from parcelgraph.pubsub import Broker, shop_channel
from parcelgraph.resolvers.common.event_log import latest_position
from parcelgraph.resolvers.common.reads import first_by_key

REPLAY_BATCH = 200


class AccessRevoked(Exception):
    """The subscriber's key or token was revoked or expired while streaming."""


@dataclass(frozen=True)
class EventFilter:
    """Which events of one shop a stream carries (all given conditions must hold)."""

    shop_id: uuid.UUID
    order_id: uuid.UUID | None = None
    shipment_id: uuid.UUID | None = None
    ref_prefix: str | None = None
    event_group: str | None = None
    source: str | None = None

    def conditions(self) -> list[Any]:
        """SQL conditions on the events table."""
        where: list[Any] = [Event.shop_id == self.shop_id]
        if self.order_id is not None:
            where.append(Event.order_id == self.order_id)
        if self.shipment_id is not None:
            where.append(Event.shipment_id == self.shipment_id)
        if self.ref_prefix:
            # A prefix matches at `/` boundaries only, exactly as webhook enabledEvents do.
            where.append(
                or_(
                    Event.ref == self.ref_prefix,
                    col(Event.ref).startswith(self.ref_prefix + "/", autoescape=True),
                )
            )
        if self.event_group:
            if self.event_group == DELIVERED_ALL_EVENTS_GROUP:
                where.append(col(Event.event_group).in_(sorted(DELIVERED_GROUPS)))
            else:
                where.append(Event.event_group == self.event_group)
        if self.source:
            where.append(Event.source == self.source)
        return where

    @property
    def route(self) -> tuple[str, str] | None:
        """The broker route that wakes this stream only for its order's or shipment's
        notices (None: every notice of the shop)."""
        if self.order_id is not None:
            return ("orders", str(self.order_id))
        if self.shipment_id is not None:
            return ("shipments", str(self.shipment_id))
        return None

    def may_concern(self, notice: dict[str, Any], after: int) -> bool:
        """Whether a broker notice may carry events for this stream not yet delivered."""
        if notice.get("resync"):
            return True
        positions = notice.get("positions") or []
        if positions and max(positions) <= after:
            return False  # already delivered by the replay
        if self.order_id is not None and "orders" in notice:
            return str(self.order_id) in notice["orders"]
        return True


async def replay(
    session: AsyncSession, *, where: EventFilter, after: int, limit: int = REPLAY_BATCH
) -> list[Event]:
    """Stored events matching `where` with a position greater than `after`, oldest first."""
    stmt = (
        select(Event)
        .where(*where.conditions(), col(Event.position) > after)
        .order_by(col(Event.position))
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def find_order(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    order_id: uuid.UUID | None = None,
    order_number: str | None = None,
) -> Order | None:
    """The shop's order by id or by number (None when it does not exist)."""
    keys = ((Order.id, order_id), (Order.order_number, order_number))
    return await first_by_key(session, Order, keys, shop_id=shop_id)


async def find_shipment(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    shipment_id: uuid.UUID | None = None,
    tracking_number: str | None = None,
    order_id: uuid.UUID | None = None,
) -> Shipment | None:
    """The shop's shipment by id or tracking number, optionally within one order.

    A tracking number may (rarely) appear on several orders of a shop; the newest wins.
    """
    keys = ((Shipment.id, shipment_id), (Shipment.tracking_number, tracking_number))
    return await first_by_key(
        session, Shipment, keys, shop_id=shop_id, order_id=order_id, newest_first=True
    )


async def head(db: Database, *, shop_id: uuid.UUID) -> int:
    """The shop's newest committed event position: a cursor meaning "from now on"."""
    async with db.reader() as session:
        return await latest_position(session, shop_id)


class SharedReads:
    """Single-flight reads: concurrent identical requests share one query and its rows.

    Rows handed out are shared between subscribers and must be treated as read-only.
    """

    def __init__(self) -> None:
        self._inflight: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
        self.queries = 0

    async def run(self, key: tuple[Any, ...], load: Callable[[], Awaitable[Any]]) -> Any:
        """Await `load()`, or the identical load already running for `key`."""
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(load())
            self._inflight[key] = task
            self.queries += 1
            task.add_done_callback(lambda done: self._finished(key, done))
        # Shielded: one subscriber leaving must not cancel the read the others wait for.
        return await asyncio.shield(task)

    def _finished(self, key: tuple[Any, ...], task: asyncio.Future[Any]) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if not task.cancelled():
            task.exception()  # retrieved here; every waiter re-raises it anyway

    async def events_after(
        self, db: Database, where: EventFilter, after: int, limit: int = REPLAY_BATCH
    ) -> list[Event]:
        """`replay` in its own read session, shared with identical concurrent callers."""

        async def load() -> list[Event]:
            async with db.reader() as session:
                return await replay(session, where=where, after=after, limit=limit)

        return await self.run((id(db), where, after, limit), load)


shared_reads = SharedReads()


@dataclass
class StreamLimits:
    """Per-stream knobs from settings."""

    queue_size: int = 256
    recheck_seconds: float = 3.0
    batch_size: int = REPLAY_BATCH


async def follow(
    *,
    db: Database,
    broker: Broker,
    where: EventFilter,
    after: int | None,
    limits: StreamLimits,
    still_allowed: Callable[[], Awaitable[bool]] | None = None,
    on_overflow: Callable[[], None] | None = None,
) -> AsyncIterator[list[Event]]:
    """Yield batches of matching events after `after` (None: only new ones), forever.

    Raises SubscriberTooSlow when the subscriber's inbox overflowed, AccessRevoked when
    `still_allowed` (checked every `limits.recheck_seconds`) says no.
    """
    channel = shop_channel(where.shop_id)
    async with broker.subscribe(channel, maxsize=limits.queue_size, route=where.route) as inbox:
        inbox.on_overflow = on_overflow
        if after is None:
            # Read the head only after subscribing: anything later rings the bell.
            after = await head(db, shop_id=where.shop_id)
        cursor: int = after
        behind = True
        next_check = time.monotonic() + limits.recheck_seconds
        while True:
            while behind:
                batch = await shared_reads.events_after(db, where, cursor, limits.batch_size)
                if batch:
                    cursor = batch[-1].position or cursor
                    yield batch
                behind = len(batch) == limits.batch_size
            notice = await inbox.receive(within=max(0.0, next_check - time.monotonic()))
            if still_allowed is not None and time.monotonic() >= next_check:
                if not await still_allowed():
                    raise AccessRevoked()
                next_check = time.monotonic() + limits.recheck_seconds
            behind = notice is not None and where.may_concern(notice, cursor)


async def order_snapshot(db: Database, *, order_id: uuid.UUID, version: int) -> Order | None:
    """The order row as of (at least) event position `version`, shared by every subscriber
    of that order that asks for the same version."""

    async def load() -> Order | None:
        async with db.reader() as session:
            return await session.get(Order, order_id)

    return await shared_reads.run(("order", id(db), order_id, version), load)
