"""Order: a customer's order with its packages, products, discounts and attribution."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from parcelgraph.models import Order
from parcelgraph.resolvers.events import queries as event_queries
from parcelgraph.resolvers.tokens import public_tracking_url
from parcelgraph.schema.claims.types import ClaimType
from parcelgraph.schema.common.connection import (
    KeysetConnection,
    ParentPageQuery,
    keyset_connection,
)
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import OrderStateEnum, PhaseEnum
from parcelgraph.schema.common.nodes import scoped_nodes
from parcelgraph.schema.common.sorts import EventSortEnum
from parcelgraph.schema.events.shipment_types import CarrierType, ShipmentType
from parcelgraph.schema.events.types import EventConnection, EventType
from parcelgraph.schema.orders.product_types import ProductType, product_tree
from parcelgraph.schema.orders.values import (
    AddressType,
    DiscountType,
    EstimatedArrivalType,
    OrderAnalyticsType,
)


@strawberry.type(name="Tracking", description="Compact tracking summary of one fulfilled shipment.")
class TrackingType:
    """What a tracking page lists per parcel."""

    shipment_id: strawberry.ID = strawberry.field(description="Global id of the shipment.")
    tracking_number: str = strawberry.field(description="Carrier tracking number.")
    carrier: CarrierType | None = strawberry.field(description="Carrier, once known.")
    tracking_url: str | None = strawberry.field(description="Carrier tracking page URL.")
    phase: PhaseEnum = strawberry.field(description="Current phase.")  # type: ignore[valid-type]
    estimated_arrival: EstimatedArrivalType | None = strawberry.field(
        description="Expected arrival window."
    )


@strawberry.type(name="Order", description="A customer's order in this shop.")
class OrderType(relay.Node):
    """An order and everything that happened to it after checkout."""

    id: relay.NodeID[str]
    order_number: str = strawberry.field(description="The shop's order number (unique).")
    order_name: str | None = strawberry.field(description="Display name, e.g. IXF1234.")
    external_id: str | None = strawberry.field(
        description="The shop system's id for the order (unique when present)."
    )
    order_placed_at: datetime = strawberry.field(description="When the customer ordered.")
    email: str | None = strawberry.field(description="Customer's email address.")
    currency: str = strawberry.field(description="ISO 4217 currency of every amount.")
    total_order_price: Decimal = strawberry.field(description="Total paid.")
    sub_total_price: Decimal = strawberry.field(description="Products before shipping.")
    shipping_price: Decimal = strawberry.field(description="Shipping cost.")
    discount_price: Decimal = strawberry.field(description="Total discount.")
    weight: int | None = strawberry.field(description="Total weight in grams.")
    segments: list[str] = strawberry.field(description="Customer segments, e.g. vip.")
    user_agent: str | None = strawberry.field(description="Browser user agent at checkout.")
    expected_number_of_shipments: int = strawberry.field(
        description="How many packages the order is expected to ship in."
    )
    state: OrderStateEnum = strawberry.field(description="Derived from the shipments.")  # type: ignore[valid-type]
    address: AddressType | None = strawberry.field(description="Delivery address.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    created_at: datetime = strawberry.field(description="When parcelgraph first stored it.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    row_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: Order) -> "OrderType":
        """Map a table row to the type."""
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            segments=list(row.segments),
            state=OrderStateEnum(row.state),
            address=AddressType.from_json(row.address),
            row_id=row.id,
        )

    @strawberry.field(description="Every package: expected drafts and fulfilled parcels.")
    async def shipments(self, info: strawberry.Info) -> list[ShipmentType]:
        rows = await info.context.loaders.shipments_by_order_id.load(self.row_id)
        return [ShipmentType.from_row(r) for r in rows]

    @strawberry.field(description="One compact entry per shipment that has tracking.")
    async def trackings(self, info: strawberry.Info) -> list[TrackingType]:
        rows = await info.context.loaders.shipments_by_order_id.load(self.row_id)
        result = []
        for row in rows:
            if row.tracking_number is None:
                continue
            shipment = ShipmentType.from_row(row)
            result.append(
                TrackingType(
                    shipment_id=strawberry.ID(str(relay.to_base64("Shipment", row.id))),
                    tracking_number=row.tracking_number,
                    carrier=shipment.carrier,
                    tracking_url=row.tracking_url,
                    phase=shipment.phase,
                    estimated_arrival=shipment.estimated_arrival,
                )
            )
        return result

    @strawberry.field(description="How many shipments have a tracking number.")
    async def fulfilled_shipment_count(self, info: strawberry.Info) -> int:
        rows = await info.context.loaders.shipments_by_order_id.load(self.row_id)
        return sum(1 for r in rows if r.tracking_number is not None)

    @strawberry.field(description="The products ordered; bundles carry their parts.")
    async def products(self, info: strawberry.Info) -> list[ProductType]:
        products = await info.context.loaders.products_by_order_id.load(self.row_id)
        return product_tree(products.line_items)

    @keyset_connection(
        EventConnection,
        description="This order's events (shipments and claims), newest first by default. "
        "Paged per order in one statement for a whole list of orders.",
    )
    def events(
        self,
        sort: Annotated[
            EventSortEnum, strawberry.argument(description="Order of the events.")
        ] = EventSortEnum.POSITION_DESC,
    ) -> Iterable[EventType]:
        return ParentPageQuery(  # type: ignore[return-value]
            loader="event_pages_by_order_id",
            parent_id=self.row_id,
            sort=event_queries.SORTS[sort.value],
            statement=event_queries.select_order_events(order_id=self.row_id),
        )

    @strawberry.field(description="Discount codes applied.")
    async def discounts(self, info: strawberry.Info) -> list[DiscountType]:
        rows = await info.context.loaders.discounts_by_order_id.load(self.row_id)
        return [DiscountType.from_row(r) for r in rows]

    @strawberry.field(description="Marketing attribution, if the shop sent it.")
    async def order_analytics(self, info: strawberry.Info) -> OrderAnalyticsType | None:
        row = await info.context.loaders.analytics_by_order_id.load(self.row_id)
        return OrderAnalyticsType.from_row(row) if row else None

    @strawberry.field(description="Claims filed on this order, newest first.")
    async def claims(self, info: strawberry.Info) -> list[ClaimType]:
        rows = await info.context.loaders.claims_by_order_id.load(self.row_id)
        return [ClaimType.from_row(r) for r in rows]

    @strawberry.field(
        description="The order's tracking page, for the merchant's own emails: "
        "{publicBaseUrl}/track/{slug}/{orderNumber}. It carries no secret: opened as it is, "
        "the page asks for the delivery zip code and shows the read-only view without "
        "personal data (trackOrder). For a link that also lets the customer change the "
        "address, cancel or file claims, call issueOrderToken: tokens are stored only as "
        "digests, so none can be read back here, and reading a field never issues one."
    )
    def tracking_url(self, info: strawberry.Info) -> str:
        context = info.context
        return public_tracking_url(
            context.shop, self.order_number, default_base=context.settings.public_base_url
        )

    resolve_nodes = scoped_nodes(Order)


@strawberry.type(name="OrderConnection", description="A page of orders.")
class OrderConnection(KeysetConnection[OrderType]):
    """Orders paged by keyset cursors."""
