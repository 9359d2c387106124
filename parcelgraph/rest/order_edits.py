"""Edits of one order through REST v1: its address and package count, a shipment's URL
and contents, its attribution. Same use cases as the GraphQL mutations."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Path
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected
from parcelgraph.models import Shop
from parcelgraph.resolvers import orders
from parcelgraph.rest.access import Editor, EnvelopeRoute
from parcelgraph.rest.order_models import (
    OrderUpdateIn,
    ShipmentUpdateIn,
    analytics_input,
    package_items,
)
from parcelgraph.rest.order_views import OrderOut
from parcelgraph.rest.orders import IdempotencyKey, written_order
from parcelgraph.rest.responses import WITH_CONFLICT
from parcelgraph.rest.tracking_views import TrackingOut

router = APIRouter(route_class=EnvelopeRoute, tags=["orders"])
ORDER = "/v1/shops/{slug}/orders/{order_id}"
OrderId = Annotated[UUID, Path(description="The order's uuid.")]
ShipmentId = Annotated[UUID, Path(description="The shipment's id (a tracking's `id`).")]


@router.patch(
    ORDER,
    summary="Update order",
    description="Change only `address` and/or `expected_number_of_shipments`; each is "
    "skipped when omitted. The address cannot change once a parcel has shipped.",
    responses=WITH_CONFLICT,
)
async def update_order(
    context: Editor, order_id: OrderId, body: OrderUpdateIn, idempotency_key: IdempotencyKey = None
) -> OrderOut:
    return await written_order(
        context,
        orders.update,
        ref=orders.OrderRef(str(order_id)),
        address=body.address.to_input() if body.address else None,
        expected_number_of_shipments=body.expected_number_of_shipments,
        idempotency_key=idempotency_key,
    )


@router.patch(
    ORDER + "/shipments/{shipment_id}",
    summary="Update order shipment",
    description="Change a shipment's `tracking_url` and/or replace its `products` entirely "
    "(`[]` empties it; omitted: unchanged). Answers the shipment as a tracking.",
    responses=WITH_CONFLICT,
)
async def update_shipment(
    context: Editor,
    order_id: OrderId,
    shipment_id: ShipmentId,
    body: ShipmentUpdateIn,
    idempotency_key: IdempotencyKey = None,
) -> TrackingOut:
    url = body.tracking_url if "tracking_url" in body.model_fields_set else orders.UNSET

    async def update(session: AsyncSession, *, shop: Shop, now: datetime) -> orders.OrderResult:
        result = await orders.update_shipment(
            session,
            shop=shop,
            shipment_id=shipment_id,
            tracking_url=url,
            products=package_items(body.products),
            now=now,
            idempotency_key=idempotency_key,
        )
        if result.order.id != order_id:
            # The shipment exists, but on another order of this shop: not at this URL.
            raise Rejected.one("SHIPMENT_NOT_FOUND", "No such shipment on this order.", "id")
        return result

    order = await written_order(context, update)
    return next(t for t in order.trackings if t.id == shipment_id)


@router.put(
    ORDER + "/analytics",
    summary="Upsert order analytics",
    description="Attach or replace the order's attribution: a free-form object; `source`, "
    "`campaign`, `medium`, `landing_url`, `landing_path`, `referrer` and `captured_at` are "
    "kept as columns analytics can group by, every other key as it is.",
    responses=WITH_CONFLICT,
)
async def upsert_order_analytics(
    context: Editor,
    order_id: OrderId,
    body: Annotated[dict[str, Any], Body(description="The attribution object.")],
    idempotency_key: IdempotencyKey = None,
) -> OrderOut:
    return await written_order(
        context,
        orders.upsert_analytics,
        ref=orders.OrderRef(str(order_id)),
        analytics=analytics_input(body),
        idempotency_key=idempotency_key,
    )
