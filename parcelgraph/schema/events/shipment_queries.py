"""Root fields `shipment` (by id or tracking number) and `shipments` (filtered list)."""

from typing import Any

import strawberry
from sqlalchemy import Select

from parcelgraph.context import Context
from parcelgraph.resolvers.events import shipment_queries as shipments
from parcelgraph.schema.common.args import lookup
from parcelgraph.schema.common.connection import shop_list
from parcelgraph.schema.common.enums import DirectionEnum, PhaseEnum
from parcelgraph.schema.common.sorts import ShipmentSortEnum
from parcelgraph.schema.events.shipment_types import ShipmentConnection, ShipmentType
from parcelgraph.schema.hardening.extensions import PublicError

MAX_QUIET_DAYS = 36_500  # a century


@strawberry.input(description="Narrow the shipments list. Every given condition must hold.")
class ShipmentFilter:
    """Conditions on shipments; omitted ones do not filter."""

    phases: list[PhaseEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Shipments currently in any of these phases."
    )
    carriers: list[str] | None = strawberry.field(
        default=None, description='Carrier registry codes, e.g. ["dhl", "ups"].'
    )
    directions: list[DirectionEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Forward parcels, returns, or both."
    )
    is_draft: bool | None = strawberry.field(
        default=None,
        description="true: only expected packages without tracking; false: only parcels "
        "with a tracking number.",
    )
    no_event_for_days: int | None = strawberry.field(
        default=None,
        description="Stuck parcels: shipped at least this many days ago, not in a final "
        "phase (delivered, returned, return received, return failed), and no event that "
        f"happened within this many days. 0..{MAX_QUIET_DAYS} (else VALUE_OUT_OF_RANGE).",
    )

    def to_filter(self) -> shipments.ShipmentFilter:
        """The resolvers' filter."""
        days = self.no_event_for_days
        if days is not None and not 0 <= days <= MAX_QUIET_DAYS:
            # A date that far back does not exist (OverflowError), nor does a negative span.
            raise PublicError(
                f"noEventForDays must be between 0 and {MAX_QUIET_DAYS}.",
                "VALUE_OUT_OF_RANGE",
                field=["filter", "noEventForDays"],
            )
        return shipments.ShipmentFilter(
            phases=[p.value for p in self.phases or []],
            carriers=[c.strip().lower() for c in self.carriers or []],
            directions=[d.value for d in self.directions or []],
            is_draft=self.is_draft,
            no_event_for_days=self.no_event_for_days,
        )


@strawberry.type
class ShipmentQuery:
    """Root fields that read shipments."""

    shipment = lookup(
        ShipmentType,
        shipments.find,
        type_name="Shipment",
        id_key="shipment_id",
        description="One shipment, by its id or its tracking number; null when none of this "
        "shop (visible to the caller) matches. Tracking numbers are unique per order, not "
        "per shop: when several orders share one, the most recently created shipment wins.",
        id="The shipment's global id.",
        tracking_number="The carrier tracking number.",
    )

    @shop_list(
        ShipmentConnection,
        node=ShipmentType,
        default_sort=ShipmentSortEnum.CREATED_AT_DESC,
        sorts=shipments.SORTS,
    )
    def shipments(context: Context, filter: ShipmentFilter | None) -> Select[Any]:
        """The shop's shipments, filtered and sorted (newest first by default). Empty for
        customer tokens."""
        where = filter.to_filter() if filter else shipments.ShipmentFilter()
        return shipments.select_shipments(shop_id=context.shop_id, where=where, now=context.now())
