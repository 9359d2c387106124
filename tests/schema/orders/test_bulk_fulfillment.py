"""bulkFulfillment: 1,000 items, each on its own, written set-based; 1,001 refused whole."""

from parcelgraph.models import Event, Order, Shipment
from tests.schema.orders.order_mutations import BULK, codes, count, order, table_counts
from tests.support import count_statements

BAD = {7, 500, 999}


def item(i: int) -> dict:
    tracking = {
        "trackingNumber": f"T{i}",
        "carrierReference": "dhl",
        "products": [{"sku": "MUG", "quantity": 1}],
    }
    if i == 500:
        tracking["products"] = [{"sku": "SOCKS", "quantity": 1}]
    if i == 999:
        tracking["carrierReference"] = "pigeon"
    body = order(f"B{i}", currency="USD" if i == 7 else "EUR", expectedNumberOfShipments=2)
    return {"id": f"B{i}", "order": body, "trackings": [tracking]}


def items(n: int) -> list[dict]:
    batch = [item(i) for i in range(n)]
    if n > 10:
        # An item may build on an earlier one of the same batch: B3's second package.
        batch[10] = {"id": "B3", "trackings": [{"trackingNumber": "T3-2", "products": []}]}
    return batch


async def bulk(caller, batch):
    return (await caller.data(BULK, {"input": {"items": batch}}))["bulkFulfillment"]


async def test_a_thousand_items_land_except_the_bad_ones(editor, db) -> None:
    with count_statements(db) as small:
        await bulk(editor, [{**item(i), "id": f"S{i}", "order": order(f"S{i}")} for i in range(10)])

    with count_statements(db) as big:
        payload = await bulk(editor, items(1000))

    assert (payload["succeeded"], payload["failed"], payload["errors"]) == (997, 3, [])
    assert [r["index"] for r in payload["results"]] == list(range(1000))
    assert {r["index"] for r in payload["results"] if r["errors"]} == BAD
    by_index = {r["index"]: r for r in payload["results"]}
    assert codes(by_index[7]["errors"]) == [
        ("CURRENCY_MISMATCH", ["items", "7", "order", "currency"])
    ]
    assert codes(by_index[500]["errors"]) == [
        ("UNKNOWN_PRODUCT", ["items", "500", "trackings", "0", "products", "0", "sku"])
    ]
    assert codes(by_index[999]["errors"]) == [
        ("CARRIER_REFERENCE_INVALID", ["items", "999", "trackings", "0", "carrierReference"])
    ]
    assert by_index[7]["order"] is None
    assert by_index[0]["order"] == {"orderNumber": "B0", "state": "PARTIALLY_FULFILLED"}
    assert (
        by_index[3]["order"] == by_index[10]["order"] == {"orderNumber": "B3", "state": "FULFILLED"}
    )
    # 996 new orders (items 0..999 minus 3 bad ones minus item 10, which updated B3).
    assert await count(db, Order) == 10 + 996
    assert await count(db, Shipment) == 10 + 996 * 2
    # Per new order: one fulfilled draft and one announced draft; B3 gained one more.
    assert await count(db, Event) == 10 + 996 * 2 + 1
    # Set-based: the batch costs a handful of statements, nearly the same as 10 items
    # (the only growth is the driver paging a multi-row INSERT ... RETURNING by 1,000).
    assert big.count <= small.count + 2
    assert big.count <= 25, big.statements


async def test_more_than_the_limit_is_refused_whole(editor, db) -> None:
    before = await table_counts(db)

    payload = await bulk(editor, [{"id": f"X{i}"} for i in range(1001)])

    assert payload["results"] == []
    assert codes(payload["errors"]) == [("BATCH_TOO_LARGE", ["items"])]
    assert await table_counts(db) == before


async def test_viewers_may_not_bulk_fulfil(viewer) -> None:
    body = await viewer.execute(BULK, {"input": {"items": [item(0)]}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
