"""Root field `events`: the shop's event log, filtered, with catch-up after a position."""

from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import Select

from parcelgraph.context import Context
from parcelgraph.resolvers.events import queries as events
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.connection import shop_list
from parcelgraph.schema.common.enums import EventSourceEnum
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
    decoded = ids.decode_all(
        order_id=(given.order_id, "Order"), shipment_id=(given.shipment_id, "Shipment")
    )
    if decoded is None:
        return None
    return events.EventFilter(
        ref_prefixes=list(given.ref_prefixes or []),
        event_groups=list(given.event_groups or []),
        sources=[s.value for s in given.sources or []],
        occurred_from=given.occurred_from,
        occurred_to=given.occurred_to,
        **decoded,
        after_position=given.after_position,
    )


@strawberry.type
class EventQuery:
    """Root fields that read the event log."""

    @shop_list(
        EventConnection,
        node=EventType,
        default_sort=EventSortEnum.POSITION_DESC,
        sorts=events.SORTS,
    )
    def events(context: Context, filter: EventFilter | None) -> Select[Any] | None:
        """The shop's events (shipments and claims), newest first by default. For catch-up,
        pass filter.afterPosition with sort POSITION_ASC. Empty for customer tokens (they
        read their order's events through `order`)."""
        where = _to_filter(filter) if filter else events.EventFilter()
        if where is None:
            return None
        return events.select_events(shop_id=context.shop_id, where=where)
