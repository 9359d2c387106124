"""The transactional outbox: deliveries exist exactly for committed events that match."""

import pytest
from sqlmodel import func, select

from parcelgraph.models import Event, WebhookDelivery
from parcelgraph.resolvers.common import event_log
from tests.webhooks.helpers import new_event

pytestmark = pytest.mark.asyncio


class Boom(Exception):
    pass


async def test_an_exception_after_the_event_insert_rolls_back_the_deliveries(outbox, db) -> None:
    # given an active webhook that wants every event
    shop = await outbox.shop()
    await outbox.webhook(shop, "https://hooks.example.com/in")
    order = await outbox.order(shop)

    # when a transaction appends an event (writing its outbox row) and then fails
    with pytest.raises(Boom):
        async with db.writer() as session:
            stored = await event_log.append(
                session,
                shop=shop,
                events=[new_event(order.id, "OUT_FOR_DELIVERY", now=outbox.clock())],
                now=outbox.clock(),
            )
            assert session.info["outbox_written"] == 1
            pending = await session.exec(select(func.count()).select_from(WebhookDelivery))
            assert pending.one() == 1  # written inside the transaction
            assert stored[0].position is not None
            raise Boom

    # then neither the event nor its delivery exists, and the worker sends nothing
    async with db.reader() as session:
        assert (await session.exec(select(func.count()).select_from(Event))).one() == 0
    assert await outbox.deliveries() == []
    worker = outbox.worker()
    assert await worker.run_once() == 0
    await worker.aclose()


async def test_a_committed_event_has_one_delivery_per_matching_active_webhook(outbox) -> None:
    shop = await outbox.shop()
    everything = await outbox.webhook(shop, "https://a.example.com")
    claims_only = await outbox.webhook(shop, "https://b.example.com", ["claims"])
    order = await outbox.order(shop)

    [event] = await outbox.emit(shop, order, "SUCCESSFULLY_DELIVERED")

    [delivery] = await outbox.deliveries()
    assert delivery.webhook_id == everything.webhook.id != claims_only.webhook.id
    assert (delivery.event_id, delivery.event_position) == (event.id, event.position)
    assert delivery.next_attempt_at == outbox.clock()


# event name → does it reach each subscription?
SUBSCRIPTIONS = {
    "all": ["*"],
    "exact": ["shipments/delivered/SUCCESSFULLY_DELIVERED"],
    "phase": ["shipments/delivered"],
    "source": ["shipments"],
    "group": ["shipment_out_for_delivery"],
    "delivered_all": ["shipment_delivered_all_events"],
    "claims": ["claims"],
    "claim_created": ["claims/created"],
    "mixed": ["claim_updated", "shipments/in_delivery"],
    "nothing": [],
}
TABLE = [
    ("SUCCESSFULLY_DELIVERED", {"all", "exact", "phase", "source", "delivered_all"}),
    ("OUT_FOR_DELIVERY", {"all", "source", "group", "mixed"}),
    ("DELIVERY_ATTEMPTED", {"all", "source", "mixed"}),
    ("DEPARTURE_FROM_TRANSPORT_HUB", {"all", "source"}),
    ("CLAIM_CREATED", {"all", "claims", "claim_created"}),
    ("CLAIM_UPDATED", {"all", "claims", "mixed"}),
]


@pytest.mark.parametrize(("event_name", "reached"), TABLE)
async def test_enabled_events_matching_end_to_end(outbox, event_name, reached) -> None:
    # given one webhook per kind of enabledEvents entry
    shop = await outbox.shop()
    hooks = {}
    for name, entries in SUBSCRIPTIONS.items():
        issued = await outbox.webhook(
            shop, f"https://{name.replace('_', '-')}.example.com", entries
        )
        hooks[issued.webhook.id] = name
    order = await outbox.order(shop)

    # when the event is appended
    await outbox.emit(shop, order, event_name)

    # then exactly the matching webhooks are owed a delivery
    assert {hooks[d.webhook_id] for d in await outbox.deliveries()} == reached
