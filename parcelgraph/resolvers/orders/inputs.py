"""Plain inputs of the order use cases, and their validation into coded issues.

The schema layer converts its GraphQL inputs into these dataclasses (snake_case fields,
None = not given). `validate_order` and `validate_tracking` report every problem of an
input at once, each with its path into the input using the public camelCase names, so a
client sees `["order", "address", "zipCode"]` exactly as it sent it. Checks that need the
stored order (skus, over-allocation, ids) live with the use cases.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from parcelgraph.domain import carriers
from parcelgraph.domain import validation as v
from parcelgraph.domain.enums import Direction, OrderIdType, ProductType
from parcelgraph.domain.errors import Issue

MAX_SHIPMENTS = 100
Path = tuple[str | int, ...]


@dataclass
class AddressInput:
    """A postal address; `street` is lines 1 and 2 together."""

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


@dataclass
class ImageInput:
    """A product image (absolute http(s) URL)."""

    src: str
    alt: str | None = None


@dataclass
class TaxLineInput:
    """One tax of a product."""

    title: str | None = None
    rate: Decimal | None = None
    price: Decimal | None = None
    currency: str | None = None


@dataclass
class ProductInput:
    """A line item; a BUNDLE lists its parts (one level) in `bundled_products`."""

    title: str
    sku: str | None = None
    quantity: int = 1
    price: Decimal = Decimal(0)
    size: str | None = None
    weight: int | None = None
    images: list[ImageInput] = field(default_factory=list)
    tax_lines: list[TaxLineInput] = field(default_factory=list)
    type: str = ProductType.PRODUCT.value
    bundled_products: list["ProductInput"] = field(default_factory=list)


@dataclass
class DiscountInput:
    """A discount code on the order."""

    code: str
    amount: Decimal = Decimal(0)
    type: str | None = None


@dataclass
class AnalyticsInput:
    """Attribution (domain.md 2.6) plus free-form extras."""

    source: str | None = None
    campaign: str | None = None
    medium: str | None = None
    landing_url: str | None = None
    landing_path: str | None = None
    referrer: str | None = None
    captured_at: datetime | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class OrderInput:
    """Order fields; on an update only the fields given (not None) change."""

    order_number: str | None = None
    order_name: str | None = None
    external_id: str | None = None
    order_placed_at: datetime | None = None
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
    address: AddressInput | None = None
    products: list[ProductInput] | None = None
    discounts: list[DiscountInput] | None = None
    order_analytics: AnalyticsInput | None = None


@dataclass
class PackageItemInput:
    """How many units of the product with `sku` travel in one package."""

    sku: str
    quantity: int = 1


@dataclass
class TrackingInput:
    """A tracking number to attach; `products` None means the (rest of the) whole order."""

    tracking_number: str
    tracking_url: str | None = None
    tracking_placed_at: datetime | None = None
    carrier_reference: str | None = None
    tracking_company: str | None = None
    external_shipment_id: str | None = None
    direction: str = Direction.MERCHANT_CUSTOMER.value
    products: list[PackageItemInput] | None = None


@dataclass
class UpsertInput:
    """One upsert: which order (`id` read per `id_type`), its fields, trackings to attach."""

    id: str
    id_type: str = OrderIdType.ORDER_NUMBER.value
    order: OrderInput | None = None
    trackings: list[TrackingInput] = field(default_factory=list)


def issues_from(problems: Sequence[v.Problem], prefix: Path) -> list[Issue]:
    """Validation problems as Issues, their paths prefixed with where the value sits."""
    return [Issue(code=p.code, message=p.message, field=(*prefix, *p.field)) for p in problems]


def _required(value: str | None, path: Path, what: str) -> list[Issue]:
    if value is None or not value.strip():
        return [Issue("REQUIRED", f"{what} is required.", path)]
    return []


def _money(values: dict[str, Decimal | None], prefix: Path) -> list[Issue]:
    problems: list[v.Problem] = []
    for name, amount in values.items():
        if amount is not None:
            problems += v.validate_money(amount, (name,))
    return issues_from(problems, prefix)


def validate_expected(value: int | None, path: Path) -> list[Issue]:
    """1..100 packages: more is TOO_MANY_SHIPMENTS, fewer than one is out of range."""
    if value is None:
        return []
    if value > MAX_SHIPMENTS:
        return [Issue("TOO_MANY_SHIPMENTS", f"At most {MAX_SHIPMENTS} shipments.", path)]
    if value < 1:
        return [Issue("VALUE_OUT_OF_RANGE", "At least one shipment is expected.", path)]
    return []


def validate_address(address: AddressInput, prefix: Path) -> list[Issue]:
    """Every problem of an address; a zip code is always required (domain.md 2.3)."""
    return issues_from(v.validate_address(address, require_zip=True), prefix)


def _validate_product(product: ProductInput, path: Path, *, nested: bool) -> list[Issue]:
    issues = _required(product.title, (*path, "title"), "A product title")
    problems = v.validate_length(product.title, ("title",), 500)
    problems += v.validate_length(product.sku, ("sku",), 200)
    problems += v.validate_length(product.size, ("size",), 100)
    problems += v.validate_int_range(product.quantity, ("quantity",), 1, 1_000_000)
    problems += v.validate_int_range(product.weight, ("weight",), 0)
    problems += v.validate_money(product.price, ("price",))
    for i, image in enumerate(product.images):
        problems += v.validate_http_url(image.src, ("images", i, "src"))
    for i, tax in enumerate(product.tax_lines):
        for name, amount in (("rate", tax.rate), ("price", tax.price)):
            if amount is not None:
                problems += v.validate_money(amount, ("taxLines", i, name))
        problems += v.validate_currency(tax.currency, ("taxLines", i, "currency"))
    issues += issues_from(problems, path)
    if nested and (product.type == ProductType.BUNDLE.value or product.bundled_products):
        issues.append(
            Issue("NESTED_BUNDLE", "Bundled products cannot be bundles.", (*path, "type"))
        )
    if not nested and product.bundled_products and product.type != ProductType.BUNDLE.value:
        issues.append(
            Issue(
                "INVALID_INPUT",
                "Only a product of type BUNDLE has bundledProducts.",
                (*path, "bundledProducts"),
            )
        )
    if not nested:
        for i, part in enumerate(product.bundled_products):
            issues += _validate_product(part, (*path, "bundledProducts", i), nested=True)
    return issues


def validate_analytics(analytics: AnalyticsInput, prefix: Path) -> list[Issue]:
    """Every problem of an attribution input (lengths, landing URL)."""
    problems: list[v.Problem] = []
    for name in ("source", "campaign", "medium"):
        problems += v.validate_length(getattr(analytics, name), (name,), 200)
    problems += v.validate_http_url(analytics.landing_url, ("landingUrl",))
    problems += v.validate_length(analytics.landing_path, ("landingPath",), v.MAX_URL_LENGTH)
    problems += v.validate_length(analytics.referrer, ("referrer",), v.MAX_URL_LENGTH)
    return issues_from(problems, prefix)


def validate_order(order: OrderInput, *, shop_currency: str, prefix: Path) -> list[Issue]:
    """Every problem of an order input that can be seen without the database."""
    issues: list[Issue] = []
    problems = v.validate_length(order.order_number, ("orderNumber",), 100)
    problems += v.validate_length(order.order_name, ("orderName",), 100)
    problems += v.validate_length(order.external_id, ("externalId",), 200)
    problems += v.validate_length(order.user_agent, ("userAgent",), 2000)
    problems += v.validate_email(order.email)
    problems += v.validate_int_range(order.weight, ("weight",), 0)
    for i, segment in enumerate(order.segments or []):
        problems += v.validate_length(segment, ("segments", i), v.MAX_TEXT_LENGTH)
    if order.currency is not None:
        problems += v.validate_currency(order.currency)
    issues += issues_from(problems, prefix)
    currency = v.normalize_currency(order.currency)
    if currency is not None and currency != shop_currency:
        issues.append(
            Issue(
                "CURRENCY_MISMATCH",
                f"The shop sells in {shop_currency}; the order says {currency}.",
                (*prefix, "currency"),
            )
        )
    issues += _money(
        {
            "totalOrderPrice": order.total_order_price,
            "subTotalPrice": order.sub_total_price,
            "shippingPrice": order.shipping_price,
            "discountPrice": order.discount_price,
        },
        prefix,
    )
    issues += validate_expected(
        order.expected_number_of_shipments, (*prefix, "expectedNumberOfShipments")
    )
    if order.address is not None:
        issues += validate_address(order.address, (*prefix, "address"))
    for i, product in enumerate(order.products or []):
        issues += _validate_product(product, (*prefix, "products", i), nested=False)
    for i, discount in enumerate(order.discounts or []):
        path = (*prefix, "discounts", i)
        issues += _required(discount.code, (*path, "code"), "A discount code")
        issues += issues_from(
            v.validate_money(discount.amount, ("amount",))
            + v.validate_length(discount.code, ("code",), 200),
            path,
        )
    if order.order_analytics is not None:
        issues += validate_analytics(order.order_analytics, (*prefix, "orderAnalytics"))
    return issues


def validate_new_order(order: OrderInput, *, prefix: Path) -> list[Issue]:
    """What a new order needs on top of `validate_order`: a number and a zip code."""
    issues = _required(order.order_number, (*prefix, "orderNumber"), "An order number")
    if order.address is None:
        issues.append(
            Issue(
                "ZIP_CODE_INVALID",
                "A delivery address with a zip code is required to place an order.",
                (*prefix, "address", "zipCode"),
            )
        )
    return issues


def validate_tracking(tracking: TrackingInput, path: Path) -> list[Issue]:
    """Every problem of one tracking input that can be seen without the order."""
    issues = _required(tracking.tracking_number, (*path, "trackingNumber"), "A tracking number")
    problems = v.validate_length(tracking.tracking_number, ("trackingNumber",), 100)
    problems += v.validate_http_url(tracking.tracking_url, ("trackingUrl",))
    problems += v.validate_length(tracking.tracking_company, ("trackingCompany",), 200)
    problems += v.validate_length(tracking.external_shipment_id, ("externalShipmentId",), 200)
    for i, item in enumerate(tracking.products or []):
        problems += v.validate_int_range(item.quantity, ("products", i, "quantity"), 1)
    issues += issues_from(problems, path)
    if tracking.carrier_reference is not None:
        try:
            carriers.get_carrier(tracking.carrier_reference)
        except carriers.UnknownCarrier:
            issues.append(
                Issue(
                    "CARRIER_REFERENCE_INVALID",
                    f"{tracking.carrier_reference!r} is not a carrier code of the registry.",
                    (*path, "carrierReference"),
                )
            )
    return issues


# --- normalisation into stored values --------------------------------------------------


def address_json(address: AddressInput) -> dict[str, Any]:
    """The stored (snake_case) form: ISO codes normalized, `street` filled from the lines."""
    data = {k: getattr(address, k) for k in AddressInput.__dataclass_fields__}
    data["country_code"] = v.normalize_country_code(address.country_code)
    if address.province_code is not None:
        data["province_code"] = v.normalize_province_code(
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
                "currency": v.normalize_currency(t.currency),
            }
            for t in product.tax_lines
        ],
    }
