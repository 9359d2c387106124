"""The write tools: pydantic arguments -> the use case GraphQL calls -> the changed object.

Each write is charged up front with what the equivalent GraphQL mutation costs (1 for the
payload plus the selection it returns), so a refused budget writes nothing. It then runs
in one transaction (commit, then publish, as `Context.transaction` does for GraphQL), and
returns the object after the change through the same read document the read tools use.
"""

import base64
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from parcelgraph.domain.enums import Role
from parcelgraph.mcp_server import documents as docs
from parcelgraph.mcp_server.args import (
    AppendEventArgs,
    CreateClaimArgs,
    IdArgs,
    UpdateClaimArgs,
    row_id,
)
from parcelgraph.mcp_server.calls import Call
from parcelgraph.mcp_server.order_args import AttachTrackingArgs, UpsertOrderArgs
from parcelgraph.mcp_server.tool_spec import write_tool
from parcelgraph.resolvers import claims, orders
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers.claims import ClaimPolicy
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.webhooks import deliveries

T = TypeVar("T")

# What a result selection looks like to the cost model (the ids' values do not matter).
_SAMPLE_ID = {"id": base64.b64encode(b"Order:0").decode()}


def global_id(type_name: str, row: uuid.UUID) -> str:
    """The API's global id of a row (base64 of `Type:uuid`), as every `id` field returns."""
    return base64.b64encode(f"{type_name}:{row}".encode()).decode()


async def _charge(call: Call, result_document: str | None) -> None:
    selection = call.bridge.cost(result_document, _SAMPLE_ID) if result_document else 0
    await call.charge(1 + selection)


async def _written(
    call: Call, result_document: str | None, use_case: Callable[..., Awaitable[T]], **inputs: Any
) -> T:
    """Charge what the mutation costs, then run `use_case` for the caller's shop in one
    write transaction (the same frame as a GraphQL mutation field)."""
    await _charge(call, result_document)
    async with call.context(charged=False).transaction() as session:
        return await use_case(session, shop=call.caller.shop, now=call.now(), **inputs)


async def _order_view(call: Call, order_id: uuid.UUID) -> dict[str, Any]:
    data = await call.query(docs.GET_ORDER, {"id": global_id("Order", order_id)}, charged=False)
    return data["order"]  # type: ignore[no-any-return]


async def _claim_view(call: Call, claim_id: uuid.UUID) -> dict[str, Any]:
    data = await call.query(docs.CLAIM_VIEW, {"id": global_id("Claim", claim_id)}, charged=False)
    return data["node"]  # type: ignore[no-any-return]


@write_tool("Create or update an order", ("Mutation", "upsertOrder"), destructive=True)
async def upsert_order(call: Call, args: UpsertOrderArgs) -> dict[str, Any]:
    """Set order.expectedNumberOfShipments for the packages you expect to send."""
    return await _upsert(call, args)


@write_tool("Attach tracking numbers", ("Mutation", "upsertOrder"))
async def attach_tracking(call: Call, args: AttachTrackingArgs) -> dict[str, Any]:
    """Attach one or more tracking numbers to an existing order (its data is left alone): a
    new number fulfils the next expected package."""
    return await _upsert(call, args)


async def _upsert(call: Call, args: UpsertOrderArgs | AttachTrackingArgs) -> dict[str, Any]:
    result = await _written(
        call,
        docs.GET_ORDER,
        orders.upsert,
        input=args.to_input(),
        idempotency_key=args.idempotency_key,
        arrival=ArrivalPolicy.from_settings(call.services.settings),
    )
    return {"order": await _order_view(call, result.order.id), "replayed": result.replayed}


@write_tool("Record a shipment event", ("Mutation", "appendShipmentEvent"), idempotent=False)
async def append_shipment_event(call: Call, args: AppendEventArgs) -> dict[str, Any]:
    """eventName is an enum of the catalogue (resource parcelgraph://catalogue/events);
    without externalId every call records another event."""
    appended = await _written(
        call,
        docs.GET_ORDER,
        shipment_events.append,
        data=args.to_input(),
        policy=ArrivalPolicy.from_settings(call.services.settings),
    )
    event = appended.event
    return {
        "recorded": appended.created,
        "event": {
            "id": global_id("Event", event.id),
            "eventName": event.event_name,
            "occurredAt": event.occurred_at.isoformat(),
            "shipmentId": global_id("Shipment", appended.shipment.id),
        },
        "order": await _order_view(call, appended.shipment.order_id),
    }


@write_tool("File a claim", ("Mutation", "createClaim"), idempotent=False)
async def create_claim(call: Call, args: CreateClaimArgs) -> dict[str, Any]:
    """Check claim_options first: it says which reasons the package allows."""
    row = await _written(
        call,
        docs.CLAIM_VIEW,
        claims.create,
        claim=args.to_input(),
        policy=ClaimPolicy.from_settings(call.services.settings),
    )
    return {"claim": await _claim_view(call, row.id)}


@write_tool("Update a claim", ("Mutation", "updateClaim"), destructive=True)
async def update_claim(call: Call, args: UpdateClaimArgs) -> dict[str, Any]:
    """Status moves cannot be undone."""
    claim_id = row_id(args.id, "Claim", "id")
    assert claim_id is not None
    preference = args.resolution_preference
    row = await _written(
        call,
        docs.CLAIM_VIEW,
        claims.update,
        claim_id=claim_id,
        status=args.status.value if args.status else None,
        resolution_preference=preference.value if preference else None,
    )
    return {"claim": await _claim_view(call, row.id)}


@write_tool(
    "Redeliver a webhook delivery",
    ("Mutation", "redeliverWebhookDelivery"),
    role=Role.ADMIN,
    idempotent=False,
)
async def redeliver_webhook_delivery(call: Call, args: IdArgs) -> dict[str, Any]:
    """Each call queues another delivery."""
    delivery_id = row_id(args.id, "WebhookDelivery", "id")
    assert delivery_id is not None
    row = await _written(call, None, deliveries.redeliver, delivery_id=delivery_id)
    return {
        "delivery": {
            "id": global_id("WebhookDelivery", row.id),
            "webhookId": global_id("Webhook", row.webhook_id),
            "eventId": str(row.event_id) if row.event_id else None,
            "status": row.status,
            "attemptCount": row.attempt_count,
            "nextAttemptAt": row.next_attempt_at.isoformat(),
        }
    }
