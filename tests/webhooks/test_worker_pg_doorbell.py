"""On PostgreSQL without Redis, a separate `parcelgraph worker` is woken by LISTEN/NOTIFY.

The worker process polls only every 30 s here, so a delivery that reaches the receiver well
within one poll interval of the commit proves the commit's NOTIFY woke it. When its LISTEN
connection is dropped, it reconnects and is woken the same way again.
"""

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import text

from tests.webhooks.helpers import wait_for_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

POLL_SECONDS = 30.0
LISTENERS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND query LIKE 'LISTEN %parcelgraph_outbox%' AND pid <> pg_backend_pid()"
)


def start_worker(database_url: str, tmp_path: Any) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if key != "PARCELGRAPH_BROKER_URL"} | {
        "PARCELGRAPH_DATABASE_URL": database_url,
        "PARCELGRAPH_DATA_DIR": str(tmp_path),
        "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
        "PARCELGRAPH_WEBHOOK_POLL_INTERVAL": str(POLL_SECONDS),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "parcelgraph", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_a_commit_notifies_the_worker_and_a_dropped_listener_reconnects(
    outbox, receiver, tmp_path, database_url, backend
) -> None:
    # given a webhook, and a worker process without Redis that polls every 30 s
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/hook"))
    order = await outbox.order(shop)
    worker = start_worker(database_url, tmp_path)

    async def listeners() -> list[int]:
        async with outbox.db.reader() as session:
            return list((await session.exec(text(LISTENERS))).scalars().all())  # type: ignore[call-overload]

    async def commit_and_wait(name: str) -> None:
        [event] = await outbox.emit(shop, order, name)

        async def delivered() -> bool:
            ids = [json.loads(r.body)["id"] for r in receiver.state.received("/hook")]
            return str(event.id) in ids

        # then it is delivered before the worker's next poll could have found it
        await wait_for_worker(delivered, worker, f"delivery of {name}", POLL_SECONDS * 0.8)

    try:
        await wait_for_worker(listeners, worker, "LISTEN")
        await asyncio.sleep(0.5)  # its first claim (nothing due yet) is over: it now waits
        # when this process commits an event owed to the webhook
        await commit_and_wait("OUT_FOR_DELIVERY")

        # when the listening connection is terminated by the server
        [dropped] = await listeners()
        async with outbox.db.writer() as session:
            await session.exec(text(f"SELECT pg_terminate_backend({int(dropped)})"))  # type: ignore[call-overload]

        async def listening_again() -> bool:
            pids = await listeners()
            return bool(pids) and dropped not in pids

        await wait_for_worker(listening_again, worker, "a new LISTEN connection")
        await asyncio.sleep(0.5)  # the reconnect's own look at the outbox is over
        # then the next commit wakes it the same way
        await commit_and_wait("IN_TRANSIT")
    finally:
        worker.terminate()
        worker.wait(30)
