"""A scripted agent runs the headless flow from what list_tools told it; GraphQL agrees."""

from typing import Any

from mcp import ClientSession

from tests.mcp_server.support import call
from tests.support import Caller

STATE = """
query { order(orderNumber: "A-1") {
  expectedNumberOfShipments
  shipments { trackingNumber phase isDraft events { eventName } }
  claims { reason status shipment { trackingNumber } }
} }"""


class Agent:
    """Knows nothing but the tool list: picks tools by name and checks each argument it sends
    against the tool's input schema before calling."""

    def __init__(self, session: ClientSession, tools: list[Any]) -> None:
        self.session = session
        self.tools = {tool.name: tool for tool in tools}

    def _check(self, name: str, arguments: dict[str, Any]) -> None:
        schema = self.tools[name].input_schema
        assert set(arguments) <= set(schema["properties"]), (name, arguments)
        assert set(schema.get("required", [])) <= set(arguments), (name, arguments)

    async def use(self, name: str, **arguments: Any) -> dict[str, Any]:
        self._check(name, arguments)
        return await call(self.session, name, arguments)


async def test_an_agent_completes_the_headless_flow(mcp_connect, editor: Caller) -> None:
    async with mcp_connect(editor.slug, editor.authorization) as session:
        agent = Agent(session, (await session.list_tools()).tools)
        event_names = agent.tools["append_shipment_event"].input_schema["properties"]["eventName"]

        # 1. an order with two expected packages
        created = await agent.use(
            "upsert_order",
            id="A-1",
            order={
                "orderNumber": "A-1",
                "expectedNumberOfShipments": 2,
                "address": {"zipCode": "10115", "countryCode": "DE"},
                "products": [{"sku": "MUG", "title": "Mug", "quantity": 2}],
            },
        )
        # 2. tracking on one of them
        tracked = await agent.use(
            "attach_tracking",
            id="A-1",
            trackings=[{"trackingNumber": "SBX-1", "products": [{"sku": "MUG", "quantity": 1}]}],
        )
        # 3. an event from the catalogue enum it was given
        assert "IN_TRANSIT" in event_names["enum"]
        moved = await agent.use(
            "append_shipment_event", trackingNumber="SBX-1", eventName="IN_TRANSIT"
        )
        # 4. a claim the package now allows
        options = await agent.use("claim_options", trackingNumber="SBX-1")
        allowed = [o["reason"] for o in options["shipment"]["claimOptions"] if o["eligible"]]
        assert "INVESTIGATION" in allowed
        claimed = await agent.use(
            "create_claim", orderNumber="A-1", trackingNumber="SBX-1", reason="INVESTIGATION"
        )

    assert [s["isDraft"] for s in created["order"]["shipments"]] == [True, True]
    assert [s["trackingNumber"] for s in tracked["order"]["shipments"]] == ["SBX-1", None]
    assert moved["recorded"] is True
    assert claimed["claim"]["status"] == "PENDING"
    state = (await editor.data(STATE))["order"]
    assert state["expectedNumberOfShipments"] == 2
    first, second = state["shipments"]
    assert (first["trackingNumber"], first["phase"], first["isDraft"]) == (
        "SBX-1",
        "IN_TRANSIT",
        False,
    )
    assert first["events"][-1]["eventName"] == "IN_TRANSIT"
    assert (second["trackingNumber"], second["isDraft"]) == (None, True)
    assert state["claims"] == [
        {"reason": "INVESTIGATION", "status": "PENDING", "shipment": {"trackingNumber": "SBX-1"}}
    ]
