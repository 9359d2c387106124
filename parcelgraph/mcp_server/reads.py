"""The read tools: each runs one read document of documents.py with its arguments.

Reads need a viewer key (admins for webhook deliveries, as in GraphQL); GraphQL's own
permissions, cost limits and rate limit apply to each, since they run through it.
"""

from typing import Any

from graphql import GraphQLSyntaxError, OperationType, parse
from graphql.language import OperationDefinitionNode

from parcelgraph.domain.enums import Role
from parcelgraph.mcp_server import documents as docs
from parcelgraph.mcp_server.calls import Call
from parcelgraph.mcp_server.errors import ToolFailure, from_graphql
from parcelgraph.mcp_server.read_args import (
    AnalyticsArgs,
    DeliveriesArgs,
    ExplainCarrierArgs,
    FindOrdersArgs,
    GetOrderArgs,
    GraphQLArgs,
    ShipmentArgs,
)
from parcelgraph.mcp_server.tool_spec import tool


def _missing(code: str, message: str) -> ToolFailure:
    return ToolFailure.one(message, code)


@tool("Find orders", ("Query", "orders"))
async def find_orders(call: Call, args: FindOrdersArgs) -> dict[str, Any]:
    """Find orders by order number, name or tracking number (`search`), customer email,
    state or placement date; newest first, paged by `after`."""
    data = await call.query(docs.FIND_ORDERS, args.variables())
    found = data["orders"]
    return {
        "totalCount": found["totalCount"],
        "pageInfo": found["pageInfo"],
        "orders": [edge["node"] for edge in found["edges"]],
    }


@tool("Get an order's tracking view", ("Query", "order"))
async def get_order(call: Call, args: GetOrderArgs) -> dict[str, Any]:
    """The full tracking view of one order (give exactly one of orderNumber, id,
    externalId): packages with phase, flags, latest event, ETA window and what claims each
    allows, plus the order's claims."""
    variables = args.model_dump(by_alias=True)
    data = await call.query(docs.GET_ORDER, variables)
    if data["order"] is None:
        raise _missing("ORDER_NOT_FOUND", "No order matches the given id in this shop.")
    return {"order": data["order"]}


async def _shipment(call: Call, document: str, args: ShipmentArgs) -> dict[str, Any]:
    data = await call.query(document, args.model_dump(by_alias=True))
    if data["shipment"] is None:
        raise _missing("SHIPMENT_NOT_FOUND", "No shipment matches the given id in this shop.")
    return {"shipment": data["shipment"]}


@tool("Get a shipment's events", ("Query", "shipment"))
async def get_shipment_events(call: Call, args: ShipmentArgs) -> dict[str, Any]:
    """Every event of one shipment (by id or tracking number), oldest first."""
    return await _shipment(call, docs.SHIPMENT_EVENTS, args)


@tool("What claims a package allows", ("Shipment", "claimOptions"))
async def claim_options(call: Call, args: ShipmentArgs) -> dict[str, Any]:
    """For one shipment (by id or tracking number): each claim reason, whether its real
    state allows it now, and why not; plus its contents and existing claims."""
    return await _shipment(call, docs.CLAIM_OPTIONS, args)


@tool("Explain carrier detection", ("Query", "detectCarrier"))
async def explain_carrier(call: Call, args: ExplainCarrierArgs) -> dict[str, Any]:
    data = await call.query(docs.EXPLAIN_CARRIER, args.model_dump(by_alias=True))
    return {"candidates": data["detectCarrier"]}


@tool("List webhook deliveries", ("Webhook", "deliveries"), role=Role.ADMIN)
async def list_webhook_deliveries(call: Call, args: DeliveriesArgs) -> dict[str, Any]:
    """The delivery log of one webhook, newest first."""
    variables = {"id": args.webhook_id, "first": args.first, "after": args.after}
    data = await call.query(docs.WEBHOOK_DELIVERIES, variables)
    if data["webhook"] is None:
        raise _missing("WEBHOOK_NOT_FOUND", "No webhook with that id in this shop.")
    return {"webhook": data["webhook"]}


@tool("Shop analytics", ("Query", "analytics"))
async def shop_analytics(call: Call, args: AnalyticsArgs) -> dict[str, Any]:
    """Orders by state, shipments by phase and carrier, carrier performance and claims by
    reason."""
    data = await call.query(docs.ANALYTICS, args.model_dump(mode="json", by_alias=True))
    return {"analytics": data["analytics"]}


def _operations(query: str, max_tokens: int) -> list[OperationDefinitionNode] | None:
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError:
        return None  # the executor reports it with its code (GRAPHQL_PARSE_FAILED, ...)
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


@tool("Run a read-only GraphQL query", None)
async def graphql_query(call: Call, args: GraphQLArgs) -> dict[str, Any]:
    """Run one read-only GraphQL document against this shop for anything the other tools do
    not cover (read the schema resource parcelgraph://schema.graphql). Mutations and
    subscriptions are refused (OPERATION_NOT_ALLOWED); the query's cost is limited and
    charged like any GraphQL request (MAX_COST_EXCEEDED, THROTTLED). Returns GraphQL's data,
    errors and extensions.cost."""
    # Any mutation or subscription in the document refuses the whole call.
    operations = _operations(args.query, call.services.settings.max_tokens)
    for operation in operations or ():
        if operation.operation is not OperationType.QUERY:
            raise ToolFailure.one(
                "graphql_query runs queries only; use the write tools to change data.",
                "OPERATION_NOT_ALLOWED",
                operation=operation.operation.value,
            )
    context = call.context()
    result = await call.bridge.execute(context, args.query, args.variables, args.operation_name)
    if result.get("data") is None and result.get("errors"):
        raise from_graphql(result["errors"])
    return result
