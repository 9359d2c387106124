"""The event groups: the notification buckets webhooks and notifications subscribe to.

The documented domain lists the shipment and claim groups and names the five return groups. Values
are stored and matched as strings, so renaming one is a migration, not a refactor.
"""

from __future__ import annotations

from enum import StrEnum


class EventGroup(StrEnum):
    """One bucket per kind of news a customer or merchant may want to hear about."""

    # Forward shipments.
    SHIPMENT_PRE_TRANSIT = "shipment_pre_transit"
    SHIPMENT_IN_TRANSIT = "shipment_in_transit"
    SHIPMENT_CARRIER_DELAY = "shipment_carrier_delay"
    SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST = "shipment_delayed_due_to_customer_request"
    SHIPMENT_DAMAGED = "shipment_damaged"
    SHIPMENT_OUT_FOR_DELIVERY = "shipment_out_for_delivery"
    SHIPMENT_DELIVERY_FAILED = "shipment_delivery_failed"
    SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE = "shipment_delivery_failed_address_issue"
    SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP = (
        "shipment_delivery_failed_forwarded_to_parcel_shop"
    )
    SHIPMENT_DELIVERY_SECOND_ATTEMPT = "shipment_delivery_second_attempt"
    SHIPMENT_DELIVERED = "shipment_delivered"
    SHIPMENT_DELIVERED_TO_NEIGHBOUR = "shipment_delivered_to_neighbour"
    SHIPMENT_DELIVERED_TO_LETTERBOX = "shipment_delivered_to_letterbox"
    SHIPMENT_DELIVERED_TO_PARCEL_SHOP = "shipment_delivered_to_parcel_shop"
    SHIPMENT_DELIVERED_TO_PARCEL_LOCKER = "shipment_delivered_to_parcel_locker"
    SHIPMENT_DELIVERED_ALL_EVENTS = "shipment_delivered_all_events"
    SHIPMENT_PICKED_UP = "shipment_picked_up"
    SHIPMENT_FAILED_RETURNED = "shipment_failed_returned"
    SHIPMENT_REFUSED_THEN_RETURNED = "shipment_refused_then_returned"
    SHIPMENT_NOT_PICKED_UP_THEN_RETURNED = "shipment_not_picked_up_then_returned"
    SHIPMENT_INTERNAL_TRIGGER = "shipment_internal_trigger"
    SHIPMENT_CARRIER_CHANGED = "shipment_carrier_changed"
    SHIPMENT_ORDER_CANCELLED = "shipment_order_cancelled"
    # (ours) carrier statuses we could not map; a bucket of their own so a reviewer can
    # subscribe to them without mistaking them for real progress.
    SHIPMENT_UNMAPPED = "shipment_unmapped"
    # Return direction: every return event collapses into these.
    RETURN_SHIPMENT_CREATED = "return_shipment_created"
    RETURN_SHIPMENT_IN_TRANSIT = "return_shipment_in_transit"
    RETURN_SHIPMENT_RECEIVED = "return_shipment_received"
    RETURN_SHIPMENT_FAILED = "return_shipment_failed"
    RETURN_SHIPMENT_DELAYED = "return_shipment_delayed"
    # Claims.
    CLAIM_CREATED = "claim_created"
    CLAIM_UPDATED = "claim_updated"


DOCUMENTED_SHIPMENT_GROUPS: tuple[EventGroup, ...] = (
    EventGroup.SHIPMENT_PRE_TRANSIT,
    EventGroup.SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_CARRIER_DELAY,
    EventGroup.SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST,
    EventGroup.SHIPMENT_DAMAGED,
    EventGroup.SHIPMENT_OUT_FOR_DELIVERY,
    EventGroup.SHIPMENT_DELIVERY_FAILED,
    EventGroup.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE,
    EventGroup.SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP,
    EventGroup.SHIPMENT_DELIVERY_SECOND_ATTEMPT,
    EventGroup.SHIPMENT_DELIVERED,
    EventGroup.SHIPMENT_DELIVERED_TO_NEIGHBOUR,
    EventGroup.SHIPMENT_DELIVERED_TO_LETTERBOX,
    EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_SHOP,
    EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_LOCKER,
    EventGroup.SHIPMENT_DELIVERED_ALL_EVENTS,
    EventGroup.SHIPMENT_PICKED_UP,
    EventGroup.SHIPMENT_FAILED_RETURNED,
    EventGroup.SHIPMENT_REFUSED_THEN_RETURNED,
    EventGroup.SHIPMENT_NOT_PICKED_UP_THEN_RETURNED,
    EventGroup.SHIPMENT_INTERNAL_TRIGGER,
    EventGroup.SHIPMENT_CARRIER_CHANGED,
    EventGroup.SHIPMENT_ORDER_CANCELLED,
)

