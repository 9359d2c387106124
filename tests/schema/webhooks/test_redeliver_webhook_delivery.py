"""redeliverWebhookDelivery: a failed delivery sent again, same body and event id."""

import pytest

from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio

REDELIVER = """
mutation($id: ID!) {
  redeliverWebhookDelivery(id: $id) {
    delivery { id eventId status attemptCount isTest }
    errors { code field }
  }
}"""
LOG = """
query($id: ID!) { webhook(id: $id) { deliveries(first: 10) { nodes { id eventId status } } } }"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"webhook_max_retries": 0}


async def test_a_failed_delivery_is_sent_again_with_the_same_body(
    shop, outbox, receiver, clock
) -> None:
    # given a delivery that failed for good (no retries in these settings)
    path = receiver.state.script("once", 500, 200)
    created = await create_webhook(shop, receiver.url(path))
    acme = await outbox.shop()
    order = await outbox.order(acme)
    [event] = await outbox.emit(acme, order, "OUT_FOR_DELIVERY")
    worker = outbox.worker()
    await worker.run_once()
    log = await shop.data(LOG, {"id": created["webhook"]["id"]})
    [failed] = log["webhook"]["deliveries"]["nodes"]
    assert failed["status"] == "FAILED"

    # when an admin redelivers it a minute later
    clock.advance(minutes=1)
    data = await shop.data(REDELIVER, {"id": failed["id"]})
    await worker.run_once()
    await worker.aclose()

    # then a new delivery of the same event went out, with the same bytes and id
    payload = data["redeliverWebhookDelivery"]
    assert payload["errors"] == []
    assert payload["delivery"]["eventId"] == str(event.id)
    assert (payload["delivery"]["status"], payload["delivery"]["attemptCount"]) == ("PENDING", 0)
    first, second = receiver.state.received(path)
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == str(event.id)
    log = await shop.data(LOG, {"id": created["webhook"]["id"]})
    assert [n["status"] for n in log["webhook"]["deliveries"]["nodes"]] == ["DELIVERED", "FAILED"]


async def test_an_unknown_delivery_is_reported(shop) -> None:
    created = await create_webhook(shop, "https://a.example.com")

    # a webhook id is not a delivery id
    data = await shop.data(REDELIVER, {"id": created["webhook"]["id"]})

    assert data["redeliverWebhookDelivery"] == {
        "delivery": None,
        "errors": [{"code": "INVALID_ID", "field": ["id"]}],
    }
