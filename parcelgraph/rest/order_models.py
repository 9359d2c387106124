"""Request bodies of the order operations, in the v1 JSON shape, and their use-case inputs.

Field names, enums (lower-case) and defaults are the v1 API's. Unknown keys are ignored,
so payloads of existing integrations that carry extra fields (a shop system's
`product_id`, `variant_id`, `external_customer_id`) are accepted as they are. Conversion
builds the use cases' own input types by keyword; every rule (required fields, zip codes,
carrier codes, limits) is checked there, once, for every face.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from parcelgraph.domain import enums as domain
from parcelgraph.resolvers.orders import inputs as r
from parcelgraph.rest.enums import lower_case


class Body(BaseModel):
    """Base of the request models: unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")


def given(model: BaseModel) -> dict[str, Any]:
    """The fields a client sent (or that have a value), as plain data; None means not given."""
    return model.model_dump(exclude_none=True, mode="python")


def utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a date-time without an offset is read as UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


IdType = lower_case(
    "IdType",
    domain.OrderIdType,
    """How `id` names the order: `order_number` (default), `external_id` (the shop
    system's id), `order_name` (display name) or `uuid` (parcelgraph's order id).""",
    module=__name__,
)

ProductKind = lower_case(
    "ProductKind",
    domain.ProductType,
    """`product` (default) or `bundle` (its parts are listed in `bundled_products`).""",
    module=__name__,
)

Direction = lower_case(
    "Direction",
    domain.Direction,
    """Which way a parcel travels: `merchant_customer` (default) or `customer_merchant`
    (a return).""",
    module=__name__,
)


class AddressIn(Body):
    """A postal address; `zip_code` is required to place an order."""

    name: str | None = Field(None, description="Recipient's first and last name.")
    company: str | None = Field(None, description="Company recipient, if any.")
    address_line_1: str | None = Field(None, description="Street and house number.")
    address_line_2: str | None = Field(None, description="Additional address line.")
    street: str | None = Field(None, description="Lines 1 and 2 together; filled when omitted.")
    city: str | None = Field(None, description="City or town.")
    zip_code: str | None = Field(None, description="Postal code, checked per country.")
    province: str | None = Field(None, description="Province or state name.")
    province_code: str | None = Field(None, description="ISO 3166-2 subdivision code.")
    country: str | None = Field(None, description="Country name.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2 country code.")
    phone: str | None = Field(None, description="Phone number for the carrier.")

    def to_input(self) -> r.AddressInput:
        """The use case's address (validated by the use case with the rest of the input)."""
        data = given(self)
        for ours, theirs in (
            ("address_line_1", "address_line1"),
            ("address_line_2", "address_line2"),
        ):
            if ours in data:
                data[theirs] = data.pop(ours)
        return r.AddressInput.unchecked(data)


class ImageIn(Body):
    """A product image."""

    src: str = Field(description="Absolute http(s) URL of the image.")
    alt: str | None = Field(None, description="Text alternative.")


class TaxLineIn(Body):
    """A tax applied to a product."""

    title: str | None = Field(None, description="Name of the tax, e.g. VAT.")
    rate: Decimal | None = Field(None, description="Rate, e.g. 0.19.")
    price: Decimal | None = Field(None, description="Tax amount.")
    currency: str | None = Field(None, description="ISO 4217 currency code.")


class BaseProductIn(Body):
    """A line item (the parts of a bundle have no parts of their own)."""

    title: str | None = Field(None, description="Product name as the customer saw it.")
    quantity: int = Field(1, description="Units, at least 1.")
    price: Decimal = Field(Decimal(0), description="Unit price in the order's currency.")
    size: str | None = Field(None, description="Size or variant label.")
    images: list[ImageIn] = Field(default_factory=list, description="Product images.")
    sku: str | None = Field(None, description="Stock keeping unit; names package contents.")
    weight: int | None = Field(None, description="Unit weight in grams.")
    tax_lines: list[TaxLineIn] = Field(default_factory=list, description="Taxes on the product.")

    def data(self) -> dict[str, Any]:
        """The product as the use case's plain data."""
        return given(self)


class ProductIn(BaseProductIn):
    """A line item of an order; a `bundle` lists its parts in `bundled_products`."""

    type: ProductKind = Field(ProductKind.product, description="`product` or `bundle`.")
    bundled_products: list[BaseProductIn] = Field(
        default_factory=list, description="The parts of a bundle (one level, no nesting)."
    )

    def data(self) -> dict[str, Any]:
        """The product as the use case's plain data, with its parts."""
        data = given(self)
        data["type"] = self.type.value.upper()
        data["bundled_products"] = [part.data() for part in self.bundled_products]
        return data


class DiscountIn(Body):
    """A discount code applied to the order."""

    code: str = Field(description="The code, e.g. ULTRA_OFFER.")
    amount: Decimal = Field(Decimal(0), description="Amount or percentage (number or string).")
    type: str | None = Field(None, description="How to read `amount`, e.g. percentage.")


ANALYTICS_KEYS = (
    "source",
    "campaign",
    "medium",
    "landing_url",
    "landing_path",
    "referrer",
    "captured_at",
)


def analytics_input(data: dict[str, Any]) -> r.AnalyticsInput:
    """A free-form `order_analytics` object as the use case's attribution: the known keys
    (source, campaign, medium, landing_url, landing_path, referrer, captured_at) become
    columns, everything else (affiliate_code, campaign_code, ...) is kept in extras."""
    known = {k: data[k] for k in ANALYTICS_KEYS if k in data and data[k] is not None}
    extras = {k: v for k, v in data.items() if k not in ANALYTICS_KEYS}
    return r.AnalyticsInput.unchecked({**known, "extras": extras})


