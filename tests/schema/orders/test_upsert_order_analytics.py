"""upsertOrderAnalytics: attach or replace attribution after creation."""

from sqlmodel import select

from parcelgraph.models import OrderAnalytics
from tests.schema.orders.order_mutations import ANALYTICS, codes, event_names, order, upsert

ATTRIBUTION = {
    "source": "google",
    "campaign": "black-friday",
    "medium": "cpc",
    "landingUrl": "https://shop.example.com/sale?utm_source=google",
    "landingPath": "/sale",
    "referrer": "https://www.google.com/",
    "capturedAt": "2026-11-20T10:00:00+00:00",
    "extras": {"affiliateCode": "AFF-7"},
}


async def analytics(caller, **input):
    return (await caller.data(ANALYTICS, {"input": input}))["upsertOrderAnalytics"]


async def stored(db):
    async with db.reader() as session:
        return list((await session.exec(select(OrderAnalytics))).all())


async def test_attach_then_replace(editor, db) -> None:
    created = await upsert(editor, id="1001", order=order())
    order_id = created["order"]["id"]

    first = await analytics(editor, orderId=order_id, analytics=ATTRIBUTION)
    second = await analytics(
        editor,
        orderId="1001",
        idType="ORDER_NUMBER",
        analytics={"source": "newsletter", "medium": "email"},
    )

    assert first["errors"] == second["errors"] == []
    rows = await stored(db)
    assert [(r.source, r.campaign, r.medium, r.extras) for r in rows] == [
        ("newsletter", None, "email", {})
    ]
    assert await event_names(db, "1001") == [
        "ORDER_CREATED",
        "INTERNAL_TRIGGER",
        "INTERNAL_TRIGGER",
    ]


async def test_attribution_at_creation(editor, db) -> None:
    await upsert(editor, id="1001", order=order(orderAnalytics=ATTRIBUTION))

    (row,) = await stored(db)
    assert (row.source, row.landing_path, row.extras) == (
        "google",
        "/sale",
        {"affiliateCode": "AFF-7"},
    )
    assert row.captured_at.isoformat() == "2026-11-20T10:00:00+00:00"


async def test_errors(editor, db) -> None:
    missing = await analytics(editor, orderId="1001", idType="ORDER_NUMBER", analytics={})
    await upsert(editor, id="1001", order=order())
    bad = await analytics(
        editor, orderId="1001", idType="ORDER_NUMBER", analytics={"landingUrl": "/relative"}
    )

    assert codes(missing["errors"]) == [("ORDER_NOT_FOUND", ["orderId"])]
    assert codes(bad["errors"]) == [("INVALID_URL", ["analytics", "landingUrl"])]
    assert await stored(db) == []


async def test_viewers_may_not_write_analytics(viewer) -> None:
    body = await viewer.execute(ANALYTICS, {"input": {"orderId": "x", "analytics": {}}})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_extras_that_are_not_an_object_are_refused(editor, db) -> None:
    await upsert(editor, id="1001", order=order())

    payload = await analytics(
        editor, orderId="1001", idType="ORDER_NUMBER", analytics={"extras": [[]]}
    )
    inline = await editor.data(
        'mutation { upsertOrder(input: {id: "1002", order: {products: [], '
        "orderAnalytics: {extras: [[]]}}}) { order { id } errors { code field } } }"
    )

    assert codes(payload["errors"]) == [("INVALID_INPUT", ["analytics", "extras"])]
    assert inline["upsertOrder"]["order"] is None
    extras = {"code": "INVALID_INPUT", "field": ["order", "orderAnalytics", "extras"]}
    assert extras in inline["upsertOrder"]["errors"]
    assert await stored(db) == []
