"""Order and fulfilment mutations: thin fields over `resolvers.orders` and `resolvers.bulk`.

Each field runs one write transaction; a refused input (Rejected) rolls it back and comes
back as `errors` in the payload, with field paths starting at the `input` argument.
"""

import uuid
from typing import Annotated

import strawberry

from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers import orders
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.orders import bulk
from parcelgraph.schema.common.errors import user_errors
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.raw_ids import raw_id
from parcelgraph.schema.common.runner import ok, refused_payload, run_mutation
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


def _ref(value: str, id_type: OrderIdTypeEnum) -> orders.OrderRef:
    if id_type is OrderIdTypeEnum.UUID:
        value = raw_id(value, "Order")
    return orders.OrderRef(value, id_type.value)


def _order(result: orders.OrderResult) -> OrderType:
    return OrderType.from_row(result.order)


@strawberry.type
class OrderMutation:
    """Root fields that write orders and shipments (editor or admin keys)."""

    @strawberry.mutation(
        description="Create or update an order (found by id and idType) and attach trackings "
        "idempotently: a trackingNumber already on the order updates that shipment. A new "
        "tracking fulfils the next expected package in place; extra ones add packages.",
        permission_classes=[Allow.editors],
    )
    async def upsert_order(
        self,
        info: strawberry.Info,
        input: Annotated[
            UpsertOrderInput,
            strawberry.argument(
                description="Which order (id + idType), its data, and trackings to attach."
            ),
        ],
    ) -> UpsertOrderPayload:
        context = info.context
        return await run_mutation(
            info,
            lambda session: orders.upsert(
                session,
                shop=context.shop,
                input=input.to_domain(),
                now=context.now(),
                idempotency_key=input.idempotency_key,
                arrival=ArrivalPolicy.from_settings(context.settings),
            ),
            done=lambda r: ok(UpsertOrderPayload, order=_order(r), replayed=r.replayed),
            payload=UpsertOrderPayload,
        )

    @strawberry.mutation(
        description="Create an order with its expected packages (drafts). An orderNumber that "
        "exists already is ignored: nothing changes and `duplicate` is true.",
        permission_classes=[Allow.editors],
    )
    async def place_order(
        self,
        info: strawberry.Info,
        input: Annotated[
            PlaceOrderInput,
            strawberry.argument(
                description="The new order; an existing order number changes nothing."
            ),
        ],
    ) -> PlaceOrderPayload:
        context = info.context
        return await run_mutation(
            info,
            lambda session: orders.place(
                session,
                shop=context.shop,
                order=input.order.to_domain(),
                now=context.now(),
                idempotency_key=input.idempotency_key,
                arrival=ArrivalPolicy.from_settings(context.settings),
            ),
            done=lambda r: ok(
                PlaceOrderPayload, order=_order(r), duplicate=r.duplicate, replayed=r.replayed
            ),
            payload=PlaceOrderPayload,
        )

    @strawberry.mutation(
        description="Change only the address and/or the expected number of shipments; "
        "omitted fields are left alone.",
        permission_classes=[Allow.editors],
    )
    async def update_order(
        self,
        info: strawberry.Info,
        input: Annotated[
            UpdateOrderInput,
            strawberry.argument(
                description="The order and the fields to change; omitted fields stay as they are."
            ),
        ],
    ) -> UpdateOrderPayload:
        context = info.context
        address = input.address.to_domain() if input.address is not None else None
        expected = input.expected_number_of_shipments
        return await run_mutation(
            info,
            lambda session: orders.update(
                session,
                shop=context.shop,
                ref=_ref(input.id, input.id_type),
                address=address,
                expected_number_of_shipments=expected,
                now=context.now(),
                idempotency_key=input.idempotency_key,
            ),
            done=lambda r: ok(UpdateOrderPayload, order=_order(r)),
            payload=UpdateOrderPayload,
        )

    @strawberry.mutation(
        description="Cancel an order while no shipment has tracking (else ORDER_NOT_CANCELLABLE); "
        "records ORDER_CANCELLED on each expected package.",
        permission_classes=[Allow.editors],
    )
    async def cancel_order(
        self,
        info: strawberry.Info,
        input: Annotated[
            CancelOrderInput, strawberry.argument(description="The order to cancel and why.")
        ],
    ) -> CancelOrderPayload:
        context = info.context
        return await run_mutation(
            info,
            lambda session: orders.cancel(
                session,
                shop=context.shop,
                ref=_ref(input.id, input.id_type),
                reason=input.reason,
                now=context.now(),
                idempotency_key=input.idempotency_key,
            ),
            done=lambda r: ok(CancelOrderPayload, order=_order(r)),
            payload=CancelOrderPayload,
        )

    @strawberry.mutation(
        description="Change a shipment's tracking URL and/or replace what is in the package.",
        permission_classes=[Allow.editors],
    )
    async def update_shipment(
        self,
        info: strawberry.Info,
        input: Annotated[
            UpdateShipmentInput,
            strawberry.argument(
                description="The shipment and its new tracking URL and/or package contents."
            ),
        ],
    ) -> UpdateShipmentPayload:
        context = info.context
        shipment_id = _shipment_uuid(input.id)
        if shipment_id is None:
            invalid = Rejected.one("INVALID_ID", "Not a shipment id.", "id")
            return refused_payload(UpdateShipmentPayload, user_errors(invalid))
        url = input.tracking_url.value if input.tracking_url is not None else orders.UNSET
        products = package_items(input.products) if input.products is not None else None
        return await run_mutation(
            info,
            lambda session: orders.update_shipment(
                session,
                shop=context.shop,
                shipment_id=shipment_id,
                tracking_url=url,
                products=products,
                now=context.now(),
                idempotency_key=input.idempotency_key,
            ),
            done=_updated_shipment,
            payload=UpdateShipmentPayload,
        )

    @strawberry.mutation(
        description="Up to 1,000 upserts in one call, written set-based; each item commits or "
        "fails on its own and gets its own result. More items: BATCH_TOO_LARGE, nothing written.",
        permission_classes=[Allow.editors],
    )
    async def bulk_fulfillment(
        self,
        info: strawberry.Info,
        input: Annotated[
            BulkFulfillmentInput,
            strawberry.argument(
                description="Up to 1,000 upsert items; each succeeds or fails on its own."
            ),
        ],
    ) -> BulkFulfillmentPayload:
        context = info.context
        return await run_mutation(
            info,
            lambda session: bulk.fulfill(
                session,
                shop=context.shop,
                items=[i.to_domain() for i in input.items],
                now=context.now(),
                max_items=context.settings.bulk_max_items,
                arrival=ArrivalPolicy.from_settings(context.settings),
            ),
            done=_bulk_payload,
            payload=BulkFulfillmentPayload,
            refused=lambda errors: BulkFulfillmentPayload(
                results=[], succeeded=0, failed=0, errors=errors
            ),
        )

    @strawberry.mutation(
        description="Attach or replace an order's marketing attribution.",
        permission_classes=[Allow.editors],
    )
    async def upsert_order_analytics(
        self,
        info: strawberry.Info,
        input: Annotated[
            UpsertOrderAnalyticsInput,
            strawberry.argument(description="The order and the attribution to attach or replace."),
        ],
    ) -> UpsertOrderAnalyticsPayload:
        context = info.context
        return await run_mutation(
            info,
            lambda session: orders.upsert_analytics(
                session,
                shop=context.shop,
                ref=_ref(input.order_id, input.id_type),
                analytics=input.analytics.to_domain(),
                now=context.now(),
                idempotency_key=input.idempotency_key,
            ),
            done=lambda r: ok(UpsertOrderAnalyticsPayload, order=_order(r)),
            payload=UpsertOrderAnalyticsPayload,
        )


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


def _shipment_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw_id(value, "Shipment"))
    except ValueError:
        return None
