"""Order and fulfilment mutations: thin fields over `resolvers.orders` and `resolvers.bulk`.

Each field runs one write transaction; a refused input (Rejected) rolls it back and comes
back as `errors` in the payload, with field paths starting at the `input` argument.
"""

import uuid

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers import orders
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.orders import bulk
from parcelgraph.schema.common.errors import user_errors
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.raw_ids import raw_id
from parcelgraph.schema.common.runner import mutation, ok
from parcelgraph.schema.events.shipment_types import ShipmentType
from parcelgraph.schema.orders.inputs import OrderIdTypeEnum, UpsertOrderInput, package_items
from parcelgraph.schema.orders.payloads import (
    BulkFulfillmentInput,
    BulkFulfillmentPayload,
    BulkFulfillmentResult,
    CancelOrderInput,
    CancelOrderPayload,
    PlaceOrderInput,
    PlaceOrderPayload,
    UpdateOrderInput,
    UpdateOrderPayload,
    UpdateShipmentInput,
    UpdateShipmentPayload,
    UpsertOrderAnalyticsInput,
    UpsertOrderAnalyticsPayload,
    UpsertOrderPayload,
)
from parcelgraph.schema.orders.types import OrderType

Result = orders.OrderResult


def _ref(value: str, id_type: OrderIdTypeEnum) -> orders.OrderRef:
    if id_type is OrderIdTypeEnum.UUID:
        value = raw_id(value, "Order")
    return orders.OrderRef(value, id_type.value)


def _order(result: orders.OrderResult) -> OrderType:
    return OrderType.from_row(result.order)


def _arrival(context: Context) -> ArrivalPolicy:
    return ArrivalPolicy.from_settings(context.settings)


def _updated_shipment(result: orders.OrderResult) -> UpdateShipmentPayload:
    shipment = ShipmentType.from_row(result.shipment) if result.shipment else None
    return ok(UpdateShipmentPayload, shipment=shipment, order=_order(result))


def _bulk_payload(results: list[bulk.ItemResult]) -> BulkFulfillmentPayload:
    mapped = [
        BulkFulfillmentResult(
            index=r.index,
            order=OrderType.from_row(r.order) if r.order is not None else None,
            errors=user_errors(Rejected(r.issues), ("items", r.index)),
        )
        for r in results
    ]
    failed = sum(1 for r in results if r.issues)
    return ok(
        BulkFulfillmentPayload, results=mapped, succeeded=len(results) - failed, failed=failed
    )


