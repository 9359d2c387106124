"""A `parcelgraph worker` process killed with SIGKILL mid-batch loses no delivery."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from parcelgraph.domain.enums import DeliveryStatus
from parcelgraph.models.types import utcnow

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

EVENTS = 120


def start_worker(database_url: str, tmp_path, **extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "PARCELGRAPH_DATABASE_URL": database_url,
        "PARCELGRAPH_DATA_DIR": str(tmp_path),
        "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
        "PARCELGRAPH_RUN_WEBHOOK_WORKER": "true",
        "PARCELGRAPH_WEBHOOK_CLAIM_SECONDS": "2",
        "PARCELGRAPH_WEBHOOK_POLL_INTERVAL": "0.1",
        "PARCELGRAPH_WEBHOOK_CONCURRENCY": "16",
        "PARCELGRAPH_WEBHOOK_BATCH_SIZE": "8",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "parcelgraph", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def wait_for(predicate, limit: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        if process.poll() is not None:
            pytest.fail(f"worker exited: {process.stderr.read().decode()[-2000:]}")
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_killed_worker_process_loses_nothing(outbox, receiver, database_url, tmp_path):
    # given 120 events owed to a receiver that takes 0.3 s per answer
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/busy"))
    expected = set()
    for _ in range(3):
        order = await outbox.order(shop)
        events = await outbox.emit(shop, order, *["OUT_FOR_DELIVERY"] * 40, now=utcnow())
        expected |= {str(e.id) for e in events}

    def seen() -> set[str]:
        return {json.loads(r.body)["id"] for r in receiver.state.received("/busy")}

    # when a worker process is SIGKILLed while sends are in flight
    first = start_worker(database_url, tmp_path)
    try:
        await wait_for(lambda: len(seen()) >= 20 and receiver.state.in_flight > 0, 60, first)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert len(seen()) < EVENTS

    # and a new worker process is started
    second = start_worker(database_url, tmp_path)
    try:
        await wait_for(lambda: seen() == expected, 90, second)
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0  # graceful: in-flight sends finish and are recorded

    # then every event was delivered at least once, and every delivery is DELIVERED
    assert seen() == expected
    statuses = {d.status for d in await outbox.deliveries()}
    assert statuses == {DeliveryStatus.DELIVERED.value}


async def test_the_worker_runs_what_it_prints_whatever_serve_is_told(
    outbox, receiver, database_url, tmp_path
):
    # given a delivery owed, and the environment that switches the worker off inside `serve`
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/hook"))
    order = await outbox.order(shop)
    [event] = await outbox.emit(shop, order, "OUT_FOR_DELIVERY", now=utcnow())

    # when `parcelgraph worker` runs with that environment
    process = start_worker(database_url, tmp_path, PARCELGRAPH_RUN_WEBHOOK_WORKER="false")
    try:
        printed = process.stdout.readline().decode()
        await wait_for(lambda: bool(receiver.state.received("/hook")), 60, process)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0

    # then it says what runs, and the delivery went out
    assert printed == "worker running: webhook worker, carrier poller\n"
    [request] = receiver.state.received("/hook")
    assert json.loads(request.body)["id"] == str(event.id)
