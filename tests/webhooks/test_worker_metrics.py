"""What /metrics shows of webhooks: the outbox waiting, and each attempt's outcome and time."""

import pytest

from tests.metrics_support import scrape, value

pytestmark = pytest.mark.asyncio

DEPTH = "parcelgraph_webhook_outbox_depth"
OLDEST = "parcelgraph_webhook_outbox_oldest_age_seconds"
ATTEMPTS = "parcelgraph_webhook_delivery_attempts_total"
SECONDS = "parcelgraph_webhook_delivery_seconds_count"


async def test_the_outbox_depth_and_age_then_the_delivery_outcomes(
    http, outbox, receiver, clock
) -> None:
    # given two events waiting for a healthy receiver and one for a failing one
    shop = await outbox.shop()
    healthy = await outbox.webhook(shop, receiver.url("/ok"), ["shipments/in_delivery"])
    failing = await outbox.webhook(
        shop, receiver.url(receiver.state.script("down", 503)), ["shipments/delivered"]
    )
    order = await outbox.order(shop, "1001")
    await outbox.emit(shop, order, "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
    clock.advance(seconds=90)
    waiting = await scrape(http)
    ok_id, down_id = str(healthy.webhook.id), str(failing.webhook.id)
    before = {
        (w, o): value(waiting, ATTEMPTS, webhook=w, outcome=o)
        for w in (ok_id, down_id)
        for o in ("DELIVERED", "RETRY")
    }

    # when the worker delivers what is due
    worker = outbox.worker()
    assert await worker.run_once() == 2
    await worker.aclose()
    after = await scrape(http)

    # then the scrape before showed both waiting since the events, and the one after the
    # delivered one gone, the failed one waiting for its retry, and one attempt each
    assert (value(waiting, DEPTH), value(waiting, OLDEST)) == (2, 90)
    assert (value(after, DEPTH), value(after, OLDEST)) == (1, 90)
    delivered = value(after, ATTEMPTS, webhook=ok_id, outcome="DELIVERED")
    retried = value(after, ATTEMPTS, webhook=down_id, outcome="RETRY")
    assert delivered - before[ok_id, "DELIVERED"] == 1
    assert retried - before[down_id, "RETRY"] == 1
    assert value(after, SECONDS, webhook=ok_id) == value(after, SECONDS, webhook=down_id) == 1
