"""What carriers answer shows in the tracking state; the schedule follows; nothing twice."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from parcelgraph.models import Event, Shop
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.adapters import (
    CarrierAuthFailed,
    CarrierRateLimited,
    TrackingNotFound,
    TrackingUpdate,
)
from tests.parcels import parcel, reload
from tests.tracking.support import CIPHER, ScriptedCarrier, make_poller, spec_for, status

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
UPS = "1Z999AA10123456784"


async def give_credentials(db, clock, api_key: str = "key-0001") -> None:
    async with db.writer() as session:
        shop = (await session.exec(select(Shop).where(Shop.slug == "acme"))).one()
        await carrier_credentials.set_credentials(
            session, shop=shop, adapter="scripted", values={"api_key": api_key},
            known={"scripted": ("api_key",)}, cipher=CIPHER, now=clock(),
        )  # fmt: skip
        await session.commit()


async def stored_events(db, shipment_id) -> list[tuple[str, str]]:
    async with db.reader() as session:
        rows = (await session.exec(select(Event).where(Event.shipment_id == shipment_id)
                                   .order_by(Event.occurred_at))).all()  # fmt: skip
    return [(r.event_name, r.raw_code or "") for r in rows]


async def test_without_credentials_nothing_is_asked_until_they_are_set(shop, db, clock):
    carrier = ScriptedCarrier([TrackingUpdate([status("PU", T0 + timedelta(hours=1))])])
    poller = make_poller(db, clock, [spec_for(carrier)])
    shipment = await parcel(db, at=T0, tracking_number=UPS, carrier="ups")
    # when the poller looks at the parcel with no credentials stored
    await poller.poll_once()
    waiting = await reload(db, shipment.id)
    assert (waiting.tracking_state, waiting.tracking_error, carrier.calls) == (
        "NOT_CONFIGURED", "No scripted credentials are set for this shop or the platform.", [],
    )  # fmt: skip
    # when an admin sets them, the parcel is due at once and the carrier is asked
    clock.advance(hours=2)
    await give_credentials(db, clock)
    assert (await reload(db, shipment.id)).next_check_at == clock()
    report = await poller.poll_once()
    assert (report.asked, report.recorded, carrier.calls) == (1, 1, [UPS])
    after = await reload(db, shipment.id)
    assert (after.tracking_state, after.phase, after.next_check_at) == (
        "ACTIVE", "in_transit", clock() + timedelta(hours=3),
    )  # fmt: skip
    # when asked again with the same history, nothing is recorded twice
    clock.advance(hours=3)
    again = await poller.poll_once()
    assert (again.asked, again.recorded) == (1, 0)
    assert await stored_events(db, shipment.id) == [("PICKED_UP_BY_CARRIER", "PU")]


async def test_rejected_credentials_show_as_carrier_error_with_backoff(shop, db, clock):
    carrier = ScriptedCarrier([CarrierAuthFailed("the API key was rejected (401)")])
    poller = make_poller(db, clock, [spec_for(carrier)])
    await give_credentials(db, clock)
    shipment = await parcel(db, at=T0, tracking_number=UPS, carrier="ups")
    await poller.poll_once()
    first = await reload(db, shipment.id)
    clock.advance(minutes=1)
    await poller.poll_once()
    second = await reload(db, shipment.id)
    assert (first.tracking_state, first.tracking_error, first.next_check_at) == (
        "CARRIER_ERROR", "scripted: the API key was rejected (401)", T0 + timedelta(minutes=1),
    )  # fmt: skip
    assert (second.poll_failures, second.next_check_at) == (2, clock() + timedelta(minutes=2))


async def test_a_rate_limit_waits_as_long_as_the_carrier_says(shop, db, clock):
    carrier = ScriptedCarrier([CarrierRateLimited("too many requests (429)", retry_after=90)])
    poller = make_poller(db, clock, [spec_for(carrier)])
    await give_credentials(db, clock)
    shipment = await parcel(db, at=T0, tracking_number=UPS, carrier="ups")
    await poller.poll_once()
    after = await reload(db, shipment.id)
    assert (after.tracking_state, after.tracking_error, after.next_check_at) == (
        "ACTIVE", "scripted: too many requests (429)", T0 + timedelta(seconds=90),
    )  # fmt: skip


async def test_a_number_the_carrier_never_knows_stops_being_asked(shop, db, clock):
    carrier = ScriptedCarrier([TrackingNotFound("no such tracking number")])
    poller = make_poller(db, clock, [spec_for(carrier)])
    await give_credentials(db, clock)
    shipment = await parcel(db, at=T0, tracking_number=UPS, carrier="ups")
    states = []
    for _ in range(8):
        await poller.poll_once()
        row = await reload(db, shipment.id)
        states.append((row.tracking_state, row.not_found_count))
        clock.advance(hours=20)
    # then it is asked at growing intervals, and after six answers never again
    assert states == [("ACTIVE", 1), ("ACTIVE", 2), ("ACTIVE", 3), ("ACTIVE", 4),
                      ("ACTIVE", 5), ("NOT_FOUND_AT_CARRIER", 6),
                      ("NOT_FOUND_AT_CARRIER", 6), ("NOT_FOUND_AT_CARRIER", 6)]  # fmt: skip
    final = await reload(db, shipment.id)
    assert (final.next_check_at, final.tracking_error, len(carrier.calls)) == (
        None, "scripted did not know this tracking number after 6 checks.", 6,
    )  # fmt: skip


async def test_out_for_delivery_is_checked_often_and_delivery_stops_polling_later(shop, db, clock):
    delivered = status("DL", T0 + timedelta(minutes=30))
    carrier = ScriptedCarrier(
        [TrackingUpdate([status("OFD", T0)]), TrackingUpdate([status("OFD", T0), delivered])]
    )
    poller = make_poller(db, clock, [spec_for(carrier)])
    await give_credentials(db, clock)
    shipment = await parcel(db, at=T0, tracking_number=UPS, carrier="ups")
    await poller.poll_once()
    out = await reload(db, shipment.id)
    assert (out.phase, out.next_check_at) == ("in_delivery", T0 + timedelta(minutes=20))
    clock.advance(minutes=20)
    await poller.poll_once()
    delivered = await reload(db, shipment.id)
    assert (delivered.phase, delivered.tracking_state, delivered.next_check_at) == (
        "delivered", "ACTIVE", clock() + timedelta(hours=6),
    )  # fmt: skip
    # two days after delivery the carrier is not asked any more
    for _ in range(9):
        clock.advance(hours=6)
        await poller.poll_once()
    stopped = await reload(db, shipment.id)
    assert (stopped.tracking_state, stopped.next_check_at) == ("STOPPED", None)


async def test_two_pollers_at_once_never_ask_about_the_same_parcel(shop, db, clock):
    # given twenty due parcels and two pollers sharing the schedule (two workers)
    carrier = ScriptedCarrier([TrackingUpdate([status("PU", T0)])])
    first = make_poller(db, clock, [spec_for(carrier)], batch_size=20)
    second = make_poller(db, clock, [spec_for(carrier)], batch_size=20)
    await give_credentials(db, clock)
    for n in range(20):
        await parcel(db, at=T0, tracking_number=f"1Z{n:016d}", carrier="ups")
    # when both tick at the same moment
    reports = await asyncio.gather(first.poll_once(), second.poll_once())
    # then every parcel was claimed and asked exactly once
    assert sorted(carrier.calls) == [f"1Z{n:016d}" for n in range(20)]
    assert sum(r.polled for r in reports) == 20
