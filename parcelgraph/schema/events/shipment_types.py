"""Shipment: an expected package (draft) or a parcel with tracking, and what it holds."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from parcelgraph.models import Shipment
from parcelgraph.resolvers.claims import options as claim_options
from parcelgraph.schema.common.connection import KeysetConnection
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import DirectionEnum, PhaseEnum
from parcelgraph.schema.common.nodes import scoped_nodes
from parcelgraph.schema.events.event_columns import event_columns
from parcelgraph.schema.events.tracking_types import ShipmentTrackingType
from parcelgraph.schema.events.types import EventType
from parcelgraph.schema.orders.parent import order_of
from parcelgraph.schema.orders.product_types import ProductType
from parcelgraph.schema.orders.values import EstimatedArrivalType

if TYPE_CHECKING:
    from parcelgraph.schema.claims.types import ClaimOptionType, ClaimType


@strawberry.type(
    name="ShipmentProduct", description="How many units of an order's product this package holds."
)
class ShipmentProductType:
    """A line of a package's contents."""

    sku: str | None = strawberry.field(description="The product's sku.")
    title: str = strawberry.field(description="The product's title.")
    quantity: int = strawberry.field(description="Units in this package.")
    product: ProductType = strawberry.field(description="The order's product (line item).")


@strawberry.type(name="Carrier", description="The carrier of a shipment and how it was determined.")
class CarrierType:
    """Carrier facts stored on the shipment."""

    reference: str = strawberry.field(description="Registry code, e.g. dhl, ups, gls.")
    confidence: float | None = strawberry.field(
        description="0..1: 1 when given explicitly, lower when detected from name or number."
    )
    reason: str | None = strawberry.field(description="Why this carrier was chosen.")


