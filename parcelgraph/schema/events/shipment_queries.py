"""Root fields `shipment` (by id or tracking number) and `shipments` (filtered list)."""

from collections.abc import Iterable
from typing import Annotated

import strawberry

from parcelgraph.resolvers.events import shipment_queries as shipments
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.args import exactly_one
from parcelgraph.schema.common.connection import ListQuery, keyset_connection
from parcelgraph.schema.common.enums import DirectionEnum, PhaseEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.scope import is_customer, only_order
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

    @strawberry.field(
        description="One shipment, by its id or its tracking number; null when none of this "
        "shop (visible to the caller) matches. Tracking numbers are unique per order, not "
        "per shop: when several orders share one, the most recently created shipment wins.",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def shipment(
        self,
        info: strawberry.Info,
        id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The shipment's global id.")
        ] = None,
        tracking_number: Annotated[
            str | None, strawberry.argument(description="The carrier tracking number.")
        ] = None,
    ) -> ShipmentType | None:
        exactly_one(id=id, trackingNumber=tracking_number)
        row_id = ids.decode(id, "Shipment") if id is not None else None
        if id is not None and row_id is None:
            return None
        async with info.context.reader() as session:
            row = await shipments.find(
                session,
                shop_id=info.context.shop_id,
                shipment_id=row_id,
                tracking_number=tracking_number,
                only_order_id=only_order(info),
            )
        return ShipmentType.from_row(row) if row else None

    @keyset_connection(
        ShipmentConnection,
        description="The shop's shipments, filtered and sorted (newest first by default). "
        "Empty for customer tokens.",
        permission_classes=[Allow.viewers_and_customers],
    )
    def shipments(
        self,
        info: strawberry.Info,
        filter: Annotated[
            ShipmentFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
        sort: Annotated[
            ShipmentSortEnum, strawberry.argument(description="Order of the list.")
        ] = ShipmentSortEnum.CREATED_AT_DESC,
    ) -> Iterable[ShipmentType]:
        sort_spec = shipments.SORTS[sort.value]
        if is_customer(info):
            return ListQuery(None, sort_spec)  # type: ignore[return-value]
        where = filter.to_filter() if filter else shipments.ShipmentFilter()
        statement = shipments.select_shipments(
            shop_id=info.context.shop_id, where=where, now=info.context.now()
        )
        return ListQuery(statement, sort_spec)  # type: ignore[return-value]
