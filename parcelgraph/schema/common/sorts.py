"""Sort orders of the lists. Each is a keyset order (a unique tie-breaker last), so cursors
stay valid while rows are added; a cursor only works with the sort it was made under."""

from enum import Enum

import strawberry


@strawberry.enum(name="OrderSort", description="How the orders list is ordered.")
class OrderSortEnum(Enum):
    """Orders by placement or last change, newest or oldest first."""

    PLACED_AT_DESC = strawberry.enum_value(
        "PLACED_AT_DESC", description="Newest orders first (by orderPlacedAt). The default."
    )
    PLACED_AT_ASC = strawberry.enum_value(
        "PLACED_AT_ASC", description="Oldest orders first (by orderPlacedAt)."
    )
    UPDATED_AT_DESC = strawberry.enum_value(
        "UPDATED_AT_DESC", description="Most recently changed first (by updatedAt)."
    )
    UPDATED_AT_ASC = strawberry.enum_value(
        "UPDATED_AT_ASC", description="Least recently changed first (by updatedAt)."
    )


@strawberry.enum(name="ShipmentSort", description="How the shipments list is ordered.")
class ShipmentSortEnum(Enum):
    """Shipments by creation or last change."""

    CREATED_AT_DESC = strawberry.enum_value(
        "CREATED_AT_DESC", description="Newest shipments first (by createdAt). The default."
    )
    CREATED_AT_ASC = strawberry.enum_value(
        "CREATED_AT_ASC", description="Oldest shipments first (by createdAt)."
    )
    UPDATED_AT_DESC = strawberry.enum_value(
        "UPDATED_AT_DESC", description="Most recently changed first (by updatedAt)."
    )
    UPDATED_AT_ASC = strawberry.enum_value(
        "UPDATED_AT_ASC", description="Least recently changed first (by updatedAt)."
    )


@strawberry.enum(name="EventSort", description="How a list of events is ordered.")
class EventSortEnum(Enum):
    """Events by log position (the order they were recorded) or by when they happened."""

    POSITION_DESC = strawberry.enum_value(
        "POSITION_DESC", description="Most recently recorded first (by position). The default."
    )
    POSITION_ASC = strawberry.enum_value(
        "POSITION_ASC",
        description="In recording order (by position): use with afterPosition to catch up.",
    )
    OCCURRED_AT_DESC = strawberry.enum_value(
        "OCCURRED_AT_DESC", description="Most recent first by when it happened (occurredAt)."
    )
    OCCURRED_AT_ASC = strawberry.enum_value(
        "OCCURRED_AT_ASC", description="Oldest first by when it happened (occurredAt)."
    )


@strawberry.enum(name="ClaimSort", description="How the claims list is ordered.")
class ClaimSortEnum(Enum):
    """Claims by filing or last change."""

    CREATED_AT_DESC = strawberry.enum_value(
        "CREATED_AT_DESC", description="Newest claims first (by createdAt). The default."
    )
    CREATED_AT_ASC = strawberry.enum_value(
        "CREATED_AT_ASC", description="Oldest claims first (by createdAt)."
    )
    UPDATED_AT_DESC = strawberry.enum_value(
        "UPDATED_AT_DESC", description="Most recently changed first (by updatedAt)."
    )
    UPDATED_AT_ASC = strawberry.enum_value(
        "UPDATED_AT_ASC", description="Least recently changed first (by updatedAt)."
    )
