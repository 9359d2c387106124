"""sendTestWebhook: a signed ping the receiver can verify."""

import json

import pytest

from parcelgraph.webhooks import verify, verify_standard
from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio

SEND = """
mutation($id: ID!) {
  sendTestWebhook(id: $id) { delivery { eventId isTest status } errors { code } }
}"""


async def test_a_test_ping_is_signed_and_delivered(shop, outbox, receiver, clock) -> None:
    created = await create_webhook(shop, receiver.url("/ok"))

    data = await shop.data(SEND, {"id": created["webhook"]["id"]})
    worker = outbox.worker()
    assert await worker.run_once() == 1
    await worker.aclose()

    delivery = data["sendTestWebhook"]["delivery"]
    assert (delivery["isTest"], delivery["status"]) == (True, "PENDING")
    [request] = receiver.state.received("/ok")
    body = json.loads(request.body)
    assert (body["source"], body["ref"], body["shop_slug"]) == ("test", "test/ping", "acme")
    assert body["id"] == delivery["eventId"] == request.headers["webhook-id"]
    verify(request.body, request.headers["Karla-Signature"], created["secret"], now=clock())
    verify_standard(request.body, request.headers, created["secret"], now=clock())
