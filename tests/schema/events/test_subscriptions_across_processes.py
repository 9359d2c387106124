"""Subscriptions served by real `parcelgraph serve` processes sharing one Redis.

Covers what an in-process test cannot: fan-out between processes, a Redis restart in the
middle of a stream, and a client whose socket stops draining. Events are committed by the
test process through the event log (the path every mutation takes) and announced through a
Redis broker of its own, like a third API process.
"""

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.models import Order, Shop
from parcelgraph.models.types import utcnow
from parcelgraph.pubsub_redis import RedisBroker
from parcelgraph.resolvers import shops
from tests.live_support import append_events
from tests.processes import (
    NonReadingClient,
    RedisServer,
    Server,
    next_message,
    server_env,
    subscriber,
)
from tests.support import basic

pytestmark = [pytest.mark.redis, pytest.mark.slow]
T = TypeVar("T")

UPSERT = "mutation($input: UpsertOrderInput!) { upsertOrder(input: $input) { errors { code } } }"
ORDER_EVENTS = """
subscription($number: String!, $after: Int) {
  orderEvents(orderNumber: $number, after: $after) { position sequence eventName }
}"""


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class World:
    """The test process acting as a writer on the shared database and Redis."""

    def __init__(self, database_url: str, redis: RedisServer) -> None:
        self.database_url = database_url
        self.redis = redis
        # PostgreSQL is one database shared by everyone's tests: a slug of our own.
        self.slug = f"shop-{uuid.uuid4().hex[:8]}"

    def run(
        self, work: Callable[[Database, RedisBroker | None], Awaitable[T]], *, publish: bool = True
    ) -> T:
        async def main() -> T:
            db = Database(self.database_url, null_pool=True)
            broker = RedisBroker(self.redis.url) if publish else None
            if broker is not None:
                await broker.start()
            try:
                return await work(db, broker)
            finally:
                if broker is not None:
                    await broker.aclose()
                await db.dispose()

        return asyncio.run(main())

    def seed(self) -> tuple[Shop, Order, str]:
        async def work(db: Database, _broker: Any) -> tuple[Shop, Order, str]:
            async with db.writer() as session:
                shop = await shops.create(session, slug=self.slug, currency="EUR", now=utcnow())
                issued = await shops.create_api_key(
                    session, shop_slug=self.slug, role=Role.VIEWER, name="widget", now=utcnow()
                )
                order = Order(
                    shop_id=shop.id, order_number="1001", order_placed_at=utcnow(), currency="EUR"
                )
                session.add(order)
                await session.commit()
            return shop, order, basic(issued.key.name, issued.secret)

        return self.run(work, publish=False)

    def editor_key(self) -> str:
        async def work(db: Database, _broker: Any) -> str:
            async with db.writer() as session:
                issued = await shops.create_api_key(
                    session, shop_slug=self.slug, role=Role.EDITOR, name="backend", now=utcnow()
                )
                await session.commit()
            return basic(issued.key.name, issued.secret)

        return self.run(work, publish=False)

    def positions(self, order_number: str) -> list[int]:
        async def work(db: Database, _broker: Any) -> list[int]:
            from sqlmodel import select

            from parcelgraph.models import Event

            stmt = (
                select(Event.position)
                .join(Order, Order.id == Event.order_id)
                .where(Order.order_number == order_number)
                .order_by(Event.position)
            )
            async with db.reader() as session:
                return [int(p or 0) for p in (await session.exec(stmt)).all()]

        return self.run(work, publish=False)

    def append(
        self, shop: Shop, order: Order, names: list[str], *, publish: bool = True, **extra: Any
    ) -> list[int]:
        async def work(db: Database, broker: RedisBroker | None) -> list[int]:
            return await append_events(db, broker, shop, order, names, **extra)

        return self.run(work, publish=publish)

    def append_each(
        self,
        shop: Shop,
        order: Order,
        names: list[str],
        *,
        seen: Callable[[], int] | None = None,
        **extra: Any,
    ) -> list[int]:
        """One transaction (and one notice) per event, in quick succession.

        With `seen` (how many events a reader has received so far), each append waits until
        that reader has the previous one, so a loaded machine cannot make it look slow.
        """

        async def work(db: Database, broker: RedisBroker | None) -> list[int]:
            positions: list[int] = []
            for name in names:
                positions += await append_events(db, broker, shop, order, [name], **extra)
                deadline = time.monotonic() + 30
                while seen is not None and seen() < len(positions):
                    assert time.monotonic() < deadline, "the reader stopped receiving"
                    await asyncio.sleep(0.005)
            return positions

        return self.run(work)


@pytest.fixture
def world(database_url: str, redis_server: RedisServer) -> World:
    return World(database_url, redis_server)


@pytest.fixture
def start_server(
    database_url: str, redis_server: RedisServer, tmp_path: Path
) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(**extra: str) -> Server:
        log = tmp_path / f"server-{len(servers)}.log"
        server = Server(server_env(database_url, redis_server.url, tmp_path, **extra), log)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _event(message: dict[str, Any]) -> tuple[int, str]:
    assert message["type"] == "next" and "errors" not in message["payload"], message
    event = message["payload"]["data"]["orderEvents"]
    return event["position"], event["eventName"]


