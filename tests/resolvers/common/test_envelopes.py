"""Webhook envelopes: documented keys, claim event_data, built once."""

import json
from decimal import Decimal

import pytest
from sqlmodel import select

from parcelgraph.models import Claim, ClaimItem, EventEnvelope, Shipment
from parcelgraph.resolvers.common import event_log
from tests.webhooks.helpers import Outbox, new_event

pytestmark = pytest.mark.asyncio

ENVELOPE_KEYS = {
    "id", "source", "ref", "version", "triggered_at", "event_group", "event_data",
    "context", "shop_slug", "sequence", "position",
}  # fmt: skip


@pytest.fixture
def outbox(db, clock, settings) -> Outbox:
    return Outbox(db, clock, settings)


async def bodies(db) -> list[dict]:
    async with db.reader() as session:
        rows = (
            await session.exec(select(EventEnvelope).order_by(EventEnvelope.event_position))
        ).all()
    return [json.loads(r.body) for r in rows]


async def test_a_claim_event_carries_the_documented_claim_facts(outbox, db, clock) -> None:
    # given an order with a shipment and a claim on it, and two webhooks that want claims
    shop = await outbox.shop()
    await outbox.webhook(shop, "https://a.example.com", ["claims"])
    await outbox.webhook(shop, "https://b.example.com", ["claim_created"])
    order = await outbox.order(shop, "1001")
    async with db.writer() as session:
        shipment = Shipment(shop_id=shop.id, order_id=order.id, tracking_number="TRACK1")
        session.add(shipment)
        await session.flush()
        claim = Claim(
            shop_id=shop.id,
            order_id=order.id,
            shipment_id=shipment.id,
            reason="DAMAGE",
            resolution_preference="REFUND",
            description="The box was crushed.",
            image_urls=["https://img.example.com/1.jpg"],
            customer_signature_image_url="https://img.example.com/sig.png",
            created_at=clock(),
            updated_at=clock(),
        )
        session.add(claim)
        await session.flush()
        session.add(
            ClaimItem(
                claim_id=claim.id, sku="MUG-1", title="Mug", quantity=2, net_price=Decimal("9.5")
            )
        )
        await session.commit()

    # when the claim's creation event is appended
    async with db.writer() as session:
        [event] = await event_log.append(
            session,
            shop=shop,
            events=[new_event(order.id, "CLAIM_CREATED", now=clock(), claim_id=claim.id)],
            now=clock(),
        )
        await session.commit()

    # then one envelope was built for both webhooks, with the claim's facts as event_data
    [body] = await bodies(db)
    assert set(body) == ENVELOPE_KEYS
    assert (body["id"], body["source"], body["ref"]) == (str(event.id), "claims", "claims/created")
    assert (body["event_group"], body["sequence"], body["shop_slug"]) == (
        "claim_created",
        1,
        "acme",
    )
    assert body["event_data"] == {
        "claim_id": str(claim.id),
        "event_name": "created",
        "event_group": "claim_created",
        "shipment_id": str(shipment.id),
        "created_at": clock().isoformat(),
        "updated_at": clock().isoformat(),
        "status": "PENDING",
        "reason": "DAMAGE",
        "resolution_preference": "REFUND",
        "description": "The box was crushed.",
        "selected_items": [
            {"sku": "MUG-1", "title": "Mug", "quantity": 2, "net_price": "9.5000", "image_urls": []}
        ],
        "image_urls": ["https://img.example.com/1.jpg"],
        "optional_image_urls": [],
        "customer_signature_image_url": "https://img.example.com/sig.png",
    }
    assert [c["id"] for c in body["context"]["claims"]] == [str(claim.id)]
    assert body["context"]["shipments"][0]["tracking_number"] == "TRACK1"
    assert body["context"]["customer"]["email"] == "ada@example.com"
    assert len(await outbox.deliveries()) == 2


async def test_a_shipment_event_carries_the_tracking_facts(outbox, db, clock) -> None:
    shop = await outbox.shop()
    await outbox.webhook(shop, "https://a.example.com")
    order = await outbox.order(shop)
    async with db.writer() as session:
        shipment = Shipment(
            shop_id=shop.id,
            order_id=order.id,
            tracking_number="TRACK2",
            tracking_url="https://track.example.com/TRACK2",
            carrier_reference="dhl",
        )
        session.add(shipment)
        await session.commit()
    async with db.writer() as session:
        await event_log.append(
            session,
            shop=shop,
            events=[
                new_event(
                    order.id,
                    "OUT_FOR_DELIVERY",
                    now=clock(),
                    shipment_id=shipment.id,
                    location="Berlin",
                    message="With the courier",
                )
            ],
            now=clock(),
        )
        await session.commit()

    [body] = await bodies(db)
    assert body["event_data"] == {
        "shipment_id": str(shipment.id),
        "tracking_number": "TRACK2",
        "tracking_url": "https://track.example.com/TRACK2",
        "carrier_reference": "dhl",
        "event_name": "OUT_FOR_DELIVERY",
        "phase": "in_delivery",
        "direction": "MERCHANT_CUSTOMER",
        "updated_at": clock().isoformat(),
        "location": "Berlin",
        "carrier_message": "With the courier",
    }
