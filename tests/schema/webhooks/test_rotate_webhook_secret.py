"""rotateWebhookSecret: both secrets sign during the grace period, only the new one after."""

import hashlib
import hmac

import pytest

from parcelgraph.webhooks import InvalidSignature, verify, verify_standard
from tests.schema.webhooks.fragments import create_webhook

pytestmark = pytest.mark.asyncio

ROTATE = """
mutation($id: ID!, $hours: Float) {
  rotateWebhookSecret(id: $id, graceHours: $hours) {
    secret webhook { previousSecretExpiresAt } errors { code field }
  }
}"""


def signatures(header: str) -> list[str]:
    return [part.split("=", 1)[1] for part in header.split(",") if part.startswith("v1=")]


def expected(secret: str, header: str, body: bytes) -> str:
    # The documented algorithm, independently: hex HMAC-SHA256 of "<t>.<body>".
    t = header.split(",")[0].removeprefix("t=")
    return hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


async def test_both_secrets_sign_during_grace_then_only_the_new(
    shop, outbox, receiver, clock
) -> None:
    # given a webhook and its first secret
    created = await create_webhook(shop, receiver.url("/ok"))
    old = created["secret"]
    acme = await outbox.shop()
    order = await outbox.order(acme)

    # when the secret is rotated with a 24 h grace period
    data = await shop.data(ROTATE, {"id": created["webhook"]["id"]})
    payload = data["rotateWebhookSecret"]
    new = payload["secret"]
    assert payload["errors"] == []
    assert new.startswith("whsec_") and new != old
    grace_end = clock.advance(hours=24)
    clock.advance(hours=-24)
    assert payload["webhook"]["previousSecretExpiresAt"] == grace_end.isoformat()

    # then a delivery during the grace period carries both signatures
    worker = outbox.worker()
    await outbox.emit(acme, order, "OUT_FOR_DELIVERY")
    await worker.run_once()
    during = receiver.state.received("/ok")[-1]
    header = during.headers["Karla-Signature"]
    assert signatures(header) == [
        expected(new, header, during.body),
        expected(old, header, during.body),
    ]
    verify(during.body, header, old, now=clock())
    verify(during.body, header, new, now=clock())
    verify_standard(during.body, during.headers, old, now=clock())

    # and after the grace period only the new secret signs
    clock.advance(hours=24, seconds=1)
    await outbox.emit(acme, order, "DELIVERY_ATTEMPTED")
    await worker.run_once()
    await worker.aclose()
    after = receiver.state.received("/ok")[-1]
    header = after.headers["Karla-Signature"]
    assert signatures(header) == [expected(new, header, after.body)]
    verify(after.body, header, new, now=clock())
    with pytest.raises(InvalidSignature):
        verify(after.body, header, old, now=clock())
    with pytest.raises(InvalidSignature):
        verify_standard(after.body, after.headers, old, now=clock())


async def test_a_zero_grace_period_retires_the_old_secret_at_once(shop) -> None:
    created = await create_webhook(shop, "https://a.example.com")

    data = await shop.data(ROTATE, {"id": created["webhook"]["id"], "hours": 0})

    assert data["rotateWebhookSecret"]["webhook"] == {"previousSecretExpiresAt": None}


async def test_a_grace_period_beyond_a_week_is_refused(shop) -> None:
    created = await create_webhook(shop, "https://a.example.com")

    data = await shop.data(ROTATE, {"id": created["webhook"]["id"], "hours": 169})

    assert data["rotateWebhookSecret"] == {
        "secret": None,
        "webhook": None,
        "errors": [{"code": "VALUE_OUT_OF_RANGE", "field": ["graceHours"]}],
    }
