"""UPS Track API: token handling, the activity list, the estimate and the delivery proof."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tests.tracking.carriers.cases import CASES

UPS = next(c for c in CASES if c.name == "ups")
EDT = timezone(timedelta(hours=-4))
TRACK = "/api/track/v1/details/1Z023E2X0214323462"


async def test_a_delivered_package_reads_with_gmt_times_place_and_proof(fake, sleeps):
    fake.load("ups", "token", "success")
    adapter = UPS.build(fake.url, sleeps)

    update = await adapter.fetch(UPS.request())

    assert [(s.code, s.details["detail_code"], s.occurred_at) for s in update.statuses] == [
        ("M", "MP", datetime(2026, 10, 5, 13, 0, tzinfo=UTC)),
        # no GMT fields on this one: the local time takes the offset UPS sent
        ("X", "SR", datetime(2026, 10, 6, 22, 15, tzinfo=EDT)),
        ("O", "OT", datetime(2026, 10, 7, 11, 13, 56, tzinfo=UTC)),
        ("D", "FS", datetime(2026, 10, 7, 18, 31, tzinfo=UTC)),
    ]
    delivered = update.statuses[-1]
    assert (delivered.location, delivered.postal_code) == ("Wayne, NJ, US", "07470")
    assert delivered.signed_by == "MEIER"
    assert delivered.details == {"detail_code": "FS", "status_code": "011", "left_at": "Front Door"}
    assert update.estimated_arrival is None  # delivered: no estimate any more
    await adapter.context.http.aclose()


async def test_one_token_serves_many_calls_and_is_sent_as_bearer(fake, sleeps):
    fake.load("ups", "token", "success")
    adapter = UPS.build(fake.url, sleeps)

    await adapter.fetch(UPS.request())
    await adapter.fetch(UPS.request())

    (token_call,) = fake.requests_to("/security/v1/oauth/token")
    assert token_call.headers["authorization"].startswith("Basic ")
    assert token_call.body == b"grant_type=client_credentials"
    calls = fake.requests_to(TRACK)
    assert [c.headers["authorization"] for c in calls] == ["Bearer ups-token-1"] * 2
    assert all(c.headers["transactionsrc"] == "parcelgraph" and c.headers["transid"] for c in calls)
    await adapter.context.http.aclose()


async def test_an_expired_token_is_fetched_again(fake, sleeps):
    fake.load("ups", "token", "success")
    fake.routes[0]["json"]["expires_in"] = "30"  # shorter than the refresh margin
    adapter = UPS.build(fake.url, sleeps)

    await adapter.fetch(UPS.request())
    await adapter.fetch(UPS.request())

    assert len(fake.requests_to("/security/v1/oauth/token")) == 2
    await adapter.context.http.aclose()


async def test_a_scheduled_delivery_window_becomes_the_estimate(fake, sleeps):
    fake.load("ups", "token", "success")
    package = fake.routes[1]["json"]["trackResponse"]["shipment"][0]["package"][0]
    package["deliveryDate"] = [{"type": "SDD", "date": "20261009"}]
    package["deliveryTime"] = {"type": "EDW", "startTime": "100000", "endTime": "140000"}
    adapter = UPS.build(fake.url, sleeps)

    update = await adapter.fetch(UPS.request())

    assert update.estimated_arrival == (
        datetime(2026, 10, 9, 10, 0, tzinfo=EDT),
        datetime(2026, 10, 9, 14, 0, tzinfo=EDT),
    )
    await adapter.context.http.aclose()
