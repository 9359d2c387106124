"""updateShipment: tracking URL and package contents (which replace the old ones)."""

import pytest
from strawberry.relay import to_base64

from tests.schema.orders.order_mutations import (
    UPDATE_SHIPMENT,
    codes,
    event_names,
    order,
    table_counts,
    upsert,
)


async def update_shipment(caller, **input):
    return (await caller.data(UPDATE_SHIPMENT, {"input": input}))["updateShipment"]


async def shipped(editor):
    payload = await upsert(
        editor,
        id="1001",
        order=order(expectedNumberOfShipments=2),
        trackings=[{"trackingNumber": "T1", "products": [{"sku": "MUG", "quantity": 1}]}],
    )
    return payload["order"]["shipments"]


async def test_url_and_products_replace(editor, db) -> None:
    first, _ = await shipped(editor)

    payload = await update_shipment(
        editor,
        id=first["id"],
        trackingUrl="https://track.example.com/T1",
        products=[{"sku": "POSTER", "quantity": 1}, {"sku": "MUG", "quantity": 2}],
    )

    assert payload["errors"] == []
    assert payload["shipment"]["trackingUrl"] == "https://track.example.com/T1"
    assert sorted(payload["shipment"]["products"], key=lambda p: p["sku"]) == [
        {"sku": "MUG", "quantity": 2},
        {"sku": "POSTER", "quantity": 1},
    ]
    assert await event_names(db, "1001") == [
        "ORDER_CREATED",
        "ORDER_FULFILLED",
        "INTERNAL_TRIGGER",
    ]


async def test_empty_products_empty_the_package_and_null_clears_the_url(editor) -> None:
    first, _ = await shipped(editor)

    payload = await update_shipment(editor, id=first["id"], products=[], trackingUrl=None)

    assert payload["shipment"]["products"] == []
    assert payload["shipment"]["trackingUrl"] is None


async def test_omitted_fields_are_unchanged_and_raw_uuid_works(editor, db) -> None:
    first, _ = await shipped(editor)
    raw = to_base64("Shipment", "x")  # a global id of another shape is not a shipment
    missing = await update_shipment(editor, id=raw, products=[])

    payload = await update_shipment(editor, id=first["id"])

    assert payload["shipment"]["products"] == [{"sku": "MUG", "quantity": 1}]
    assert codes(missing["errors"]) == [("INVALID_ID", ["id"])]
    assert await event_names(db, "1001") == ["ORDER_CREATED", "ORDER_FULFILLED"]


async def test_errors_change_nothing(editor, db) -> None:
    _, second = await shipped(editor)
    before = await table_counts(db)

    bad = await update_shipment(
        editor,
        id=second["id"],
        trackingUrl="not a url",
        products=[{"sku": "MUG", "quantity": 3}, {"sku": "NOPE", "quantity": 1}],
    )
    unknown = await update_shipment(editor, id="6f1c1f8e-0000-4000-8000-000000000000", products=[])

    assert codes(bad["errors"]) == [
        ("INVALID_URL", ["trackingUrl"]),
        ("QUANTITY_EXCEEDS_ORDER", ["products", "0", "quantity"]),
        ("UNKNOWN_PRODUCT", ["products", "1", "sku"]),
    ]
    assert codes(unknown["errors"]) == [("SHIPMENT_NOT_FOUND", ["id"])]
    assert await table_counts(db) == before


async def test_viewers_may_not_update_shipments(viewer) -> None:
    body = await viewer.execute(UPDATE_SHIPMENT, {"input": {"id": "x"}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_explicit_null_products_leave_the_package_alone(editor) -> None:
    first, _ = await shipped(editor)

    payload = await update_shipment(editor, id=first["id"], products=None)

    assert payload["errors"] == []
    assert payload["shipment"]["products"] == [{"sku": "MUG", "quantity": 1}]


@pytest.mark.parametrize("quantity", [0, -3])
async def test_a_quantity_below_one_is_refused(editor, db, quantity: int) -> None:
    first, _ = await shipped(editor)
    before = await table_counts(db)

    payload = await update_shipment(
        editor, id=first["id"], products=[{"sku": "MUG", "quantity": quantity}]
    )

    assert codes(payload["errors"]) == [("VALUE_OUT_OF_RANGE", ["products", "0", "quantity"])]
    assert await table_counts(db) == before
