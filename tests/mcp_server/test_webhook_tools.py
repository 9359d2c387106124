"""Webhook delivery tools: an admin reads the delivery log and queues a redelivery."""

from tests.mcp_server.support import NEW_ORDER, call
from tests.schema.webhooks.fragments import create_webhook
from tests.support import Caller


async def test_an_admin_lists_and_redelivers(mcp_connect, shop: Caller) -> None:
    webhook = (await create_webhook(shop, "https://hooks.example.com/acme"))["webhook"]
    async with mcp_connect(shop.slug, shop.authorization) as session:
        await call(session, "upsert_order", NEW_ORDER)
        log = await call(session, "list_webhook_deliveries", {"webhookId": webhook["id"]})
        owed = log["webhook"]["deliveries"]["nodes"]
        delivery = owed[0]
        again = await call(session, "redeliver_webhook_delivery", {"id": delivery["id"]})
        after = await call(session, "list_webhook_deliveries", {"webhookId": webhook["id"]})

    # the new order's events were owed to the webhook (the worker is off in tests)
    assert log["webhook"]["url"] == "https://hooks.example.com/acme"
    assert {(d["status"], d["isTest"]) for d in owed} == {("PENDING", False)}
    redelivered = again["delivery"]
    assert redelivered["eventId"] == delivery["eventId"]
    assert (redelivered["status"], redelivered["attemptCount"]) == ("PENDING", 0)
    assert redelivered["webhookId"] == webhook["id"]
    ids = [d["id"] for d in after["webhook"]["deliveries"]["nodes"]]
    assert sorted(ids) == sorted([*(d["id"] for d in owed), redelivered["id"]])
