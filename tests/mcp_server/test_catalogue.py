"""What an agent discovers: tools with schemas and truthful annotations, resources, prompts."""

import json

from tests.mcp_server.support import NEW_ORDER, call
from tests.support import Caller

READS = [
    "find_orders",
    "get_order",
    "get_shipment_events",
    "explain_carrier",
    "claim_options",
    "list_webhook_deliveries",
    "shop_analytics",
    "graphql_query",
]
WRITES = [
    "upsert_order",
    "attach_tracking",
    "append_shipment_event",
    "create_claim",
    "update_claim",
    "redeliver_webhook_delivery",
]


async def test_tools_are_listed_with_truthful_annotations(mcp_connect, viewer: Caller) -> None:
    async with mcp_connect(viewer.slug, viewer.authorization) as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}

    assert list(tools) == READS + WRITES
    for name in READS:
        hints = tools[name].annotations
        assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
            True,
            False,
            True,
        )
    writes = {n: tools[n].annotations for n in WRITES}
    assert {
        n: (h.read_only_hint, h.destructive_hint, h.idempotent_hint) for n, h in writes.items()
    } == {
        "upsert_order": (False, True, True),
        "attach_tracking": (False, False, True),
        "append_shipment_event": (False, False, False),
        "create_claim": (False, False, False),
        "update_claim": (False, True, True),
        "redeliver_webhook_delivery": (False, False, False),
    }


async def test_schemas_and_descriptions_come_from_the_graphql_schema(
    mcp_connect, viewer: Caller
) -> None:
    introspection = await viewer.data(
        '{ __type(name: "Mutation") { fields { name description } } '
        'tracking: __type(name: "TrackingInput") { inputFields { name description } } }'
    )
    mutation = {f["name"]: f["description"] for f in introspection["__type"]["fields"]}
    tracking = {f["name"]: f["description"] for f in introspection["tracking"]["inputFields"]}

    async with mcp_connect(viewer.slug, viewer.authorization) as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}

    upsert = tools["upsert_order"]
    assert mutation["upsertOrder"] in upsert.description
    assert "Needs an API key with role EDITOR or above." in upsert.description
    defs = upsert.input_schema["$defs"]
    assert (
        defs["TrackingArgs"]["properties"]["trackingNumber"]["description"]
        == (tracking["trackingNumber"])
    )
    assert upsert.input_schema["required"] == ["id"]
    attach = tools["attach_tracking"].input_schema
    assert sorted(attach["properties"]) == ["id", "idType", "idempotencyKey", "trackings"]
    assert attach["required"] == ["id", "trackings"]
    event_name = tools["append_shipment_event"].input_schema["properties"]["eventName"]
    assert "OUT_FOR_DELIVERY" in event_name["enum"]
    assert "CLAIM_CREATED" not in event_name["enum"]  # claim events are not shipment events
    assert mutation["appendShipmentEvent"] in tools["append_shipment_event"].description


async def test_resources_templates_and_prompts(mcp_connect, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        await call(session, "upsert_order", NEW_ORDER)
        listed = [str(r.uri) for r in (await session.list_resources()).resources]
        templates = [
            t.uri_template for t in (await session.list_resource_templates()).resource_templates
        ]
        catalogue = await session.read_resource("parcelgraph://catalogue/events")
        machine = await session.read_resource("parcelgraph://phases/machine")
        sdl = await session.read_resource("parcelgraph://schema.graphql")
        order = await session.read_resource("parcelgraph://orders/1001")
        prompts = [p.name for p in (await session.list_prompts()).prompts]
        prompt = await session.get_prompt(
            "handle_damaged_package_claim", {"orderNumber": "1001", "trackingNumber": "X1"}
        )

    assert listed == [
        "parcelgraph://catalogue/events",
        "parcelgraph://phases/machine",
        "parcelgraph://schema.graphql",
    ]
    assert templates == ["parcelgraph://orders/{orderNumber}"]
    events = {e["name"]: e for e in json.loads(catalogue.contents[0].text)}
    assert events["OUT_FOR_DELIVERY"]["phase"] == "IN_DELIVERY"
    phases = json.loads(machine.contents[0].text)
    assert phases["transitions"]["DELIVERED"] == ["RETURN_CREATED"]
    assert "OUT_FOR_DELIVERY" in phases["allowedEvents"]["IN_TRANSIT"]
    assert "type Mutation" in sdl.contents[0].text
    view = json.loads(order.contents[0].text)
    assert (view["orderNumber"], len(view["shipments"])) == ("1001", 2)
    assert prompts == ["investigate_delayed_parcel", "handle_damaged_package_claim"]
    assert "Order '1001', tracking X1" in prompt.messages[0].content.text


async def test_llms_txt_is_generated_from_the_schema(http, shop: Caller) -> None:
    response = await http.get("/llms.txt")

    text = response.text
    assert response.status_code == 200
    assert "`http://test/v1/shops/{slug}/mcp`" in text
    assert "## The headless flow (four steps)" in text
    assert "- `ref`: " in text  # the catalogue's shape, from the EventDefinition type
    assert "Query cost at most 1000 points" in text
    assert "- `upsertOrder`: Create or update an order" in text


async def test_write_arguments_mirror_the_graphql_inputs(viewer: Caller) -> None:
    from parcelgraph.mcp_server import args, order_args

    models = [
        order_args.AddressArgs,
        order_args.ProductArgs,
        order_args.OrderArgs,
        order_args.OrderAnalyticsArgs,
        order_args.TrackingArgs,
        order_args.UpsertOrderArgs,
        args.AppendEventArgs,
        args.CreateClaimArgs,
        args.ClaimItemArgs,
        args.UpdateClaimArgs,
    ]
    for model in models:
        data = await viewer.data(
            "query($n: String!) { __type(name: $n) { inputFields { name } } }",
            {"n": model.graphql_type},
        )
        graphql = {f["name"] for f in data["__type"]["inputFields"]}
        mirrored = {field.alias for field in model.model_fields.values()}
        assert mirrored == graphql, model.__name__


async def test_the_llms_txt_flow_runs_as_written(editor: Caller) -> None:
    from parcelgraph.mcp_server.llms import FLOW

    payloads = []
    for _title, operation in FLOW:
        data = await editor.data(operation)
        [payload] = data.values()
        payloads.append(payload)

    assert [p["errors"] for p in payloads] == [[], [], [], []]
    assert payloads[2]["shipment"]["phase"] == "IN_TRANSIT"
    assert payloads[3]["claim"]["status"] == "PENDING"
