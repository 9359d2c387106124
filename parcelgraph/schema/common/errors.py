"""UserError and the one enum of machine codes every mutation payload uses.

Expected failures are data (`errors: [UserError!]!` with a field path and a code), the
pattern Shopify and Saleor clients already handle. Codes are listed here once for the whole
API so clients can switch on them exhaustively.
"""

from collections.abc import Iterable

import strawberry

from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.schema.common.enums import described

# Every code a UserError can carry and what it means (values equal names): one table, so a
# new code is one line.
_CODES: tuple[tuple[str, str], ...] = (
    # Generic
    ("INVALID_INPUT", "The input is malformed."),
    ("REQUIRED", "A required value is missing."),
    ("VALUE_OUT_OF_RANGE", "A number or list size is outside its allowed range."),
    ("VALUE_TOO_LONG", "A text value is longer than allowed."),
    ("INVALID_ID", "An id is not a valid parcelgraph id of the expected type."),
    ("NOT_FOUND", "Nothing with that id exists in this shop for this caller."),
    ("FORBIDDEN", "The caller's role or token does not allow this action."),
    ("IDEMPOTENCY_KEY_REUSED", "The idempotency key was already used with a different input."),
    # Orders and shipments
    ("ORDER_NOT_FOUND", "No order matches the given id in this shop."),
    ("SHIPMENT_NOT_FOUND", "No shipment matches the given id in this shop."),
    ("DUPLICATE_EXTERNAL_ID", "Another order of this shop has that externalId."),
    ("CURRENCY_MISMATCH", "The order's currency differs from the shop's."),
    ("CURRENCY_INVALID", "Not an ISO 4217 currency code."),
    ("ZIP_CODE_INVALID", "The zip code is missing or malformed."),
    ("COUNTRY_CODE_INVALID", "Not an ISO 3166-1 alpha-2 country code."),
    ("PROVINCE_CODE_INVALID", "Not an ISO 3166-2 subdivision of the country."),
    ("CARRIER_REFERENCE_INVALID", "Not a code of the carrier registry."),
    ("UNKNOWN_PRODUCT", "No product with that sku on this order or shipment."),
    ("QUANTITY_EXCEEDS_ORDER", "More units allocated to shipments than the order contains."),
    ("TOO_MANY_SHIPMENTS", "More shipments than an order may have (100)."),
    ("ORDER_NOT_CANCELLABLE", "The order has shipped (or is cancelled) already."),
    (
        "SHIPMENTS_ALREADY_FULFILLED",
        "expectedNumberOfShipments is lower than the packages already shipped.",
    ),
    (
        "ORDER_NOT_EDITABLE",
        "The change is no longer possible (for example the address after shipping).",
    ),
    ("BATCH_TOO_LARGE", "Too many items in one bulk call; nothing was written."),
    ("INVALID_URL", "Not an absolute http(s) URL, or not allowed here."),
    ("INVALID_EMAIL", "Not an email address."),
    ("NESTED_BUNDLE", "Bundled products cannot contain bundles (one level only)."),
    # Events
    (
        "INVALID_PHASE_TRANSITION",
        "The event cannot happen from the shipment's current phase (a return before delivery, "
        "a forward step after the journey's outcome, an outcome twice).",
    ),
    ("UNKNOWN_EVENT_NAME", "Not an event name of the catalogue."),
    (
        "SHIPMENT_IS_DRAFT",
        "Only pre-transit events may be recorded on a shipment without tracking.",
    ),
    # Webhooks
    (
        "ENABLED_EVENT_UNKNOWN",
        "An enabledEvents entry matches no event ref or group of the catalogue.",
    ),
    ("UNSAFE_URL", "The URL points at a private, loopback or non-https address."),
    ("WEBHOOK_NOT_FOUND", "No webhook with that id in this shop."),
    ("DELIVERY_NOT_FOUND", "No webhook delivery with that id in this shop."),
    # Carrier credentials
    ("CARRIER_ADAPTER_UNKNOWN", "No carrier adapter of that name exists."),
    ("CREDENTIALS_INCOMPLETE", "The adapter needs a field that was not given."),
    (
        "CREDENTIALS_KEYS_MISSING",
        "The server has no encryption key configured, so it stores no credentials.",
    ),
    ("CREDENTIALS_NOT_FOUND", "No credentials of that adapter are stored here."),
    (
        "PLATFORM_KEY_REQUIRED",
        "Platform defaults can only be changed with a platform (`*`) admin key.",
    ),
    # Claims and tokens
    ("CLAIM_NOT_FOUND", "No claim with that id in this shop."),
    ("CLAIM_NOT_ELIGIBLE", "The shipment's state does not allow this claim reason yet."),
    ("QUANTITY_EXCEEDS_SHIPMENT", "More units selected than the shipment holds."),
    ("DUPLICATE_CLAIM", "An open claim with the same reason already exists for this shipment."),
    ("INVALID_STATUS_TRANSITION", "The claim cannot move to that status."),
    ("TOKEN_NOT_FOUND", "No order token with that id in this shop."),
)

ErrorCode = described(
    "ErrorCode", "Machine-readable reason a mutation input was refused.", dict(_CODES)
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
