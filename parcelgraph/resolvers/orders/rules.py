"""What an upsert checks beyond the input models: every issue, reported together.

The models (`orders.inputs`) hold the field rules, and `common.inputs.problems` reports
them; these functions add what needs the whole request or the shop (bundles inside
bundles, the shop's currency, what a new order must have) to the order's own problems,
under the path where each value sits, so a caller sees every problem of a request at once.
"""

from parcelgraph.domain.enums import ProductType
from parcelgraph.domain.errors import Issue
from parcelgraph.resolvers.common.fields import currency_code
from parcelgraph.resolvers.common.inputs import Path, problems
from parcelgraph.resolvers.orders.inputs import OrderInput, ProductInput


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
