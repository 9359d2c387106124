"""upsertOrder: create/update by any idType, trackings attached idempotently, every error."""

import asyncio

import pytest

from parcelgraph.models import Event, Order, Shipment
from tests.schema.orders.order_mutations import (
    UPSERT,
    address,
    codes,
    count,
    event_names,
    order,
    table_counts,
    upsert,
)


async def test_create_places_expected_drafts_with_order_created_events(editor, db) -> None:
    payload = await upsert(editor, id="1001", order=order(expectedNumberOfShipments=2))

    assert payload["errors"] == []
    placed = payload["order"]
    assert placed["orderNumber"] == "1001"
    assert placed["state"] == "PLACED"
    assert placed["totalOrderPrice"] == "49.9000"
    assert placed["address"] == {
        "zipCode": "10557",
        "countryCode": "DE",
        "provinceCode": "BE",
        "city": "Berlin",
        "street": "Heidestrasse 17",
    }
    assert [(s["position"], s["isDraft"], s["phase"]) for s in placed["shipments"]] == [
        (1, True, "ORDER_CREATED"),
        (2, True, "ORDER_CREATED"),
    ]
    assert await event_names(db, "1001") == ["ORDER_CREATED", "ORDER_CREATED"]


async def test_tracking_fulfils_the_next_draft_in_place(editor, db) -> None:
    created = await upsert(editor, id="1001", order=order(expectedNumberOfShipments=2))
    first_draft = created["order"]["shipments"][0]["id"]

    payload = await upsert(
        editor,
        id="1001",
        trackings=[
            {
                "trackingNumber": "1Z999AA10123456784",
                "carrierReference": "ups",
                "products": [{"sku": "MUG", "quantity": 2}],
            }
        ],
    )

    shipped = payload["order"]
    assert shipped["state"] == "PARTIALLY_FULFILLED"
    first, second = shipped["shipments"]
    assert first["id"] == first_draft
    assert first["isDraft"] is False
    assert first["phase"] == "ORDER_PROCESSED"
    assert first["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert first["carrier"]["reference"] == "ups"
    assert first["carrier"]["confidence"] == 1.0
    assert first["products"] == [{"sku": "MUG", "quantity": 2}]
    assert second["isDraft"] is True
    assert await event_names(db, "1001") == ["ORDER_CREATED", "ORDER_CREATED", "ORDER_FULFILLED"]


async def test_placed_and_fulfilled_in_one_call_starts_at_order_processed(editor, db) -> None:
    payload = await upsert(
        editor,
        id="D-1",
        order=order("D-1"),
        trackings=[{"trackingNumber": "00340434161234567896", "trackingCompany": "DHL"}],
    )

    shipment = payload["order"]["shipments"][0]
    assert payload["order"]["state"] == "FULFILLED"
    assert shipment["phase"] == "ORDER_PROCESSED"
    assert shipment["carrier"]["reference"] == "dhl"
    assert "DHL" in shipment["carrier"]["reason"]
    assert shipment["trackingUrl"].endswith("piececode=00340434161234567896")
    # Omitted products: the package holds the whole order.
    assert shipment["products"] == [{"sku": "MUG", "quantity": 3}, {"sku": "POSTER", "quantity": 1}]
    assert await event_names(db, "D-1") == ["ORDER_FULFILLED"]


async def test_resending_the_same_upsert_writes_nothing_new(editor, db) -> None:
    tracking = {"trackingNumber": "1Z999AA10123456784", "trackingCompany": "UPS"}
    first = await upsert(editor, id="1001", order=order(), trackings=[tracking])
    events_before = await count(db, Event)

    again = await upsert(editor, id="1001", order=order(), trackings=[tracking])

    assert again["errors"] == []
    assert again["order"]["shipments"] == first["order"]["shipments"]
    assert await count(db, Shipment) == 1
    assert await count(db, Event) == events_before == 1
    assert await count(db, Order) == 1


async def test_an_extra_tracking_adds_a_shipment_and_a_known_one_updates(editor, db) -> None:
    await upsert(
        editor,
        id="1001",
        order=order(),
        trackings=[{"trackingNumber": "T1", "products": [{"sku": "MUG", "quantity": 1}]}],
    )

    payload = await upsert(
        editor,
        id="1001",
        trackings=[
            {"trackingNumber": "T1", "trackingUrl": "https://track.example.com/T1"},
            {"trackingNumber": "T2", "products": [{"sku": "MUG", "quantity": 2}]},
        ],
    )

    first, second = payload["order"]["shipments"]
    assert (first["trackingNumber"], first["trackingUrl"]) == ("T1", "https://track.example.com/T1")
    assert (second["position"], second["trackingNumber"]) == (2, "T2")
    assert second["products"] == [{"sku": "MUG", "quantity": 2}]
    assert payload["order"]["state"] == "FULFILLED"
    assert await event_names(db, "1001") == [
        "ORDER_FULFILLED",
        "INTERNAL_TRIGGER",
        "ORDER_FULFILLED",
    ]


@pytest.mark.parametrize(
    ("id_type", "field", "value"),
    [("EXTERNAL_ID", "externalId", "shopify-77"), ("ORDER_NAME", "orderName", "#IXF1001")],
)
async def test_other_id_types_find_the_order(editor, id_type, field, value) -> None:
    await upsert(editor, id="1001", order=order(**{field: value}))

    payload = await upsert(editor, id=value, idType=id_type, trackings=[{"trackingNumber": "T9"}])

    assert payload["errors"] == []
    assert payload["order"]["orderNumber"] == "1001"
    assert payload["order"]["state"] == "FULFILLED"


async def test_uuid_id_type_accepts_the_global_id(editor) -> None:
    created = await upsert(editor, id="1001", order=order())

    payload = await upsert(
        editor, id=created["order"]["id"], idType="UUID", order={"email": "new@example.com"}
    )

    assert payload["errors"] == []
    assert payload["order"]["email"] == "new@example.com"


async def test_update_changes_only_given_fields(editor, db) -> None:
    await upsert(editor, id="1001", order=order())

    payload = await upsert(editor, id="1001", order={"segments": ["vip"]})

    assert payload["order"]["segments"] == ["vip"]
    assert payload["order"]["email"] == "erika@example.com"
    assert await event_names(db, "1001") == ["ORDER_CREATED", "INTERNAL_TRIGGER"]


async def test_without_order_the_order_must_exist(editor, db) -> None:
    payload = await upsert(editor, id="404", trackings=[{"trackingNumber": "T1"}])

    assert payload["order"] is None
    assert codes(payload["errors"]) == [("ORDER_NOT_FOUND", ["id"])]
    assert await count(db, Order) == 0


async def test_every_problem_is_reported_together_and_nothing_is_written(editor, db) -> None:
    await upsert(editor, id="other", order=order("other", externalId="ext-1"))
    before = await table_counts(db)
    bad = order(
        currency="USD",
        email="not-an-email",
        externalId="ext-1",
        expectedNumberOfShipments=101,
        address=address(zipCode="ABC", countryCode="DE", provinceCode="ZZ"),
        products=[
            {
                "sku": "MUG",
                "title": "Mug",
                "quantity": 1,
                "images": [{"src": "ftp://img/1.png"}],
                "type": "BUNDLE",
                "bundledProducts": [{"title": "Part", "type": "BUNDLE"}],
            },
        ],
    )

    payload = await upsert(
        editor,
        id="1001",
        order=bad,
        trackings=[
            {"trackingNumber": "T1", "carrierReference": "nope"},
            {"trackingNumber": "T2", "trackingUrl": "javascript:alert(1)"},
        ],
    )

    assert payload["order"] is None
    assert sorted(codes(payload["errors"])) == sorted(
        [
            ("INVALID_EMAIL", ["order", "email"]),
            ("CURRENCY_MISMATCH", ["order", "currency"]),
            ("TOO_MANY_SHIPMENTS", ["order", "expectedNumberOfShipments"]),
            ("ZIP_CODE_INVALID", ["order", "address", "zipCode"]),
            ("PROVINCE_CODE_INVALID", ["order", "address", "provinceCode"]),
            ("INVALID_URL", ["order", "products", "0", "images", "0", "src"]),
            ("NESTED_BUNDLE", ["order", "products", "0", "bundledProducts", "0", "type"]),
            ("INVALID_URL", ["trackings", "1", "trackingUrl"]),
            ("CARRIER_REFERENCE_INVALID", ["trackings", "0", "carrierReference"]),
            ("DUPLICATE_EXTERNAL_ID", ["order", "externalId"]),
        ]
    )
    assert await table_counts(db) == before


async def test_country_code_must_be_iso(editor) -> None:
    payload = await upsert(editor, id="1001", order=order(address=address(countryCode="XX")))

    assert codes(payload["errors"]) == [
        ("COUNTRY_CODE_INVALID", ["order", "address", "countryCode"])
    ]


async def test_a_new_order_needs_an_address_with_zip_code(editor) -> None:
    payload = await upsert(editor, id="1001", order=order(address=None))

    assert codes(payload["errors"]) == [("ZIP_CODE_INVALID", ["order", "address", "zipCode"])]


async def test_package_contents_are_checked_against_the_order(editor, db) -> None:
    await upsert(
        editor,
        id="1001",
        order=order(expectedNumberOfShipments=2),
        trackings=[{"trackingNumber": "T1", "products": [{"sku": "MUG", "quantity": 2}]}],
    )
    before = await table_counts(db)

    payload = await upsert(
        editor,
        id="1001",
        trackings=[
            {
                "trackingNumber": "T2",
                "products": [{"sku": "MUG", "quantity": 2}, {"sku": "SOCKS", "quantity": 1}],
            },
        ],
    )

    assert codes(payload["errors"]) == [
        ("QUANTITY_EXCEEDS_ORDER", ["trackings", "0", "products", "0", "quantity"]),
        ("UNKNOWN_PRODUCT", ["trackings", "0", "products", "1", "sku"]),
    ]
    assert await table_counts(db) == before


async def test_more_than_a_hundred_shipments_are_refused(editor, db) -> None:
    await upsert(editor, id="1001", order=order(expectedNumberOfShipments=100))
    before = await table_counts(db)
    extra = {"trackingNumber": "R1", "direction": "CUSTOMER_MERCHANT"}

    payload = await upsert(editor, id="1001", trackings=[{"trackingNumber": "T1"}, extra])

    assert codes(payload["errors"]) == [("TOO_MANY_SHIPMENTS", ["trackings", "1"])]
    assert await table_counts(db) == before


async def test_invalid_uuid_and_cancelled_orders(editor) -> None:
    bad_id = await upsert(editor, id="not-a-uuid", idType="UUID", trackings=[])
    assert codes(bad_id["errors"]) == [("INVALID_ID", ["id"])]

    created = await upsert(editor, id="1001", order=order())
    await editor.data(
        "mutation($i: CancelOrderInput!) { cancelOrder(input: $i) { errors { code } } }",
        {"i": {"id": created["order"]["id"]}},
    )
    refused = await upsert(editor, id="1001", trackings=[{"trackingNumber": "T1"}])
    assert codes(refused["errors"]) == [("ORDER_NOT_EDITABLE", ["id"])]


async def test_idempotency_key_replays_or_refuses(editor, db, clock) -> None:
    first = await upsert(editor, id="1001", order=order(), idempotencyKey="k-1")
    events = await count(db, Event)

    replay = await upsert(editor, id="1001", order=order(), idempotencyKey="k-1")
    reused = await upsert(
        editor, id="1001", order=order(email="x@example.com"), idempotencyKey="k-1"
    )

    assert replay["replayed"] is True
    assert replay["order"]["id"] == first["order"]["id"]
    assert await count(db, Event) == events
    assert codes(reused["errors"]) == [("IDEMPOTENCY_KEY_REUSED", ["idempotencyKey"])]
    clock.advance(hours=25)
    later = await upsert(
        editor, id="1001", order=order(email="x@example.com"), idempotencyKey="k-1"
    )
    assert later["replayed"] is False
    assert later["order"]["email"] == "x@example.com"


async def test_viewers_may_not_upsert(viewer, db) -> None:
    body = await viewer.execute(UPSERT, {"input": {"id": "1001", "order": order()}})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await count(db, Order) == 0


async def test_concurrent_upserts_of_one_new_order_make_one_order(editor, db) -> None:
    def attempt(n: int):
        tracking = {"trackingNumber": f"C{n}", "products": []}
        return editor.post(
            UPSERT,
            {
                "input": {
                    "id": "RACE-1",
                    "order": order("RACE-1", expectedNumberOfShipments=4),
                    "trackings": [tracking],
                }
            },
        )

    responses = await asyncio.gather(*(attempt(n) for n in range(4)))

    assert [r.status_code for r in responses] == [200] * 4
    assert all(r.json()["data"]["upsertOrder"]["errors"] == [] for r in responses)
    assert await count(db, Order, order_number="RACE-1") == 1
    # Each client attached its own tracking to the same order.
    assert await count(db, Shipment) == 4
    final = await upsert(editor, id="RACE-1", trackings=[])
    assert final["order"]["state"] == "FULFILLED"
