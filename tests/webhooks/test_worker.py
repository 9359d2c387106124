"""The worker against a real receiver on 127.0.0.1: signatures, retries, 410, timeouts."""

import hashlib
import hmac
import json

import pytest

from parcelgraph.domain.enums import DeliveryStatus, WebhookStatus

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "webhook_backoff_base": 1.0,
        "webhook_backoff_cap": 4.0,
        "webhook_backoff_jitter": "none",
        "webhook_max_retries": 3,
        "webhook_total_timeout": 0.5,
        "webhook_connect_timeout": 0.5,
    }


def karla_hex(secret: str, timestamp: str, body: bytes) -> str:
    """The documented algorithm, written here independently of parcelgraph's code."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


async def test_a_delivery_is_signed_as_documented(outbox, receiver, clock) -> None:
    # given a webhook and one event
    shop = await outbox.shop()
    issued = await outbox.webhook(shop, receiver.url("/ok"))
    order = await outbox.order(shop, "1001")
    [event] = await outbox.emit(shop, order, "SUCCESSFULLY_DELIVERED")
    worker = outbox.worker()

    # when the worker runs once
    assert await worker.run_once() == 1
    await worker.aclose()

    # then the receiver got the envelope, signed with the secret
    [request] = receiver.state.received("/ok")
    header = request.headers["Karla-Signature"]
    parts = dict(p.split("=", 1) for p in header.split(","))
    assert parts["t"] == str(int(clock().timestamp()))
    assert hmac.compare_digest(parts["v1"], karla_hex(issued.secret, parts["t"], request.body))
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["webhook-id"] == str(event.id)
    body = json.loads(request.body)
    assert body["id"] == str(event.id)
    assert body["ref"] == "shipments/delivered/SUCCESSFULLY_DELIVERED"
    assert body["event_group"] == "shipment_delivered"
    assert (body["sequence"], body["position"], body["shop_slug"]) == (1, event.position, "acme")
    assert body["context"]["order"]["order_number"] == "1001"
    [delivery] = await outbox.deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED.value
    [attempt] = await outbox.attempts(delivery.id)
    assert (attempt.attempt_number, attempt.status_code, attempt.succeeded) == (1, 200, True)
    assert attempt.response_excerpt == "thanks"


async def test_500s_are_retried_on_schedule_until_a_200(outbox, receiver, clock) -> None:
    # given a receiver that fails twice, then accepts
    shop = await outbox.shop()
    path = receiver.state.script("flaky", 500, 503, 200)
    await outbox.webhook(shop, receiver.url(path))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")
    worker = outbox.worker()

    # when the worker runs, and runs again only once each retry is due
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # not due before the 1 s wait
    clock.advance(seconds=1)
    assert await worker.run_once() == 1
    clock.advance(seconds=1)
    assert await worker.run_once() == 0  # the second wait is 2 s
    clock.advance(seconds=1)
    assert await worker.run_once() == 1
    clock.advance(days=1)
    assert await worker.run_once() == 0
    await worker.aclose()

    # then it was delivered once, after three recorded attempts
    assert len(receiver.state.received(path)) == 3
    [delivery] = await outbox.deliveries()
    assert (delivery.status, delivery.attempt_count) == (DeliveryStatus.DELIVERED.value, 3)
    attempts = await outbox.attempts(delivery.id)
    assert [(a.attempt_number, a.status_code, a.succeeded) for a in attempts] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert attempts[0].response_excerpt == "scripted 500"


async def test_410_gone_disables_the_webhook(outbox, receiver) -> None:
    # given a receiver that answers 410 Gone
    shop = await outbox.shop()
    issued = await outbox.webhook(shop, receiver.url("/gone"))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
    worker = outbox.worker()

    # when the worker delivers one of the two events
    assert await worker.run_once(limit=1) == 1
    assert await worker.run_once() == 0  # the other waits: its webhook is inactive
    await worker.aclose()

    # then the delivery failed, the webhook is inactive with the reason, nothing more sent
    webhook = await outbox.reload(issued.webhook.id)
    assert webhook.status == WebhookStatus.INACTIVE.value
    assert webhook.disabled_reason.startswith("The receiver answered 410 Gone")
    first, second = await outbox.deliveries()
    assert (first.status, first.last_status_code) == (DeliveryStatus.FAILED.value, 410)
    assert second.status == DeliveryStatus.PENDING.value
    assert len(receiver.state.received("/gone")) == 1


async def test_timeouts_are_retried(outbox, receiver, clock) -> None:
    # given a receiver that answers too late once, then in time
    shop = await outbox.shop()
    path = receiver.state.script("slow", "slow", 200)
    await outbox.webhook(shop, receiver.url(path))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")
    worker = outbox.worker()

    # when the worker tries, times out, and tries again once due
    assert await worker.run_once() == 1
    clock.advance(seconds=1)
    assert await worker.run_once() == 1
    await worker.aclose()

    # then the timeout was recorded and the retry delivered it
    [delivery] = await outbox.deliveries()
    assert delivery.status == DeliveryStatus.DELIVERED.value
    first, second = await outbox.attempts(delivery.id)
    assert first.status_code is None
    assert first.error.startswith("timeout:")
    assert (second.status_code, second.succeeded) == (200, True)


async def test_the_last_retry_fails_the_delivery_for_good(outbox, receiver, clock) -> None:
    # given a receiver that always fails (first attempt + 3 retries in these settings)
    shop = await outbox.shop()
    await outbox.webhook(shop, receiver.url("/fail"))
    order = await outbox.order(shop)
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY")
    worker = outbox.worker()

    # when every attempt is made
    for _ in range(6):
        await worker.run_once()
        clock.advance(seconds=4)
    await worker.aclose()

    # then it was tried 4 times and is FAILED, with nothing further scheduled
    assert len(receiver.state.received("/fail")) == 4
    [delivery] = await outbox.deliveries()
    assert (delivery.status, delivery.attempt_count) == (DeliveryStatus.FAILED.value, 4)
    assert delivery.last_status_code == 500
