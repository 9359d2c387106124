"""`order(id | orderNumber | externalId)`: the tracking-page query, its scope and its cost."""

from strawberry import relay

from tests.factories import Item
from tests.support import count_statements

TRACKING_PAGE = """
query ($number: String) {
  order(orderNumber: $number) {
    orderNumber state
    products { sku quantity kind bundledProducts { sku } }
    shipments {
      trackingNumber isDraft phase carrier { reference }
      products { sku quantity product { title } }
      events { eventName phase }
    }
  }
}
"""


async def _tracked_order(factory, slug: str = "acme", number: str = "1001"):  # type: ignore[no-untyped-def]
    shop = await factory.shop(slug)
    order = await factory.order(
        shop,
        number,
        external_id=f"ext-{number}",
        products=[
            Item("MUG", "Mug", 2, "12.50"),
            Item("BOX", "Gift box", 1, "30.00", parts=[Item("TEA", "Tea"), Item("CUP", "Cup")]),
        ],
        expected_shipments=2,
    )
    first = await factory.shipment(
        order, tracking_number="00340434", carrier="dhl", contents=[("MUG", 2)]
    )
    await factory.shipment(order, tracking_number="1Z999", carrier="ups", contents=[("BOX", 1)])
    await factory.events(first, "DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY")
    return order


async def test_tracking_page_in_one_query(shop, factory) -> None:
    # given an order with a bundle, two parcels and events on the first one
    await _tracked_order(factory)

    # when the tracking page asks for everything at once
    data = await shop.data(TRACKING_PAGE, {"number": "1001"})

    # then it gets the whole page
    assert data["order"] == {
        "orderNumber": "1001",
        "state": "PLACED",
        "products": [
            {"sku": "MUG", "quantity": 2, "kind": "PRODUCT", "bundledProducts": []},
            {
                "sku": "BOX",
                "quantity": 1,
                "kind": "BUNDLE",
                "bundledProducts": [{"sku": "TEA"}, {"sku": "CUP"}],
            },
        ],
        "shipments": [
            {
                "trackingNumber": "00340434",
                "isDraft": False,
                "phase": "IN_DELIVERY",
                "carrier": {"reference": "dhl"},
                "products": [{"sku": "MUG", "quantity": 2, "product": {"title": "Mug"}}],
                "events": [
                    {"eventName": "DEPARTURE_FROM_TRANSPORT_HUB", "phase": "IN_TRANSIT"},
                    {"eventName": "OUT_FOR_DELIVERY", "phase": "IN_DELIVERY"},
                ],
            },
            {
                "trackingNumber": "1Z999",
                "isDraft": False,
                "phase": "ORDER_PROCESSED",
                "carrier": {"reference": "ups"},
                "products": [{"sku": "BOX", "quantity": 1, "product": {"title": "Gift box"}}],
                "events": [],
            },
        ],
    }


async def test_tracking_page_costs_four_statements_after_auth(shop, factory, db) -> None:
    # given an order with two parcels (counted: everything the request sends, auth included)
    await _tracked_order(factory)

    # when the tracking page is requested
    with count_statements(db) as counter:
        await shop.data(TRACKING_PAGE, {"number": "1001"})

    # then: 1 auth SELECT + order + shipments + products (line items joined with package
    # contents) + events of all shipments = 5 statements, i.e. 4 beyond auth
    assert counter.count == 5, counter.statements


async def test_lookup_by_each_key(shop, factory) -> None:
    order = await _tracked_order(factory)
    global_id = relay.to_base64("Order", order.id)
    query = (
        "query ($id: ID, $n: String, $e: String) "
        "{ order(id: $id, orderNumber: $n, externalId: $e) { orderNumber } }"
    )

    assert (await shop.data(query, {"id": global_id}))["order"] == {"orderNumber": "1001"}
    assert (await shop.data(query, {"n": "1001"}))["order"] == {"orderNumber": "1001"}
    assert (await shop.data(query, {"e": "ext-1001"}))["order"] == {"orderNumber": "1001"}
    assert (await shop.data(query, {"n": "nope"}))["order"] is None
    assert (await shop.data(query, {"id": relay.to_base64("Shipment", order.id)}))["order"] is None
    assert (await shop.data(query, {"id": "not-an-id"}))["order"] is None


async def test_exactly_one_key_is_required(shop, factory) -> None:
    body = await shop.execute('{ order(orderNumber: "1", externalId: "2") { id } }')
    assert body["data"] == {"order": None}
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    body = await shop.execute("{ order { id } }")
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_other_shops_orders_are_invisible(shop, make_shop, factory) -> None:
    # given two shops with the same order number
    other = await make_shop("globex")
    mine = await _tracked_order(factory, "acme", "1001")
    theirs = await _tracked_order(factory, "globex", "1001")
    query = "query ($id: ID) { order(id: $id) { id } }"

    # then each key sees only its own shop's order, by number and by id
    assert (await shop.data(TRACKING_PAGE, {"number": "1001"}))["order"]["shipments"][0][
        "trackingNumber"
    ] == "00340434"
    assert (await shop.data(query, {"id": relay.to_base64("Order", theirs.id)}))["order"] is None
    assert (await other.data(query, {"id": relay.to_base64("Order", mine.id)}))["order"] is None
    assert (await other.data(query, {"id": relay.to_base64("Order", theirs.id)}))["order"] == {
        "id": relay.to_base64("Order", theirs.id)
    }


async def test_anonymous_callers_get_401(shop) -> None:
    response = await shop.as_(None).post('{ order(orderNumber: "1") { id } }')
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