@strawberry.type
class OrderMutation:
    """Root fields that write orders and shipments (editor or admin keys)."""

    @mutation(
        Allow.editors,
        UpsertOrderPayload,
        done=lambda r: ok(UpsertOrderPayload, order=_order(r), replayed=r.replayed),
        input="Which order (id + idType), its data, and trackings to attach.",
    )
    async def upsert_order(
        context: Context, session: AsyncSession, input: UpsertOrderInput
    ) -> Result:
        """Create or update an order (found by id and idType) and attach trackings
        idempotently: a trackingNumber already on the order updates that shipment. A new
        tracking fulfils the next expected package in place; extra ones add packages."""
        return await orders.upsert(
            session,
            shop=context.shop,
            input=input.to_domain(),
            now=context.now(),
            idempotency_key=input.idempotency_key,
            arrival=_arrival(context),
        )

    @mutation(
        Allow.editors,
        PlaceOrderPayload,
        done=lambda r: ok(
            PlaceOrderPayload, order=_order(r), duplicate=r.duplicate, replayed=r.replayed
        ),
        input="The new order; an existing order number changes nothing.",
    )
    async def place_order(
        context: Context, session: AsyncSession, input: PlaceOrderInput
    ) -> Result:
        """Create an order with its expected packages (drafts). An orderNumber that exists
        already is ignored: nothing changes and `duplicate` is true."""
        return await orders.place(
            session,
            shop=context.shop,
            order=input.order.to_domain(),
            now=context.now(),
            idempotency_key=input.idempotency_key,
            arrival=_arrival(context),
        )

    @mutation(
        Allow.editors,
        UpdateOrderPayload,
        done=lambda r: ok(UpdateOrderPayload, order=_order(r)),
        input="The order and the fields to change; omitted fields stay as they are.",
    )
    async def update_order(
        context: Context, session: AsyncSession, input: UpdateOrderInput
    ) -> Result:
        """Change only the address and/or the expected number of shipments; omitted fields
        are left alone."""
        address = input.address.to_domain() if input.address is not None else None
        return await orders.update(
            session,
            shop=context.shop,
            ref=_ref(input.id, input.id_type),
            address=address,
            expected_number_of_shipments=input.expected_number_of_shipments,
            now=context.now(),
            idempotency_key=input.idempotency_key,
        )

    @mutation(
        Allow.editors,
        CancelOrderPayload,
        done=lambda r: ok(CancelOrderPayload, order=_order(r)),
        input="The order to cancel and why.",
    )
    async def cancel_order(
        context: Context, session: AsyncSession, input: CancelOrderInput
    ) -> Result:
        """Cancel an order while no shipment has tracking (else ORDER_NOT_CANCELLABLE);
        records ORDER_CANCELLED on each expected package."""
        return await orders.cancel(
            session,
            shop=context.shop,
            ref=_ref(input.id, input.id_type),
            reason=input.reason,
            now=context.now(),
            idempotency_key=input.idempotency_key,
        )

    @mutation(
        Allow.editors,
        UpdateShipmentPayload,
        done=_updated_shipment,
        input="The shipment and its new tracking URL and/or package contents.",
    )
    async def update_shipment(
        context: Context, session: AsyncSession, input: UpdateShipmentInput
    ) -> Result:
        """Change a shipment's tracking URL and/or replace what is in the package."""
        url = input.tracking_url.value if input.tracking_url is not None else orders.UNSET
        return await orders.update_shipment(
            session,
            shop=context.shop,
            shipment_id=_shipment_uuid(input.id),
            tracking_url=url,
            products=package_items(input.products) if input.products is not None else None,
            now=context.now(),
            idempotency_key=input.idempotency_key,
        )

    @mutation(
        Allow.editors,
        BulkFulfillmentPayload,
        done=_bulk_payload,
        refused=lambda errors: BulkFulfillmentPayload(
            results=[], succeeded=0, failed=0, errors=errors
        ),
        input="Up to 1,000 upsert items; each succeeds or fails on its own.",
    )
    async def bulk_fulfillment(
        context: Context, session: AsyncSession, input: BulkFulfillmentInput
    ) -> list[bulk.ItemResult]:
        """Up to 1,000 upserts in one call, written set-based; each item commits or fails on
        its own and gets its own result. More items: BATCH_TOO_LARGE, nothing written."""
        return await bulk.fulfill(
            session,
            shop=context.shop,
            items=[i.to_domain() for i in input.items],
            now=context.now(),
            max_items=context.settings.bulk_max_items,
            arrival=_arrival(context),
        )

    @mutation(
        Allow.editors,
        UpsertOrderAnalyticsPayload,
        done=lambda r: ok(UpsertOrderAnalyticsPayload, order=_order(r)),
        input="The order and the attribution to attach or replace.",
    )
    async def upsert_order_analytics(
        context: Context, session: AsyncSession, input: UpsertOrderAnalyticsInput
    ) -> Result:
        """Attach or replace an order's marketing attribution."""
        return await orders.upsert_analytics(
            session,
            shop=context.shop,
            ref=_ref(input.order_id, input.id_type),
            analytics=input.analytics.to_domain(),
            now=context.now(),
            idempotency_key=input.idempotency_key,
        )


def _shipment_uuid(value: str) -> uuid.UUID:
    # Refused inside the transaction before any statement runs, so nothing is read or written.
    try:
        return uuid.UUID(raw_id(value, "Shipment"))
    except ValueError:
        raise Rejected.one("INVALID_ID", "Not a shipment id.", "id") from None
