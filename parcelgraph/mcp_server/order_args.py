"""Typed arguments of the order tools (upsert_order, attach_tracking).

They mirror the GraphQL inputs field for field (camelCase by alias) and build the order use
cases' inputs unchecked; the use case checks every rule on the values, once.
"""

from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, Field

from parcelgraph.domain.enums import Direction, OrderIdType, ProductType
from parcelgraph.mcp_server.args import ToolArgs, row_id
from parcelgraph.resolvers.orders import inputs as oi


class AddressArgs(ToolArgs):
    graphql_type = "AddressInput"
    name: str | None = None
    company: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    street: str | None = None
    city: str | None = None
    zip_code: str | None = None
    province: str | None = None
    province_code: str | None = None
    country: str | None = None
    country_code: str | None = None
    phone: str | None = None

    def to_input(self) -> oi.AddressInput:
        return oi.AddressInput.unchecked(self.model_dump())


class ImageArgs(ToolArgs):
    graphql_type = "ImageInput"
    src: str
    alt: str | None = None


class TaxLineArgs(ToolArgs):
    graphql_type = "TaxLineInput"
    title: str | None = None
    rate: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None


class ProductArgs(ToolArgs):
    graphql_type = "ProductInput"
    title: str
    sku: str | None = None
    quantity: int = 1
    price: Decimal = Decimal(0)
    size: str | None = None
    weight: int | None = None
    images: list[ImageArgs] = Field(default_factory=list)
    tax_lines: list[TaxLineArgs] = Field(default_factory=list)
    type: ProductType = ProductType.PRODUCT
    bundled_products: list["ProductArgs"] = Field(default_factory=list)

    def to_input(self) -> oi.ProductInput:
        return oi.ProductInput.unchecked(
            dict(
                title=self.title,
                sku=self.sku,
                quantity=self.quantity,
                price=self.price,
                size=self.size,
                weight=self.weight,
                images=[i.model_dump() for i in self.images],
                tax_lines=[t.model_dump() for t in self.tax_lines],
                type=self.type.value,
                bundled_products=[p.to_input() for p in self.bundled_products],
            )
        )


class DiscountArgs(ToolArgs):
    graphql_type = "DiscountInput"
    code: str
    amount: Decimal = Decimal(0)
    type: str | None = None


class OrderAnalyticsArgs(ToolArgs):
    graphql_type = "OrderAnalyticsInput"
    source: str | None = None
    campaign: str | None = None
    medium: str | None = None
    landing_url: str | None = None
    landing_path: str | None = None
    referrer: str | None = None
    captured_at: AwareDatetime | None = None
    extras: dict[str, Any] | None = None

    def to_input(self) -> oi.AnalyticsInput:
        return oi.AnalyticsInput.unchecked(
            dict(**self.model_dump(exclude={"extras"}), extras=self.extras or {})
        )


class OrderArgs(ToolArgs):
    graphql_type = "OrderInput"
    order_number: str | None = None
    order_name: str | None = None
    external_id: str | None = None
    order_placed_at: AwareDatetime | None = None
    email: str | None = None
    currency: str | None = None
    total_order_price: Decimal | None = None
    sub_total_price: Decimal | None = None
    shipping_price: Decimal | None = None
    discount_price: Decimal | None = None
    weight: int | None = None
    segments: list[str] | None = None
    user_agent: str | None = None
    expected_number_of_shipments: int | None = None
    address: AddressArgs | None = None
    products: list[ProductArgs] | None = None
    discounts: list[DiscountArgs] | None = None
    order_analytics: OrderAnalyticsArgs | None = None

    def to_input(self) -> oi.OrderInput:
        nested = {"address", "products", "discounts", "order_analytics"}
        scalars = self.model_dump(exclude=nested)
        return oi.OrderInput.unchecked(
            dict(
                **scalars,
                address=self.address.to_input() if self.address else None,
                products=[p.to_input() for p in self.products]
                if self.products is not None
                else None,
                discounts=[d.model_dump() for d in self.discounts]
                if self.discounts is not None
                else None,
                order_analytics=self.order_analytics.to_input() if self.order_analytics else None,
            )
        )


class PackageProductArgs(ToolArgs):
    graphql_type = "PackageProductInput"
    sku: str
    quantity: int = 1


class TrackingArgs(ToolArgs):
    graphql_type = "TrackingInput"
    tracking_number: str
    tracking_url: str | None = None
    tracking_placed_at: AwareDatetime | None = None
    carrier_reference: str | None = None
    tracking_company: str | None = None
    external_shipment_id: str | None = None
    direction: Direction = Direction.MERCHANT_CUSTOMER
    products: list[PackageProductArgs] | None = None

    def to_input(self) -> oi.TrackingInput:
        items = self.products
        return oi.TrackingInput.unchecked(
            dict(
                **self.model_dump(exclude={"direction", "products"}),
                direction=self.direction.value,
                products=[p.model_dump() for p in items] if items is not None else None,
            )
        )


class UpsertOrderArgs(ToolArgs):
    graphql_type = "UpsertOrderInput"
    id: str
    id_type: OrderIdType = OrderIdType.ORDER_NUMBER
    order: OrderArgs | None = None
    trackings: list[TrackingArgs] = Field(default_factory=list)
    idempotency_key: str | None = None

    def to_input(self) -> oi.UpsertInput:
        value = self.id
        if self.id_type is OrderIdType.UUID:
            value = str(row_id(value, "Order", "id"))
        return oi.UpsertInput.unchecked(
            dict(
                id=value,
                id_type=self.id_type.value,
                order=self.order.to_input() if self.order else None,
                trackings=[t.to_input() for t in self.trackings],
            )
        )


class AttachTrackingArgs(ToolArgs):
    """upsertOrder with trackings only: the order must exist and its data is left alone."""

    graphql_type = "UpsertOrderInput"
    id: str
    id_type: OrderIdType = OrderIdType.ORDER_NUMBER
    trackings: list[TrackingArgs] = Field(min_length=1)
    idempotency_key: str | None = None

    def to_input(self) -> oi.UpsertInput:
        return UpsertOrderArgs.model_validate(self.model_dump()).to_input()
