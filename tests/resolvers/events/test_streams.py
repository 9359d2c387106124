"""resolvers.streams: replay-then-live hand-over, filters, shared reads, overflow."""

import asyncio
from typing import Any

import pytest

from parcelgraph.db import Database
from parcelgraph.models import Order, Shop
from parcelgraph.models.types import utcnow
from parcelgraph.pubsub import RESYNC, InProcessBroker, SubscriberTooSlow, shop_channel
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.events import streams
from parcelgraph.resolvers.events.streams import EventFilter, StreamLimits
from tests.live_support import append_events
from tests.support import count_statements


async def _shop_and_order(db: Database, number: str = "1001") -> tuple[Shop, Order]:
    async with db.writer() as session:
        shop = await shops.get_by_slug(session, slug="acme")
        assert shop is not None
        order = Order(
            shop_id=shop.id, order_number=number, order_placed_at=utcnow(), currency="EUR"
        )
        session.add(order)
        await session.commit()
    return shop, order


async def _take(stream: Any, count: int) -> list[int]:
    got: list[int] = []
    while len(got) < count:
        batch = await asyncio.wait_for(anext(stream), 10)
        got.extend(e.position for e in batch)
    return got


async def _cancel(pending: "asyncio.Future[Any]") -> None:
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending


async def test_events_committed_during_the_replay_are_delivered_once_in_order(
    db: Database, shop: Any
) -> None:
    broker = InProcessBroker()
    acme, order = await _shop_and_order(db)
    stored = await append_events(db, broker, acme, order, [f"E{i}" for i in range(25)])
    stream = streams.follow(
        db=db,
        broker=broker,
        where=EventFilter(shop_id=acme.id, order_id=order.id),
        after=0,
        limits=StreamLimits(batch_size=10),
    )
    # The replay delivered its first batch and is suspended mid-way: commit more now...
    first = await _take(stream, 10)
    during = await append_events(db, broker, acme, order, ["X1", "X2"])
    # ...and more while the next replay query is in flight.
    writer = asyncio.create_task(append_events(db, broker, acme, order, ["Y1", "Y2", "Y3"]))
    rest = await _take(stream, len(stored) - 10 + 2 + 3)
    after_race = await writer
    live = await append_events(db, broker, acme, order, ["Z"])
    tail = await _take(stream, 1)
    await stream.aclose()

    received = first + rest + tail
    assert received == stored + during + after_race + live
    assert broker.subscriber_count() == 0


async def test_a_notice_already_covered_by_the_replay_costs_no_query(
    db: Database, shop: Any
) -> None:
    broker = InProcessBroker()
    acme, order = await _shop_and_order(db)
    stored = await append_events(db, None, acme, order, ["A"])
    where = EventFilter(shop_id=acme.id, order_id=order.id)
    stream = streams.follow(db=db, broker=broker, where=where, after=0, limits=StreamLimits())
    assert await _take(stream, 1) == stored
    with count_statements(db) as counter:
        await broker.publish(
            shop_channel(acme.id), {"positions": stored, "orders": [str(order.id)]}
        )
        pending = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0.1)
    assert counter.count == 0 and not pending.done()
    await _cancel(pending)
    await stream.aclose()


