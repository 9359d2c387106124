"""GraphQL inputs of the order mutations, and their conversion to the use cases' inputs.

Names follow the documented order and shipment fields, in camelCase. Money is a `Decimal` (sent as a
string, never a float). Datetimes without an offset are read as UTC.
"""

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from parcelgraph.domain.enums import OrderIdType
from parcelgraph.resolvers.orders import inputs as r
from parcelgraph.schema.common.convert import plain
from parcelgraph.schema.common.enums import DirectionEnum, ProductKindEnum, mirror

OrderIdTypeEnum = mirror(
    OrderIdType,
    "OrderIdType",
    "How the `id` of an order mutation is read.",
    {
        "ORDER_NUMBER": "The shop's order number (unique per shop).",
        "EXTERNAL_ID": "The shop system's own id of the order (unique per shop).",
        "ORDER_NAME": "The display name (e.g. IXF1234); must match one order.",
        "UUID": "parcelgraph's id: the Order's global ID or its raw UUID.",
    },
)


@strawberry.input(description="A postal address. Use ISO codes for country and province.")
class AddressInput:
    """Where the order is delivered."""

    name: str | None = strawberry.field(default=None, description="Recipient's full name.")
    company: str | None = strawberry.field(default=None, description="Company, if any.")
    address_line1: str | None = strawberry.field(
        default=None, description="Street and house number."
    )
    address_line2: str | None = strawberry.field(
        default=None, description="Apartment, floor, c/o, ..."
    )
    street: str | None = strawberry.field(
        default=None, description="Lines 1 and 2 together; filled from them when omitted."
    )
    city: str | None = strawberry.field(default=None, description="City or town.")
    zip_code: str | None = strawberry.field(
        default=None, description="Postal code; required to place an order, checked per country."
    )
    province: str | None = strawberry.field(default=None, description="State or province name.")
    province_code: str | None = strawberry.field(
        default=None, description="ISO 3166-2 subdivision of countryCode: BY or DE-BY."
    )
    country: str | None = strawberry.field(default=None, description="Country name.")
    country_code: str | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2 country code, e.g. DE."
    )
    phone: str | None = strawberry.field(default=None, description="Phone number for the carrier.")

    def to_domain(self) -> r.AddressInput:
        """The use case's address."""
        return r.AddressInput.unchecked(plain(self))


@strawberry.input(description="A product image shown on the tracking page.")
class ImageInput:
    """An image of a product."""

    src: str = strawberry.field(description="Absolute, publicly loadable http(s) URL.")
    alt: str | None = strawberry.field(default=None, description="Text alternative.")


@strawberry.input(description="A tax applied to a product.")
class TaxLineInput:
    """One tax line."""

    title: str | None = strawberry.field(default=None, description="Name of the tax, e.g. VAT.")
    rate: Decimal | None = strawberry.field(default=None, description="Rate, e.g. 0.19.")
    price: Decimal | None = strawberry.field(default=None, description="Tax amount.")
    currency: str | None = strawberry.field(default=None, description="ISO 4217 code.")


@strawberry.input(description="A product (line item) of an order.")
class ProductInput:
    """A product; a BUNDLE lists its parts in bundledProducts (one level, no nesting)."""

    title: str = strawberry.field(description="Product name as the customer saw it.")
    sku: str | None = strawberry.field(
        default=None, description="Stock keeping unit; trackings name package contents by it."
    )
    quantity: int = strawberry.field(default=1, description="Units ordered, at least 1.")
    price: Decimal = strawberry.field(
        default=Decimal(0), description="Unit price in the order's currency (at most 4 dp)."
    )
    size: str | None = strawberry.field(default=None, description="Size or variant label.")
    weight: int | None = strawberry.field(default=None, description="Unit weight in grams.")
    images: list[ImageInput] = strawberry.field(default_factory=list, description="Product images.")
    tax_lines: list[TaxLineInput] = strawberry.field(
        default_factory=list, description="Taxes on this product."
    )
    type: ProductKindEnum = strawberry.field(  # type: ignore[valid-type]
        default=ProductKindEnum.PRODUCT,  # type: ignore[attr-defined]
        description="PRODUCT, or BUNDLE when bundledProducts lists its parts.",
    )
    bundled_products: list["ProductInput"] = strawberry.field(
        default_factory=list,
        description="The parts of a BUNDLE. A part cannot be a bundle (NESTED_BUNDLE).",
    )

    def to_domain(self) -> r.ProductInput:
        """The use case's product."""
        return r.ProductInput.unchecked(plain(self))


@strawberry.input(description="A discount code applied to the order.")
class DiscountInput:
    """A discount."""

    code: str = strawberry.field(description="The code, e.g. ULTRA_OFFER.")
    amount: Decimal = strawberry.field(default=Decimal(0), description="Amount or percentage.")
    type: str | None = strawberry.field(
        default=None, description="How to read amount, e.g. percentage or fixed."
    )


@strawberry.input(description="Marketing attribution of an order.")
class OrderAnalyticsInput:
    """Where the customer came from; extras hold anything else (affiliateCode, ...)."""

    source: str | None = strawberry.field(default=None, description="Traffic source, e.g. google.")
    campaign: str | None = strawberry.field(default=None, description="Campaign name.")
    medium: str | None = strawberry.field(default=None, description="Medium, e.g. cpc or email.")
    landing_url: str | None = strawberry.field(
        default=None, description="Absolute URL of the first page of the visit."
    )
    landing_path: str | None = strawberry.field(default=None, description="Path of landingUrl.")
    referrer: str | None = strawberry.field(default=None, description="Referring URL.")
    captured_at: datetime | None = strawberry.field(
        default=None, description="When the attribution was captured."
    )
    extras: JSON | None = strawberry.field(
        default=None, description="Free-form JSON object, e.g. {affiliateCode: 'X1'}."
    )

    def to_domain(self) -> r.AnalyticsInput:
        """The use case's attribution."""
        return r.AnalyticsInput.unchecked(plain(self))


