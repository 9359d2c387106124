"""Tenant isolation: every id-taking tool, handed another shop's ids, finds nothing there."""

from typing import Any

import pytest
from mcp.shared.exceptions import MCPError

from parcelgraph.domain.enums import Role
from tests.mcp_server.support import NEW_ORDER, call, codes, refused
from tests.schema.webhooks.fragments import create_webhook
from tests.support import Caller

GLOBEX_ORDER = {**NEW_ORDER, "id": "G-1", "order": {**NEW_ORDER["order"], "orderNumber": "G-1"}}
DELIVERIES = "query($id: ID!) { webhook(id: $id) { deliveries(first: 5) { nodes { id } } } }"
GLOBEX_STATE = """
query { order(orderNumber: "G-1") {
  email shipments { trackingNumber phase events { eventName } }
  claims { status }
} }"""


async def _globex(make_shop, mcp_connect) -> tuple[Caller, dict[str, Any]]:
    """Shop globex with an order, a tracked and moved package, a claim and a delivery."""
    globex = await make_shop("globex", role=Role.ADMIN)
    webhook = (await create_webhook(globex, "https://hooks.example.com/globex"))["webhook"]
    async with mcp_connect(globex.slug, globex.authorization) as session:
        await call(session, "upsert_order", GLOBEX_ORDER)
        tracked = await call(
            session, "attach_tracking", {"id": "G-1", "trackings": [{"trackingNumber": "GX-1"}]}
        )
        await call(
            session,
            "append_shipment_event",
            {"trackingNumber": "GX-1", "eventName": "IN_TRANSIT"},
        )
        claim = await call(
            session,
            "create_claim",
            {"orderNumber": "G-1", "trackingNumber": "GX-1", "reason": "INVESTIGATION"},
        )
    log = await globex.data(DELIVERIES, {"id": webhook["id"]})
    order = tracked["order"]
    return globex, {
        "order": order["id"],
        "shipment": order["shipments"][0]["id"],
        "claim": claim["claim"]["id"],
        "webhook": webhook["id"],
        "delivery": log["webhook"]["deliveries"]["nodes"][0]["id"],
    }


async def test_another_shops_ids_reach_nothing(make_shop, mcp_connect, shop: Caller) -> None:
    globex, ids = await _globex(make_shop, mcp_connect)
    before = await globex.data(GLOBEX_STATE)
    attempts = {
        ("get_order", "id"): {"id": ids["order"]},
        ("get_order", "number"): {"orderNumber": "G-1"},
        ("get_shipment_events", "id"): {"id": ids["shipment"]},
        ("get_shipment_events", "number"): {"trackingNumber": "GX-1"},
        ("claim_options", "id"): {"id": ids["shipment"]},
        ("list_webhook_deliveries", "id"): {"webhookId": ids["webhook"]},
        ("upsert_order", "id"): {
            "id": ids["order"],
            "idType": "UUID",
            "order": {"email": "mallory@example.com"},
        },
        ("attach_tracking", "id"): {
            "id": ids["order"],
            "idType": "UUID",
            "trackings": [{"trackingNumber": "EVIL-1"}],
        },
        ("append_shipment_event", "id"): {
            "shipmentId": ids["shipment"],
            "eventName": "SUCCESSFULLY_DELIVERED",
        },
        ("append_shipment_event", "number"): {
            "trackingNumber": "GX-1",
            "eventName": "SUCCESSFULLY_DELIVERED",
        },
        ("create_claim", "id"): {
            "orderId": ids["order"],
            "shipmentId": ids["shipment"],
            "reason": "INVESTIGATION",
        },
        ("update_claim", "id"): {"id": ids["claim"], "status": "CLOSED"},
        ("redeliver_webhook_delivery", "id"): {"id": ids["delivery"]},
    }

    found: dict[tuple[str, str], Any] = {}
    async with mcp_connect(shop.slug, shop.authorization) as session:
        for (name, by), arguments in attempts.items():
            found[(name, by)] = codes(await refused(session, name, arguments))
        with pytest.raises(MCPError) as resource:
            await session.read_resource("parcelgraph://orders/G-1")
        peek = await call(
            session, "graphql_query", {"query": f'{{ node(id: "{ids["order"]}") {{ id }} }}'}
        )

    assert found == {
        ("get_order", "id"): [("ORDER_NOT_FOUND", None)],
        ("get_order", "number"): [("ORDER_NOT_FOUND", None)],
        ("get_shipment_events", "id"): [("SHIPMENT_NOT_FOUND", None)],
        ("get_shipment_events", "number"): [("SHIPMENT_NOT_FOUND", None)],
        ("claim_options", "id"): [("SHIPMENT_NOT_FOUND", None)],
        ("list_webhook_deliveries", "id"): [("WEBHOOK_NOT_FOUND", None)],
        ("upsert_order", "id"): [("ORDER_NOT_FOUND", ["id"])],
        ("attach_tracking", "id"): [("ORDER_NOT_FOUND", ["id"])],
        ("append_shipment_event", "id"): [("SHIPMENT_NOT_FOUND", ["shipmentId"])],
        ("append_shipment_event", "number"): [("SHIPMENT_NOT_FOUND", ["trackingNumber"])],
        ("create_claim", "id"): [("ORDER_NOT_FOUND", ["orderId"])],
        ("update_claim", "id"): [("CLAIM_NOT_FOUND", ["id"])],
        ("redeliver_webhook_delivery", "id"): [("DELIVERY_NOT_FOUND", ["id"])],
    }
    assert resource.value.error.data == [
        {
            "message": "No order matches the given id in this shop.",
            "code": "ORDER_NOT_FOUND",
            "field": None,
        }
    ]
    assert peek == {"data": {"node": None}, "extensions": peek["extensions"]}
    assert await globex.data(GLOBEX_STATE) == before
