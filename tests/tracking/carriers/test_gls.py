"""GLS Track And Trace: one status per parcel, ten numbers per call, per-number errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from parcelgraph.tracking.adapters import TrackingUpdate
from tests.tracking.carriers.cases import CASES

GLS = next(c for c in CASES if c.name == "gls")
CEST = timezone(timedelta(hours=2))
PATH = "/track-and-trace-v1/tracking/simple/trackids/"


async def test_the_parcel_status_reads_with_the_newest_scan_place_and_wording(fake, sleeps):
    fake.load("gls", "token", "success")
    adapter = GLS.build(fake.url, sleeps)

    update = await adapter.fetch(GLS.request())

    (status,) = update.statuses
    assert (status.code, status.occurred_at) == (
        "DELIVEREDPS",
        datetime(2026, 10, 7, 11, 20, tzinfo=CEST),
    )
    assert status.message == "The parcel has been delivered at the ParcelShop."
    assert (status.location, status.postal_code) == ("Köln, DE", "50667")
    assert status.details == {"unit": "61234567890", "event_code": "3.124"}
    (call,) = fake.requests_to(PATH + "ZXVN5Q2T")
    assert call.query == {"showEvents": "true", "showLinks": "false"}
    assert call.headers["authorization"] == "Bearer gls-token-1"
    (token,) = fake.requests_to("/oauth2/v1/token")
    assert token.headers["authorization"].startswith("Basic ")
    await adapter.context.http.aclose()


async def test_numbers_go_ten_per_call_and_unknown_ones_are_left_out(fake, sleeps):
    numbers = [f"ZXVN5Q{i:02d}" for i in range(12)]
    fake.load("gls", "token")
    fake.add(
        method="GET",
        path=PATH + ",".join(numbers[:10]),
        json={
            "parcels": [
                {
                    "requested": numbers[0],
                    "unitno": "1",
                    "status": "INTRANSIT",
                    "statusDateTime": "2026-10-06T08:00:00+02:00",
                },
                {
                    "requested": numbers[1],
                    "errorCode": "E_404_01",
                    "errorMessage": "Resource Not Found",
                },
            ]
        },
    )
    fake.add(method="GET", path=PATH + ",".join(numbers[10:]), json={"parcels": []})
    adapter = GLS.build(fake.url, sleeps)

    results = await adapter.fetch_many([GLS.request(n) for n in numbers])

    assert list(results) == [numbers[0]]
    assert isinstance(results[numbers[0]], TrackingUpdate)
    assert results[numbers[0]].statuses[0].code == "INTRANSIT"
    assert len([s for s in fake.seen if s.path.startswith(PATH)]) == 2
    await adapter.context.http.aclose()
