"""What the order use cases check beyond the input models: every issue, reported together.

The models (`orders.inputs`) hold the field rules; these functions add what needs the
whole request or the shop (bundles inside bundles, the shop's currency, what a new order
must have) and return the models' own problems with them, under the path where each value
sits, so a caller sees every problem of a request at once.
"""

from parcelgraph.domain.enums import ProductType
from parcelgraph.domain.errors import Issue
from parcelgraph.resolvers.common.fields import Url, currency_code
from parcelgraph.resolvers.common.inputs import Path, check, problems
from parcelgraph.resolvers.orders.inputs import (
    AddressInput,
    AnalyticsInput,
    OrderInput,
    ProductInput,
    TrackingInput,
    _expected,
)


def _bundle_issues(product: ProductInput, path: Path, *, nested: bool) -> list[Issue]:
    is_bundle = product.type == ProductType.BUNDLE.value
    if nested and (is_bundle or product.bundled_products):
        return [Issue("NESTED_BUNDLE", "Bundled products cannot be bundles.", (*path, "type"))]
    issues = []
    if not nested and product.bundled_products and not is_bundle:
        message = "Only a product of type BUNDLE has bundledProducts."
        issues.append(Issue("INVALID_INPUT", message, (*path, "bundledProducts")))
    if not nested:
        for i, part in enumerate(product.bundled_products):
            issues += _bundle_issues(part, (*path, "bundledProducts", i), nested=True)
    return issues


def validate_order(order: OrderInput, *, shop_currency: str, prefix: Path) -> list[Issue]:
    """Every problem of an order input that can be seen without the database."""
    issues = problems(order, prefix)
    currency = currency_code(order.currency)
    if currency is not None and currency != shop_currency:
        message = f"The shop sells in {shop_currency}; the order says {currency}."
        issues.append(Issue("CURRENCY_MISMATCH", message, (*prefix, "currency")))
    for i, product in enumerate(order.products or []):
        issues += _bundle_issues(product, (*prefix, "products", i), nested=False)
    return issues


def validate_new_order(order: OrderInput, *, prefix: Path) -> list[Issue]:
    """What a new order needs on top of `validate_order`: a number and a zip code."""
    issues = []
    if order.order_number is None or not order.order_number.strip():
        issues.append(Issue("REQUIRED", "An order number is required.", (*prefix, "orderNumber")))
    if order.address is None:
        message = "A delivery address with a zip code is required to place an order."
        issues.append(Issue("ZIP_CODE_INVALID", message, (*prefix, "address", "zipCode")))
    return issues


def validate_tracking(tracking: TrackingInput, path: Path) -> list[Issue]:
    """Every problem of one tracking input that can be seen without the order."""
    return problems(tracking, path)


def validate_address(address: AddressInput, prefix: Path) -> list[Issue]:
    """Every problem of an address; a zip code is always required."""
    return problems(address, prefix)


def validate_analytics(analytics: AnalyticsInput, prefix: Path) -> list[Issue]:
    """Every problem of an attribution input (lengths, landing URL)."""
    return problems(analytics, prefix)


def validate_url(value: str | None, path: Path) -> list[Issue]:
    """Every problem of a tracking URL given on its own (None clears it)."""
    return check(Url, value, path)


def validate_expected(value: int | None, path: Path) -> list[Issue]:
    """1..100 packages: more is TOO_MANY_SHIPMENTS, fewer than one is out of range."""
    if value is None:
        return []
    try:
        _expected(value)
    except ValueError as error:  # PydanticCustomError is a ValueError
        return [Issue(error.type, error.message(), path)]  # type: ignore[attr-defined]
    return []