@strawberry.input(description="Order fields. On an update only the fields given change.")
class OrderInput:
    """An order as the shop system knows it."""

    order_number: str | None = strawberry.field(
        default=None, description="Unique per shop; defaults to `id` when idType is ORDER_NUMBER."
    )
    order_name: str | None = strawberry.field(default=None, description="Display name.")
    external_id: str | None = strawberry.field(
        default=None, description="The shop system's id; unique per shop when given."
    )
    order_placed_at: datetime | None = strawberry.field(
        default=None, description="When the customer ordered; default now."
    )
    email: str | None = strawberry.field(default=None, description="Customer e-mail.")
    currency: str | None = strawberry.field(
        default=None, description="ISO 4217; must equal the shop's currency (CURRENCY_MISMATCH)."
    )
    total_order_price: Decimal | None = strawberry.field(default=None, description="Total paid.")
    sub_total_price: Decimal | None = strawberry.field(
        default=None, description="Sum of the products."
    )
    shipping_price: Decimal | None = strawberry.field(default=None, description="Shipping cost.")
    discount_price: Decimal | None = strawberry.field(
        default=None, description="Discount granted (default 0)."
    )
    weight: int | None = strawberry.field(default=None, description="Total weight in grams.")
    segments: list[str] | None = strawberry.field(
        default=None, description="Customer segments, e.g. vip."
    )
    user_agent: str | None = strawberry.field(
        default=None, description="The browser the order was placed with."
    )
    expected_number_of_shipments: int | None = strawberry.field(
        default=None, description="Packages the order ships in, 1..100 (default 1)."
    )
    address: AddressInput | None = strawberry.field(
        default=None, description="Delivery address; required (with a zip code) to place."
    )
    products: list[ProductInput] | None = strawberry.field(
        default=None, description="The products; on an update the list replaces the old one."
    )
    discounts: list[DiscountInput] | None = strawberry.field(
        default=None, description="Discount codes; on an update the list replaces the old one."
    )
    order_analytics: OrderAnalyticsInput | None = strawberry.field(
        default=None, description="Attribution; replaces any earlier one."
    )

    def to_domain(self) -> r.OrderInput:
        """The use case's order."""
        return r.OrderInput.unchecked(plain(self))


@strawberry.input(description="How many units of one product travel in a package.")
class PackageProductInput:
    """A line of a package's contents."""

    sku: str = strawberry.field(description="Sku of one of the order's products.")
    quantity: int = strawberry.field(default=1, description="Units in this package, at least 1.")


def package_items(items: list[PackageProductInput] | None) -> list[r.PackageItemInput] | None:
    """The use case's package contents (None stays None: not given)."""
    return None if items is None else [r.PackageItemInput.unchecked(plain(i)) for i in items]


@strawberry.input(description="A tracking number to attach to an order.")
class TrackingInput:
    """One parcel; sending the same trackingNumber again updates that shipment."""

    tracking_number: str = strawberry.field(description="The carrier's tracking number.")
    tracking_url: str | None = strawberry.field(
        default=None, description="Tracking page; default: the carrier's page for the number."
    )
    tracking_placed_at: datetime | None = strawberry.field(
        default=None, description="When the tracking was created; default now."
    )
    carrier_reference: str | None = strawberry.field(
        default=None, description="Carrier registry code (dhl, ups, ...); wins over detection."
    )
    tracking_company: str | None = strawberry.field(
        default=None, description="Free-text carrier name, matched to a registry code."
    )
    external_shipment_id: str | None = strawberry.field(
        default=None, description="The shop system's id of the shipment."
    )
    direction: DirectionEnum = strawberry.field(  # type: ignore[valid-type]
        default=DirectionEnum.MERCHANT_CUSTOMER,  # type: ignore[attr-defined]
        description="MERCHANT_CUSTOMER (default) or CUSTOMER_MERCHANT for a return.",
    )
    products: list[PackageProductInput] | None = strawberry.field(
        default=None,
        description="What is in this package; omitted: everything not yet in another package.",
    )

    def to_domain(self) -> r.TrackingInput:
        """The use case's tracking."""
        return r.TrackingInput.unchecked(plain(self))


@strawberry.input(description="Create or update an order and attach trackings to it.")
class UpsertOrderInput:
    """Upsert Order."""

    id: str = strawberry.field(description="The order's identifier, read per idType.")
    id_type: OrderIdTypeEnum = strawberry.field(
        default=OrderIdTypeEnum.ORDER_NUMBER, description="How `id` is read (ORDER_NUMBER)."
    )
    order: OrderInput | None = strawberry.field(
        default=None,
        description="Fields to create or update; omitted: the order must exist (ORDER_NOT_FOUND).",
    )
    trackings: list[TrackingInput] = strawberry.field(
        default_factory=list, description="Trackings to attach, idempotently by trackingNumber."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Retry safely: the same key and input within 24 h replays the first result "
        "(ignored inside bulkFulfillment).",
    )

    def to_domain(self) -> r.UpsertInput:
        """The use case's upsert item."""
        order_id = self.id
        if self.id_type is OrderIdTypeEnum.UUID:
            from parcelgraph.schema.common.raw_ids import raw_id

            order_id = raw_id(self.id, "Order")
        return r.UpsertInput.unchecked({**plain(self), "id": order_id})
