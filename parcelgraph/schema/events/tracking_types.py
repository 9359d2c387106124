"""The tracking status of a shipment: whether parcelgraph follows it at its carrier."""

from datetime import datetime
from enum import Enum

import strawberry

from parcelgraph.models import Shipment


@strawberry.enum(
    name="TrackingState",
    description="Whether parcelgraph is following a parcel at its carrier, and if not, why.",
)
class TrackingStateEnum(Enum):
    """The states of docs/carriers.md."""

    ACTIVE = strawberry.enum_value(
        "ACTIVE", description="The carrier is asked on a schedule; scans arrive as events."
    )
    NOT_CONFIGURED = strawberry.enum_value(
        "NOT_CONFIGURED",
        description="Not polled: parcelgraph has no adapter for this carrier, or no "
        "credentials for it are set (for the shop or the platform). Nothing is simulated.",
    )
    UNKNOWN_CARRIER = strawberry.enum_value(
        "UNKNOWN_CARRIER",
        description="Not polled: no carrier could be recognised; send carrierReference.",
    )
    CARRIER_ERROR = strawberry.enum_value(
        "CARRIER_ERROR",
        description="The last check failed (credentials rejected, carrier down, bad answer); "
        "retried with growing delays. `lastError` says what happened.",
    )
    NOT_FOUND_AT_CARRIER = strawberry.enum_value(
        "NOT_FOUND_AT_CARRIER",
        description="The carrier kept saying it does not know the number; polling stopped.",
    )
    STOPPED = strawberry.enum_value(
        "STOPPED",
        description="Polling ended: the parcel reached a final phase some time ago, or was "
        "on its way for longer than the give-up age.",
    )


@strawberry.type(
    name="ShipmentTracking",
    description="How parcelgraph follows this parcel at its carrier: state, last and next "
    "check, and the last problem in plain words.",
)
class ShipmentTrackingType:
    """The carrier poller's view of one parcel."""

    state: TrackingStateEnum = strawberry.field(description="Whether the parcel is followed.")
    last_checked_at: datetime | None = strawberry.field(
        description="When the carrier was last asked (or the poller last looked at the parcel)."
    )
    next_check_at: datetime | None = strawberry.field(
        description="When the carrier will be asked next; null when it will not be."
    )
    last_error: str | None = strawberry.field(
        description="Why the parcel is not followed, or what went wrong at the last check, in "
        "plain words; null when all is well."
    )

    @classmethod
    def from_row(cls, row: Shipment) -> "ShipmentTrackingType | None":
        """The status of a shipment with tracking; None for drafts."""
        if row.tracking_number is None or row.tracking_state is None:
            return None
        return cls(
            state=TrackingStateEnum(row.tracking_state),
            last_checked_at=row.last_checked_at,
            next_check_at=row.next_check_at,
            last_error=row.tracking_error,
        )
