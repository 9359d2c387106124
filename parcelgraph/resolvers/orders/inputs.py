"""Inputs of the order use cases: pydantic models, validated once (see `common.inputs`).

Field names are snake_case; their camelCase aliases are the API's names, so a problem's
path reads `["order", "address", "zipCode"]` exactly as a client sent it. What a model
cannot see alone (the shop's currency, the stored order, bundles inside bundles) is
checked by the use cases (`orders.rules`).
"""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from parcelgraph.domain import carriers
from parcelgraph.domain import validation as postal
from parcelgraph.domain.enums import Direction, OrderIdType, ProductType
from parcelgraph.resolvers.common.fields import (
    MAX_PHONE_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URL_LENGTH,
    Count,
    CountryCode,
    CurrencyCode,
    Email,
    Money,
    RequiredText,
    Text,
    Url,
    UtcDatetime,
    currency_code,
    refuse,
)
from parcelgraph.resolvers.common.inputs import Input

MAX_SHIPMENTS = 100
NAME = Text(MAX_TEXT_LENGTH)


class AddressInput(Input):
    """A postal address; `street` is lines 1 and 2 together. A zip code is always needed."""

    name: NAME | None = None
    company: NAME | None = None
    address_line1: NAME | None = None
    address_line2: NAME | None = None
    street: NAME | None = None
    city: NAME | None = None
    province: NAME | None = None
    country: NAME | None = None
    phone: Text(MAX_PHONE_LENGTH) | None = None
    country_code: CountryCode | None = None
    zip_code: str | None = Field(default=None, validate_default=True)
    province_code: str | None = None

    @field_validator("zip_code")
    @classmethod
    def _zip_fits_the_country(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Postal-code formats are ours (no library has them); an invalid country gets the
        # permissive generic format, as the country itself is reported on its own.
        return _first(postal.zip_problems(value, info.data.get("country_code"), True), value)

    @field_validator("province_code")
    @classmethod
    def _province_of_the_country(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or "country_code" not in info.data:
            return value  # a refused country is reported on its own; nothing to check against
        return _first(postal.province_problems(info.data["country_code"], value), value)


def _first(problems: list[postal.Problem], value: Any) -> Any:
    if problems:
        raise refuse(problems[0].code, problems[0].message)
    return value


class ImageInput(Input):
    """A product image (absolute http(s) URL)."""

    src: Url
    alt: str | None = None


class TaxLineInput(Input):
    """One tax of a product."""

    title: str | None = None
    rate: Money | None = None
    price: Money | None = None
    currency: CurrencyCode | None = None


class ProductInput(Input):
    """A line item; a BUNDLE lists its parts (one level) in `bundled_products`."""

    title: RequiredText("A product title", 500)
    sku: Text(200) | None = None
    quantity: Count(1, 1_000_000) = 1
    price: Money = Decimal(0)
    size: Text(100) | None = None
    weight: Count(0) | None = None
    images: list[ImageInput] = []
    tax_lines: list[TaxLineInput] = []
    type: str = ProductType.PRODUCT.value
    bundled_products: list["ProductInput"] = []


class DiscountInput(Input):
    """A discount code on the order."""

    code: RequiredText("A discount code", 200)
    amount: Money = Decimal(0)
    type: str | None = None


class AnalyticsInput(Input):
    """Attribution plus free-form extras."""

    source: Text(200) | None = None
    campaign: Text(200) | None = None
    medium: Text(200) | None = None
    landing_url: Url | None = None
    landing_path: Text(MAX_URL_LENGTH) | None = None
    referrer: Text(MAX_URL_LENGTH) | None = None
    captured_at: UtcDatetime | None = None
    extras: dict[str, Any] = {}


def _expected(value: int) -> int:
    if value > MAX_SHIPMENTS:
        raise refuse("TOO_MANY_SHIPMENTS", f"At most {MAX_SHIPMENTS} shipments.")
    if value < 1:
        raise refuse("VALUE_OUT_OF_RANGE", "At least one shipment is expected.")
    return value


# How many packages an order expects: 1..100, more is TOO_MANY_SHIPMENTS.
ExpectedShipments = Annotated[int, AfterValidator(_expected)]


class OrderInput(Input):
    """Order fields; on an update only the fields given (not None) change."""

    order_number: Text(100) | None = None
    order_name: Text(100) | None = None
    external_id: Text(200) | None = None
    order_placed_at: UtcDatetime | None = None
    email: Email | None = None
    currency: CurrencyCode | None = None
    total_order_price: Money | None = None
    sub_total_price: Money | None = None
    shipping_price: Money | None = None
    discount_price: Money | None = None
    weight: Count(0) | None = None
    segments: list[NAME] | None = None
    user_agent: Text(2000) | None = None
    expected_number_of_shipments: ExpectedShipments | None = None
    address: AddressInput | None = None
    products: list[ProductInput] | None = None
    discounts: list[DiscountInput] | None = None
    order_analytics: AnalyticsInput | None = None


class PackageItemInput(Input):
    """How many units of the product with `sku` travel in one package."""

    sku: str
    quantity: Count(1) = 1


def _carrier(value: str | None) -> str | None:
    if value is not None:
        try:
            carriers.get_carrier(value)
        except carriers.UnknownCarrier:
            raise refuse(
                "CARRIER_REFERENCE_INVALID", f"{value!r} is not a carrier code of the registry."
            ) from None
    return value


class TrackingInput(Input):
    """A tracking number to attach; `products` None means the (rest of the) whole order."""

    tracking_number: RequiredText("A tracking number", 100)
    tracking_url: Url | None = None
    tracking_placed_at: UtcDatetime | None = None
    carrier_reference: str | None = None
    tracking_company: Text(200) | None = None
    external_shipment_id: Text(200) | None = None
    direction: str = Direction.MERCHANT_CUSTOMER.value
    products: list[PackageItemInput] | None = None

    @field_validator("carrier_reference")
    @classmethod
    def _known_carrier(cls, value: str | None) -> str | None:
        return _carrier(value)


class UpsertInput(Input):
    """One upsert: which order (`id` read per `id_type`), its fields, trackings to attach."""

    id: str
    id_type: str = OrderIdType.ORDER_NUMBER.value
    order: OrderInput | None = None
    trackings: list[TrackingInput] = []


# --- normalisation into stored values --------------------------------------------------


# The stored address's keys, in the order they have always been written.
ADDRESS_KEYS = (
    "name",
    "company",
    "address_line1",
    "address_line2",
    "street",
    "city",
    "zip_code",
    "province",
    "province_code",
    "country",
    "country_code",
    "phone",
)


def address_json(address: AddressInput) -> dict[str, Any]:
    """The stored (snake_case) form: ISO codes normalized, `street` filled from the lines."""
    data = {k: getattr(address, k) for k in ADDRESS_KEYS}
    # The country code is upper-case once validated; stored as a plain string.
    data["country_code"] = str(address.country_code) if address.country_code else None
    if address.province_code is not None:
        data["province_code"] = postal.normalize_province_code(
            address.country_code, address.province_code
        )
    if data["street"] is None and address.address_line1:
        data["street"] = " ".join(p for p in (address.address_line1, address.address_line2) if p)
    return data


MONEY_FIELDS = ("total_order_price", "sub_total_price", "shipping_price", "discount_price")


def money(value: Decimal) -> Decimal:
    """An amount at the stored scale (4 dp), so a payload reads as a later query will."""
    return Decimal(value).quantize(Decimal("0.0001"))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def product_json(product: ProductInput) -> dict[str, Any]:
    """The JSON columns of a line item (images, tax lines; decimals as strings)."""
    return {
        "images": [{"src": i.src, "alt": i.alt} for i in product.images],
        "tax_lines": [
            {
                "title": t.title,
                "rate": _text(t.rate),
                "price": _text(t.price),
                "currency": currency_code(t.currency),
            }
            for t in product.tax_lines
        ],
    }
