"""Inputs naming an existing order or shipment, and the payloads of the order mutations."""

import strawberry

from parcelgraph.schema.common.errors import UserError
from parcelgraph.schema.events.shipment_types import ShipmentType
from parcelgraph.schema.orders.inputs import (
    AddressInput,
    OrderAnalyticsInput,
    OrderIdTypeEnum,
    OrderInput,
    PackageProductInput,
    UpsertOrderInput,
)
from parcelgraph.schema.orders.types import OrderType

_KEY = "Retry safely: the same key and input within 24 h replays the first result."
_ID = "The order's identifier, read per idType (default: its global ID or UUID)."
_ID_TYPE = "How `id` is read."


@strawberry.input(description="Create an order only; an existing orderNumber changes nothing.")
class PlaceOrderInput:
    """Place Order."""

    order: OrderInput = strawberry.field(description="The order; orderNumber is required.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY)


@strawberry.input(description="Change an order's address or expected number of shipments.")
class UpdateOrderInput:
    """Update Order: omitted fields are left alone."""

    id: str = strawberry.field(description=_ID)
    id_type: OrderIdTypeEnum = strawberry.field(default=OrderIdTypeEnum.UUID, description=_ID_TYPE)
    address: AddressInput | None = strawberry.field(
        default=None,
        description="The new delivery address (with a zip code); omitted or null: unchanged "
        "(an address cannot be removed). Refused (ORDER_NOT_EDITABLE) once a parcel has a "
        "tracking number.",
    )
    expected_number_of_shipments: int | None = strawberry.field(
        default=None,
        description="1..100; more adds expected packages, fewer removes surplus drafts (never "
        "below the packages already shipped: SHIPMENTS_ALREADY_FULFILLED). Omitted or null: "
        "unchanged.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY)


@strawberry.input(description="Cancel an order before anything shipped.")
class CancelOrderInput:
    """Cancel: refused (ORDER_NOT_CANCELLABLE) once any shipment has tracking."""

    id: str = strawberry.field(description=_ID)
    id_type: OrderIdTypeEnum = strawberry.field(default=OrderIdTypeEnum.UUID, description=_ID_TYPE)
    reason: str | None = strawberry.field(default=None, description="Why, for the records.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY)


@strawberry.input(description="Change a shipment's tracking URL or contents.")
class UpdateShipmentInput:
    """Update Shipment."""

    id: strawberry.ID = strawberry.field(description="The shipment's global ID (or raw UUID).")
    tracking_url: strawberry.Maybe[str | None] = strawberry.field(
        default=None, description="New tracking page URL; null clears it; omitted: unchanged."
    )
    products: list[PackageProductInput] | None = strawberry.field(
        default=None,
        description="Replaces the package's contents ([] empties it); omitted or null: unchanged.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY)


@strawberry.input(description="Many upserts (usually trackings for many orders) in one call.")
class BulkFulfillmentInput:
    """Bulk Fulfillment: each item succeeds or fails on its own."""

    items: list[UpsertOrderInput] = strawberry.field(
        description="Up to 1,000 upserts (see the bulk_max_items setting); more refuses the "
        "whole call with BATCH_TOO_LARGE."
    )


@strawberry.input(description="Attach or replace an order's marketing attribution.")
class UpsertOrderAnalyticsInput:
    """Upsert Order Analytics."""

    order_id: str = strawberry.field(description=_ID)
    id_type: OrderIdTypeEnum = strawberry.field(default=OrderIdTypeEnum.UUID, description=_ID_TYPE)
    analytics: OrderAnalyticsInput = strawberry.field(description="The attribution to store.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY)


_ORDER = "The order as stored after the mutation; null when it was refused."
_ERRORS = "Why the input was refused (empty on success); nothing was written then."
_REPLAYED = "True when an idempotency key replayed an earlier result (nothing was written)."


@strawberry.type(description="Result of upsertOrder.")
class UpsertOrderPayload:
    """The order and any errors."""

    order: OrderType | None = strawberry.field(description=_ORDER)
    errors: list[UserError] = strawberry.field(description=_ERRORS)
    replayed: bool = strawberry.field(default=False, description=_REPLAYED)


@strawberry.type(description="Result of placeOrder.")
class PlaceOrderPayload:
    """The order, whether it existed already, and any errors."""

    order: OrderType | None = strawberry.field(
        description="The order: the new one, or the existing one for a duplicate."
    )
    duplicate: bool = strawberry.field(
        default=False, description="True when the orderNumber existed: nothing was changed."
    )
    errors: list[UserError] = strawberry.field(description=_ERRORS)
    replayed: bool = strawberry.field(default=False, description=_REPLAYED)


@strawberry.type(description="Result of updateOrder.")
class UpdateOrderPayload:
    """The order and any errors."""

    order: OrderType | None = strawberry.field(description=_ORDER)
    errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="Result of cancelOrder.")
class CancelOrderPayload:
    """The cancelled order and any errors."""

    order: OrderType | None = strawberry.field(description=_ORDER)
    errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="Result of updateShipment.")
class UpdateShipmentPayload:
    """The shipment, its order and any errors."""

    shipment: ShipmentType | None = strawberry.field(
        description="The shipment after the change; null when refused."
    )
    order: OrderType | None = strawberry.field(description=_ORDER)
    errors: list[UserError] = strawberry.field(description=_ERRORS)


@strawberry.type(description="The outcome of one bulkFulfillment item.")
class BulkFulfillmentResult:
    """One item: committed with its order, or refused with its errors."""

    index: int = strawberry.field(description="Position of the item in `items` (0-based).")
    order: OrderType | None = strawberry.field(
        description="The order after the whole batch; null when this item was refused."
    )
    errors: list[UserError] = strawberry.field(
        description='Why this item was refused; paths start at the input, e.g. ["items", "3", '
        '"trackings", "0", "carrierReference"].'
    )


@strawberry.type(description="Result of bulkFulfillment.")
class BulkFulfillmentPayload:
    """One result per item, plus errors concerning the call as a whole."""

    results: list[BulkFulfillmentResult] = strawberry.field(
        description="One entry per item, in input order."
    )
    succeeded: int = strawberry.field(description="Items that were committed.")
    failed: int = strawberry.field(description="Items that were refused.")
    errors: list[UserError] = strawberry.field(
        description="Errors of the whole call (BATCH_TOO_LARGE); then nothing was written."
    )


@strawberry.type(description="Result of upsertOrderAnalytics.")
class UpsertOrderAnalyticsPayload:
    """The order and any errors."""

    order: OrderType | None = strawberry.field(description=_ORDER)
    errors: list[UserError] = strawberry.field(description=_ERRORS)
