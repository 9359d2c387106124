"""The headless integration end to end over GraphQL alone: place with two expected packages,
attach one tracking (partially fulfilled), attach the second (fulfilled), read it back."""

from tests.schema.orders.order_mutations import PLACE, event_names, order, upsert

READ = """
query($n: String!) {
  order(orderNumber: $n) {
    state fulfilledShipmentCount
    shipments { position isDraft trackingNumber phase carrier { reference } }
    trackings { trackingNumber trackingUrl phase }
  }
}"""


async def test_place_attach_partial_attach_fulfilled(editor, viewer, db) -> None:
    placed = await editor.data(PLACE, {"input": {"order": order(expectedNumberOfShipments=2)}})
    assert placed["placeOrder"]["order"]["state"] == "PLACED"
    drafts = [s["id"] for s in placed["placeOrder"]["order"]["shipments"]]

    first = await upsert(
        editor,
        id="1001",
        trackings=[
            {
                "trackingNumber": "1Z999AA10123456784",
                "trackingCompany": "UPS",
                "products": [{"sku": "MUG", "quantity": 3}],
            }
        ],
    )
    assert first["order"]["state"] == "PARTIALLY_FULFILLED"

    second = await upsert(
        editor,
        id="1001",
        trackings=[
            {
                "trackingNumber": "00340434161234567896",
                "carrierReference": "dhl",
                "products": [{"sku": "POSTER", "quantity": 1}],
            }
        ],
    )
    assert second["order"]["state"] == "FULFILLED"
    assert [s["id"] for s in second["order"]["shipments"]] == drafts

    read = (await viewer.data(READ, {"n": "1001"}))["order"]
    assert read["state"] == "FULFILLED"
    assert read["fulfilledShipmentCount"] == 2
    assert [
        (s["position"], s["isDraft"], s["trackingNumber"], s["phase"], s["carrier"]["reference"])
        for s in read["shipments"]
    ] == [
        (1, False, "1Z999AA10123456784", "ORDER_PROCESSED", "ups"),
        (2, False, "00340434161234567896", "ORDER_PROCESSED", "dhl"),
    ]
    assert [t["trackingNumber"] for t in read["trackings"]] == [
        "1Z999AA10123456784",
        "00340434161234567896",
    ]
    assert await event_names(db, "1001") == [
        "ORDER_CREATED",
        "ORDER_CREATED",
        "ORDER_FULFILLED",
        "ORDER_FULFILLED",
    ]
