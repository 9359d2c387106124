"""Arrival windows from the shop's own transit history (median / p90 per carrier, in SQL)."""

from datetime import UTC, datetime, timedelta

from parcelgraph.domain.arrival import TransitStats
from parcelgraph.domain.enums import Role
from parcelgraph.resolvers.events import arrival as estimated_arrival
from tests.parcels import parcel, shop_row

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

APPEND = """
mutation($n: String!) {
  appendShipmentEvent(input: {trackingNumber: $n, eventName: "PICKED_UP_BY_CARRIER"}) {
    shipment { estimatedArrival { earliest latest source } }
    errors { code }
  }
}
"""


async def delivered(db, *, days: float, carrier: str = "dhl", slug: str = "acme", ago: int = 30):
    shipped = T0 - timedelta(days=ago)
    await parcel(
        db,
        at=shipped,
        slug=slug,
        tracking_number=f"H{days}-{carrier}-{ago}",
        carrier=carrier,
        phase="delivered",
        delivered_at=shipped + timedelta(days=days),
    )


async def history(db, make_shop):
    """Five DHL deliveries of acme (1, 2, 3, 4, 10 days), plus deliveries that must not count:
    one UPS parcel (too few), another shop's DHL parcel, and a DHL parcel delivered 200 days ago."""
    await make_shop("other", role=Role.ADMIN)
    for days in (4, 1, 10, 3, 2):
        await delivered(db, days=days)
    await delivered(db, days=1, carrier="ups")
    await delivered(db, days=40, slug="other")
    await delivered(db, days=50, ago=250)


async def test_median_and_p90_per_carrier_are_computed_in_sql(shop, db, make_shop):
    await history(db, make_shop)
    acme = await shop_row(db)
    async with db.reader() as session:
        stats = await estimated_arrival.transit_stats(
            session, shop_id=acme.id, carriers=["dhl", "ups", "gls"], since=T0 - timedelta(days=180)
        )
    # nearest rank over 1, 2, 3, 4, 10 days: the 3rd value is the median, the 5th the p90
    assert stats == {
        "dhl": TransitStats(median=timedelta(days=3), p90=timedelta(days=10), samples=5),
        "ups": TransitStats(median=timedelta(days=1), p90=timedelta(days=1), samples=1),
    }


async def test_a_new_parcel_gets_a_window_from_the_history_of_its_carrier(
    shop, editor, db, make_shop
):
    # given the shop's delivery history, and new DHL and UPS parcels shipped now
    await history(db, make_shop)
    await parcel(db, at=T0, tracking_number="NEW-DHL", carrier="dhl")
    await parcel(db, at=T0, tracking_number="NEW-UPS", carrier="ups")
    # when each is picked up
    dhl = (await editor.data(APPEND, {"n": "NEW-DHL"}))["appendShipmentEvent"]
    ups = (await editor.data(APPEND, {"n": "NEW-UPS"}))["appendShipmentEvent"]
    # then DHL's window is its median to p90; UPS has too little history for one
    assert dhl["shipment"]["estimatedArrival"] == {
        "earliest": "2026-11-26T12:00:00+00:00",
        "latest": "2026-12-03T12:00:00+00:00",
        "source": "SHOP_HISTORY",
    }
    assert ups["shipment"]["estimatedArrival"] == {
        "earliest": "2026-11-25T12:00:00+00:00",
        "latest": "2026-11-28T12:00:00+00:00",
        "source": "DEFAULT",
    }


async def test_a_window_that_passed_without_delivery_moves_forward(shop, editor, db, clock):
    await parcel(db, at=T0, tracking_number="LATE-1")
    # when the parcel is still in transit a week after shipping (default window: 2 to 5 days)
    clock.advance(days=7)
    late = (await editor.data(APPEND, {"n": "LATE-1"}))["appendShipmentEvent"]
    # then it is expected from now on, within the window's spread
    assert late["shipment"]["estimatedArrival"] == {
        "earliest": "2026-11-30T12:00:00+00:00",
        "latest": "2026-12-03T12:00:00+00:00",
        "source": "DEFAULT",
    }
