"""deleteWebhook: the webhook and the deliveries owed to it are gone."""

import pytest

from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio

DELETE = "mutation($id: ID!) { deleteWebhook(id: $id) { deletedWebhookId errors { code } } }"


async def test_deleting_drops_pending_deliveries(shop, outbox) -> None:
    # given a webhook with a pending delivery
    created = await create_webhook(shop, "https://a.example.com")
    acme = await outbox.shop()
    order = await outbox.order(acme)
    await outbox.emit(acme, order, "OUT_FOR_DELIVERY")
    assert len(await outbox.deliveries()) == 1

    # when it is deleted
    data = await shop.data(DELETE, {"id": created["webhook"]["id"]})

    # then it is gone with its deliveries, and the worker has nothing to send
    assert data["deleteWebhook"] == {"deletedWebhookId": created["webhook"]["id"], "errors": []}
    assert (await shop.data("{ webhooks { url } }"))["webhooks"] == []
    assert await outbox.deliveries() == []
    worker = outbox.worker()
    assert await worker.run_once() == 0
    await worker.aclose()


async def test_deleting_twice_reports_not_found(shop) -> None:
    created = await create_webhook(shop, "https://a.example.com")
    await shop.data(DELETE, {"id": created["webhook"]["id"]})

    data = await shop.data(DELETE, {"id": created["webhook"]["id"]})

    assert data["deleteWebhook"] == {
        "deletedWebhookId": None,
        "errors": [{"code": "WEBHOOK_NOT_FOUND"}],
    }
