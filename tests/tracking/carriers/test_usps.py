"""USPS Tracking v3: event codes, GMT times (or local time plus offset), the estimate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tests.tracking.carriers.cases import CASES

USPS = next(c for c in CASES if c.name == "usps")
EDT = timezone(timedelta(hours=-4))


async def test_a_delivered_item_reads_with_exact_times_and_the_recipient(fake, sleeps):
    fake.load("usps", "token", "success")
    adapter = USPS.build(fake.url, sleeps)

    update = await adapter.fetch(USPS.request())

    assert [(s.code, s.occurred_at) for s in update.statuses] == [
        ("GX", datetime(2026, 10, 5, 16, 0, tzinfo=UTC)),
        # no GMTTimestamp: the local time takes the GMTOffset USPS sent with it
        ("OF", datetime(2026, 10, 7, 6, 5, tzinfo=EDT)),
        ("01", datetime(2026, 10, 7, 18, 10, tzinfo=UTC)),
    ]
    delivered = update.statuses[-1]
    assert (delivered.message, delivered.location, delivered.postal_code) == (
        "Delivered, In/At Mailbox",
        "WASHINGTON, DC",
        "20212",
    )
    assert delivered.signed_by == "J DOE"
    assert update.estimated_arrival is None  # delivered: the old estimate is not repeated
    (call,) = fake.requests_to("/tracking/v3/tracking/9400100000000000000000")
    assert call.query == {"expand": "DETAIL"}
    assert call.headers["authorization"] == "Bearer usps-token-1"
    (token,) = fake.requests_to("/oauth2/v3/token")
    assert token.json() == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": "secret",
    }
    await adapter.context.http.aclose()


async def test_an_item_on_its_way_carries_the_expected_delivery(fake, sleeps):
    fake.load("usps", "token", "success")
    events = fake.routes[1]["json"]["trackingEvents"]
    fake.routes[1]["json"]["trackingEvents"] = events[1:]
    adapter = USPS.build(fake.url, sleeps)

    update = await adapter.fetch(USPS.request())

    eta = datetime(2026, 10, 8, 20, 0, tzinfo=UTC)
    assert update.estimated_arrival == (eta, eta)
    await adapter.context.http.aclose()