class OrderIn(Body):
    """An order as the shop system knows it (placement, or the `order` of an upsert)."""

    order_number: str | None = Field(
        None, description="Unique per shop; required to place (defaults to `id` on upsert)."
    )
    order_name: str | None = Field(None, description="Display name, e.g. IXF1234.")
    order_placed_at: datetime | None = Field(None, description="When ordered; default now.")
    total_order_price: Decimal | None = Field(None, description="Total paid.")
    shipping_price: Decimal | None = Field(None, description="Shipping cost.")
    sub_total_price: Decimal | None = Field(None, description="Items before shipping/discounts.")
    discount_price: Decimal | None = Field(None, description="Total of discounts (default 0).")
    products: list[ProductIn] | None = Field(None, description="Line items (default none).")
    discounts: list[DiscountIn] | None = Field(None, description="Discount codes.")
    email_id: str | None = Field(None, description="Customer e-mail.")
    address: AddressIn | None = Field(None, description="Delivery address (zip code required).")
    currency: str | None = Field(None, description="ISO 4217; the shop's currency (EUR).")
    segments: list[str] | None = Field(None, description="Customer segments, e.g. vip.")
    weight: int | None = Field(None, description="Total weight in grams.")
    external_id: str | None = Field(None, description="The shop system's order id.")
    user_agent: str | None = Field(None, description="The customer's browser.")
    order_analytics: dict[str, Any] | None = Field(
        None, description="Free-form attribution, e.g. {affiliate_code, campaign_code}."
    )
    expected_number_of_shipments: int | None = Field(
        None, description="Packages the order ships in, 1..100 (default 1)."
    )

    def to_input(self) -> r.OrderInput:
        """The use case's order (validated by the use case with the rest of the input)."""
        data = given(self)
        data.pop("order_analytics", None)
        if "email_id" in data:
            data["email"] = data.pop("email_id")
        if self.address is not None:
            data["address"] = self.address.to_input()
        if self.products is not None:
            data["products"] = [p.data() for p in self.products]
        if self.order_analytics is not None:
            data["order_analytics"] = analytics_input(self.order_analytics)
        return r.OrderInput.unchecked(data)


class PackageProductIn(Body):
    """A product in a package: which (sku) and how many units; other product keys are
    accepted and ignored (the order's line item holds them)."""

    sku: str | None = Field(None, description="Sku of one of the order's products.")
    quantity: int = Field(1, description="Units in this package, at least 1.")


def package_items(items: list[PackageProductIn] | None) -> list[r.PackageItemInput] | None:
    """The use case's package contents (None stays None: not given)."""
    if items is None:
        return None
    return [
        r.PackageItemInput.unchecked({"sku": i.sku or "", "quantity": i.quantity}) for i in items
    ]


class TrackingIn(Body):
    """A tracking number to attach; the same number again updates that shipment."""

    tracking_number: str = Field(description="The carrier's tracking number.")
    tracking_url: str | None = Field(None, description="Tracking page; default the carrier's.")
    tracking_placed_at: datetime | None = Field(None, description="When created; default now.")
    carrier_reference: str | None = Field(
        None, description="Carrier code (dhl, ups, ...); omitted: detected from the number."
    )
    tracking_company: str | None = Field(
        None, description="Free-text carrier name, matched to a carrier code."
    )
    external_shipment_id: str | None = Field(None, description="The shop system's shipment id.")
    direction: Direction = Field(Direction.merchant_customer, description="Forward or return.")
    products: list[PackageProductIn] | None = Field(
        None, description="What is in this package; omitted: the rest of the order."
    )

    def to_input(self) -> r.TrackingInput:
        """The use case's tracking."""
        data = given(self)
        data["direction"] = self.direction.value.upper()
        data["products"] = package_items(self.products)
        return r.TrackingInput.unchecked(data)


class UpsertIn(Body):
    """Create or update the order named by `id`/`id_type` and attach `trackings`."""

    id: str = Field(description="The order reference, read per `id_type`.")
    id_type: IdType = Field(IdType.order_number, description="How `id` is read.")
    order: OrderIn | None = Field(
        None, description="Order fields; upserts when given, else the order must exist."
    )
    trackings: list[TrackingIn] = Field(
        default_factory=list, description="Trackings to attach (may be empty)."
    )
    order_analytics: dict[str, Any] | None = Field(
        None, description="Attribution next to `id` (as some plugins send it)."
    )

    def to_input(self) -> r.UpsertInput:
        """The use case's upsert item; a top-level `order_analytics` joins the order."""
        order = self.order.to_input() if self.order is not None else None
        if order is not None and self.order.order_analytics is None and self.order_analytics:
            order.order_analytics = analytics_input(self.order_analytics)
            order.model_fields_set.add("order_analytics")
        return r.UpsertInput.unchecked(
            {
                "id": self.id,
                "id_type": self.id_type.value.upper(),
                "order": order,
                "trackings": [t.to_input() for t in self.trackings],
            }
        )


class OrderUpdateIn(Body):
    """Only `address` and `expected_number_of_shipments` change; omitted ones are skipped."""

    address: AddressIn | None = Field(None, description="New delivery address.")
    expected_number_of_shipments: int | None = Field(None, description="New count, 1..100.")


class ShipmentUpdateIn(Body):
    """`tracking_url` and/or the package contents (replaced entirely; [] empties it)."""

    tracking_url: str | None = Field(None, description="New tracking page URL.")
    products: list[PackageProductIn] | None = Field(
        None, description="The package's new contents; omitted: unchanged."
    )