async def test_subscribers_of_one_order_share_one_query_per_commit(db: Database, shop: Any) -> None:
    broker = InProcessBroker()
    acme, order = await _shop_and_order(db)
    where = EventFilter(shop_id=acme.id, order_id=order.id)
    subscribers = [
        streams.follow(db=db, broker=broker, where=where, after=0, limits=StreamLimits())
        for _ in range(20)
    ]
    waiting = [asyncio.ensure_future(anext(s)) for s in subscribers]
    await asyncio.sleep(0.2)  # everyone replayed (nothing yet) and waits on the broker
    with count_statements(db) as counter:
        positions = await append_events(db, broker, acme, order, ["A", "B"])
        batches = await asyncio.wait_for(asyncio.gather(*waiting), 10)
    event_selects = [s for s in counter.statements if "FROM events" in s and "SELECT" in s]
    assert [[e.position for e in b] for b in batches] == [positions] * 20
    assert len(event_selects) == 1
    for s in subscribers:
        await s.aclose()


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"ref_prefix": "shipments/delivered"}, ["DELIVERED", "NEIGHBOUR"]),
        ({"ref_prefix": "shipments/deliv"}, []),
        ({"event_group": "shipment_delivered_all_events"}, ["DELIVERED", "NEIGHBOUR"]),
        ({"event_group": "shipment_in_transit"}, ["HUB"]),
        ({"source": "claims"}, ["CLAIM"]),
    ],
)
async def test_replay_filters_by_ref_prefix_group_and_source(
    db: Database, shop: Any, where: dict[str, Any], expected: list[str]
) -> None:
    from parcelgraph.resolvers.common import event_log
    from parcelgraph.resolvers.common.event_log import NewEvent

    acme, order = await _shop_and_order(db)
    rows = [
        ("shipments", "shipments/in_transit/HUB", "HUB", "shipment_in_transit"),
        ("shipments", "shipments/delivered/DELIVERED", "DELIVERED", "shipment_delivered"),
        (
            "shipments",
            "shipments/delivered/NEIGHBOUR",
            "NEIGHBOUR",
            "shipment_delivered_to_neighbour",
        ),
        ("claims", "claims/created", "CLAIM", "claim_created"),
    ]
    async with db.writer() as session:
        await event_log.append(
            session,
            shop=acme,
            events=[
                NewEvent(
                    order_id=order.id,
                    source=s,
                    ref=r,
                    event_name=n,
                    event_group=g,
                    occurred_at=utcnow(),
                )
                for s, r, n, g in rows
            ],
            now=utcnow(),
        )
        await session.commit()
    async with db.reader() as session:
        found = await streams.replay(session, where=EventFilter(shop_id=acme.id, **where), after=0)
    assert [e.event_name for e in found] == expected


async def test_a_subscriber_that_stops_reading_is_detached_and_told_once(
    db: Database, shop: Any
) -> None:
    broker = InProcessBroker()
    acme, order = await _shop_and_order(db)
    calls: list[str] = []
    where = EventFilter(shop_id=acme.id, order_id=order.id)
    slow = streams.follow(
        db=db,
        broker=broker,
        where=where,
        after=None,
        limits=StreamLimits(queue_size=2),
        on_overflow=lambda: calls.append("overflow"),
    )
    healthy = streams.follow(
        db=db, broker=broker, where=where, after=None, limits=StreamLimits(queue_size=2)
    )
    slow_next = asyncio.ensure_future(anext(slow))
    healthy_next = asyncio.ensure_future(anext(healthy))
    await asyncio.sleep(0.1)
    first = await append_events(db, broker, acme, order, ["A"])
    assert [e.position for e in await slow_next] == first
    assert [e.position for e in await healthy_next] == first
    # `slow` is not asked for more; `healthy` keeps reading after every commit.
    for name in ("B", "C", "D", "E"):
        positions = await append_events(db, broker, acme, order, [name])
        assert [e.position for e in await asyncio.wait_for(anext(healthy), 5)] == positions

    assert calls == ["overflow"]
    assert broker.subscriber_count() == 1
    with pytest.raises(SubscriberTooSlow):
        await anext(slow)
    await healthy.aclose()


async def test_a_resync_notice_makes_every_stream_catch_up(db: Database, shop: Any) -> None:
    broker = InProcessBroker()
    acme, order = await _shop_and_order(db)
    stream = streams.follow(
        db=db,
        broker=broker,
        where=EventFilter(shop_id=acme.id, order_id=order.id),
        after=None,
        limits=StreamLimits(),
    )
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.1)
    lost = await append_events(db, None, acme, order, ["A"])  # its notice never arrives
    await asyncio.sleep(0.1)
    assert not waiting.done()
    await broker.publish(shop_channel(acme.id), RESYNC)
    assert [e.position for e in await asyncio.wait_for(waiting, 5)] == lost
    await stream.aclose()