@strawberry.type(
    name="Shipment",
    description="A package of an order: a draft ('expected package n of m') until it gets "
    "a tracking number, then a parcel moving through the phases.",
)
class ShipmentType(relay.Node):
    """One package."""

    id: relay.NodeID[str]
    position: int = strawberry.field(description="1-based package number within the order.")
    is_draft: bool = strawberry.field(description="True until a tracking number is attached.")
    tracking_number: str | None = strawberry.field(description="Carrier tracking number.")
    tracking_url: str | None = strawberry.field(description="Carrier tracking page URL.")
    tracking_placed_at: datetime | None = strawberry.field(
        description="When the tracking number was attached."
    )
    tracking_company: str | None = strawberry.field(
        description="Free-text carrier name as the shop sent it."
    )
    external_shipment_id: str | None = strawberry.field(
        description="The shop system's id for this shipment."
    )
    carrier: CarrierType | None = strawberry.field(description="Carrier, once known.")
    phase: PhaseEnum = strawberry.field(description="Current phase (never moves backwards).")  # type: ignore[valid-type]
    direction: DirectionEnum = strawberry.field(description="Forward or return.")  # type: ignore[valid-type]
    delayed: bool = strawberry.field(description="A delay was reported and not yet overtaken.")
    damaged: bool = strawberry.field(description="Damage was reported.")
    failed_attempts: int = strawberry.field(description="Failed delivery attempts so far.")
    last_event_at: datetime | None = strawberry.field(description="Time of the newest event.")
    delivered_at: datetime | None = strawberry.field(description="When it was delivered.")
    estimated_arrival: EstimatedArrivalType | None = strawberry.field(
        description="Expected arrival window, when one is known."
    )
    tracking: ShipmentTrackingType | None = strawberry.field(
        description="Whether parcelgraph follows this parcel at its carrier, when it checks "
        "next, and why not if it does not (null for drafts)."
    )
    created_at: datetime = strawberry.field(description="When the shipment was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    order_id: strawberry.Private[object]
    row: strawberry.Private[Shipment]

    @classmethod
    def from_row(cls, row: Shipment) -> "ShipmentType":
        """Map a table row to the type."""
        eta = None
        if row.estimated_arrival_earliest or row.estimated_arrival_latest:
            eta = EstimatedArrivalType(
                earliest=row.estimated_arrival_earliest,
                latest=row.estimated_arrival_latest,
                source=row.estimated_arrival_source,
            )
        carrier = None
        if row.carrier_reference:
            carrier = CarrierType(
                reference=row.carrier_reference,
                confidence=row.carrier_confidence,
                reason=row.carrier_reason,
            )
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            is_draft=row.tracking_number is None,
            carrier=carrier,
            phase=PhaseEnum(row.phase),
            direction=DirectionEnum(row.direction),
            estimated_arrival=eta,
            tracking=ShipmentTrackingType.from_row(row),
            row=row,
        )

    order = strawberry.field(resolver=order_of, description="The order this shipment belongs to.")

    @strawberry.field(description="What is in this package (by product and quantity).")
    async def products(self, info: strawberry.Info) -> list[ShipmentProductType]:
        # Read through the order's products: one statement serves the order's product list
        # and every package's contents (the tracking page needs both).
        products = await info.context.loaders.products_by_order_id.load(self.order_id)
        return [
            ShipmentProductType(
                sku=item.sku or line.sku,
                title=line.title,
                quantity=item.quantity,
                product=ProductType.from_row(line, products.parts_of(line.id)),
            )
            for item, line in products.by_shipment.get(self.node_id, [])
        ]

    @strawberry.field(description="Every event of this shipment, oldest first.")
    async def events(self, info: strawberry.Info) -> list[EventType]:
        key = (self.node_id, event_columns(info))
        rows = await info.context.loaders.event_columns_by_shipment_id.load(key)
        return [EventType.from_row(r) for r in rows]

    @strawberry.field(description="The most recent event (by when it happened), if any.")
    async def latest_event(self, info: strawberry.Info) -> EventType | None:
        row = await info.context.loaders.latest_event_by_shipment_id.load(self.node_id)
        return EventType.from_row(row) if row else None

    @strawberry.field(description="Claims filed about this shipment, newest first.")
    async def claims(
        self, info: strawberry.Info
    ) -> list[Annotated["ClaimType", strawberry.lazy("parcelgraph.schema.claims.types")]]:
        from parcelgraph.schema.claims.types import ClaimType

        rows = await info.context.loaders.claims_by_shipment_id.load(self.node_id)
        return [ClaimType.from_row(r) for r in rows]

    @strawberry.field(
        description="Every claim reason with whether it may be claimed on this package now "
        "and why not: the same rules createClaim applies (tracking, phase, days without news, "
        "one open claim per reason). Offer a customer the eligible ones."
    )
    async def claim_options(
        self, info: strawberry.Info
    ) -> list[Annotated["ClaimOptionType", strawberry.lazy("parcelgraph.schema.claims.types")]]:
        from parcelgraph.schema.claims.types import ClaimOptionType, ClaimReasonEnum

        # The claims loader batches every shipment of the request into one SELECT (and is
        # shared with the `claims` field); the rules read only the row already here.
        claims = await info.context.loaders.claims_by_shipment_id.load(self.node_id)
        found = claim_options.options(
            self.row,
            claims,
            now=info.context.now(),
            not_received_after_days=info.context.settings.not_received_after_days,
        )
        return [
            ClaimOptionType(
                reason=ClaimReasonEnum(o.reason.value), eligible=o.eligible, why_not=o.why_not
            )
            for o in found
        ]

    @property
    def node_id(self) -> uuid.UUID:
        """The shipment's UUID (the raw id behind the global id)."""
        return uuid.UUID(self.id)

    resolve_nodes = scoped_nodes(Shipment)


@strawberry.type(name="ShipmentConnection", description="A page of shipments.")
class ShipmentConnection(KeysetConnection[ShipmentType]):
    """Shipments paged by keyset cursors."""
