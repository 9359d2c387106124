"""The headless guide's four phases driven over REST v1 alone, with payloads shaped like the
Shopware plugin's, and the state read back over REST and over GraphQL: one order, one
event log, one token, one set of webhooks, whichever face wrote or reads them.

1. placement: upsert with the order (two expected packages), attribution next to `id`;
2. partial fulfilment: upsert with one tracking, no carrier reference (detected);
3. fulfilment: the second tracking through the bulk endpoint;
4. after shipping: a shipment's tracking URL and contents, a claim, its update.
"""

import json

from tests.claim_support import ISSUE_TOKEN
from tests.rest.support import Rest, sw_tracking, sw_upsert

UPS = "1Z999AA10123456784"
DHL = "00340434161234567896"

READ = """
query($n: String!) {
  order(orderNumber: $n) {
    id orderNumber externalId state email
    orderAnalytics { extras }
    shipments { id position trackingNumber trackingUrl phase carrier { reference }
                products { sku quantity } events { id eventName } }
    claims { id reason status resolutionPreference }
  }
  webhooks { id url format enabledEvents }
}"""


def raw(global_id: str) -> str:
    from strawberry.relay import GlobalID

    return GlobalID.from_id(global_id).node_id


async def test_four_phases_over_rest_read_back_over_rest_and_graphql(
    shop, editor, outbox, receiver
) -> None:
    admin, rest = Rest.of(shop), Rest.of(editor)
    hook = await admin.ok("POST", "/webhooks", 201, json={"url": receiver.url("/karla")})

    # 1. placement
    placed = await rest.ok("PUT", "/orders", json=sw_upsert("10001"))
    assert placed["order_analytics"] == {"affiliate_code": "AFF-1", "campaign_code": "WINTER"}
    assert [t["carrier"]["tracking_number"] for t in placed["trackings"]] == [None, None]
    assert {t["state"] for t in placed["trackings"]} == {"pending"}

    # 2. partial fulfilment: the plugin sends no carrier reference
    first = await rest.ok(
        "PUT",
        "/orders",
        json=sw_upsert("10001", order=False, trackings=[sw_tracking(UPS, "MUG", 3)]),
    )
    assert [t["carrier"]["carrier_reference"] for t in first["trackings"]] == ["ups", None]

    # 3. fulfilment through the bulk endpoint
    [item] = await rest.ok(
        "PUT",
        "/orders/bulk",
        json=[sw_upsert("10001", order=False, trackings=[sw_tracking(DHL, "POSTER", 1)])],
    )
    assert (item["index"], item["status"], item["errors"]) == (0, 200, [])
    ups_id, dhl_id = (t["id"] for t in item["order"]["trackings"])
    assert [t["id"] for t in placed["trackings"]] == [ups_id, dhl_id]

    # 4. after shipping: the shipment's URL and contents, a claim and its update
    order_id = placed["uuid"]
    shipment = await rest.ok(
        "PATCH",
        f"/orders/{order_id}/shipments/{dhl_id}",
        json={"tracking_url": "https://track.example/dhl/1", "products": [{"sku": "POSTER"}]},
    )
    assert shipment["carrier"]["tracking_url"] == "https://track.example/dhl/1"
    claim = await rest.ok(
        "POST",
        "/claims",
        201,
        json={"shipment_id": ups_id, "reason": "support", "description": "Where is it?"},
    )
    assert (claim["order_number"], claim["tracking_number"], claim["status"]) == (
        "10001",
        UPS,
        "pending",
    )
    updated = await rest.ok(
        "PUT",
        f"/claims/{claim['uuid']}",
        json={"status": "accepted", "resolution_preference": "reorder"},
    )
    assert (updated["status"], updated["resolution_preference"]) == ("accepted", "reorder")

    # read back over REST
    [found] = await rest.ok("GET", "/orders", params={"order_number": "10001"})
    assert found["uuid"] == order_id
    assert [
        (t["carrier"]["tracking_number"], t["carrier"]["carrier_reference"], t["phase"])
        for t in found["trackings"]
    ] == [(UPS, "ups", "order_processed"), (DHL, "dhl", "order_processed")]
    assert [[(p["sku"], p["quantity"]) for p in t["products"]] for t in found["trackings"]] == [
        [("MUG", 3)],
        [("POSTER", 1)],
    ]
    rest_events = [[e["event_key"] for e in t["events"]] for t in found["trackings"]]
    assert rest_events == [
        ["ORDER_CREATED", "ORDER_FULFILLED"],
        ["ORDER_CREATED", "ORDER_FULFILLED", "INTERNAL_TRIGGER"],  # the shipment's edit
    ]
    assert (await rest.ok("GET", f"/claims/{claim['uuid']}"))["status"] == "accepted"

    # read back over GraphQL: the same order, shipments, events, claim and webhook
    data = await shop.data(READ, {"n": "10001"})
    order = data["order"]
    assert raw(order["id"]) == order_id
    assert (order["externalId"], order["state"], order["email"]) == (
        "sw-10001",
        "FULFILLED",
        "ada@example.com",
    )
    assert order["orderAnalytics"]["extras"] == {
        "affiliate_code": "AFF-1",
        "campaign_code": "WINTER",
    }
    assert [raw(s["id"]) for s in order["shipments"]] == [ups_id, dhl_id]
    assert [(s["trackingNumber"], s["carrier"]["reference"]) for s in order["shipments"]] == [
        (UPS, "ups"),
        (DHL, "dhl"),
    ]
    assert order["shipments"][1]["trackingUrl"] == "https://track.example/dhl/1"
    assert [[e["eventName"] for e in s["events"]] for s in order["shipments"]] == rest_events
    assert [(raw(c["id"]), c["reason"], c["status"]) for c in order["claims"]] == [
        (claim["uuid"], "SUPPORT", "ACCEPTED")
    ]
    assert [(raw(w["id"]), w["format"]) for w in data["webhooks"]] == [(hook["uuid"], "KARLA")]

    # a token issued over GraphQL opens the REST-made order
    issued = (await editor.data(ISSUE_TOKEN, {"input": {"orderId": order_id}}))["issueOrderToken"]
    customer = editor.as_(f"Bearer {issued['token']}")
    mine = await customer.data('{ order(orderNumber: "10001") { id } }')
    assert raw(mine["order"]["id"]) == order_id

    # and the REST-made webhook received every event of the journey, in KARLA format
    worker = outbox.worker()
    await worker.drain()
    await worker.aclose()
    refs = [json.loads(r.body)["ref"] for r in receiver.state.received("/karla")]
    assert refs.count("claims/created") == 1 and refs.count("claims/updated") == 1
    assert "shipments/order_processed/ORDER_FULFILLED" in refs


async def test_an_order_made_over_graphql_reads_the_same_over_rest(editor) -> None:
    from tests.schema.orders.order_mutations import PLACE, order

    placed = await editor.data(PLACE, {"input": {"order": order(expectedNumberOfShipments=2)}})
    made = placed["placeOrder"]["order"]

    [found] = await Rest.of(editor).ok("GET", "/orders", params={"uuid": raw(made["id"])})

    assert (found["order_number"], found["expected_number_of_shipments"]) == (
        made["orderNumber"],
        2,
    )
    assert [t["id"] for t in found["trackings"]] == [raw(s["id"]) for s in made["shipments"]]
