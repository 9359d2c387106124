"""Per-order and per-shipment routing at the broker: a notice wakes only the subscribers
of the order or shipment it names (plus the shop-wide ones), on both brokers."""

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from parcelgraph.pubsub import RESYNC, InProcessBroker
from parcelgraph.pubsub_redis import RedisBroker
from tests.processes import RedisServer

CHANNEL = "parcelgraph:shop:s1"
NOTICE = {"positions": [7], "orders": ["order-a"], "shipments": ["parcel-a1"]}


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def broker(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    if request.param == "memory":
        yield InProcessBroker()
        return
    server = request.getfixturevalue("redis_server")
    redis = RedisBroker(server.url)
    await redis.start()
    yield redis
    await redis.aclose()


async def _inboxes(stack: AsyncExitStack, broker: Any) -> dict[str, Any]:
    routes = {
        "shop": None,
        "order-a": ("orders", "order-a"),
        "order-b": ("orders", "order-b"),
        "parcel-a1": ("shipments", "parcel-a1"),
        "parcel-b1": ("shipments", "parcel-b1"),
    }
    return {
        name: await stack.enter_async_context(broker.subscribe(CHANNEL, route=route))
        for name, route in routes.items()
    }


async def test_a_notice_wakes_its_order_and_shipment_and_the_shop_wide_subscribers(
    broker: Any,
) -> None:
    async with AsyncExitStack() as stack:
        # given subscribers of two orders, two parcels and the whole shop
        inboxes = await _inboxes(stack, broker)

        # when an event of order A's parcel A1 is committed
        await broker.publish(CHANNEL, NOTICE)

        # then order A, parcel A1 and the shop-wide stream ring; B's subscribers stay asleep
        assert await inboxes["shop"].receive(within=5) == NOTICE
        assert await inboxes["order-a"].receive(within=5) == NOTICE
        assert await inboxes["parcel-a1"].receive(within=5) == NOTICE
        assert await inboxes["order-b"].receive(within=0.2) is None
        assert await inboxes["parcel-b1"].receive(within=0.2) is None
        assert broker.subscriber_count(CHANNEL) == 5


async def test_a_notice_without_ids_reaches_every_routed_subscriber(broker: Any) -> None:
    async with AsyncExitStack() as stack:
        inboxes = await _inboxes(stack, broker)

        # when a RESYNC (no order or shipment ids) goes out
        await broker.publish(CHANNEL, RESYNC)

        # then everyone catches up
        for inbox in inboxes.values():
            assert await inbox.receive(within=5) == RESYNC


async def test_an_overflowing_routed_subscriber_is_detached_alone() -> None:
    broker = InProcessBroker()
    async with (
        broker.subscribe(CHANNEL, maxsize=1, route=("orders", "order-a")) as slow,
        broker.subscribe(CHANNEL, maxsize=8, route=("orders", "order-a")) as healthy,
    ):
        # when two notices for order A arrive and the slow one never reads
        await broker.publish(CHANNEL, NOTICE)
        await broker.publish(CHANNEL, NOTICE)

        # then only the slow one is detached; the other keeps both notices
        assert slow.overflowed is True
        assert broker.subscriber_count(CHANNEL) == 1
        assert [await healthy.receive(within=1) for _ in range(2)] == [NOTICE, NOTICE]
    assert broker.subscriber_count() == 0
