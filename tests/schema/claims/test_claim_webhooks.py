"""Claim events reach the webhook outbox in the claim's own transaction (and only then)."""

import json

import pytest
from sqlmodel import select
from strawberry import relay

from parcelgraph.models import EventEnvelope, Webhook, WebhookDelivery
from tests.claim_support import claim_events, parcel
from tests.factories import Factory

CREATE = """
mutation($input: CreateClaimInput!) {
  createClaim(input: $input) { claim { id } errors { code } }
}
"""
UPDATE = """
mutation($input: UpdateClaimInput!) {
  updateClaim(input: $input) { claim { status } errors { code } }
}
"""


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


async def webhook(db, shop, enabled: list[str]) -> Webhook:  # type: ignore[no-untyped-def]
    async with db.writer() as session:
        hook = Webhook(
            shop_id=shop.id, url="https://hooks.example/in", enabled_events=enabled, secret="s"
        )
        session.add(hook)
        await session.commit()
    return hook


async def outbox(db) -> list[tuple[WebhookDelivery, dict]]:  # type: ignore[no-untyped-def]
    async with db.reader() as session:
        stmt = (
            select(WebhookDelivery, EventEnvelope)
            .join(EventEnvelope, EventEnvelope.event_position == WebhookDelivery.event_position)
            .order_by(WebhookDelivery.event_position)  # type: ignore[arg-type]
        )
        return [(d, json.loads(e.body)) for d, e in (await session.exec(stmt)).all()]


async def test_created_and_updated_claims_are_queued_for_a_claims_webhook(editor, make, db) -> None:
    given = await parcel(make)
    shop = await make.shop("acme")
    hook = await webhook(db, shop, ["claims"])
    await webhook(db, shop, ["shipments/delivered"])  # wants no claim events

    created = await editor.data(
        CREATE,
        {"input": {"orderNumber": "1001", "trackingNumber": "00340434", "reason": "DAMAGE"}},
    )
    claim_id = created["createClaim"]["claim"]["id"]
    await editor.data(UPDATE, {"input": {"id": claim_id, "status": "ACCEPTED"}})

    events = await claim_events(db, given.order)
    rows = await outbox(db)
    assert [(d.webhook_id, d.event_position, d.status) for d, _ in rows] == [
        (hook.id, events[0].position, "PENDING"),
        (hook.id, events[1].position, "PENDING"),
    ]
    created_body, updated_body = (body for _, body in rows)
    assert (created_body["source"], created_body["ref"], created_body["event_group"]) == (
        "claims",
        "claims/created",
        "claim_created",
    )
    assert created_body["event_data"] == events[0].data
    assert updated_body["event_data"]["status"] == "ACCEPTED"
    assert updated_body["event_data"]["event_name"] == "updated"
    assert updated_body["context"]["claims"][0]["id"] == relay.GlobalID.from_id(claim_id).node_id


async def test_a_refused_claim_queues_nothing(editor, make, db) -> None:
    await parcel(make, events=("DEPARTURE_FROM_TRANSPORT_HUB",))
    await webhook(db, await make.shop("acme"), ["*"])
    before = await outbox(db)

    payload = await editor.data(
        CREATE,
        {"input": {"orderNumber": "1001", "trackingNumber": "00340434", "reason": "DAMAGE"}},
    )

    assert payload["createClaim"]["errors"] == [{"code": "CLAIM_NOT_ELIGIBLE"}]
    assert await outbox(db) == before
