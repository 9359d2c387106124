"""placeOrder: create only; a duplicate order number changes nothing."""

from parcelgraph.models import Event, Order
from tests.schema.orders.order_mutations import (
    PLACE,
    codes,
    count,
    event_names,
    order,
    table_counts,
)


async def place(caller, **input):
    return (await caller.data(PLACE, {"input": input}))["placeOrder"]


async def test_place_creates_the_order_with_its_drafts(editor, db) -> None:
    payload = await place(editor, order=order(expectedNumberOfShipments=3))

    assert payload["errors"] == []
    assert payload["duplicate"] is False
    assert payload["order"]["state"] == "PLACED"
    assert [s["position"] for s in payload["order"]["shipments"]] == [1, 2, 3]
    assert await event_names(db, "1001") == ["ORDER_CREATED"] * 3


async def test_a_duplicate_order_number_changes_nothing(editor, db) -> None:
    first = await place(editor, order=order())
    before = await table_counts(db)

    again = await place(editor, order=order(email="other@example.com", totalOrderPrice="1"))

    assert again["errors"] == []
    assert again["duplicate"] is True
    assert again["order"]["id"] == first["order"]["id"]
    assert again["order"]["email"] == "erika@example.com"
    assert await table_counts(db) == before


async def test_place_needs_an_order_number_and_valid_fields(editor, db) -> None:
    missing = await place(editor, order=order(orderNumber=None))
    bad = await place(editor, order=order(currency="usd", email="@"))

    assert codes(missing["errors"]) == [("REQUIRED", ["order", "orderNumber"])]
    assert sorted(codes(bad["errors"])) == [
        ("CURRENCY_MISMATCH", ["order", "currency"]),
        ("INVALID_EMAIL", ["order", "email"]),
    ]
    assert await count(db, Order) == 0
    assert await count(db, Event) == 0


async def test_viewers_may_not_place(viewer) -> None:
    body = await viewer.execute(PLACE, {"input": {"order": order()}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
