"""Nothing is invented for real parcels: without adapter or credentials, no poll, no event."""

from datetime import timedelta

import pytest

from parcelgraph.domain.enums import Role
from parcelgraph.resolvers import shops
from parcelgraph.tracking.carriers import SPECS
from parcelgraph.tracking.service import build_poller
from tests.schema.orders.order_mutations import event_names, order, upsert
from tests.tracking.support import make_poller

SHIPMENT_TRACKING = """
query($n: String!) { order(orderNumber: $n) { shipments {
  trackingNumber carrier { reference }
  tracking { state lastCheckedAt nextCheckAt lastError }
  events { eventName simulated } } } }
"""


@pytest.fixture
def poller(app, db, clock):
    return build_poller(app.state.settings, db=db, broker=app.state.broker, clock=clock)


async def test_a_real_ups_number_gets_no_event_and_says_not_configured(shop, db, clock, poller):
    # given a fresh (non-demo) shop and the default settings: a real UPS number is attached
    await upsert(shop, id="1001", order=order(),
                 trackings=[{"trackingNumber": "1Z999AA10123456784"}])  # fmt: skip
    # when the poller runs over several of its intervals (a day and a half)
    for _ in range(6):
        await poller.poll_once()
        clock.advance(hours=7)
    # then no carrier event was recorded, and the shipment says why
    assert await event_names(db, "1001") == ["ORDER_FULFILLED"]
    data = await shop.data(SHIPMENT_TRACKING, {"n": "1001"})
    [shipment] = data["order"]["shipments"]
    assert shipment["carrier"] == {"reference": "ups"}
    assert shipment["tracking"]["state"] == "NOT_CONFIGURED"
    # (UPS has its own adapter; any aggregator could serve it too)
    adapters = " or ".join(["ups", *(s.name for s in SPECS if "*" in s.carriers)])
    assert shipment["tracking"]["lastError"] == (
        f"No {adapters} credentials are set for this shop or the platform."
    )
    assert shipment["events"] == [{"eventName": "ORDER_FULFILLED", "simulated": False}]


async def test_a_carrier_without_adapter_says_so(shop, db, clock):
    # given no adapter at all (no direct one, no aggregator)
    poller = make_poller(db, clock, specs=[])
    await upsert(shop, id="1004", order=order("1004"),
                 trackings=[{"trackingNumber": "D-77", "carrierReference": "dachser"}])  # fmt: skip
    await poller.poll_once()
    data = await shop.data(SHIPMENT_TRACKING, {"n": "1004"})
    tracking = data["order"]["shipments"][0]["tracking"]
    assert (tracking["state"], tracking["lastError"]) == (
        "NOT_CONFIGURED", "parcelgraph has no adapter for Dachser; route it to an aggregator.",
    )  # fmt: skip
    assert await event_names(db, "1004") == ["ORDER_FULFILLED"]


async def test_an_unrecognised_carrier_says_unknown_carrier(shop, db, clock, poller):
    await upsert(shop, id="1002", order=order("1002"), trackings=[{"trackingNumber": "XX-42"}])
    await poller.poll_once()
    data = await shop.data(SHIPMENT_TRACKING, {"n": "1002"})
    tracking = data["order"]["shipments"][0]["tracking"]
    assert (tracking["state"], tracking["nextCheckAt"]) == (
        "UNKNOWN_CARRIER",
        (clock() + timedelta(hours=6)).isoformat(),
    )
    assert await event_names(db, "1002") == ["ORDER_FULFILLED"]


async def test_a_sandbox_tracking_is_simulated_and_marked(shop, db, clock, poller):
    # given a real shop that explicitly asks for a sandbox tracking
    await upsert(shop, id="1003", order=order("1003"),
                 trackings=[{"trackingNumber": "SANDBOX-DELIVERED-7"}])  # fmt: skip
    clock.advance(minutes=5)
    await poller.poll_once()
    data = await shop.data(SHIPMENT_TRACKING, {"n": "1003"})
    [shipment] = data["order"]["shipments"]
    assert shipment["carrier"] == {"reference": "sandbox"}
    assert shipment["tracking"]["state"] == "ACTIVE"
    assert [e["eventName"] for e in shipment["events"]][:3] == [
        "ORDER_FULFILLED", "LABEL_CREATED", "PICKED_UP_BY_CARRIER",
    ]  # fmt: skip
    assert {e["simulated"] for e in shipment["events"][1:]} == {True}


async def test_every_parcel_of_a_demo_shop_is_simulated(make_shop, db, clock, poller):
    # given a shop created as a sandbox (demo) shop and a real-looking UPS number on it
    async with db.writer() as session:
        await shops.create(session, slug="demo", sandbox=True, now=clock())
        await session.commit()
    demo = await make_shop("demo", role=Role.ADMIN)
    await upsert(demo, id="D-1", order=order("D-1"),
                 trackings=[{"trackingNumber": "1Z999AA10123456784"}])  # fmt: skip
    clock.advance(minutes=5)
    await poller.poll_once()
    names = await event_names(db, "D-1")
    assert names[:3] == ["ORDER_FULFILLED", "LABEL_CREATED", "PICKED_UP_BY_CARRIER"]
    data = await demo.data("{ shop { sandbox } }")
    assert data == {"shop": {"sandbox": True}}
