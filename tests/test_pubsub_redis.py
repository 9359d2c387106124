"""RedisBroker against a private redis-server: fan-out, restart → RESYNC, failed publish."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from parcelgraph.pubsub import RESYNC, SubscriberTooSlow
from parcelgraph.pubsub_redis import RedisBroker
from tests.processes import RedisServer

pytestmark = pytest.mark.redis
CHANNEL = "parcelgraph:shop:s1"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def brokers(redis_server: RedisServer) -> AsyncIterator[tuple[RedisBroker, RedisBroker]]:
    first, second = RedisBroker(redis_server.url), RedisBroker(redis_server.url)
    await first.start()
    await second.start()
    yield first, second
    await first.aclose()
    await second.aclose()


async def test_a_message_published_by_one_broker_reaches_the_others_subscribers(
    brokers: tuple[RedisBroker, RedisBroker],
) -> None:
    first, second = brokers
    async with second.subscribe(CHANNEL) as inbox, second.subscribe("parcelgraph:shop:s2") as other:
        await first.publish(CHANNEL, {"positions": [7], "orders": ["o"]})
        assert await inbox.receive(within=5) == {"positions": [7], "orders": ["o"]}
        assert await other.receive(within=0.2) is None


async def test_after_a_redis_restart_every_subscriber_is_told_to_resync(
    brokers: tuple[RedisBroker, RedisBroker], redis_server: RedisServer
) -> None:
    first, second = brokers
    async with second.subscribe(CHANNEL) as inbox:
        redis_server.stop()
        await first.publish(CHANNEL, {"positions": [1]})  # lost: Redis is down
        redis_server.start()
        assert await inbox.receive(within=10) == RESYNC
        assert second.reconnects == 1
        await asyncio.sleep(0.5)  # let the publisher's own pump reconnect too
        await first.publish(CHANNEL, {"positions": [2]})
        received = [await inbox.receive(within=5) for _ in range(2)]
    # The publisher also re-announces, as a RESYNC, the channel its failed publish missed.
    assert received == [RESYNC, {"positions": [2]}]


async def test_a_failed_publish_still_reaches_local_subscribers(
    brokers: tuple[RedisBroker, RedisBroker], redis_server: RedisServer
) -> None:
    first, _ = brokers
    async with first.subscribe(CHANNEL) as inbox:
        redis_server.stop()
        await first.publish(CHANNEL, {"positions": [3]})
        assert await inbox.receive(within=1) == {"positions": [3]}


async def test_a_full_inbox_detaches_the_subscriber(
    brokers: tuple[RedisBroker, RedisBroker],
) -> None:
    first, second = brokers
    async with second.subscribe(CHANNEL, maxsize=1) as inbox:
        for position in (1, 2):
            await first.publish(CHANNEL, {"positions": [position]})
        await asyncio.sleep(0.3)
        assert second.subscriber_count(CHANNEL) == 0
        with pytest.raises(SubscriberTooSlow):
            await inbox.receive(within=1)
