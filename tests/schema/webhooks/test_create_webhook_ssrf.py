"""createWebhook when the server does not allow private destinations (the default)."""

import pytest

from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"webhook_allow_private_urls": False}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://hooks.example.com/in",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
        "https://2130706433/hook",
        "https://169.254.169.254/latest/meta-data",
    ],
)
async def test_plain_http_loopback_private_and_metadata_addresses_are_refused(shop, url) -> None:
    payload = await create_webhook(shop, url)

    assert payload["webhook"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("UNSAFE_URL", ["url"])]
