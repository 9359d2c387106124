"""Royal Mail Tracking v2: event codes, named sites, the signature and the estimate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from parcelgraph.domain import catalogue
from parcelgraph.tracking.normalizer import normalize_all
from tests.tracking.carriers.cases import CASES

ROYALMAIL = next(c for c in CASES if c.name == "royalmail")
BST = timezone(timedelta(hours=1))


async def test_a_signed_for_item_reads_in_order_with_sites_and_signature(fake, sleeps):
    fake.load("royalmail", "success")
    adapter = ROYALMAIL.build(fake.url, sleeps)

    update = await adapter.fetch(ROYALMAIL.request())
    scans = normalize_all(update.statuses, adapter="royalmail", status_map=adapter.status_map)

    assert [(s.code, s.occurred_at, s.location) for s in update.statuses] == [
        ("EVOAC", datetime(2026, 10, 5, 18, 11, tzinfo=BST), "Birmingham MC"),
        ("EVZRM", datetime(2026, 10, 6, 9, 0, tzinfo=BST), None),
        ("EVNMI", datetime(2026, 10, 6, 10, 4, tzinfo=BST), "Stowmarket DO"),
        ("EVGPD", datetime(2026, 10, 7, 7, 30, tzinfo=BST), "Stafford DO"),
        ("EVKSP", datetime(2026, 10, 7, 12, 19, 25, tzinfo=BST), "Stafford DO"),
    ]
    assert [s.event_name for s in scans] == [
        "ARRIVAL_AT_TRANSPORT_HUB",
        catalogue.UNMAPPED,  # a notification record, kept with its text
        "MISSORTED",
        "OUT_FOR_DELIVERY",
        "SUCCESSFULLY_DELIVERED",
    ]
    assert [s.signed_by for s in update.statuses] == [None, None, None, None, "MEIER"]
    assert update.estimated_arrival == (
        datetime(2026, 10, 7, 8, 0, tzinfo=BST),
        datetime(2026, 10, 7, 11, 0, tzinfo=BST),
    )
    (call,) = fake.requests_to("/mailpieces/v2/AB123456789GB/events")
    assert (call.headers["x-ibm-client-id"], call.headers["x-ibm-client-secret"]) == (
        "rm-id",
        "rm-secret",
    )
    assert call.headers["x-accept-rmg-terms"] == "yes"
    await adapter.context.http.aclose()


async def test_a_date_only_estimate_covers_the_whole_day(fake, sleeps):
    fake.load("royalmail", "success")
    estimate = fake.routes[0]["json"]["mailPieces"]["estimatedDelivery"]
    estimate.pop("startOfEstimatedWindow")
    estimate.pop("endOfEstimatedWindow")
    adapter = ROYALMAIL.build(fake.url, sleeps)

    update = await adapter.fetch(ROYALMAIL.request())

    start, end = update.estimated_arrival
    assert (start.date(), end.date()) == (datetime(2026, 10, 7).date(),) * 2
    assert (start.hour, end.hour, end.minute) == (0, 23, 59)
    await adapter.context.http.aclose()
