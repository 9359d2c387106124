"""Sort orders of the lists. Each is a keyset order (a unique tie-breaker last), so cursors
stay valid while rows are added; a cursor only works with the sort it was made under."""

from parcelgraph.schema.common.enums import described

_BY_UPDATE = {
    "UPDATED_AT_DESC": "Most recently changed first (by updatedAt).",
    "UPDATED_AT_ASC": "Least recently changed first (by updatedAt).",
}

OrderSortEnum = described(
    "OrderSort",
    "How the orders list is ordered.",
    {
        "PLACED_AT_DESC": "Newest orders first (by orderPlacedAt). The default.",
        "PLACED_AT_ASC": "Oldest orders first (by orderPlacedAt).",
        **_BY_UPDATE,
    },
)
ShipmentSortEnum = described(
    "ShipmentSort",
    "How the shipments list is ordered.",
    {
        "CREATED_AT_DESC": "Newest shipments first (by createdAt). The default.",
        "CREATED_AT_ASC": "Oldest shipments first (by createdAt).",
        **_BY_UPDATE,
    },
)
EventSortEnum = described(
    "EventSort",
    "How a list of events is ordered.",
    {
        "POSITION_DESC": "Most recently recorded first (by position). The default.",
        "POSITION_ASC": "In recording order (by position): use with afterPosition to catch up.",
        "OCCURRED_AT_DESC": "Most recent first by when it happened (occurredAt).",
        "OCCURRED_AT_ASC": "Oldest first by when it happened (occurredAt).",
    },
)
ClaimSortEnum = described(
    "ClaimSort",
    "How the claims list is ordered.",
    {
        "CREATED_AT_DESC": "Newest claims first (by createdAt). The default.",
        "CREATED_AT_ASC": "Oldest claims first (by createdAt).",
        **_BY_UPDATE,
    },
)
