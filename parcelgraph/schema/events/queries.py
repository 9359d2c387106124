"""Root field `events`: the shop's event log, filtered, with catch-up after a position."""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry

from parcelgraph.resolvers.events import queries as events
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.connection import ListQuery, keyset_connection
from parcelgraph.schema.common.enums import EventSourceEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.scope import is_customer
from parcelgraph.schema.common.sorts import EventSortEnum
from parcelgraph.schema.events.types import EventConnection, EventType


@strawberry.input(description="Narrow the events list. Every given condition must hold.")
class EventFilter:
    """Conditions on events; omitted ones do not filter."""

    ref_prefixes: list[str] | None = strawberry.field(
        default=None,
        description="Refs or ref prefixes ending at a `/` boundary, e.g. "
        '"shipments/delivered" (every delivered-phase event) or "claims".',
    )
    event_groups: list[str] | None = strawberry.field(
        default=None, description='Event groups, e.g. ["shipment_delivered"].'
    )
    sources: list[EventSourceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Shipment events, claim events, or both."
    )
    occurred_from: datetime | None = strawberry.field(
        default=None, description="Happened at or after this time (occurredAt >= occurredFrom)."
    )
    occurred_to: datetime | None = strawberry.field(
        default=None, description="Happened before this time (occurredAt < occurredTo)."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this order's events (its global id)."
    )
    shipment_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this shipment's events (its global id)."
    )
    after_position: int | None = strawberry.field(
        default=None,
        description="Only events recorded after this position: resume a feed from the "
        "last position you processed (sort POSITION_ASC to read them in order).",
    )


def _to_filter(given: EventFilter) -> events.EventFilter | None:
    # An id that names nothing in this shop must match nothing, not be ignored.
    order_id = ids.decode(given.order_id, "Order")
    shipment_id = ids.decode(given.shipment_id, "Shipment")
    if (given.order_id is not None and order_id is None) or (
        given.shipment_id is not None and shipment_id is None
    ):
        return None
    return events.EventFilter(
        ref_prefixes=list(given.ref_prefixes or []),
        event_groups=list(given.event_groups or []),
        sources=[s.value for s in given.sources or []],
        occurred_from=given.occurred_from,
        occurred_to=given.occurred_to,
        order_id=order_id,
        shipment_id=shipment_id,
        after_position=given.after_position,
    )


@strawberry.type
class EventQuery:
    """Root fields that read the event log."""

    @keyset_connection(
        EventConnection,
        description="The shop's events (shipments and claims), newest first by default. "
        "For catch-up, pass filter.afterPosition with sort POSITION_ASC. Empty for "
        "customer tokens (they read their order's events through `order`).",
        permission_classes=[Allow.viewers_and_customers],
    )
    def events(
        self,
        info: strawberry.Info,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
        sort: Annotated[
            EventSortEnum, strawberry.argument(description="Order of the list.")
        ] = EventSortEnum.POSITION_DESC,
    ) -> Iterable[EventType]:
        sort_spec = events.SORTS[sort.value]
        where = _to_filter(filter) if filter else events.EventFilter()
        if is_customer(info) or where is None:
            return ListQuery(None, sort_spec)  # type: ignore[return-value]
        statement = events.select_events(shop_id=info.context.shop_id, where=where)
        return ListQuery(statement, sort_spec)  # type: ignore[return-value]
