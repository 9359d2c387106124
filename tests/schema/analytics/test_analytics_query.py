"""`analytics(from, to)`: every figure checked against a hand-computed fixture (both DBs)."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import Factory

NOV = datetime(2026, 11, 1, tzinfo=UTC)
H = timedelta(hours=1)

QUERY = """
query ($from: DateTime, $to: DateTime) {
  analytics(from: $from, to: $to) {
    currency
    ordersByState { state orderCount revenue }
    ordersByAttribution { source medium campaign orderCount revenue }
    bySource: ordersByAttribution(groupBy: [SOURCE]) { source medium campaign orderCount revenue }
    shipmentsByPhase { phase shipmentCount }
    shipmentsByCarrier { carrier shipmentCount }
    carriers {
      carrier shipmentCount failedDeliveryCount failedDeliveryShare claimCount claimRate
      placedToFirstTransit { count medianHours p90Hours }
      firstTransitToDelivery { count medianHours p90Hours }
    }
    claimsByReason { reason claimCount claimRate }
  }
}
"""


async def _fixture(factory: Factory) -> None:
    """Orders A, B, C, D, G placed in November; E in October (outside the period).

    transit (placed -> first in_transit): dhl 2h, 4h, 6h; ups 10h
    delivery (first in_transit -> delivered): dhl 24h, 48h, 12h; ups none
    B's dhl parcel had a failed attempt; claims: DAMAGE on A/dhl and A/ups, NOT_RECEIVED on B.
    """
    shop = await factory.shop("acme")
    google = {"source": "google", "medium": "cpc", "campaign": "bf"}
    a = await factory.order(
        shop, "A", placed_at=NOV + 24 * H, state="FULFILLED", total="100.10", analytics=google
    )
    b = await factory.order(
        shop, "B", placed_at=NOV + 48 * H, state="FULFILLED", total="50.05", analytics=google
    )
    c = await factory.order(
        shop,
        "C",
        placed_at=NOV + 72 * H,
        total="20.00",
        analytics={"source": "newsletter", "medium": "email"},
    )
    await factory.order(shop, "D", placed_at=NOV + 96 * H, state="CANCELLED", total="9.99")
    g = await factory.order(
        shop,
        "G",
        placed_at=NOV + 120 * H,
        state="FULFILLED",
        total="30.00",
        analytics={"source": "google", "medium": "cpc"},
    )
    e = await factory.order(
        shop, "E", placed_at=NOV - 240 * H, state="FULFILLED", total="1000.00", analytics=google
    )

    a_dhl = await factory.shipment(a, tracking_number="A1", carrier="dhl")
    await factory.events(
        a_dhl,
        "DEPARTURE_FROM_TRANSPORT_HUB",
        "SUCCESSFULLY_DELIVERED",
        at=a.order_placed_at + 2 * H,
        step=24 * H,
    )
    a_ups = await factory.shipment(a, tracking_number="A2", carrier="ups")
    await factory.events(a_ups, "DEPARTURE_FROM_TRANSPORT_HUB", at=a.order_placed_at + 10 * H)
    b_dhl = await factory.shipment(b, tracking_number="B1", carrier="dhl")
    await factory.events(b_dhl, "DEPARTURE_FROM_TRANSPORT_HUB", at=b.order_placed_at + 4 * H)
    await factory.events(b_dhl, "DELIVERY_ATTEMPTED", at=b.order_placed_at + 30 * H)
    await factory.events(b_dhl, "SUCCESSFULLY_DELIVERED", at=b.order_placed_at + 52 * H)
    await factory.shipment(c)  # a draft: no carrier, phase order_created
    g_dhl = await factory.shipment(g, tracking_number="G1", carrier="dhl")
    await factory.events(
        g_dhl,
        "DEPARTURE_FROM_TRANSPORT_HUB",
        "SUCCESSFULLY_DELIVERED",
        at=g.order_placed_at + 6 * H,
        step=12 * H,
    )
    e_dhl = await factory.shipment(e, tracking_number="E1", carrier="dhl")
    await factory.events(
        e_dhl, "DEPARTURE_FROM_TRANSPORT_HUB", "DELIVERY_ATTEMPTED", at=e.order_placed_at + 100 * H
    )

    await factory.claim(a_dhl, reason="DAMAGE")
    await factory.claim(a_ups, reason="DAMAGE")
    await factory.claim(b_dhl, reason="NOT_RECEIVED")
    await factory.claim(e_dhl, reason="SUPPORT")


async def test_analytics_of_november(shop, factory) -> None:
    await _fixture(factory)

    data = await shop.data(QUERY, {"from": NOV.isoformat(), "to": "2026-12-01T00:00:00+00:00"})

    report = data["analytics"]
    assert report["currency"] == "EUR"
    assert report["ordersByState"] == [
        {"state": "CANCELLED", "orderCount": 1, "revenue": "9.9900"},
        {"state": "FULFILLED", "orderCount": 3, "revenue": "180.1500"},
        {"state": "PLACED", "orderCount": 1, "revenue": "20.0000"},
    ]
    assert report["ordersByAttribution"] == [
        {
            "source": "google",
            "medium": "cpc",
            "campaign": "bf",
            "orderCount": 2,
            "revenue": "150.1500",
        },
        {
            "source": "google",
            "medium": "cpc",
            "campaign": None,
            "orderCount": 1,
            "revenue": "30.0000",
        },
        {
            "source": "newsletter",
            "medium": "email",
            "campaign": None,
            "orderCount": 1,
            "revenue": "20.0000",
        },
        {"source": None, "medium": None, "campaign": None, "orderCount": 1, "revenue": "9.9900"},
    ]
    assert report["bySource"] == [
        {
            "source": "google",
            "medium": None,
            "campaign": None,
            "orderCount": 3,
            "revenue": "180.1500",
        },
        {
            "source": "newsletter",
            "medium": None,
            "campaign": None,
            "orderCount": 1,
            "revenue": "20.0000",
        },
        {"source": None, "medium": None, "campaign": None, "orderCount": 1, "revenue": "9.9900"},
    ]
    assert report["shipmentsByPhase"] == [
        {"phase": "DELIVERED", "shipmentCount": 3},
        {"phase": "IN_TRANSIT", "shipmentCount": 1},
        {"phase": "ORDER_CREATED", "shipmentCount": 1},
    ]
    assert report["shipmentsByCarrier"] == [
        {"carrier": "dhl", "shipmentCount": 3},
        {"carrier": "ups", "shipmentCount": 1},
        {"carrier": None, "shipmentCount": 1},
    ]
    dhl, ups = report["carriers"]
    # dhl transit hours [2, 4, 6]: median rank 2 -> 4; p90 rank 2.8 -> 4 + 0.8 * 2 = 5.6
    # dhl delivery hours [12, 24, 48]: median 24; p90 24 + 0.8 * 24 = 43.2
    assert dhl == {
        "carrier": "dhl",
        "shipmentCount": 3,
        "failedDeliveryCount": 1,
        "failedDeliveryShare": pytest.approx(1 / 3),
        "claimCount": 2,
        "claimRate": pytest.approx(2 / 3),
        "placedToFirstTransit": {"count": 3, "medianHours": 4.0, "p90Hours": pytest.approx(5.6)},
        "firstTransitToDelivery": {
            "count": 3,
            "medianHours": 24.0,
            "p90Hours": pytest.approx(43.2),
        },
    }
    assert ups == {
        "carrier": "ups",
        "shipmentCount": 1,
        "failedDeliveryCount": 0,
        "failedDeliveryShare": 0.0,
        "claimCount": 1,
        "claimRate": 1.0,
        "placedToFirstTransit": {"count": 1, "medianHours": 10.0, "p90Hours": 10.0},
        "firstTransitToDelivery": {"count": 0, "medianHours": None, "p90Hours": None},
    }
    # 4 fulfilled shipments in the period
    assert report["claimsByReason"] == [
        {"reason": "DAMAGE", "claimCount": 2, "claimRate": 0.5},
        {"reason": "NOT_RECEIVED", "claimCount": 1, "claimRate": 0.25},
    ]


async def test_open_period_includes_everything(shop, factory) -> None:
    await _fixture(factory)

    data = await shop.data("{ analytics { ordersByState { state orderCount revenue } } }")

    assert data["analytics"]["ordersByState"][1] == {
        "state": "FULFILLED",
        "orderCount": 4,
        "revenue": "1180.1500",
    }


async def test_other_shops_orders_do_not_count(shop, make_shop, factory) -> None:
    await make_shop("globex")
    await factory.order(await factory.shop("globex"), "X", total="5.00")

    data = await shop.data("{ analytics { ordersByState { state orderCount } } }")

    assert data["analytics"]["ordersByState"] == []


async def test_median_and_p90_match_postgres_percentile_cont(shop, factory, db, backend) -> None:
    # given durations whose interpolation weights are not round (7 values)
    if backend != "postgres":
        pytest.skip("percentile_cont exists only on PostgreSQL")
    shop_row = await factory.shop("acme")
    hours = [1, 2, 3, 5, 8, 13, 40]
    for index, h in enumerate(hours):
        order = await factory.order(shop_row, f"P{index}", placed_at=NOV)
        parcel = await factory.shipment(order, tracking_number=f"P{index}", carrier="gls")
        await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB", at=NOV + h * H)
    from sqlalchemy import text

    async with db.reader() as session:
        expected = (
            await session.exec(  # type: ignore[call-overload]
                text(
                    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), "
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY x) "
                    "FROM unnest(CAST(:xs AS float8[])) AS x"
                ),
                params={"xs": [float(h) for h in hours]},
            )
        ).one()

    data = await shop.data(
        "{ analytics { carriers { placedToFirstTransit { medianHours p90Hours } } } }"
    )

    stats = data["analytics"]["carriers"][0]["placedToFirstTransit"]
    assert stats == {
        "medianHours": pytest.approx(expected[0]),
        "p90Hours": pytest.approx(expected[1]),
    }


async def test_customers_get_null(shop, factory) -> None:
    # a customer token is covered in test_read_scope; anonymous callers are refused
    response = await shop.as_(None).post("{ analytics { currency } }")
    assert response.status_code == 401
