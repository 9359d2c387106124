"""Value types without identity: address, images, tax lines, discounts, attribution, ETA."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.scalars import JSON

from parcelgraph.models import Discount, OrderAnalytics
from parcelgraph.schema.common.convert import from_attributes


@strawberry.type(name="Address", description="A postal address (ISO country and province codes).")
class AddressType:
    """Where an order is delivered."""

    name: str | None = strawberry.field(description="Recipient's full name.")
    company: str | None = strawberry.field(description="Company, if any.")
    address_line1: str | None = strawberry.field(description="Street and house number.")
    address_line2: str | None = strawberry.field(description="Apartment, floor, c/o, ...")
    street: str | None = strawberry.field(description="Lines 1 and 2 together.")
    city: str | None = strawberry.field(description="City or town.")
    zip_code: str | None = strawberry.field(description="Postal code.")
    province: str | None = strawberry.field(description="State or province name.")
    province_code: str | None = strawberry.field(description="ISO 3166-2 subdivision code.")
    country: str | None = strawberry.field(description="Country name.")
    country_code: str | None = strawberry.field(description="ISO 3166-1 alpha-2 country code.")
    phone: str | None = strawberry.field(description="Phone number for the carrier.")

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> "AddressType | None":
        """Map the stored JSON (snake_case keys) to the type."""
        if not value:
            return None
        fields = cls.__annotations__.keys()
        return cls(**{k: value.get(k) for k in fields})


@strawberry.type(name="Image", description="A product image shown on the tracking page.")
class ImageType:
    """An absolute http(s) image URL with alternative text."""

    src: str = strawberry.field(description="Absolute http(s) URL of the image.")
    alt: str | None = strawberry.field(description="Text alternative for screen readers.")


@strawberry.type(name="TaxLine", description="A tax applied to a product.")
class TaxLineType:
    """One tax of a line item."""

    title: str | None = strawberry.field(description="Name of the tax, e.g. VAT.")
    rate: Decimal | None = strawberry.field(description="Rate as a fraction, e.g. 0.19.")
    price: Decimal | None = strawberry.field(description="Tax amount.")
    currency: str | None = strawberry.field(description="ISO 4217 currency of the amount.")


@strawberry.type(name="Discount", description="A discount code applied to an order.")
class DiscountType:
    """A discount."""

    code: str = strawberry.field(description="The code the customer entered, e.g. ULTRA_OFFER.")
    amount: Decimal = strawberry.field(description="Amount or percentage, per `type`.")
    type: str | None = strawberry.field(description="How to read amount: percentage or fixed.")

    @classmethod
    def from_row(cls, row: Discount) -> "DiscountType":
        """Map a table row to the type."""
        return from_attributes(cls, row)


@strawberry.type(
    name="OrderAnalytics",
    description="Marketing attribution of an order (where the customer came from).",
)
class OrderAnalyticsType:
    """Attribution captured at checkout."""

    source: str | None = strawberry.field(description="Traffic source, e.g. google.")
    campaign: str | None = strawberry.field(description="Campaign name.")
    medium: str | None = strawberry.field(description="Medium, e.g. cpc or email.")
    landing_url: str | None = strawberry.field(description="First page URL of the visit.")
    landing_path: str | None = strawberry.field(description="Path of the landing URL.")
    referrer: str | None = strawberry.field(description="Referring URL.")
    captured_at: datetime | None = strawberry.field(description="When it was captured.")
    extras: JSON = strawberry.field(description="Free-form extras, e.g. affiliateCode.")

    @classmethod
    def from_row(cls, row: OrderAnalytics) -> "OrderAnalyticsType":
        """Map a table row to the type."""
        return from_attributes(cls, row)


@strawberry.type(
    name="EstimatedArrival", description="When a parcel is expected: a window, and its source."
)
class EstimatedArrivalType:
    """An arrival window."""

    earliest: datetime | None = strawberry.field(description="Earliest expected arrival.")
    latest: datetime | None = strawberry.field(description="Latest expected arrival.")
    source: str | None = strawberry.field(
        description="Where the estimate comes from: CARRIER (the carrier's own estimate), "
        "SHOP_HISTORY (this shop's past transit times for the carrier: median to 90th "
        "percentile), or DEFAULT (fixed days, when neither is available)."
    )
