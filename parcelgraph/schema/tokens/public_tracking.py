"""`trackOrder(orderNumber, zipCode)`: the anonymous, read-only tracking view.

Its types are dedicated on purpose: none of them leads back to `Order`, `Shipment` or
`Event` (whose fields reach the email, the address and every relation), so the view holds
exactly the fields below and no personal data (no email, name, street or phone).

Anyone may call it, so it is rate-limited per client address with a small in-process
bucket (`track_order_burst` lookups, `track_order_per_minute` regained), kept on the app's
state. Behind a reverse proxy every client shares the proxy's address: the general rate
limiting of the API is the place for a shared, proxy-aware budget.
"""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from parcelgraph.domain import catalogue
from parcelgraph.models import Event, Order, Shipment
from parcelgraph.ratelimit import MemoryRateLimiter
from parcelgraph.resolvers.tokens import public_tracking
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import OrderStateEnum, PhaseEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.events.event_columns import event_columns
from parcelgraph.schema.events.shipment_types import CarrierType, ShipmentProductType, ShipmentType
from parcelgraph.schema.hardening.extensions import PublicError
from parcelgraph.schema.orders.product_types import ProductType, product_tree
from parcelgraph.schema.orders.values import EstimatedArrivalType


@strawberry.type(description="One step of a parcel's journey, as a public tracking page shows it.")
class PublicTrackingEvent:
    """An event without links to the order."""

    id: strawberry.ID = strawberry.field(description="Global id of the event.")
    position: int = strawberry.field(description="Global cursor (orderEvents `after`).")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    event_name: str = strawberry.field(description="Most specific name, e.g. OUT_FOR_DELIVERY.")
    event_group: str = strawberry.field(description="Notification bucket, e.g. shipment_delivered.")
    phase: PhaseEnum | None = strawberry.field(description="Phase the event belongs to.")  # type: ignore[valid-type]
    description: str = strawberry.field(description="What the event means, in plain words.")
    location: str | None = strawberry.field(description="Where it happened, if the carrier said.")
    message: str | None = strawberry.field(
        description="The carrier's own text, as the carrier's public tracking shows it."
    )

    @classmethod
    def from_row(cls, row: Event) -> "PublicTrackingEvent":
        """Map a stored event to the public view. `row` may hold only the columns the
        request selects (`EventColumns`): the others are None and never resolved."""
        known = catalogue.exists(row.event_name)
        return from_attributes(
            cls,
            row,
            id=strawberry.ID(relay.to_base64("Event", row.id)),
            position=row.position or 0,
            phase=PhaseEnum(row.phase) if row.phase else None,
            description=catalogue.get(row.event_name).description if known else "",
        )


@strawberry.type(description="One package of the order in the public tracking view.")
class PublicTrackingShipment:
    """A package: tracking facts, contents and events, nothing about the recipient."""

    id: strawberry.ID = strawberry.field(description="Global id of the shipment.")
    position: int = strawberry.field(description="1-based package number within the order.")
    is_draft: bool = strawberry.field(description="True until a tracking number is attached.")
    tracking_number: str | None = strawberry.field(description="Carrier tracking number.")
    tracking_url: str | None = strawberry.field(description="Carrier tracking page URL.")
    tracking_company: str | None = strawberry.field(description="Carrier name as sent.")
    tracking_placed_at: datetime | None = strawberry.field(description="When it was handed on.")
    carrier: CarrierType | None = strawberry.field(description="Carrier, once known.")
    phase: PhaseEnum = strawberry.field(description="Current phase.")  # type: ignore[valid-type]
    delayed: bool = strawberry.field(description="A delay was reported and not yet overtaken.")
    damaged: bool = strawberry.field(description="Damage was reported.")
    failed_attempts: int = strawberry.field(description="Failed delivery attempts so far.")
    last_event_at: datetime | None = strawberry.field(description="Time of the newest event.")
    delivered_at: datetime | None = strawberry.field(description="When it was delivered.")
    estimated_arrival: EstimatedArrivalType | None = strawberry.field(
        description="Expected arrival window, when one is known."
    )
    row: strawberry.Private[Shipment]

    @classmethod
    def from_row(cls, row: Shipment) -> "PublicTrackingShipment":
        """Map a shipment row (through the member type's own mapping) to the public view."""
        full = ShipmentType.from_row(row)
        return from_attributes(
            cls,
            row,
            id=strawberry.ID(relay.to_base64("Shipment", row.id)),
            is_draft=full.is_draft,
            carrier=full.carrier,
            phase=full.phase,
            estimated_arrival=full.estimated_arrival,
            row=row,
        )

    @strawberry.field(description="What is in this package (products and quantities).")
    async def products(self, info: strawberry.Info) -> list[ShipmentProductType]:
        pairs = await info.context.loaders.shipment_items_by_shipment_id.load(self.row.id)
        return [
            ShipmentProductType(
                sku=item.sku or line.sku,
                title=line.title,
                quantity=item.quantity,
                product=ProductType.from_row(line),
            )
            for item, line in pairs
        ]

    @strawberry.field(description="Every event of this package, oldest first.")
    async def events(self, info: strawberry.Info) -> list[PublicTrackingEvent]:
        key = (self.row.id, event_columns(info))
        rows = await info.context.loaders.event_columns_by_shipment_id.load(key)
        return [PublicTrackingEvent.from_row(r) for r in rows]


