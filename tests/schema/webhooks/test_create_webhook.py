"""createWebhook: validation, the secret shown once, admin only."""

import pytest

from parcelgraph.webhooks.signing import standard_key
from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio

LIST = "{ webhooks { url enabledEvents status } }"


async def test_an_admin_creates_a_webhook_and_sees_its_secret_once(shop, clock) -> None:
    # when an admin creates a webhook without enabledEvents
    payload = await create_webhook(shop, "https://hooks.example.com/in", description="erp")

    # then it is active, subscribed to everything, and the secret is returned
    assert payload["errors"] == []
    webhook = payload["webhook"]
    assert webhook["url"] == "https://hooks.example.com/in"
    assert webhook["enabledEvents"] == ["*"]
    assert webhook["description"] == "erp"
    assert webhook["status"] == "ACTIVE"
    assert webhook["consecutiveFailures"] == 0
    assert webhook["createdAt"] == clock().isoformat()
    assert payload["secret"].startswith("whsec_")
    assert len(standard_key(payload["secret"])) == 32
    # and the list shows it, without any way to read the secret again
    assert (await shop.data(LIST))["webhooks"] == [
        {"url": "https://hooks.example.com/in", "enabledEvents": ["*"], "status": "ACTIVE"}
    ]


async def test_every_problem_is_reported_and_nothing_is_created(shop) -> None:
    # when the URL is not a URL and two enabledEvents entries match nothing
    payload = await create_webhook(
        shop,
        "not a url",
        enabled_events=["shipments/delivered", "shipments/deliv", "no_such_group"],
    )

    # then all three problems come back together and nothing was created
    assert payload["webhook"] is None
    assert payload["secret"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("INVALID_URL", ["url"]),
        ("ENABLED_EVENT_UNKNOWN", ["enabledEvents", "1"]),
        ("ENABLED_EVENT_UNKNOWN", ["enabledEvents", "2"]),
    ]
    assert (await shop.data(LIST))["webhooks"] == []


async def test_groups_and_prefixes_are_accepted(shop) -> None:
    payload = await create_webhook(
        shop, "https://h.example.com", enabled_events=["claims", "shipment_delivered_all_events"]
    )

    assert payload["errors"] == []
    assert payload["webhook"]["enabledEvents"] == ["claims", "shipment_delivered_all_events"]


async def test_editors_may_not_manage_webhooks(editor) -> None:
    body = await editor.execute(
        'mutation { createWebhook(input: {url: "https://h.example.com"}) { secret } }'
    )

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
