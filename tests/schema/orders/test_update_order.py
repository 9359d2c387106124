"""updateOrder: only the address and the expected number of shipments; omitted = unchanged."""

from tests.schema.orders.order_mutations import (
    UPDATE,
    address,
    codes,
    event_names,
    order,
    table_counts,
    upsert,
)


async def update(caller, **input):
    return (await caller.data(UPDATE, {"input": input}))["updateOrder"]


async def test_address_only_leaves_shipments_alone(editor, db) -> None:
    created = await upsert(editor, id="1001", order=order(expectedNumberOfShipments=2))

    payload = await update(
        editor, id=created["order"]["id"], address=address(zipCode="80331", provinceCode="BY")
    )

    assert payload["errors"] == []
    assert payload["order"]["address"]["zipCode"] == "80331"
    assert payload["order"]["expectedNumberOfShipments"] == 2
    assert payload["order"]["shipments"] == created["order"]["shipments"]
    assert await event_names(db, "1001") == ["ORDER_CREATED", "ORDER_CREATED", "INTERNAL_TRIGGER"]


async def test_more_expected_shipments_add_drafts_fewer_remove_them(editor, db) -> None:
    created = await upsert(
        editor, id="1001", order=order(), trackings=[{"trackingNumber": "T1", "products": []}]
    )
    order_id = created["order"]["id"]
    assert created["order"]["state"] == "FULFILLED"

    grown = await update(editor, id=order_id, expectedNumberOfShipments=3)
    assert grown["order"]["state"] == "PARTIALLY_FULFILLED"
    assert [(s["position"], s["isDraft"]) for s in grown["order"]["shipments"]] == [
        (1, False),
        (2, True),
        (3, True),
    ]
    assert grown["order"]["address"]["zipCode"] == "10557"

    shrunk = await update(editor, id=order_id, expectedNumberOfShipments=1)
    assert shrunk["order"]["state"] == "FULFILLED"
    assert [s["position"] for s in shrunk["order"]["shipments"]] == [1]
    assert await event_names(db, "1001") == [
        "ORDER_FULFILLED",
        "ORDER_CREATED",
        "ORDER_CREATED",
        "INTERNAL_TRIGGER",
        "INTERNAL_TRIGGER",
        "INTERNAL_TRIGGER",
        "INTERNAL_TRIGGER",
    ]


async def test_by_order_number_and_the_errors(editor, db) -> None:
    await upsert(editor, id="1001", order=order(), trackings=[{"trackingNumber": "T1"}])
    before = await table_counts(db)

    missing = await update(editor, id="nope", idType="ORDER_NUMBER", expectedNumberOfShipments=2)
    invalid = await update(
        editor,
        id="1001",
        idType="ORDER_NUMBER",
        address=address(zipCode=""),
        expectedNumberOfShipments=0,
    )
    shipped = await update(editor, id="1001", idType="ORDER_NUMBER", address=address())

    assert codes(missing["errors"]) == [("ORDER_NOT_FOUND", ["id"])]
    assert codes(invalid["errors"]) == [
        ("VALUE_OUT_OF_RANGE", ["expectedNumberOfShipments"]),
        ("ZIP_CODE_INVALID", ["address", "zipCode"]),
        ("ORDER_NOT_EDITABLE", ["address"]),
    ]
    assert codes(shipped["errors"]) == [("ORDER_NOT_EDITABLE", ["address"])]
    assert await table_counts(db) == before


async def test_viewers_may_not_update(viewer) -> None:
    body = await viewer.execute(UPDATE, {"input": {"id": "x", "expectedNumberOfShipments": 2}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_explicit_null_means_unchanged_inline_and_through_variables(editor, db) -> None:
    created = await upsert(editor, id="1001", order=order(expectedNumberOfShipments=2))
    order_id = created["order"]["id"]

    inline = await editor.execute(
        "mutation($id: String!){ updateOrder(input: {id: $id, address: null, "
        "expectedNumberOfShipments: null}) { order { expectedNumberOfShipments "
        "address { zipCode } } errors { code } } }",
        {"id": order_id},
    )
    through_variables = await update(
        editor, id=order_id, address=None, expectedNumberOfShipments=None
    )

    assert inline == {
        "data": {
            "updateOrder": {
                "order": {"expectedNumberOfShipments": 2, "address": {"zipCode": "10557"}},
                "errors": [],
            }
        },
        "extensions": inline["extensions"],
    }
    assert through_variables["errors"] == []
    assert through_variables["order"]["expectedNumberOfShipments"] == 2
    assert through_variables["order"]["address"] == created["order"]["address"]


async def test_expected_shipments_cannot_drop_below_those_shipped(editor, db) -> None:
    created = await upsert(
        editor,
        id="1001",
        order=order(expectedNumberOfShipments=3),
        trackings=[
            {"trackingNumber": "T1", "products": []},
            {"trackingNumber": "T2", "products": []},
        ],
    )
    before = await table_counts(db)

    payload = await update(editor, id=created["order"]["id"], expectedNumberOfShipments=1)

    assert codes(payload["errors"]) == [
        ("SHIPMENTS_ALREADY_FULFILLED", ["expectedNumberOfShipments"])
    ]
    assert payload["order"] is None
    assert await table_counts(db) == before