RETURN_GROUPS: tuple[EventGroup, ...] = (
    EventGroup.RETURN_SHIPMENT_CREATED,
    EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.RETURN_SHIPMENT_RECEIVED,
    EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.RETURN_SHIPMENT_DELAYED,
)

CLAIM_GROUPS: tuple[EventGroup, ...] = (EventGroup.CLAIM_CREATED, EventGroup.CLAIM_UPDATED)

# The catch-all matches every "the parcel reached its destination" variant. Picked-up is a
# group of its own: the customer collecting a parcel from a shop is a second notification,
# and the parcel already counted as arrived when it was delivered to that shop.
DELIVERED_VARIANT_GROUPS: frozenset[EventGroup] = frozenset(
    {
        EventGroup.SHIPMENT_DELIVERED,
        EventGroup.SHIPMENT_DELIVERED_TO_NEIGHBOUR,
        EventGroup.SHIPMENT_DELIVERED_TO_LETTERBOX,
        EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_SHOP,
        EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_LOCKER,
    }
)

# Groups that describe no step of a journey, so a return does not collapse them.
DIRECTION_NEUTRAL_GROUPS: frozenset[EventGroup] = frozenset(
    {EventGroup.SHIPMENT_INTERNAL_TRIGGER, EventGroup.SHIPMENT_UNMAPPED}
)

# How a forward group reads when the parcel travels back to the merchant.
RETURN_GROUP_FOR: dict[EventGroup, EventGroup] = {
    EventGroup.SHIPMENT_PRE_TRANSIT: EventGroup.RETURN_SHIPMENT_CREATED,
    EventGroup.SHIPMENT_IN_TRANSIT: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_CARRIER_DELAY: EventGroup.RETURN_SHIPMENT_DELAYED,
    EventGroup.SHIPMENT_DELAYED_DUE_TO_CUSTOMER_REQUEST: EventGroup.RETURN_SHIPMENT_DELAYED,
    # A damaged return is still on its way; the damaged flag carries the news.
    EventGroup.SHIPMENT_DAMAGED: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_OUT_FOR_DELIVERY: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_DELIVERY_FAILED: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_DELIVERY_FAILED_ADDRESS_ISSUE: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_DELIVERY_FAILED_FORWARDED_TO_PARCEL_SHOP: (
        EventGroup.RETURN_SHIPMENT_FAILED
    ),
    EventGroup.SHIPMENT_DELIVERY_SECOND_ATTEMPT: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_DELIVERED: EventGroup.RETURN_SHIPMENT_RECEIVED,
    EventGroup.SHIPMENT_DELIVERED_TO_NEIGHBOUR: EventGroup.RETURN_SHIPMENT_RECEIVED,
    EventGroup.SHIPMENT_DELIVERED_TO_LETTERBOX: EventGroup.RETURN_SHIPMENT_RECEIVED,
    # A return left at a parcel shop or locker has not reached the merchant yet.
    EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_SHOP: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_DELIVERED_TO_PARCEL_LOCKER: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_PICKED_UP: EventGroup.RETURN_SHIPMENT_RECEIVED,
    EventGroup.SHIPMENT_FAILED_RETURNED: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_REFUSED_THEN_RETURNED: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_NOT_PICKED_UP_THEN_RETURNED: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_CARRIER_CHANGED: EventGroup.RETURN_SHIPMENT_IN_TRANSIT,
    EventGroup.SHIPMENT_ORDER_CANCELLED: EventGroup.RETURN_SHIPMENT_FAILED,
    EventGroup.SHIPMENT_INTERNAL_TRIGGER: EventGroup.SHIPMENT_INTERNAL_TRIGGER,
    EventGroup.SHIPMENT_UNMAPPED: EventGroup.SHIPMENT_UNMAPPED,
    **{group: group for group in RETURN_GROUPS},
}


def group_matches(subscribed: str, event_group: str) -> bool:
    """True when a subscription to `subscribed` should receive an event of `event_group`.

    Groups match themselves; the delivered catch-all also matches every delivered variant.
    """
    if subscribed == event_group:
        return True
    return subscribed == EventGroup.SHIPMENT_DELIVERED_ALL_EVENTS and (
        event_group in DELIVERED_VARIANT_GROUPS
    )


def is_delivered_group(group: str) -> bool:
    """True for the groups the delivered catch-all stands for."""
    return group in DELIVERED_VARIANT_GROUPS
