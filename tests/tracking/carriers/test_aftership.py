"""AfterShip: batches of numbers, registration of unknown numbers, sub-status codes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta, timezone

import pytest

from parcelgraph.tracking.adapters import TrackingNotFound
from tests.tracking.carriers.cases import CASES

AFTERSHIP = next(c for c in CASES if c.name == "aftership")
CEST = timezone(timedelta(hours=2))


async def test_a_registered_tracking_reads_with_subtags_and_signature(fake, sleeps):
    fake.load("aftership", "success")
    adapter = AFTERSHIP.build(fake.url, sleeps)

    update = await adapter.fetch(AFTERSHIP.request())

    assert [(s.code, s.occurred_at) for s in update.statuses] == [
        ("InfoReceived_001", datetime(2026, 10, 5, 11, 0, tzinfo=CEST)),
        ("InTransit_007", datetime(2026, 10, 6, 4, 12, tzinfo=CEST)),
        ("Delivered_001", datetime(2026, 10, 7, 15, 40, tzinfo=CEST)),
    ]
    delivered = update.statuses[-1]
    assert delivered.signed_by == "Nachbar Schulz"
    assert delivered.details == {"courier": "hermes-de", "courier_code": "99"}
    assert update.statuses[1].location == "Ketzin, BB, DEU"
    day = datetime(2026, 10, 7).date()
    assert update.estimated_arrival == (
        datetime.combine(day, time.min, tzinfo=update.estimated_arrival[0].tzinfo),
        datetime.combine(day, time.max, tzinfo=update.estimated_arrival[0].tzinfo),
    )
    (call,) = fake.requests_to("/trackings")
    assert call.headers["as-api-key"] == "as-key"
    assert call.query == {"tracking_numbers": "H1001990000000000011"}
    await adapter.context.http.aclose()


async def test_an_unknown_number_is_registered_with_its_courier_and_reported_not_found(
    fake, sleeps
):
    fake.load("aftership", "not_found")
    adapter = AFTERSHIP.build(fake.url, sleeps)
    request = replace(AFTERSHIP.request(), carrier_reference="hrs")  # Hermes Germany

    with pytest.raises(TrackingNotFound):
        await adapter.fetch(request)

    registered = [c for c in fake.requests_to("/trackings") if c.method == "POST"]
    assert [c.json() for c in registered] == [
        {"tracking_number": "H1001990000000000011", "slug": "hermes-de"}
    ]
    await adapter.context.http.aclose()
