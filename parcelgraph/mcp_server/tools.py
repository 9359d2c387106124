"""The tool catalogue: names, roles, annotations, input schemas and descriptions.

A tool's description is the GraphQL field's description it stands for (read from the
schema the app hands in), plus a line on what the tool adds; its input schema is its
pydantic model's, described from the GraphQL input types (describe.py). Annotations say
truthfully what a call does: reads are read-only and idempotent; writes say whether they
overwrite (destructive) and whether repeating the same call changes nothing more.
"""

from typing import Any

from parcelgraph.domain.enums import Role
from parcelgraph.mcp_server import args as a
from parcelgraph.mcp_server import order_args as oa
from parcelgraph.mcp_server import read_args as ra
from parcelgraph.mcp_server import reads, writes
from parcelgraph.mcp_server.tool_spec import ToolSpec


def _write(**kwargs: Any) -> ToolSpec:
    return ToolSpec(read_only=False, **kwargs)


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "find_orders",
        "Find orders",
        ra.FindOrdersArgs,
        Role.VIEWER,
        reads.find_orders,
        ("Query", "orders"),
        "Find orders by order number, name or tracking number (`search`), customer email, "
        "state or placement date; newest first, paged by `after`.",
    ),
    ToolSpec(
        "get_order",
        "Get an order's tracking view",
        ra.GetOrderArgs,
        Role.VIEWER,
        reads.get_order,
        ("Query", "order"),
        "The full tracking view of one order (give exactly one of orderNumber, id, "
        "externalId): packages with phase, flags, latest event, ETA window and what claims "
        "each allows, plus the order's claims.",
    ),
    ToolSpec(
        "get_shipment_events",
        "Get a shipment's events",
        ra.ShipmentArgs,
        Role.VIEWER,
        reads.get_shipment_events,
        ("Query", "shipment"),
        "Every event of one shipment (by id or tracking number), oldest first.",
    ),
    ToolSpec(
        "explain_carrier",
        "Explain carrier detection",
        ra.ExplainCarrierArgs,
        Role.VIEWER,
        reads.explain_carrier,
        ("Query", "detectCarrier"),
        "",
    ),
    ToolSpec(
        "claim_options",
        "What claims a package allows",
        ra.ShipmentArgs,
        Role.VIEWER,
        reads.claim_options,
        ("Shipment", "claimOptions"),
        "For one shipment (by id or tracking number): each claim reason, whether its real "
        "state allows it now, and why not; plus its contents and existing claims.",
    ),
    ToolSpec(
        "list_webhook_deliveries",
        "List webhook deliveries",
        ra.DeliveriesArgs,
        Role.ADMIN,
        reads.list_webhook_deliveries,
        ("Webhook", "deliveries"),
        "The delivery log of one webhook, newest first.",
    ),
    ToolSpec(
        "shop_analytics",
        "Shop analytics",
        ra.AnalyticsArgs,
        Role.VIEWER,
        reads.shop_analytics,
        ("Query", "analytics"),
        "Orders by state, shipments by phase and carrier, carrier performance and claims "
        "by reason.",
    ),
    ToolSpec(
        "graphql_query",
        "Run a read-only GraphQL query",
        ra.GraphQLArgs,
        Role.VIEWER,
        reads.graphql_query,
        None,
        "Run one read-only GraphQL document against this shop for anything the other "
        "tools do not cover (read the schema resource parcelgraph://schema.graphql). "
        "Mutations and subscriptions are refused (OPERATION_NOT_ALLOWED); the query's cost "
        "is limited and charged like any GraphQL request (MAX_COST_EXCEEDED, THROTTLED). "
        "Returns GraphQL's data, errors and extensions.cost.",
    ),
    _write(
        name="upsert_order",
        title="Create or update an order",
        args=oa.UpsertOrderArgs,
        role=Role.EDITOR,
        run=writes.upsert_order,
        source=("Mutation", "upsertOrder"),
        note="Set order.expectedNumberOfShipments for the packages you expect to send.",
        destructive=True,
    ),
    _write(
        name="attach_tracking",
        title="Attach tracking numbers",
        args=oa.AttachTrackingArgs,
        role=Role.EDITOR,
        run=writes.upsert_order,
        source=("Mutation", "upsertOrder"),
        note="Attach one or more tracking numbers to an existing order (its data is left "
        "alone): a new number fulfils the next expected package.",
    ),
    _write(
        name="append_shipment_event",
        title="Record a shipment event",
        args=a.AppendEventArgs,
        role=Role.EDITOR,
        run=writes.append_shipment_event,
        source=("Mutation", "appendShipmentEvent"),
        note="eventName is an enum of the catalogue (resource parcelgraph://catalogue/events); "
        "without externalId every call records another event.",
        idempotent=False,
    ),
    _write(
        name="create_claim",
        title="File a claim",
        args=a.CreateClaimArgs,
        role=Role.EDITOR,
        run=writes.create_claim,
        source=("Mutation", "createClaim"),
        note="Check claim_options first: it says which reasons the package allows.",
        idempotent=False,
    ),
    _write(
        name="update_claim",
        title="Update a claim",
        args=a.UpdateClaimArgs,
        role=Role.EDITOR,
        run=writes.update_claim,
        source=("Mutation", "updateClaim"),
        note="Status moves cannot be undone.",
        destructive=True,
    ),
    _write(
        name="redeliver_webhook_delivery",
        title="Redeliver a webhook delivery",
        args=a.IdArgs,
        role=Role.ADMIN,
        run=writes.redeliver_webhook_delivery,
        source=("Mutation", "redeliverWebhookDelivery"),
        note="Each call queues another delivery.",
        idempotent=False,
    ),
)

BY_NAME = {tool.name: tool for tool in TOOLS}