def test_an_event_written_through_one_process_reaches_a_subscriber_of_the_other(
    world: World, start_server: Callable[..., Server]
) -> None:
    writer, streamer = start_server(), start_server()
    _shop, _order, authorization = world.seed()
    editor = world.editor_key()
    variables = {"number": "1001", "after": 0}
    with subscriber(
        streamer.ws_url(world.slug), {"Authorization": authorization}, ORDER_EVENTS, variables
    ) as ws:
        tracking = {"id": "1001", "trackings": [{"trackingNumber": "00340434161094042557"}]}
        response = httpx.post(
            writer.http_url(world.slug),
            json={"query": UPSERT, "variables": {"input": tracking}},
            headers={"Authorization": editor},
            timeout=10,
        )
        assert response.json()["data"] == {"upsertOrder": {"errors": []}}, response.text
        received = _event(next_message(ws))

    assert received == (world.positions("1001")[-1], "ORDER_FULFILLED")


def test_an_event_committed_once_reaches_subscribers_of_every_process(
    world: World, start_server: Callable[..., Server]
) -> None:
    first, second = start_server(), start_server()
    shop, order, authorization = world.seed()
    params = {"Authorization": authorization}
    variables = {"number": "1001", "after": 0}
    with (
        subscriber(first.ws_url(world.slug), params, ORDER_EVENTS, variables) as on_first,
        subscriber(second.ws_url(world.slug), params, ORDER_EVENTS, variables) as on_second,
    ):
        [position] = world.append(shop, order, ["PICKED_UP"])

        assert _event(next_message(on_first)) == (position, "PICKED_UP")
        assert _event(next_message(on_second)) == (position, "PICKED_UP")


def test_a_redis_restart_mid_stream_loses_no_event(
    world: World, start_server: Callable[..., Server], redis_server: RedisServer
) -> None:
    server = start_server()
    shop, order, authorization = world.seed()
    with subscriber(
        server.ws_url(world.slug),
        {"Authorization": authorization},
        ORDER_EVENTS,
        {"number": "1001", "after": 0},
    ) as ws:
        [before] = world.append(shop, order, ["A"])
        assert _event(next_message(ws)) == (before, "A")

        redis_server.stop()
        # Committed while Redis is down: their notices are lost for good.
        during = world.append(shop, order, ["B", "C"], publish=False)
        redis_server.start()

        received = [_event(next_message(ws, timeout=20)) for _ in during]
        [after] = world.append(shop, order, ["D"])
        following = _event(next_message(ws))

    assert received == [(during[0], "B"), (during[1], "C")]
    assert following == (after, "D")


def test_a_subscriber_that_stops_reading_is_disconnected_while_others_keep_receiving(
    world: World, start_server: Callable[..., Server]
) -> None:
    # Server pings far apart: the drop below must come from the overflow, not keep-alive.
    server = start_server(PARCELGRAPH_SUBSCRIBER_QUEUE_SIZE="4", PARCELGRAPH_WS_PING_INTERVAL="600")
    shop, order, authorization = world.seed()
    query = """subscription { orderEvents(orderNumber: "1001", after: 0) { position message } }"""
    frozen = NonReadingClient(server.port, f"/v1/shops/{world.slug}/graphql")
    frozen.send_json({"type": "connection_init", "payload": {"Authorization": authorization}})
    assert frozen.read_json()["type"] == "connection_ack"
    frozen.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
    frozen.send_json({"type": "ping"})
    assert frozen.read_json() == {"type": "pong"}
    # From here on the frozen client reads nothing; its socket buffers fill up.

    received: list[int] = []
    with subscriber(
        server.ws_url(world.slug), {"Authorization": authorization}, query, {}
    ) as healthy:

        def read_along() -> None:
            while len(received) < len(names):
                message = next_message(healthy, timeout=30)
                received.append(message["payload"]["data"]["orderEvents"]["position"])

        # ~10 MB: more than the kernel buffers a non-reading peer (send buffers autotune to 4 MB).
        names = [f"E{i}" for i in range(50)]
        reader = threading.Thread(target=read_along)
        reader.start()
        # Paced by the healthy reader: it must get every event while the frozen one's
        # notices pile up past its queue of 4.
        written = world.append_each(
            shop, order, names, seen=lambda: len(received), message="x" * 200_000
        )
        reader.join(60)

    assert received == written
    # Now drain the frozen socket: a prefix of the events, then our close frame.
    frames = 0
    while True:
        opcode, payload = frozen.read_frame(timeout=30)
        if opcode == 0x8:
            code = int.from_bytes(payload[:2], "big")
            reason = payload[2:].decode()
            break
        if opcode == 0x1 and json.loads(payload).get("type") == "next":
            frames += 1
    frozen.close()
    assert (code, reason) == (4413, "Subscriber too slow: reconnect and resume with `after`.")
    assert frames < len(written)


def test_resuming_on_another_process_after_a_drop_gets_exactly_the_missed_events(
    world: World, start_server: Callable[..., Server]
) -> None:
    first, second = start_server(), start_server()
    shop, order, authorization = world.seed()
    params = {"Authorization": authorization}
    with subscriber(
        first.ws_url(world.slug), params, ORDER_EVENTS, {"number": "1001", "after": 0}
    ) as ws:
        [seen] = world.append(shop, order, ["A"])
        assert _event(next_message(ws)) == (seen, "A")
    missed = world.append(shop, order, ["B", "C"])
    variables = {"number": "1001", "after": seen}
    with subscriber(second.ws_url(world.slug), params, ORDER_EVENTS, variables) as ws:
        replayed = [_event(next_message(ws)) for _ in missed]
        [live] = world.append(shop, order, ["D"])
        following = _event(next_message(ws))
    assert replayed == [(missed[0], "B"), (missed[1], "C")]
    assert following == (live, "D")
