"""Tool errors carry GraphQL's machine codes and field paths; refused calls write nothing."""

from tests.mcp_server.support import NEW_ORDER, call, codes, refused
from tests.support import Caller

UPSERT = """
mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { errors { field code message } }
}"""
BAD_ORDER = {
    "id": "B-1",
    "order": {
        "orderNumber": "B-1",
        "currency": "USD",
        "expectedNumberOfShipments": 101,
        "address": {"countryCode": "DE", "zipCode": "1"},
        "products": [{"sku": "A", "title": "A", "quantity": 0}],
    },
    "trackings": [{"trackingNumber": "T-1", "carrierReference": "no-such-carrier"}],
}


async def test_use_case_refusals_match_graphql(mcp_connect, editor: Caller) -> None:
    graphql = (await editor.data(UPSERT, {"input": BAD_ORDER}))["upsertOrder"]["errors"]

    async with mcp_connect(editor.slug, editor.authorization) as session:
        errors = await refused(session, "upsert_order", BAD_ORDER)
        found = await call(session, "find_orders", {"search": "B-1"})

    assert errors == graphql
    assert {e["code"] for e in errors} >= {
        "CURRENCY_MISMATCH",
        "TOO_MANY_SHIPMENTS",
        "VALUE_OUT_OF_RANGE",
        "CARRIER_REFERENCE_INVALID",
    }
    assert ["order", "products", "0", "quantity"] in [e["field"] for e in errors]
    assert found["orders"] == []


async def test_malformed_arguments_are_coded_with_their_path(mcp_connect, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        wrong_type = await refused(
            session, "upsert_order", {"id": "1", "order": {"expectedNumberOfShipments": "two"}}
        )
        missing = await refused(session, "create_claim", {"orderNumber": "1"})
        unknown = await refused(session, "get_order", {"orderNumber": "1", "color": "red"})
        bad_id = await refused(session, "update_claim", {"id": "not-an-id", "status": "CLOSED"})
        bad_event = await refused(
            session, "append_shipment_event", {"trackingNumber": "T", "eventName": "TELEPORTED"}
        )

    assert codes(wrong_type) == [("INVALID_INPUT", ["order", "expectedNumberOfShipments"])]
    assert codes(missing) == [("REQUIRED", ["reason"])]
    assert codes(unknown) == [("INVALID_INPUT", ["color"])]
    assert codes(bad_id) == [("INVALID_ID", ["id"])]
    assert codes(bad_event) == [("UNKNOWN_EVENT_NAME", ["eventName"])]


async def test_graphql_query_reads_and_refuses_writes(mcp_connect, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", NEW_ORDER)
        read = await call(
            session,
            "graphql_query",
            {
                "query": "query($n: String) { order(orderNumber: $n) { orderNumber state } }",
                "variables": {"n": "1001"},
            },
        )
        write = await refused(
            session,
            "graphql_query",
            {"query": 'mutation { cancelOrder(input: {id: "1001"}) { errors { code } } }'},
        )
        broken = await refused(session, "graphql_query", {"query": "{ order("})
        state = await call(session, "get_order", {"orderNumber": "1001"})

    assert read["data"] == {"order": {"orderNumber": "1001", "state": "PLACED"}}
    assert read["extensions"]["cost"]["requestedQueryCost"] == 1
    assert codes(write) == [("OPERATION_NOT_ALLOWED", None)]
    assert [e["code"] for e in broken] == ["GRAPHQL_PARSE_FAILED"]
    assert state["order"]["state"] == "PLACED"


async def test_every_read_tool_answers(mcp_connect, shop: Caller, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", NEW_ORDER)
        await call(
            session,
            "attach_tracking",
            {"id": "1001", "trackings": [{"trackingNumber": "1Z999AA10123456784"}]},
        )
        events = await call(
            session, "get_shipment_events", {"trackingNumber": "1Z999AA10123456784"}
        )
        carrier = await call(session, "explain_carrier", {"trackingNumber": "1Z999AA10123456784"})
        analytics = await call(session, "shop_analytics", {})
        claim = await call(
            session,
            "create_claim",
            {"orderNumber": "1001", "trackingNumber": "1Z999AA10123456784", "reason": "SUPPORT"},
        )
        updated = await call(
            session, "update_claim", {"id": claim["claim"]["id"], "status": "ACCEPTED"}
        )

    assert [e["eventName"] for e in events["shipment"]["events"]] == [
        "ORDER_CREATED",
        "ORDER_FULFILLED",
    ]
    assert events["shipment"]["phase"] == "ORDER_PROCESSED"
    assert [(c["code"], [r["code"] for r in c["reasons"]]) for c in carrier["candidates"]] == [
        ("ups", ["NUMBER_PATTERN", "CHECK_DIGIT_VALID"])
    ]
    figures = analytics["analytics"]
    assert figures["ordersByState"] == [
        {"state": "PARTIALLY_FULFILLED", "orderCount": 1, "revenue": "0.0000"}
    ]
    assert figures["shipmentsByPhase"] == [
        {"phase": "ORDER_CREATED", "shipmentCount": 1},
        {"phase": "ORDER_PROCESSED", "shipmentCount": 1},
    ]
    assert (updated["claim"]["reason"], updated["claim"]["status"]) == ("SUPPORT", "ACCEPTED")


async def test_a_nul_character_is_refused_with_its_path(mcp_connect, editor: Caller) -> None:
    order = {**NEW_ORDER, "order": {**NEW_ORDER["order"], "orderName": "#1001\x00"}}
    async with mcp_connect(editor.slug, editor.authorization) as session:
        errors = await refused(session, "upsert_order", order)
        searched = await refused(session, "find_orders", {"search": "\x00"})
        found = await call(session, "find_orders", {"search": "1001"})

    assert codes(errors) == [("INVALID_CHARACTERS", ["order", "orderName"])]
    assert codes(searched) == [("INVALID_CHARACTERS", ["search"])]
    assert found["orders"] == []