@strawberry.type(
    description="An order as anyone holding its number and delivery zip code may see it: "
    "packages, carriers, phases, estimated arrival, events and products — no email, name, "
    "street or phone."
)
class PublicTracking:
    """The read-only tracking view."""

    shop_name: str = strawberry.field(description="The shop's display name.")
    order_number: str = strawberry.field(description="The shop's order number.")
    order_placed_at: datetime = strawberry.field(description="When the order was placed.")
    state: OrderStateEnum = strawberry.field(description="Placed, fulfilled or cancelled.")  # type: ignore[valid-type]
    expected_number_of_shipments: int = strawberry.field(
        description="How many packages the order ships in."
    )
    row: strawberry.Private[Order]

    @strawberry.field(description="The products ordered, with their images.")
    async def products(self, info: strawberry.Info) -> list[ProductType]:
        return product_tree(await info.context.loaders.line_items_by_order_id.load(self.row.id))

    @strawberry.field(description="Every package: expected ones and parcels on their way.")
    async def shipments(self, info: strawberry.Info) -> list[PublicTrackingShipment]:
        rows = await info.context.loaders.shipments_by_order_id.load(self.row.id)
        return [PublicTrackingShipment.from_row(r) for r in rows]


def _limiter(info: strawberry.Info) -> MemoryRateLimiter:
    state = info.context.request.app.state
    limiter = getattr(state, "track_order_limiter", None)
    if limiter is None:
        settings = info.context.settings
        limiter = MemoryRateLimiter(
            capacity=settings.track_order_burst,
            restore_per_second=settings.track_order_per_minute / 60,
            clock=lambda: info.context.clock().timestamp(),
        )
        state.track_order_limiter = limiter
    return limiter


async def _spend_one(info: strawberry.Info) -> None:
    request: Any = info.context.request
    client = request.client.host if request.client else "unknown"
    status = await _limiter(info).take(f"trackOrder:{client}", 1)
    if status.allowed:
        return
    retry = status.retry_after_seconds
    response = getattr(info.context, "response", None)
    if response is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(retry)
    raise PublicError(
        f"Too many lookups from this address; retry in {retry} s.",
        code="RATE_LIMITED",
        retryAfter=retry,
    )


@strawberry.type
class PublicTrackingQuery:
    """The anonymous lookup."""

    @strawberry.field(
        description="Look an order up by its number and delivery zip code, without any "
        "credential. Null when either is wrong: an unknown order and a wrong zip code give "
        "the same answer. Rate-limited per client address (RATE_LIMITED, HTTP 429).",
        permission_classes=[Allow.everyone],
    )
    async def track_order(
        self,
        info: strawberry.Info,
        order_number: Annotated[str, strawberry.argument(description="The shop's order number.")],
        zip_code: Annotated[
            str,
            strawberry.argument(
                description="The delivery address's zip code (spaces, dashes and case ignored)."
            ),
        ],
    ) -> PublicTracking | None:
        await _spend_one(info)
        context = info.context
        if context.shop is None:
            # An unknown shop answers exactly like an unknown order: existence stays private.
            return None
        async with context.db.reader() as session:
            order = await public_tracking.find(
                session, shop=context.shop, order_number=order_number, zip_code=zip_code
            )
        if order is None:
            return None
        return PublicTracking(
            shop_name=context.shop.name,
            order_number=order.order_number,
            order_placed_at=order.order_placed_at,
            state=OrderStateEnum(order.state),
            expected_number_of_shipments=order.expected_number_of_shipments,
            row=order,
        )
