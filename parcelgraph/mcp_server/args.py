"""Typed arguments of the write tools: pydantic models whose JSON Schema is the tool's input.

Field names are the GraphQL inputs' camelCase names, so an error path (`["order",
"address", "zipCode"]`) reads the same in both faces and points at what the agent sent.
Each write model builds the use case's own input by keyword (`to_input`); the use cases
validate the content and report coded issues, as they do for GraphQL. Descriptions are
filled in from the GraphQL schema's input types (describe.py), not written twice.
"""

import base64
import binascii
import uuid
from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import (
    ClaimReason,
    ClaimStatus,
    Direction,
    OrderIdType,
    ProductType,
    ResolutionPreference,
)
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.resolvers.claims.inputs import ClaimInput, ClaimItemInput
from parcelgraph.resolvers.common import reads
from parcelgraph.resolvers.events import AppendInput
from parcelgraph.resolvers.orders import inputs as oi

# The shipment events of the catalogue, offered as an enum in the tool's schema so an agent
# picks a real name; the use case still decides (UNKNOWN_EVENT_NAME, as in GraphQL).
SHIPMENT_EVENT_NAMES = [d.name for d in catalogue.all_definitions() if d.phase is not None]


class ToolArgs(BaseModel):
    """Base of every tool-argument model: camelCase names, unknown keys refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
    graphql_type: ClassVar[str | None] = None  # the GraphQL input type that describes it


def row_id(value: str | None, type_name: str, field: str) -> uuid.UUID | None:
    """The row id in a global id of `type_name` (or a bare UUID); INVALID_ID otherwise."""
    if value is None:
        return None
    parsed = reads.parse_uuid(value)
    if parsed is None:
        parsed = _from_global(value, type_name)
    if parsed is None:
        raise Rejected.one("INVALID_ID", f"Not a valid {type_name} id.", field)
    return parsed


def _from_global(value: str, type_name: str) -> uuid.UUID | None:
    # Global ids are base64("Type:uuid"), as every `id` field of the API returns them.
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    kind, _, raw = decoded.partition(":")
    return reads.parse_uuid(raw) if kind == type_name else None


class AddressArgs(ToolArgs):
    graphql_type = "AddressInput"
    name: str | None = None
    company: str | None = None
    street: str | None = None
    city: str | None = None
    zip_code: str | None = None
    province: str | None = None
    province_code: str | None = None
    country: str | None = None
    country_code: str | None = None
    phone: str | None = None

    def to_input(self) -> oi.AddressInput:
        return oi.AddressInput(**self.model_dump())


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
        return oi.ProductInput(
            title=self.title,
            sku=self.sku,
            quantity=self.quantity,
            price=self.price,
            size=self.size,
            weight=self.weight,
            images=[oi.ImageInput(src=i.src, alt=i.alt) for i in self.images],
            tax_lines=[oi.TaxLineInput(**t.model_dump()) for t in self.tax_lines],
            type=self.type.value,
            bundled_products=[p.to_input() for p in self.bundled_products],
        )


class DiscountArgs(ToolArgs):
    graphql_type = "DiscountInput"
    code: str
    amount: Decimal = Decimal(0)
    type: str | None = None


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

    def to_input(self) -> oi.OrderInput:
        scalars = self.model_dump(exclude={"address", "products", "discounts"})
        return oi.OrderInput(
            **scalars,
            address=self.address.to_input() if self.address else None,
            products=[p.to_input() for p in self.products] if self.products is not None else None,
            discounts=[oi.DiscountInput(**d.model_dump()) for d in self.discounts]
            if self.discounts is not None
            else None,
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
        return oi.TrackingInput(
            **self.model_dump(exclude={"direction", "products"}),
            direction=self.direction.value,
            products=[oi.PackageItemInput(sku=p.sku, quantity=p.quantity) for p in items]
            if items is not None
            else None,
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
        return oi.UpsertInput(
            id=value,
            id_type=self.id_type.value,
            order=self.order.to_input() if self.order else None,
            trackings=[t.to_input() for t in self.trackings],
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


class AppendEventArgs(ToolArgs):
    graphql_type = "AppendShipmentEventInput"
    event_name: str = Field(json_schema_extra={"enum": SHIPMENT_EVENT_NAMES})
    shipment_id: str | None = None
    tracking_number: str | None = None
    occurred_at: AwareDatetime | None = None
    external_id: str | None = None
    location: str | None = None
    message: str | None = None

    def to_input(self) -> AppendInput:
        return AppendInput(
            **self.model_dump(exclude={"shipment_id"}),
            shipment_id=row_id(self.shipment_id, "Shipment", "shipmentId"),
        )


class ClaimItemArgs(ToolArgs):
    graphql_type = "ClaimItemInputType"
    sku: str
    title: str
    quantity: int
    net_price: Decimal | None = None
    image_urls: list[str] = Field(default_factory=list)


class CreateClaimArgs(ToolArgs):
    graphql_type = "CreateClaimInput"
    reason: ClaimReason
    order_id: str | None = None
    order_number: str | None = None
    shipment_id: str | None = None
    tracking_number: str | None = None
    resolution_preference: ResolutionPreference | None = None
    description: str | None = None
    selected_items: list[ClaimItemArgs] = Field(default_factory=list)
    image_urls: list[str] = Field(default_factory=list)
    optional_image_urls: list[str] = Field(default_factory=list)
    customer_signature_image_url: str | None = None
    dropoff_permission: bool | None = None

    def to_input(self) -> ClaimInput:
        issues: list[Issue] = []
        ids: dict[str, uuid.UUID | None] = {}
        for field, value, kind in (
            ("orderId", self.order_id, "Order"),
            ("shipmentId", self.shipment_id, "Shipment"),
        ):
            try:
                ids[field] = row_id(value, kind, field)
            except Rejected as rejected:
                issues += rejected.issues
        if issues:
            raise Rejected(issues)
        plain = self.model_dump(
            exclude={"order_id", "shipment_id", "selected_items", "reason", "resolution_preference"}
        )
        return ClaimInput(
            **plain,
            reason=self.reason.value,
            order_id=ids["orderId"],
            shipment_id=ids["shipmentId"],
            resolution_preference=self.resolution_preference.value
            if self.resolution_preference
            else None,
            selected_items=[ClaimItemInput(**i.model_dump()) for i in self.selected_items],
        )


class UpdateClaimArgs(ToolArgs):
    graphql_type = "UpdateClaimInput"
    id: str
    status: ClaimStatus | None = None
    resolution_preference: ResolutionPreference | None = None


class IdArgs(ToolArgs):
    """One object by its global id."""

    id: str = Field(description="The object's global id, as the API returns it.")
