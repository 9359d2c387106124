"""A separate `parcelgraph worker` is rung through the broker on commit, not left to poll.

The worker process polls only once an hour here, so a delivery that reaches the receiver
proves the commit in another process (this one) woke it through Redis.
"""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from parcelgraph.pubsub import publish_committed
from parcelgraph.pubsub_redis import RedisBroker
from parcelgraph.resolvers.common import event_log
from tests.processes import RedisServer
from tests.webhooks.helpers import new_event, wait_for_worker

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def start_worker(database_url: str, broker_url: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "PARCELGRAPH_DATABASE_URL": database_url,
        "PARCELGRAPH_BROKER_URL": broker_url,
        "PARCELGRAPH_DATA_DIR": str(tmp_path),
        "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
        "PARCELGRAPH_RUN_WEBHOOK_WORKER": "true",
        "PARCELGRAPH_WEBHOOK_POLL_INTERVAL": "3600",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "parcelgraph", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def test_a_commit_in_another_process_wakes_the_worker(
    outbox, receiver, database_url, redis_server, tmp_path
) -> None:
    # given a webhook, and a worker process listening on Redis that would poll hourly
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/hook"))
    order = await outbox.order(shop)
    worker = start_worker(database_url, redis_server.url, tmp_path)
    probe = redis.Redis.from_url(redis_server.url)
    broker = RedisBroker(redis_server.url)
    try:
        await wait_for_worker(
            lambda: probe.pubsub_numpat() >= 1, worker, "the worker's subscription"
        )
        await asyncio.sleep(0.5)  # its first claim (nothing due yet) is over: it now waits
        await broker.start()

        # when this process commits an event owed to the webhook and publishes the commit
        now = outbox.clock()
        async with outbox.db.writer() as session:
            [event] = await event_log.append(
                session,
                shop=shop,
                events=[new_event(order.id, "OUT_FOR_DELIVERY", now=now)],
                now=now,
            )
            await session.commit()
        await publish_committed(broker, session.info)

        # then the worker delivers it long before its next poll
        def delivered() -> list[str]:
            return [json.loads(r.body)["id"] for r in receiver.state.received("/hook")]

        await wait_for_worker(lambda: delivered() == [str(event.id)], worker, "the delivery")
    finally:
        await broker.aclose()
        probe.close()
        worker.terminate()
        worker.wait(30)
