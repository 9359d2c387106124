"""An estimated arrival from the moment a tracking number is attached (upsertOrder, bulk).

The window comes from the shop's transit history for the carrier when it has enough
delivered parcels (SHOP_HISTORY: median to p90 after the tracking was placed), else from
the configured defaults (DEFAULT), and is written in the same transaction as the tracking.
"""

from datetime import timedelta

import pytest

from tests.parcels import parcel
from tests.schema.orders.order_mutations import BULK, order
from tests.support import FrozenClock, count_statements

UPSERT = """
mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) {
    order { shipments { position trackingNumber estimatedArrival { earliest latest source } } }
    errors { code }
  }
}"""
SHIPMENTS = """
query($n: String) {
  order(orderNumber: $n) {
    shipments { trackingNumber estimatedArrival { earliest latest source } }
  }
}"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    # Not the built-in 2 to 5 days, so the configured policy must be the one applied.
    return {"eta_default_min_days": 3.0, "eta_default_max_days": 6.0, "eta_history_min_samples": 5}


async def dhl_history(db, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    """Five DHL parcels of acme delivered in 1, 2, 3, 4 and 10 days (median 3, p90 10), and
    one UPS parcel (too few to count)."""
    shipped = clock() - timedelta(days=30)
    for days, carrier in ((4, "dhl"), (1, "dhl"), (10, "dhl"), (3, "dhl"), (2, "dhl"), (1, "ups")):
        await parcel(
            db,
            at=shipped,
            tracking_number=f"OLD-{carrier}-{days}",
            carrier=carrier,
            phase="delivered",
            delivered_at=shipped + timedelta(days=days),
        )


def tracking(number: str, carrier: str, **extra: object) -> dict[str, object]:
    return {"trackingNumber": number, "carrierReference": carrier, "products": [], **extra}


async def upsert(caller, trackings: list[dict], **order_fields: object) -> list[dict]:  # type: ignore[no-untyped-def]
    body = order(expectedNumberOfShipments=3, **order_fields)
    variables = {"input": {"id": "1001", "order": body, "trackings": trackings}}
    payload = (await caller.data(UPSERT, variables))["upsertOrder"]
    assert payload["errors"] == []
    return payload["order"]["shipments"]


async def test_without_history_a_new_parcel_gets_the_configured_default_window(
    editor, clock: FrozenClock
) -> None:
    # given no delivered parcels yet; when an order is upserted with a DHL tracking
    shipments = await upsert(editor, [tracking("T-DHL", "dhl")])

    # then the parcel is expected 3 to 6 days after now; the drafts left have no window
    assert shipments == [
        {
            "position": 1,
            "trackingNumber": "T-DHL",
            "estimatedArrival": {
                "earliest": "2026-11-26T12:00:00+00:00",
                "latest": "2026-11-29T12:00:00+00:00",
                "source": "DEFAULT",
            },
        },
        {"position": 2, "trackingNumber": None, "estimatedArrival": None},
        {"position": 3, "trackingNumber": None, "estimatedArrival": None},
    ]


async def test_with_history_the_carrier_s_median_to_p90_counts_from_the_tracking_time(
    editor, db, clock: FrozenClock
) -> None:
    # given the shop's DHL history (and too little UPS history)
    await dhl_history(db, clock)

    # when a DHL parcel handed over a day ago and a UPS parcel are attached in one upsert
    placed = (clock() - timedelta(days=1)).isoformat()
    with count_statements(db) as counter:
        shipments = await upsert(
            editor,
            [tracking("T-DHL", "dhl", trackingPlacedAt=placed), tracking("T-UPS", "ups")],
        )

    # then DHL's window is its median (3 days) to p90 (10 days) after the handover, UPS
    # falls back to the defaults, and one history query served both carriers
    assert [s["estimatedArrival"] for s in shipments] == [
        {
            "earliest": "2026-11-25T12:00:00+00:00",
            "latest": "2026-12-02T12:00:00+00:00",
            "source": "SHOP_HISTORY",
        },
        {
            "earliest": "2026-11-26T12:00:00+00:00",
            "latest": "2026-11-29T12:00:00+00:00",
            "source": "DEFAULT",
        },
        None,
    ]
    assert sum("row_number()" in s.lower() for s in counter.statements) == 1


async def test_a_parcel_handed_over_long_ago_is_expected_from_now(
    editor, clock: FrozenClock
) -> None:
    # given a tracking placed 10 days ago (the default window has passed without delivery)
    placed = (clock() - timedelta(days=10)).isoformat()

    shipments = await upsert(editor, [tracking("T-OLD", "dhl", trackingPlacedAt=placed)])

    # then it is late: expected from now on, within the default spread (3 days)
    assert shipments[0]["estimatedArrival"] == {
        "earliest": "2026-11-23T12:00:00+00:00",
        "latest": "2026-11-26T12:00:00+00:00",
        "source": "DEFAULT",
    }


async def test_re_sending_a_tracking_keeps_its_first_window(editor, clock: FrozenClock) -> None:
    first = await upsert(editor, [tracking("T-DHL", "dhl")])
    assert first[0]["estimatedArrival"]["earliest"] == "2026-11-26T12:00:00+00:00"
    clock.advance(days=1)

    again = await upsert(editor, [tracking("T-DHL", "dhl", trackingUrl="https://t.example/1")])

    assert again[0]["estimatedArrival"] == first[0]["estimatedArrival"]


async def test_bulk_fulfilment_sets_every_window_with_one_history_query(
    editor, db, clock: FrozenClock
) -> None:
    # given the shop's DHL history
    await dhl_history(db, clock)
    items = [
        {"id": f"B{i}", "order": order(f"B{i}"), "trackings": [tracking(f"T{i}", carrier)]}
        for i, carrier in enumerate(("dhl", "ups", "gls", "dhl"))
    ]

    # when four orders of three carriers are fulfilled in one call
    with count_statements(db) as counter:
        payload = (await editor.data(BULK, {"input": {"items": items}}))["bulkFulfillment"]

    # then each parcel has its carrier's window, from one history query for the batch
    assert (payload["succeeded"], payload["failed"]) == (4, 0)
    history = {
        "earliest": "2026-11-26T12:00:00+00:00",
        "latest": "2026-12-03T12:00:00+00:00",
        "source": "SHOP_HISTORY",
    }
    default = {
        "earliest": "2026-11-26T12:00:00+00:00",
        "latest": "2026-11-29T12:00:00+00:00",
        "source": "DEFAULT",
    }
    windows = []
    for i in range(4):
        data = await editor.data(SHIPMENTS, {"n": f"B{i}"})
        windows.append([s["estimatedArrival"] for s in data["order"]["shipments"]])
    assert windows == [[history], [default], [default], [history]]
    assert sum("row_number()" in s.lower() for s in counter.statements) == 1
