"""`node`, `nodes` and every id argument: shop scope (two shops with the same order
numbers) and customer scope (an order token reaches its own order and nothing else)."""

from strawberry import relay

from tests.factories import Item

NODE = "query ($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def _order_with_everything(factory, slug: str):  # type: ignore[no-untyped-def]
    shop = await factory.shop(slug)
    order = await factory.order(shop, "1001", products=[Item("MUG", "Mug")])
    parcel = await factory.shipment(order, tracking_number="SAME-NUMBER", carrier="dhl")
    (event,) = await factory.events(parcel, "DEPARTURE_FROM_TRANSPORT_HUB")
    claim = await factory.claim(parcel)
    async with factory.db.reader() as session:
        from sqlmodel import select

        from parcelgraph.models import LineItem

        line = (await session.exec(select(LineItem).where(LineItem.order_id == order.id))).one()
    return {
        "Order": relay.to_base64("Order", order.id),
        "Shipment": relay.to_base64("Shipment", parcel.id),
        "Event": relay.to_base64("Event", event.id),
        "Claim": relay.to_base64("Claim", claim.id),
        "Product": relay.to_base64("Product", line.id),
        "order": order,
    }


async def test_node_and_nodes_resolve_own_objects(shop, factory) -> None:
    ids = await _order_with_everything(factory, "acme")
    for type_name in ("Order", "Shipment", "Event", "Claim", "Product"):
        data = await shop.data(NODE, {"id": ids[type_name]})
        assert data["node"] == {"__typename": type_name, "id": ids[type_name]}
    data = await shop.data(NODES, {"ids": [ids["Claim"], ids["Order"]]})
    assert data["nodes"] == [
        {"__typename": "Claim", "id": ids["Claim"]},
        {"__typename": "Order", "id": ids["Order"]},
    ]


async def test_cross_tenant_ids_resolve_to_null_everywhere(shop, make_shop, factory) -> None:
    # given two shops whose orders share number and tracking number
    await make_shop("globex")
    ours = await _order_with_everything(factory, "acme")
    theirs = await _order_with_everything(factory, "globex")
    names = ("Order", "Shipment", "Event", "Claim", "Product")

    # then none of the other shop's ids resolves, through any argument
    for type_name in names:
        assert (await shop.data(NODE, {"id": theirs[type_name]}))["node"] is None
    data = await shop.data(NODES, {"ids": [theirs[n] for n in names] + [ours["Order"]]})
    assert data["nodes"] == [None] * 5 + [{"__typename": "Order", "id": ours["Order"]}]
    data = await shop.data(
        "query ($o: ID, $s: ID) { order(id: $o) { id } shipment(id: $s) { id } }",
        {"o": theirs["Order"], "s": theirs["Shipment"]},
    )
    assert data == {"order": None, "shipment": None}
    data = await shop.data(
        """query ($o: ID, $s: ID) {
          e1: events(filter: {orderId: $o}) { edges { cursor } }
          e2: events(filter: {shipmentId: $s}) { edges { cursor } }
          c1: claims(filter: {orderId: $o}) { edges { cursor } }
          c2: claims(filter: {shipmentId: $s}) { edges { cursor } } }""",
        {"o": theirs["Order"], "s": theirs["Shipment"]},
    )
    assert data == {k: {"edges": []} for k in ("e1", "e2", "c1", "c2")}
    # and the same tracking number finds our own parcel, never theirs
    data = await shop.data('{ shipment(trackingNumber: "SAME-NUMBER") { id } }')
    assert data == {"shipment": {"id": ours["Shipment"]}}


async def test_customer_reads_only_their_order(shop, factory) -> None:
    # given a customer token for one of two orders
    ids = await _order_with_everything(factory, "acme")
    other = await factory.order(await factory.shop("acme"), "1002")
    customer = shop.as_(await factory.token(ids["order"]))

    # then they read their order through order, shipment and node(s)
    data = await customer.data('{ order(orderNumber: "1001") { orderNumber } }')
    assert data == {"order": {"orderNumber": "1001"}}
    data = await customer.data('{ shipment(trackingNumber: "SAME-NUMBER") { id } }')
    assert data == {"shipment": {"id": ids["Shipment"]}}
    data = await customer.data(NODES, {"ids": [ids["Order"], ids["Event"]]})
    assert [n["__typename"] for n in data["nodes"]] == ["Order", "Event"]
    # and nothing else: other orders are null, lists are empty, analytics is null
    data = await customer.data('{ order(orderNumber: "1002") { id } }')
    assert data == {"order": None}
    data = await customer.data(NODE, {"id": relay.to_base64("Order", other.id)})
    assert data == {"node": None}
    for field in ("orders", "shipments", "events", "claims"):
        body = await customer.execute(f"{{ {field} {{ edges {{ cursor }} }} }}")
        assert "errors" not in body, (field, body)
    data = await customer.data(
        """{ orders { totalCount edges { cursor } } shipments { edges { cursor } }
             events { edges { cursor } } claims { edges { cursor } } analytics { currency } }"""
    )
    assert data == {
        "orders": {"totalCount": 0, "edges": []},
        "shipments": {"edges": []},
        "events": {"edges": []},
        "claims": {"edges": []},
        "analytics": None,
    }


async def test_anonymous_callers_are_refused_with_401(shop) -> None:
    node = relay.to_base64("Order", "00000000-0000-0000-0000-000000000000")
    for query in ("{ orders { edges { cursor } } }", f'{{ node(id: "{node}") {{ id }} }}'):
        response = await shop.as_(None).post(query)
        assert response.status_code == 401


async def test_ids_of_types_that_are_not_nodes_answer_invalid_id(shop, factory) -> None:
    ids = await _order_with_everything(factory, "acme")
    token = (
        await shop.data(
            "mutation($o: ID!){ issueOrderToken(input: {orderId: $o}) { orderToken { id } } }",
            {"o": ids["Order"]},
        )
    )["issueOrderToken"]["orderToken"]["id"]
    not_nodes = [
        token,
        relay.to_base64("OrderToken", ids["order"].id),
        relay.to_base64("Shop", "1"),
        relay.to_base64("Foo", "bar"),
        relay.to_base64("Query", "1"),
    ]

    for value in not_nodes:
        body = await shop.execute(NODE, {"id": value})
        assert body["data"] == {"node": None}, value
        [error] = body["errors"]
        assert error["path"] == ["node"]
        assert error["extensions"] == {"code": "INVALID_ID"}

    body = await shop.execute(NODES, {"ids": [ids["Order"], relay.to_base64("Shop", "1")]})
    assert body["data"] == {"nodes": [{"__typename": "Order", "id": ids["Order"]}, None]}
    [error] = body["errors"]
    assert error["path"] == ["nodes", 1]
    assert error["extensions"] == {"code": "INVALID_ID"}


async def test_a_malformed_id_answers_invalid_id_too(shop) -> None:
    body = await shop.execute(NODE, {"id": "not base64 at all"})

    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"] == {"code": "INVALID_ID"}
