"""cancelOrder: only while nothing has tracking; ORDER_CANCELLED on every draft."""

from tests.schema.orders.order_mutations import (
    CANCEL,
    codes,
    event_names,
    order,
    table_counts,
    upsert,
)


async def cancel(caller, **input):
    return (await caller.data(CANCEL, {"input": input}))["cancelOrder"]


async def test_cancel_marks_the_order_and_each_draft(editor, db, clock) -> None:
    created = await upsert(editor, id="1001", order=order(expectedNumberOfShipments=2))

    payload = await cancel(editor, id=created["order"]["id"], reason="customer changed mind")

    assert payload["errors"] == []
    cancelled = payload["order"]
    assert cancelled["state"] == "CANCELLED"
    assert cancelled["cancelReason"] == "customer changed mind"
    assert cancelled["cancelledAt"] == clock().isoformat()
    assert [s["phase"] for s in cancelled["shipments"]] == ["ORDER_CREATED", "ORDER_CREATED"]
    assert await event_names(db, "1001") == ["ORDER_CREATED"] * 2 + ["ORDER_CANCELLED"] * 2


async def test_cancel_is_refused_once_tracking_exists_or_twice(editor, db) -> None:
    shipped = await upsert(editor, id="1001", order=order(), trackings=[{"trackingNumber": "T1"}])
    placed = await upsert(editor, id="1002", order=order("1002"))
    await cancel(editor, id=placed["order"]["id"])
    before = await table_counts(db)

    refused = await cancel(editor, id=shipped["order"]["id"])
    twice = await cancel(editor, id="1002", idType="ORDER_NUMBER")
    missing = await cancel(editor, id="00000000-0000-0000-0000-000000000000")

    assert codes(refused["errors"]) == [("ORDER_NOT_CANCELLABLE", ["id"])]
    assert codes(twice["errors"]) == [("ORDER_NOT_CANCELLABLE", ["id"])]
    assert codes(missing["errors"]) == [("ORDER_NOT_FOUND", ["id"])]
    assert await table_counts(db) == before


async def test_viewers_may_not_cancel(viewer) -> None:
    body = await viewer.execute(CANCEL, {"input": {"id": "x"}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
