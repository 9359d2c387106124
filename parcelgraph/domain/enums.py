"""The domain's closed vocabularies.

Stored in the database as their string values, exposed in GraphQL as enums of the same
names. Values are stable: renaming one is a migration, not a refactor.
"""

from enum import StrEnum


class Role(StrEnum):
    """What an API key may do."""

    VIEWER = "VIEWER"
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"

    def allows(self, needed: "Role") -> bool:
        """True when this role includes everything `needed` may do."""
        order = (Role.VIEWER, Role.EDITOR, Role.ADMIN)
        return order.index(self) >= order.index(needed)


class OrderState(StrEnum):
    """Derived from the order's shipments."""

    PLACED = "PLACED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    CANCELLED = "CANCELLED"


class Phase(StrEnum):
    """The progress bar of a parcel. Values are the lower-case ref segments."""

    ORDER_CREATED = "order_created"
    ORDER_PROCESSED = "order_processed"
    IN_TRANSIT = "in_transit"
    IN_DELIVERY = "in_delivery"
    COLLECT = "collect"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    RETURNED = "returned"
    RETURN_CREATED = "return_created"
    RETURN_TRANSIT = "return_transit"
    RETURN_RECEIVED = "return_received"
    RETURN_FAILED = "return_failed"


class Direction(StrEnum):
    """Which way a parcel travels."""

    MERCHANT_CUSTOMER = "MERCHANT_CUSTOMER"
    CUSTOMER_MERCHANT = "CUSTOMER_MERCHANT"


class EventSource(StrEnum):
    """The first segment of an event ref."""

    SHIPMENTS = "shipments"
    CLAIMS = "claims"


class ProductType(StrEnum):
    """A line item is a product or a bundle of products (one level deep)."""

    PRODUCT = "PRODUCT"
    BUNDLE = "BUNDLE"


class ClaimReason(StrEnum):
    """Why a customer or merchant opens a claim."""

    PARTIAL_DAMAGE = "PARTIAL_DAMAGE"
    DAMAGE = "DAMAGE"
    INVESTIGATION = "INVESTIGATION"
    SUPPORT = "SUPPORT"
    RETURN = "RETURN"
    NOT_RECEIVED = "NOT_RECEIVED"
    MISSING_ITEM = "MISSING_ITEM"
    WRONG_ITEM = "WRONG_ITEM"


class ClaimStatus(StrEnum):
    """Where a claim stands. PENDING and ACCEPTED count as open."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CLOSED = "CLOSED"


OPEN_CLAIM_STATUSES: tuple[ClaimStatus, ...] = (ClaimStatus.PENDING, ClaimStatus.ACCEPTED)


class ResolutionPreference(StrEnum):
    """What the customer would like as the outcome of a claim."""

    REFUND = "REFUND"
    REORDER = "REORDER"


class ClaimCreator(StrEnum):
    """Who filed a claim: a merchant integration (API key) or the customer (order token)."""

    MERCHANT = "MERCHANT"
    CUSTOMER = "CUSTOMER"


class WebhookStatus(StrEnum):
    """Only ACTIVE webhooks get new deliveries."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class WebhookFormat(StrEnum):
    """What a webhook's deliveries look like and how they are signed."""

    KARLA = "KARLA"  # the seed platform's envelope, lower-case enums, Karla-Signature
    STANDARD = "STANDARD"  # parcelgraph's envelope, Standard Webhooks headers
    LEGACY = "LEGACY"  # parcelgraph's envelope with both signatures (webhooks made before)


class DeliveryStatus(StrEnum):
    """Life of one webhook delivery in the outbox."""

    PENDING = "PENDING"  # due at next_attempt_at
    IN_FLIGHT = "IN_FLIGHT"  # claimed by a worker until claimed_until
    DELIVERED = "DELIVERED"  # a 2xx was received
    FAILED = "FAILED"  # retries exhausted, or the webhook answered 410 Gone
    CANCELLED = "CANCELLED"  # the webhook was deleted or disabled before delivery


class OrderIdType(StrEnum):
    """How `upsertOrder.id` is interpreted."""

    ORDER_NUMBER = "ORDER_NUMBER"
    EXTERNAL_ID = "EXTERNAL_ID"
    ORDER_NAME = "ORDER_NAME"
    UUID = "UUID"
