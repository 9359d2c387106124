"""UserError and the one enum of machine codes every mutation payload uses.

Expected failures are data (`errors: [UserError!]!` with a field path and a code), the
pattern Shopify and Saleor clients already handle. Codes are listed here once for the whole
API so clients can switch on them exhaustively.
"""

from collections.abc import Iterable
from enum import Enum

import strawberry

from parcelgraph.domain.errors import Issue, Rejected


@strawberry.enum(description="Machine-readable reason a mutation input was refused.")
class ErrorCode(Enum):
    """Every code a UserError can carry. Values equal names."""

    # Generic
    INVALID_INPUT = strawberry.enum_value("INVALID_INPUT", description="The input is malformed.")
    REQUIRED = strawberry.enum_value("REQUIRED", description="A required value is missing.")
    VALUE_OUT_OF_RANGE = strawberry.enum_value(
        "VALUE_OUT_OF_RANGE", description="A number or list size is outside its allowed range."
    )
    VALUE_TOO_LONG = strawberry.enum_value(
        "VALUE_TOO_LONG", description="A text value is longer than allowed."
    )
    INVALID_ID = strawberry.enum_value(
        "INVALID_ID", description="An id is not a valid parcelgraph id of the expected type."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="Nothing with that id exists in this shop for this caller."
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN", description="The caller's role or token does not allow this action."
    )
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The idempotency key was already used with a different input.",
    )
    # Orders and shipments
    ORDER_NOT_FOUND = strawberry.enum_value(
        "ORDER_NOT_FOUND", description="No order matches the given id in this shop."
    )
    SHIPMENT_NOT_FOUND = strawberry.enum_value(
        "SHIPMENT_NOT_FOUND", description="No shipment matches the given id in this shop."
    )
    DUPLICATE_EXTERNAL_ID = strawberry.enum_value(
        "DUPLICATE_EXTERNAL_ID", description="Another order of this shop has that externalId."
    )
    CURRENCY_MISMATCH = strawberry.enum_value(
        "CURRENCY_MISMATCH", description="The order's currency differs from the shop's."
    )
    CURRENCY_INVALID = strawberry.enum_value(
        "CURRENCY_INVALID", description="Not an ISO 4217 currency code."
    )
    ZIP_CODE_INVALID = strawberry.enum_value(
        "ZIP_CODE_INVALID", description="The zip code is missing or malformed."
    )
    COUNTRY_CODE_INVALID = strawberry.enum_value(
        "COUNTRY_CODE_INVALID", description="Not an ISO 3166-1 alpha-2 country code."
    )
    PROVINCE_CODE_INVALID = strawberry.enum_value(
        "PROVINCE_CODE_INVALID", description="Not an ISO 3166-2 subdivision of the country."
    )
    CARRIER_REFERENCE_INVALID = strawberry.enum_value(
        "CARRIER_REFERENCE_INVALID", description="Not a code of the carrier registry."
    )
    UNKNOWN_PRODUCT = strawberry.enum_value(
        "UNKNOWN_PRODUCT", description="No product with that sku on this order or shipment."
    )
    QUANTITY_EXCEEDS_ORDER = strawberry.enum_value(
        "QUANTITY_EXCEEDS_ORDER",
        description="More units allocated to shipments than the order contains.",
    )
    TOO_MANY_SHIPMENTS = strawberry.enum_value(
        "TOO_MANY_SHIPMENTS", description="More shipments than an order may have (100)."
    )
    ORDER_NOT_CANCELLABLE = strawberry.enum_value(
        "ORDER_NOT_CANCELLABLE", description="The order has shipped (or is cancelled) already."
    )
    ORDER_NOT_EDITABLE = strawberry.enum_value(
        "ORDER_NOT_EDITABLE",
        description="The change is no longer possible (for example the address after shipping).",
    )
    BATCH_TOO_LARGE = strawberry.enum_value(
        "BATCH_TOO_LARGE", description="Too many items in one bulk call; nothing was written."
    )
    INVALID_URL = strawberry.enum_value(
        "INVALID_URL", description="Not an absolute http(s) URL, or not allowed here."
    )
    INVALID_EMAIL = strawberry.enum_value("INVALID_EMAIL", description="Not an email address.")
    NESTED_BUNDLE = strawberry.enum_value(
        "NESTED_BUNDLE", description="Bundled products cannot contain bundles (one level only)."
    )
    # Events
    INVALID_PHASE_TRANSITION = strawberry.enum_value(
        "INVALID_PHASE_TRANSITION",
        description="The event does not fit the shipment's current phase.",
    )
    UNKNOWN_EVENT_NAME = strawberry.enum_value(
        "UNKNOWN_EVENT_NAME", description="Not an event name of the catalogue."
    )
    SHIPMENT_IS_DRAFT = strawberry.enum_value(
        "SHIPMENT_IS_DRAFT",
        description="Only pre-transit events may be recorded on a shipment without tracking.",
    )
    # Webhooks
    ENABLED_EVENT_UNKNOWN = strawberry.enum_value(
        "ENABLED_EVENT_UNKNOWN",
        description="An enabledEvents entry matches no event ref or group of the catalogue.",
    )
    UNSAFE_URL = strawberry.enum_value(
        "UNSAFE_URL", description="The URL points at a private, loopback or non-https address."
    )
    WEBHOOK_NOT_FOUND = strawberry.enum_value(
        "WEBHOOK_NOT_FOUND", description="No webhook with that id in this shop."
    )
    DELIVERY_NOT_FOUND = strawberry.enum_value(
        "DELIVERY_NOT_FOUND", description="No webhook delivery with that id in this shop."
    )
    # Carrier credentials
    CARRIER_ADAPTER_UNKNOWN = strawberry.enum_value(
        "CARRIER_ADAPTER_UNKNOWN", description="No carrier adapter of that name exists."
    )
    CREDENTIALS_INCOMPLETE = strawberry.enum_value(
        "CREDENTIALS_INCOMPLETE", description="The adapter needs a field that was not given."
    )
    CREDENTIALS_KEYS_MISSING = strawberry.enum_value(
        "CREDENTIALS_KEYS_MISSING",
        description="The server has no encryption key configured, so it stores no credentials.",
    )
    CREDENTIALS_NOT_FOUND = strawberry.enum_value(
        "CREDENTIALS_NOT_FOUND", description="No credentials of that adapter are stored here."
    )
    PLATFORM_KEY_REQUIRED = strawberry.enum_value(
        "PLATFORM_KEY_REQUIRED",
        description="Platform defaults can only be changed with a platform (`*`) admin key.",
    )
    # Claims and tokens
    CLAIM_NOT_FOUND = strawberry.enum_value(
        "CLAIM_NOT_FOUND", description="No claim with that id in this shop."
    )
    CLAIM_NOT_ELIGIBLE = strawberry.enum_value(
        "CLAIM_NOT_ELIGIBLE",
        description="The shipment's state does not allow this claim reason yet.",
    )
    QUANTITY_EXCEEDS_SHIPMENT = strawberry.enum_value(
        "QUANTITY_EXCEEDS_SHIPMENT",
        description="More units selected than the shipment holds.",
    )
    DUPLICATE_CLAIM = strawberry.enum_value(
        "DUPLICATE_CLAIM",
        description="An open claim with the same reason already exists for this shipment.",
    )
    INVALID_STATUS_TRANSITION = strawberry.enum_value(
        "INVALID_STATUS_TRANSITION", description="The claim cannot move to that status."
    )
    TOKEN_NOT_FOUND = strawberry.enum_value(
        "TOKEN_NOT_FOUND", description="No order token with that id in this shop."
    )


@strawberry.type(description="Why (part of) a mutation input was refused.")
class UserError:
    """One refusal, pointing at the input field that caused it."""

    field: list[str] | None = strawberry.field(
        description="Path from the mutation's `input` argument to the offending value, e.g. "
        '["order", "products", "2", "sku"]. Null when the error concerns the whole input.'
    )
    message: str = strawberry.field(description="What went wrong, in words for a developer.")
    code: ErrorCode = strawberry.field(description="Machine-readable code to switch on.")


def to_user_error(issue: Issue, prefix: Iterable[str | int] = ()) -> UserError:
    """Map a domain Issue to a UserError; an unknown code is a programming error."""
    path = [str(p) for p in (*prefix, *issue.field)]
    return UserError(field=path or None, message=issue.message, code=ErrorCode[issue.code])


def user_errors(rejected: Rejected, prefix: Iterable[str | int] = ()) -> list[UserError]:
    """Every issue of a rejection as UserErrors (all problems are reported together)."""
    prefix = tuple(prefix)
    return [to_user_error(issue, prefix) for issue in rejected.issues]
