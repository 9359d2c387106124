"""The worker's long-running loop: wake-up on commit, graceful stop, SSRF at send time,
and two workers sharing one outbox without double sends."""

import asyncio
import json
import time

import pytest

from parcelgraph.db import Database
from parcelgraph.domain.enums import DeliveryStatus
from parcelgraph.webhooks.worker import WebhookWorker

pytestmark = pytest.mark.asyncio


async def wait_for(predicate, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_commit_wakes_the_sleeping_worker_at_once(outbox, receiver, settings) -> None:
    # given a worker that would otherwise poll only every 30 s, asleep with nothing due
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/ok"))
    order = await outbox.order(shop)
    worker = outbox.worker()
    worker.settings = settings.model_copy(update={"webhook_poll_interval": 30.0})
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)

    # when an event is committed
    started = time.monotonic()
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")

    # then its first attempt follows within moments, not at the next poll
    await wait_for(lambda: len(receiver.state.received("/ok")) == 1, limit=5)
    assert time.monotonic() - started < 5
    await worker.stop()
    await task
    await worker.aclose()


async def test_stopping_finishes_and_records_the_sends_in_flight(outbox, receiver) -> None:
    # given a worker sending to a receiver that takes 0.3 s to answer
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/busy"))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED")
    worker = outbox.worker()
    task = asyncio.create_task(worker.run())
    await wait_for(lambda: receiver.state.in_flight > 0)

    # when it is told to stop mid-send
    await worker.stop()
    await task
    await worker.aclose()

    # then the sends completed and were recorded
    statuses = [d.status for d in await outbox.deliveries()]
    assert statuses == [DeliveryStatus.DELIVERED.value] * 2


async def test_a_loopback_destination_is_refused_at_send_time(outbox, receiver, settings) -> None:
    # given a webhook on 127.0.0.1 stored while private URLs were allowed
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/ok"))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")

    # when a worker that does not allow private destinations runs
    worker = outbox.worker()
    worker.settings = settings.model_copy(update={"webhook_allow_private_urls": False})
    assert await worker.run_once() == 1
    await worker.aclose()

    # then nothing reached the receiver and the refusal is in the log, to be retried
    assert receiver.state.received() == []
    [delivery] = await outbox.deliveries()
    assert delivery.status == DeliveryStatus.PENDING.value
    [attempt] = await outbox.attempts(delivery.id)
    assert attempt.status_code is None
    assert attempt.error.startswith("unsafe_destination: ")
    assert "loopback" in attempt.error


async def test_two_workers_deliver_1000_events_once_each(outbox, receiver, settings) -> None:
    # given 1,000 events owed to one webhook
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/ok"))
    orders = [await outbox.order(shop) for _ in range(10)]
    expected = set()
    for order in orders:
        events = await outbox.emit(shop, order, *["OUT_FOR_DELIVERY"] * 100)
        expected |= {str(e.id) for e in events}

    # when two workers, each with its own connections, drain the outbox together
    databases = [Database(settings.effective_database_url, null_pool=True) for _ in range(2)]
    workers = [outbox.worker(worker_id=f"worker-{n}") for n in range(2)]
    for worker, db in zip(workers, databases, strict=True):
        worker.db = db
    tasks = [asyncio.create_task(w.run()) for w in workers]
    await wait_for(lambda: len(receiver.state.received("/ok")) >= 1000, limit=120)
    await asyncio.sleep(0.3)  # a duplicate, if any, would arrive now
    for worker in workers:
        await worker.stop()
    await asyncio.gather(*tasks)
    for worker, db in zip(workers, databases, strict=True):
        await worker.aclose()
        await db.dispose()

    # then every event arrived exactly once
    ids = [json.loads(r.body)["id"] for r in receiver.state.received("/ok")]
    assert len(ids) == 1000
    assert set(ids) == expected
    deliveries = await outbox.deliveries()
    assert {d.status for d in deliveries} == {DeliveryStatus.DELIVERED.value}
    assert {d.attempt_count for d in deliveries} == {1}


async def test_a_stalled_receiver_holds_one_slot_not_a_batch(outbox, receiver, settings) -> None:
    # given one delivery to a receiver that answers after 5 s, then 20 to a prompt one
    shop = await outbox.shop()
    slow = await outbox.webhook(
        shop, receiver.url("/slow"), enabled_events=["shipments/in_delivery"]
    )
    await outbox.webhook(shop, receiver.url("/ok"), enabled_events=["shipments/in_transit"])
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")
    await outbox.emit(shop, order, *["IN_TRANSIT"] * 20)

    # when a worker with four sending slots drains the outbox
    four = settings.model_copy(update={"webhook_concurrency": 4, "webhook_total_timeout": 30.0})
    worker = WebhookWorker(db=outbox.db, settings=four, clock=outbox.clock)
    task = asyncio.create_task(worker.run())
    await wait_for(lambda: len(receiver.state.received("/ok")) == 20, limit=60)
    stalled = [d.status for d in await outbox.deliveries(slow.webhook.id)]

    # then the prompt receiver got all 20 while the stalled send still held its slot
    assert (len(receiver.state.received("/slow")), stalled) == (1, ["IN_FLIGHT"])
    await worker.stop()
    await task
    await worker.aclose()
