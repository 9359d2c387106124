"""GraphQL enums mirroring the domain vocabularies, with a description on every value.

Each schema enum's Python values equal the domain enum's values, so a stored string maps
with `SchemaEnum(row.column)` and back with `.value`.
"""

from enum import Enum
from typing import Any

import strawberry

from parcelgraph.domain import enums as d


def described(name: str, description: str, values: dict[str, str]) -> Any:
    """A GraphQL enum from a table of value and meaning (each value equals its name)."""
    members = {
        value: strawberry.enum_value(value, description=text) for value, text in values.items()
    }
    return strawberry.enum(Enum(name, members), description=description)  # type: ignore[misc]


def mirror(domain: type[Enum], name: str, description: str, docs: dict[str, str]) -> Any:
    """The GraphQL enum `name` of `domain`'s members, each described by `docs` (member name
    to meaning, every member once, in the order the schema lists them)."""
    if set(docs) != {m.name for m in domain}:
        raise ValueError(f"{name}: describe exactly the values {[m.name for m in domain]}")
    members = {
        member: strawberry.enum_value(domain[member].value, description=text)
        for member, text in docs.items()
    }
    return strawberry.enum(Enum(name, members), description=description)  # type: ignore[misc]


OrderStateEnum = mirror(
    d.OrderState,
    "OrderState",
    "Where an order stands, derived from its shipments.",
    {
        "PLACED": "No shipment has a tracking number yet; all shipments are expected packages.",
        "PARTIALLY_FULFILLED": "Some but not all expected shipments have a tracking number.",
        "FULFILLED": "Every expected shipment has a tracking number.",
        "CANCELLED": "Cancelled before anything shipped.",
    },
)

PhaseEnum = mirror(
    d.Phase,
    "Phase",
    "The progress-bar stage of a parcel (lower-case in event refs, e.g. in_transit).",
    {
        "ORDER_CREATED": "Order placed; the package is not yet prepared.",
        "ORDER_PROCESSED": "Package prepared and handed a tracking number (label created).",
        "IN_TRANSIT": "The carrier has the parcel and is moving it.",
        "IN_DELIVERY": "Out for delivery, or a delivery attempt is under way.",
        "COLLECT": "Waiting at a parcel shop or locker for the customer to pick up.",
        "DELIVERED": "Delivered to the customer (or a neighbour, letterbox, shop or locker).",
        "DELIVERY_FAILED": "A delivery attempt failed; another attempt or a return follows.",
        "RETURNED": "Sent back to the merchant (refused, undeliverable or not picked up).",
        "RETURN_CREATED": "The customer started a return; a return label exists.",
        "RETURN_TRANSIT": "The returned parcel is on its way back to the merchant.",
        "RETURN_RECEIVED": "The merchant received the returned parcel.",
        "RETURN_FAILED": "The return could not be completed.",
    },
)

DirectionEnum = mirror(
    d.Direction,
    "Direction",
    "Which way a parcel travels.",
    {
        "MERCHANT_CUSTOMER": "Forward: from the merchant to the customer.",
        "CUSTOMER_MERCHANT": "Return: from the customer back to the merchant.",
    },
)

EventSourceEnum = mirror(
    d.EventSource,
    "EventSource",
    "What produced an event: the first segment of its ref.",
    {
        "SHIPMENTS": "A shipment's journey (refs shipments/{phase}/{EVENT_NAME}).",
        "CLAIMS": "A claim being created or updated (refs claims/{action}).",
    },
)

ProductKindEnum = mirror(
    d.ProductType,
    "ProductKind",
    "Whether a line item is a single product or a bundle of products.",
    {
        "PRODUCT": "A single product.",
        "BUNDLE": "A bundle; its parts are listed in bundledProducts (one level deep).",
    },
)

ClaimReasonEnum = mirror(
    d.ClaimReason,
    "ClaimReason",
    "Why a claim was opened.",
    {
        "PARTIAL_DAMAGE": "Some items arrived damaged.",
        "DAMAGE": "The parcel or all of its items arrived damaged.",
        "INVESTIGATION": "The merchant asks the carrier to investigate the parcel.",
        "SUPPORT": "A general support request about the shipment.",
        "RETURN": "The customer wants to return items.",
        "NOT_RECEIVED": "The customer did not receive the parcel.",
        "MISSING_ITEM": "The parcel arrived with items missing.",
        "WRONG_ITEM": "The parcel contained the wrong items.",
    },
)

ClaimStatusEnum = mirror(
    d.ClaimStatus,
    "ClaimStatus",
    "Where a claim stands. PENDING and ACCEPTED claims are open.",
    {
        "PENDING": "Filed, waiting for the merchant's decision.",
        "ACCEPTED": "The merchant accepted the claim and is resolving it.",
        "REJECTED": "The merchant rejected the claim.",
        "CLOSED": "Finished; nothing more will happen.",
    },
)

ResolutionPreferenceEnum = mirror(
    d.ResolutionPreference,
    "ResolutionPreference",
    "The outcome the customer would like.",
    {
        "REFUND": "Money back.",
        "REORDER": "A replacement shipment.",
    },
)

ClaimCreatorEnum = mirror(
    d.ClaimCreator,
    "ClaimCreator",
    "Who filed a claim.",
    {
        "MERCHANT": "A merchant integration using an API key.",
        "CUSTOMER": "The customer, through their order token.",
    },
)
