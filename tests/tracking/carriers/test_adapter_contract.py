"""Every carrier adapter against a fake carrier on 127.0.0.1: the answers a poller relies on.

Given a carrier answering with its documented success example, 401, not found, 429 with
Retry-After, 500, a body that is not JSON, or nothing in time, the adapter returns the
parcel's statuses or raises the one exception that says what went wrong.
"""

from __future__ import annotations

import pytest

from parcelgraph.tracking.adapters import (
    CarrierAuthFailed,
    CarrierRateLimited,
    CarrierResponseInvalid,
    CarrierUnavailable,
    TrackingNotFound,
)
from tests.tracking.carriers.cases import CASES, CarrierCase
from tests.tracking.carriers.fake_carrier import FakeCarrier

pytestmark = pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])


def fail(case: CarrierCase, fake: FakeCarrier, **answer: object) -> None:
    fake.load(case.name, *case.fixtures()).add(
        method=case.track_method, path=case.track_path, **answer
    )


async def test_the_documented_example_gives_aware_statuses_in_time_order(case, fake, sleeps):
    fake.load(case.name, *case.fixtures("success"))
    adapter = case.build(fake.url, sleeps)

    update = await adapter.fetch(case.request())

    assert update.statuses
    times = [s.occurred_at for s in update.statuses]
    assert times == sorted(times)
    assert all(t.utcoffset() is not None for t in times)
    assert sleeps.waits == []
    await adapter.context.http.aclose()


async def test_a_401_is_an_auth_failure(case, fake, sleeps):
    fail(case, fake, status=401, json={"error": "unauthorized"})
    adapter = case.build(fake.url, sleeps)

    with pytest.raises(CarrierAuthFailed):
        await adapter.fetch(case.request())

    # A token carrier refreshes its token once before giving up; a key carrier does not retry.
    assert len(fake.requests_to(case.track_path)) == (2 if case.token_path else 1)
    if case.token_path:
        assert len(fake.requests_to(case.token_path)) == 2
    await adapter.context.http.aclose()


async def test_an_unknown_number_is_not_found(case, fake, sleeps):
    fake.load(case.name, *case.fixtures("not_found"))
    adapter = case.build(fake.url, sleeps)

    with pytest.raises(TrackingNotFound):
        await adapter.fetch(case.request())
    await adapter.context.http.aclose()


async def test_a_long_retry_after_is_handed_back_to_the_poller(case, fake, sleeps):
    fail(case, fake, status=429, headers={"Retry-After": "120"}, json={"error": "slow down"})
    adapter = case.build(fake.url, sleeps)

    with pytest.raises(CarrierRateLimited) as raised:
        await adapter.fetch(case.request())

    assert raised.value.retry_after == 120.0
    assert len(fake.requests_to(case.track_path)) == 1
    assert sleeps.waits == []
    await adapter.context.http.aclose()


async def test_a_short_retry_after_is_waited_for_then_the_call_succeeds(case, fake, sleeps):
    fail(case, fake, status=429, headers={"Retry-After": "2"}, json={"error": "slow down"})
    fake.load(case.name, "success")
    adapter = case.build(fake.url, sleeps)

    update = await adapter.fetch(case.request())

    assert update.statuses
    assert sleeps.waits == [2.0]
    await adapter.context.http.aclose()


async def test_a_500_is_retried_with_backoff_then_reported_unavailable(case, fake, sleeps):
    fail(case, fake, status=500, body="internal error")
    adapter = case.build(fake.url, sleeps)

    with pytest.raises(CarrierUnavailable) as raised:
        await adapter.fetch(case.request())

    assert type(raised.value) is CarrierUnavailable
    assert "HTTP 500" in str(raised.value)
    assert len(fake.requests_to(case.track_path)) == 3
    assert len(sleeps.waits) == 2
    assert all(0 < w <= 0.02 for w in sleeps.waits)
    await adapter.context.http.aclose()


async def test_a_passing_500_is_retried_into_a_success(case, fake, sleeps):
    fail(case, fake, status=503, body="busy")
    fake.load(case.name, "success")
    adapter = case.build(fake.url, sleeps)

    update = await adapter.fetch(case.request())

    assert update.statuses
    assert len(fake.requests_to(case.track_path)) == 2
    await adapter.context.http.aclose()


async def test_a_body_that_is_not_json_is_an_invalid_response(case, fake, sleeps):
    fail(case, fake, status=200, body="<html>maintenance</html>", content_type="text/html")
    adapter = case.build(fake.url, sleeps)

    with pytest.raises(CarrierResponseInvalid):
        await adapter.fetch(case.request())
    await adapter.context.http.aclose()


@pytest.mark.parametrize("body", [[1, 2, 3], {"unexpected": [1, 2]}, {"shipments": "x"}])
async def test_json_of_another_shape_is_never_a_crash(case, fake, sleeps, body):
    fail(case, fake, status=200, json=body)
    fake.add(method="POST", path="/trackings", status=201, json={})  # AfterShip registers it
    adapter = case.build(fake.url, sleeps)

    with pytest.raises((TrackingNotFound, CarrierResponseInvalid)):
        await adapter.fetch(case.request())
    await adapter.context.http.aclose()


async def test_a_carrier_that_does_not_answer_in_time_is_unavailable(case, fake, sleeps):
    fail(case, fake, status=200, body="{}", delay=2.0)
    adapter = case.build(fake.url, sleeps, read_timeout=0.3, attempts=2)

    with pytest.raises(CarrierUnavailable, match="timed out"):
        await adapter.fetch(case.request())

    assert len(fake.requests_to(case.track_path)) == 2
    await adapter.context.http.aclose()
