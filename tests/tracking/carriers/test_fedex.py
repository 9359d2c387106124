"""FedEx Track API: one call for up to 30 numbers, each answered (or not found) on its own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from parcelgraph.tracking.adapters import CarrierRateLimited, TrackingNotFound, TrackingUpdate
from tests.tracking.carriers.cases import CASES

FEDEX = next(c for c in CASES if c.name == "fedex")
CDT = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))
NUMBERS = ["794843185271", "123456789012", "999999999999"]


async def test_three_numbers_go_in_one_call_and_each_gets_its_own_answer(fake, sleeps):
    fake.load("fedex", "token", "success")
    adapter = FEDEX.build(fake.url, sleeps)

    results = await adapter.fetch_many([FEDEX.request(n) for n in NUMBERS])

    (call,) = fake.requests_to("/track/v1/trackingnumbers")
    assert call.json() == {
        "includeDetailedScans": True,
        "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": n}} for n in NUMBERS],
    }
    assert call.headers["authorization"] == "Bearer fedex-token-1"
    assert set(results) == {"794843185271", "123456789012"}  # the third is not found
    delivered, moving = results["794843185271"], results["123456789012"]
    assert isinstance(delivered, TrackingUpdate) and isinstance(moving, TrackingUpdate)
    assert [(s.code, s.occurred_at) for s in delivered.statuses] == [
        ("XZ", datetime(2026, 10, 5, 9, 0, tzinfo=EDT)),
        ("PU", datetime(2026, 10, 5, 18, 30, tzinfo=EDT)),
        ("DE", datetime(2026, 10, 6, 22, 41, tzinfo=CDT)),
        ("OD", datetime(2026, 10, 7, 8, 10, tzinfo=CDT)),
        ("DL", datetime(2026, 10, 7, 13, 5, tzinfo=CDT)),
    ]
    exception = delivered.statuses[2]
    assert exception.details == {
        "exception_code": "08",
        "exception": "Customer not available or business closed",
    }
    assert delivered.statuses[-1].signed_by == "J.SMITH"
    assert delivered.statuses[-1].details == {"left_at": "Front desk/Reception"}
    assert (delivered.statuses[-1].location, delivered.statuses[-1].postal_code) == (
        "AUSTIN, TX, US",
        "78731",
    )
    assert moving.estimated_arrival == (
        datetime(2026, 10, 9, 9, 0, tzinfo=CDT),
        datetime(2026, 10, 9, 13, 0, tzinfo=CDT),
    )
    await adapter.context.http.aclose()


async def test_more_than_thirty_numbers_are_split_into_calls_of_thirty(fake, sleeps):
    fake.load("fedex", "token", "not_found")
    adapter = FEDEX.build(fake.url, sleeps)
    numbers = [f"7948431852{i:02d}" for i in range(65)]

    results = await adapter.fetch_many([FEDEX.request(n) for n in numbers])

    sizes = [len(c.json()["trackingInfo"]) for c in fake.requests_to("/track/v1/trackingnumbers")]
    assert sizes == [30, 30, 5]
    assert results == {}
    assert len(fake.requests_to("/oauth/token")) == 1  # the token is shared by the calls
    await adapter.context.http.aclose()


async def test_a_number_fedex_does_not_know_is_not_found_on_its_own(fake, sleeps):
    fake.load("fedex", "token", "success")
    adapter = FEDEX.build(fake.url, sleeps)

    with pytest.raises(TrackingNotFound, match="999999999999"):
        await adapter.fetch(FEDEX.request("999999999999"))
    await adapter.context.http.aclose()


async def test_a_rate_limit_stops_the_remaining_batches(fake, sleeps):
    fake.load("fedex", "token")
    fake.add(
        method="POST",
        path="/track/v1/trackingnumbers",
        status=429,
        headers={"Retry-After": "600"},
        json={"errors": [{"code": "TOO.MANY.REQUESTS"}]},
    )
    adapter = FEDEX.build(fake.url, sleeps)
    numbers = [f"7948431852{i:02d}" for i in range(65)]

    with pytest.raises(CarrierRateLimited) as raised:
        await adapter.fetch_many([FEDEX.request(n) for n in numbers])

    assert raised.value.retry_after == 600.0
    assert len(fake.requests_to("/track/v1/trackingnumbers")) == 1
    await adapter.context.http.aclose()
