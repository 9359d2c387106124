"""DHL's unified tracking API: what the documented example becomes, and how we ask."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from parcelgraph.domain import catalogue
from parcelgraph.tracking.normalizer import normalize_all
from tests.tracking.carriers.cases import CASES

DHL = next(c for c in CASES if c.name == "dhl")
CEST = timezone(timedelta(hours=2))


async def test_a_delivered_parcel_reads_with_places_window_and_proof(fake, sleeps):
    fake.load("dhl", "success")
    adapter = DHL.build(fake.url, sleeps)

    update = await adapter.fetch(DHL.request())

    assert [(s.code, s.occurred_at) for s in update.statuses] == [
        ("unknown", datetime(2026, 10, 6, 8, 0, tzinfo=CEST)),
        ("pre-transit", datetime(2026, 10, 6, 9, 10, tzinfo=CEST)),
        ("transit", datetime(2026, 10, 6, 21, 2, tzinfo=CEST)),
        ("transit", datetime(2026, 10, 7, 7, 45, tzinfo=CEST)),
        ("delivered", datetime(2026, 10, 7, 14, 31, tzinfo=CEST)),
    ]
    delivered = update.statuses[-1]
    assert (delivered.location, delivered.country_code, delivered.postal_code) == (
        "Berlin, DE",
        "DE",
        "10115",
    )
    assert delivered.message == "The shipment has been delivered to the recipient."
    assert delivered.signed_by == "Anna Meier"
    assert delivered.details == {
        "detail_code": "ZUGESTELLT",
        "signature_url": "https://webpod.dhl.com/signature?token=abc",
        "proof_of_delivery_url": "https://webpod.dhl.com/pod?token=abc",
    }
    assert update.statuses[2].signed_by is None  # the proof belongs to the delivery only
    assert update.estimated_arrival == (
        datetime(2026, 10, 7, 10, 0, tzinfo=CEST),
        datetime(2026, 10, 7, 14, 0, tzinfo=CEST),
    )
    await adapter.context.http.aclose()


async def test_the_key_goes_in_the_documented_header_and_the_number_in_the_query(fake, sleeps):
    fake.load("dhl", "success")
    adapter = DHL.build(fake.url, sleeps)

    await adapter.fetch(DHL.request())

    (seen,) = fake.requests_to("/track/shipments")
    assert seen.headers["dhl-api-key"] == "dhl-key"
    assert seen.query == {"trackingNumber": "00340434161094042557"}
    await adapter.context.http.aclose()


async def test_dhl_unknown_status_is_kept_as_unmapped_with_its_text(fake, sleeps):
    fake.load("dhl", "success")
    adapter = DHL.build(fake.url, sleeps)

    update = await adapter.fetch(DHL.request())
    scans = normalize_all(update.statuses, adapter="dhl", status_map=adapter.status_map)

    assert [s.event_name for s in scans] == [
        catalogue.UNMAPPED,
        "LABEL_CREATED",
        "IN_TRANSIT",
        "IN_TRANSIT",
        "SUCCESSFULLY_DELIVERED",
    ]
    assert (scans[0].raw_code, scans[0].message) == ("unknown", "Status update")
    await adapter.context.http.aclose()
