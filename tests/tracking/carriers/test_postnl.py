"""PostNL Shipping Status: status history, Dutch local times, the expected window."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from parcelgraph.domain import catalogue
from parcelgraph.tracking.carriers.postnl import dutch_time
from parcelgraph.tracking.normalizer import normalize_all
from tests.tracking.carriers.cases import CASES

POSTNL = next(c for c in CASES if c.name == "postnl")
AMS = ZoneInfo("Europe/Amsterdam")


async def test_the_status_history_reads_in_order_with_amsterdam_times(fake, sleeps):
    fake.load("postnl", "success")
    adapter = POSTNL.build(fake.url, sleeps)

    update = await adapter.fetch(POSTNL.request())
    scans = normalize_all(update.statuses, adapter="postnl", status_map=adapter.status_map)

    assert [(s.code, s.occurred_at) for s in update.statuses] == [
        ("1", datetime(2026, 10, 5, 10, 57, 31, tzinfo=AMS)),
        ("99", datetime(2026, 10, 5, 10, 59, 26, tzinfo=AMS)),
        ("5", datetime(2026, 10, 7, 3, 40, tzinfo=AMS)),
        ("7", datetime(2026, 10, 7, 9, 15, tzinfo=AMS)),
        ("11", datetime(2026, 10, 7, 14, 2, 11, tzinfo=AMS)),
    ]
    assert [s.event_name for s in scans] == [
        "LABEL_CREATED",
        catalogue.UNMAPPED,
        "PROCESSED_AT_SORTING_CENTER",
        "OUT_FOR_DELIVERY",
        "SUCCESSFULLY_DELIVERED",
    ]
    assert update.statuses[-1].details == {"phase_code": "4", "phase": "Delivered"}
    assert update.estimated_arrival == (
        datetime(2026, 10, 7, 13, 30, tzinfo=AMS),
        datetime(2026, 10, 7, 15, 30, tzinfo=AMS),
    )
    (call,) = fake.requests_to("/shipment/v2/status/barcode/3SDEVC201611210")
    assert call.headers["apikey"] == "postnl-key"
    assert call.query == {"detail": "true", "language": "EN"}
    await adapter.context.http.aclose()


def test_dutch_local_time_follows_summer_and_winter_time():
    assert dutch_time("07-07-2026 12:00:00").astimezone(UTC) == datetime(
        2026, 7, 7, 10, 0, tzinfo=UTC
    )
    assert dutch_time("07-12-2026 12:00:00").astimezone(UTC) == datetime(
        2026, 12, 7, 11, 0, tzinfo=UTC
    )
    assert dutch_time("2026-12-07 12:00") is None
