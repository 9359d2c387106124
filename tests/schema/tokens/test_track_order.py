"""`trackOrder`: anonymous lookup by order number and zip code, without personal data,
the same answer for a wrong zip and an unknown order, and a per-address rate limit."""

import re

import pytest

from tests.claim_support import parcel
from tests.factories import Factory

TRACK = """
query($n: String!, $z: String!) {
  trackOrder(orderNumber: $n, zipCode: $z) {
    shopName orderNumber orderPlacedAt state expectedNumberOfShipments
    products { sku title quantity }
    shipments {
      position isDraft trackingNumber phase carrier { reference }
      products { sku quantity }
      events { eventName phase description }
    }
  }
}
"""


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"track_order_burst": 3, "track_order_per_minute": 6.0}


@pytest.fixture
def make(db, clock) -> Factory:  # type: ignore[no-untyped-def]
    return Factory(db, clock)


async def test_the_right_zip_shows_the_tracking_view(shop, make, clock) -> None:
    await parcel(make, events=("DEPARTURE_FROM_TRANSPORT_HUB",))
    anonymous = shop.as_(None)

    data = await anonymous.data(TRACK, {"n": "1001", "z": " 10-115 "})

    assert data == {
        "trackOrder": {
            "shopName": "acme",
            "orderNumber": "1001",
            "orderPlacedAt": clock().isoformat(),
            "state": "PLACED",
            "expectedNumberOfShipments": 1,
            "products": [
                {"sku": "MUG", "title": "Mug", "quantity": 2},
                {"sku": "PLATE", "title": "Plate", "quantity": 1},
            ],
            "shipments": [
                {
                    "position": 1,
                    "isDraft": False,
                    "trackingNumber": "00340434",
                    "phase": "IN_TRANSIT",
                    "carrier": {"reference": "dhl"},
                    "products": [{"sku": "MUG", "quantity": 2}, {"sku": "PLATE", "quantity": 1}],
                    "events": [
                        {
                            "eventName": "DEPARTURE_FROM_TRANSPORT_HUB",
                            "phase": "IN_TRANSIT",
                            "description": "The parcel left a sorting hub towards its next stop.",
                        }
                    ],
                }
            ],
        }
    }


async def test_a_wrong_zip_and_an_unknown_order_get_the_same_answer(shop, make) -> None:
    await parcel(make)
    anonymous = shop.as_(None)

    wrong_zip = await anonymous.post(TRACK, {"n": "1001", "z": "10117"})
    unknown = await anonymous.post(TRACK, {"n": "9999", "z": "10115"})

    assert wrong_zip.status_code == unknown.status_code == 200
    assert wrong_zip.json()["data"] == unknown.json()["data"] == {"trackOrder": None}
    assert "errors" not in wrong_zip.json() and "errors" not in unknown.json()


def _type_fields(sdl: str, name: str) -> set[str]:
    block = sdl.split(f"type {name} {{", 1)[1].split("\n}", 1)[0]
    lines = [line.strip() for line in block.splitlines()]
    return {line.split("(")[0].split(":")[0] for line in lines if line and line[0].isalpha()}


def test_the_view_has_no_path_to_personal_data() -> None:
    from parcelgraph.schema.root import schema

    sdl = str(schema)
    assert _type_fields(sdl, "PublicTracking") == {
        "shopName",
        "orderNumber",
        "orderPlacedAt",
        "state",
        "expectedNumberOfShipments",
        "products",
        "shipments",
    }
    # Nothing reachable from the view leads to an Order, Shipment or Event (which do).
    for name in ("PublicTracking", "PublicTrackingShipment", "PublicTrackingEvent"):
        block = sdl.split(f"type {name} {{", 1)[1].split("\n}", 1)[0]
        assert re.search(r": \[?(Order|Shipment|Event)\b", block) is None, name
        assert "email" not in block and "address" not in block.lower(), name


async def test_lookups_are_rate_limited_per_client_address(shop, make, clock) -> None:
    await parcel(make)
    anonymous = shop.as_(None)
    for _ in range(3):
        assert (await anonymous.post(TRACK, {"n": "1001", "z": "00000"})).status_code == 200

    refused = await anonymous.post(TRACK, {"n": "1001", "z": "10115"})

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "10"
    assert refused.json()["data"] == {"trackOrder": None}
    assert refused.json()["errors"][0]["message"] == (
        "Too many lookups from this address; retry in 10 s."
    )
    assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 10}
    clock.advance(seconds=10)
    again = await anonymous.data(TRACK, {"n": "1001", "z": "10115"})
    assert again["trackOrder"]["orderNumber"] == "1001"


async def test_an_unknown_shop_answers_like_an_unknown_order(shop, make) -> None:
    await parcel(make)
    unknown_shop = shop.as_(None)
    unknown_shop.slug = "no-such-shop"
    query = '{ trackOrder(orderNumber: "1001", zipCode: "10115") { state } }'

    elsewhere = await unknown_shop.post(query)
    here = await shop.as_(None).post(query.replace("1001", "9999"))

    assert elsewhere.status_code == here.status_code == 200
    assert elsewhere.json()["data"] == here.json()["data"] == {"trackOrder": None}
    assert "errors" not in elsewhere.json()
