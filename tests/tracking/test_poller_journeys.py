"""The sandbox carrier end to end through the poller, with a frozen clock moved by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from parcelgraph.domain.enums import Direction
from parcelgraph.models import Event
from parcelgraph.tracking.service import build_poller
from tests.parcels import parcel, reload

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # Real-time journeys, asked about every two hours exactly, stopped once final.
    every_two_hours = {
        f"carrier_check_{phase}_seconds": 7200
        for phase in ("out_for_delivery", "exception", "pre_transit", "in_transit", "quiet")
    }
    return {
        "sandbox_time_scale": 1.0,
        "carrier_check_jitter": 0.0,
        "carrier_stop_after_final_hours": 0,
        **every_two_hours,
    }


@pytest.fixture
def poller(app, db, clock):
    return build_poller(app.state.settings, db=db, broker=app.state.broker, clock=clock)


async def events_of(db, shipment_id) -> list[tuple[str, str | None, str]]:
    async with db.reader() as session:
        rows = (
            await session.exec(
                select(Event)
                .where(Event.shipment_id == shipment_id)
                .order_by(Event.occurred_at, Event.position)
            )
        ).all()
    return [(r.event_name, r.raw_code, r.occurred_at.isoformat()) for r in rows]


async def follow(poller, db, clock, shipment_id, *, hours: int) -> list[str]:
    """Poll every two hours for `hours`; the phase after each round, repeats collapsed."""
    seen: list[str] = []
    for _ in range(hours // 2):
        await poller.poll_once()
        phase = (await reload(db, shipment_id)).phase
        if not seen or seen[-1] != phase:
            seen.append(phase)
        clock.advance(hours=2)
    return seen


async def test_a_failed_attempt_then_delivery_to_a_neighbour(shop, db, clock, poller):
    # given a fulfilled parcel whose sandbox journey has a failed first attempt
    shipment = await parcel(
        db, at=T0, carrier="sandbox", tracking_number="SANDBOX-FAILED_ATTEMPT-1"
    )
    # when the poller asks the carrier every two hours for three days
    phases_seen = await follow(poller, db, clock, shipment.id, hours=72)
    # then the parcel went through every phase of that journey, and polling stopped
    assert phases_seen == [
        "order_processed",
        "in_transit",
        "in_delivery",
        "delivery_failed",
        "in_delivery",
        "delivered",
    ]
    assert await events_of(db, shipment.id) == [
        ("LABEL_CREATED", "LBL", "2026-11-23T12:00:00+00:00"),
        ("PICKED_UP_BY_CARRIER", "PUP", "2026-11-23T15:09:00+00:00"),
        ("ARRIVAL_AT_TRANSPORT_HUB", "HUB_IN", "2026-11-23T21:26:59+00:00"),
        ("DEPARTURE_FROM_TRANSPORT_HUB", "HUB_OUT", "2026-11-24T00:35:58+00:00"),
        ("ARRIVED_AT_DELIVERY_DEPOT", "DEPOT", "2026-11-24T11:05:57+00:00"),
        ("OUT_FOR_DELIVERY", "OFD", "2026-11-24T19:29:56+00:00"),
        ("RECIPIENT_NOT_HOME", "NH", "2026-11-24T22:38:56+00:00"),
        ("NEXT_DELIVERY_ATTEMPT_SCHEDULED", "NEXT", "2026-11-24T23:41:56+00:00"),
        ("OUT_FOR_DELIVERY_SECOND_ATTEMPT", "OFD2", "2026-11-25T20:41:53+00:00"),
        ("DELIVERED_TO_NEIGHBOUR", "DLV_NB", "2026-11-25T23:50:53+00:00"),
    ]
    final = await reload(db, shipment.id)
    assert (
        final.failed_attempts,
        final.delivered_at,
        final.next_check_at,
        final.poll_failures,
    ) == (
        1,
        datetime(2026, 11, 25, 23, 50, 53, tzinfo=UTC),
        None,
        0,
    )
    assert (await poller.poll_once()).polled == 0


async def test_a_delay_and_an_unknown_carrier_code(shop, db, clock, poller):
    shipment = await parcel(db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELAYED-1")
    # when the weather delay and the unknown status have both been reported
    await follow(poller, db, clock, shipment.id, hours=22)
    # then the parcel is in transit and delayed, and the unknown code is kept as UNMAPPED
    now = await reload(db, shipment.id)
    assert (now.phase, now.delayed) == ("in_transit", True)
    assert (await events_of(db, shipment.id))[-2:] == [
        ("WEATHER_DELAY", "DLY_WX", "2026-11-24T01:49:20+00:00"),
        ("UNMAPPED", "INFO_77", "2026-11-24T07:44:46+00:00"),
    ]
    # when it finally arrives, the delay is over
    await follow(poller, db, clock, shipment.id, hours=48)
    done = await reload(db, shipment.id)
    assert (done.phase, done.delayed, done.next_check_at) == ("delivered", False, None)


async def test_a_parcel_shop_delivery_collected_by_the_customer(shop, db, clock, poller):
    shipment = await parcel(db, at=T0, carrier="sandbox", tracking_number="SANDBOX-PARCEL_SHOP-1")
    phases_seen = await follow(poller, db, clock, shipment.id, hours=120)
    assert phases_seen == [
        "order_processed",
        "in_transit",
        "in_delivery",
        "delivery_failed",
        "collect",
        "delivered",
    ]
    names = [name for name, _, _ in await events_of(db, shipment.id)]
    assert names[-4:] == [
        "NOT_HOME_FORWARDED_TO_PARCEL_SHOP",
        "DELIVERED_TO_PARCEL_SHOP",
        "PICKUP_REMINDER",
        "PICKED_UP_FROM_PARCEL_SHOP",
    ]


async def test_a_customer_return_reaches_the_merchant(shop, db, clock, poller):
    shipment = await parcel(
        db, at=T0, carrier="sandbox", tracking_number="RET-1", direction=Direction.CUSTOMER_MERCHANT
    )
    phases_seen = await follow(poller, db, clock, shipment.id, hours=72)
    assert phases_seen == ["return_created", "return_transit", "return_received"]
    async with db.reader() as session:
        groups = (
            await session.exec(
                select(Event.event_group)
                .where(Event.shipment_id == shipment.id)
                .order_by(Event.occurred_at)
            )
        ).all()
    assert groups == [
        "return_shipment_created",
        "return_shipment_in_transit",
        "return_shipment_in_transit",
        "return_shipment_received",
    ]


async def test_the_carrier_window_replaces_the_default_once_given(shop, db, clock, poller):
    shipment = await parcel(db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELIVERED-1")
    await poller.poll_once()
    first = await reload(db, shipment.id)
    assert (
        first.estimated_arrival_earliest,
        first.estimated_arrival_latest,
        first.estimated_arrival_source,
    ) == (T0 + timedelta(days=2), T0 + timedelta(days=5), "DEFAULT")
    # when the carrier has planned the delivery (07:56 next day) and announced a window
    clock.advance(hours=20)
    await poller.poll_once()
    planned = await reload(db, shipment.id)
    assert (
        planned.estimated_arrival_earliest,
        planned.estimated_arrival_latest,
        planned.estimated_arrival_source,
    ) == (
        datetime(2026, 11, 24, 13, 56, tzinfo=UTC),
        datetime(2026, 11, 24, 21, 56, tzinfo=UTC),
        "CARRIER",
    )


async def test_asking_again_records_nothing_twice(shop, db, clock, poller):
    shipment = await parcel(db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELIVERED-1")
    clock.advance(hours=11)  # four scans so far: label, pick-up, hub in, hub out
    first = await poller.poll_once()
    clock.advance(hours=2)  # due again, no new scan since
    second = await poller.poll_once()
    assert (first.polled, first.recorded, second.polled, second.recorded) == (1, 4, 1, 0)
    assert len(await events_of(db, shipment.id)) == 4


async def test_drafts_and_finished_parcels_are_not_polled(shop, db, clock, poller):
    await parcel(db, at=T0, tracking_number=None)
    await parcel(
        db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELIVERED-2", phase="delivered"
    )
    await parcel(
        db, at=T0, carrier="sandbox", tracking_number="SANDBOX-DELIVERED-3", phase="returned"
    )
    report = await poller.poll_once()
    assert (report.polled, report.recorded) == (0, 0)
