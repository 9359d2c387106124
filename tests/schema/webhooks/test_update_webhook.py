"""updateWebhook: partial changes, validation, and reactivation resuming deliveries."""

import pytest

from parcelgraph.domain.enums import DeliveryStatus
from tests.schema.webhooks.fragments import WEBHOOK_FIELDS, create_webhook

pytestmark = pytest.mark.asyncio

UPDATE = f"""
mutation($input: UpdateWebhookInput!) {{
  updateWebhook(input: $input) {{ webhook {{ {WEBHOOK_FIELDS} }} errors {{ field code }} }}
}}"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "webhook_max_retries": 0,
        "webhook_disable_after_failures": 2,
        "webhook_backoff_jitter": "none",
    }


async def test_only_the_given_fields_change(shop, clock) -> None:
    created = await create_webhook(shop, "https://a.example.com", ["claims"], "first")
    clock.advance(minutes=5)

    data = await shop.data(
        UPDATE,
        {"input": {"id": created["webhook"]["id"], "enabledEvents": ["shipments/delivered"]}},
    )

    webhook = data["updateWebhook"]["webhook"]
    assert data["updateWebhook"]["errors"] == []
    assert webhook["url"] == "https://a.example.com"
    assert webhook["description"] == "first"
    assert webhook["enabledEvents"] == ["shipments/delivered"]
    assert webhook["updatedAt"] == clock().isoformat()


async def test_invalid_changes_are_refused_whole(shop) -> None:
    created = await create_webhook(shop, "https://a.example.com")

    data = await shop.data(
        UPDATE,
        {
            "input": {
                "id": created["webhook"]["id"],
                "url": "ftp://a.example.com",
                "enabledEvents": ["nope"],
                "description": "changed",
            }
        },
    )

    assert data["updateWebhook"]["webhook"] is None
    assert data["updateWebhook"]["errors"] == [
        {"field": ["url"], "code": "INVALID_URL"},
        {"field": ["enabledEvents", "0"], "code": "ENABLED_EVENT_UNKNOWN"},
    ]
    listed = await shop.data("{ webhooks { description url } }")
    assert listed["webhooks"] == [{"description": None, "url": "https://a.example.com"}]


async def test_an_unknown_id_is_reported(shop) -> None:
    data = await shop.data(UPDATE, {"input": {"id": "V2ViaG9vazpub3BlCg==", "url": "https://x.io"}})

    assert data["updateWebhook"]["errors"] == [{"field": ["id"], "code": "INVALID_ID"}]


async def test_failing_deliveries_disable_and_reactivation_resumes(
    shop, outbox, receiver, clock
) -> None:
    # given a webhook whose receiver fails every delivery (no retries in these settings)
    path = receiver.state.script("down", 500, 500)
    created = await create_webhook(shop, receiver.url(path))
    acme = await outbox.shop()
    order = await outbox.order(acme)
    await outbox.emit(acme, order, "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED", "DELIVERY_ATTEMPTED")
    worker = outbox.worker()

    # when two deliveries fail for good, the webhook is disabled and the third waits
    assert await worker.run_once(limit=2) == 2
    assert await worker.run_once() == 0
    listed = await shop.data("{ webhooks { status disabledReason consecutiveFailures } }")
    assert listed["webhooks"] == [
        {
            "status": "INACTIVE",
            "disabledReason": "2 deliveries in a row failed after every retry; "
            "reactivate the webhook to resume.",
            "consecutiveFailures": 2,
        }
    ]

    # when an admin reactivates it, the waiting delivery goes out
    data = await shop.data(UPDATE, {"input": {"id": created["webhook"]["id"], "status": "ACTIVE"}})
    webhook = data["updateWebhook"]["webhook"]
    assert (webhook["status"], webhook["disabledReason"], webhook["consecutiveFailures"]) == (
        "ACTIVE",
        None,
        0,
    )
    assert await worker.run_once() == 1
    await worker.aclose()
    statuses = [d.status for d in await outbox.deliveries()]
    assert statuses == [DeliveryStatus.FAILED.value] * 2 + [DeliveryStatus.DELIVERED.value]
