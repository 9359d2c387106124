"""Events: the filtered list of the shop's event log (catch-up by position) and its sorts."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_
from sqlmodel import col, select

from parcelgraph.models import Event
from parcelgraph.resolvers.common.filters import any_of, between, equal
from parcelgraph.resolvers.common.paging import Sort, both_ways

SORTS: dict[str, Sort] = {
    **both_ways("POSITION", "e.pos", Event, ("position",)),
    **both_ways("OCCURRED_AT", "e.occ", Event, ("occurred_at", "position")),
}


@dataclass(frozen=True)
class EventFilter:
    """What the events list may be narrowed by; empty means everything."""

    ref_prefixes: Sequence[str] = ()
    event_groups: Sequence[str] = ()
    sources: Sequence[str] = ()
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    order_id: uuid.UUID | None = None
    shipment_id: uuid.UUID | None = None
    after_position: int | None = None


def select_events(*, shop_id: uuid.UUID, where: EventFilter) -> Select[Any]:
    """The shop's events matching `where` (unordered; paging adds order and limit)."""
    stmt = select(Event).where(Event.shop_id == shop_id)
    return stmt.where(*conditions(where))


def select_order_events(*, order_id: uuid.UUID) -> Select[Any]:
    """Every event of one order (its parent is already scoped to the caller)."""
    return select(Event).where(Event.order_id == order_id)


def conditions(where: EventFilter) -> list[Any]:
    """WHERE clauses for `where` (shared by the root list and Order.events)."""
    refs = [or_(*(_ref_matches(p) for p in where.ref_prefixes))] if where.ref_prefixes else []
    after = [] if where.after_position is None else [col(Event.position) > where.after_position]
    return [
        *refs,
        *any_of(Event.event_group, where.event_groups),
        *any_of(Event.source, where.sources),
        *between(Event.occurred_at, where.occurred_from, where.occurred_to),
        *equal(Event.order_id, where.order_id),
        *equal(Event.shipment_id, where.shipment_id),
        *after,
    ]


def _ref_matches(prefix: str) -> Any:
    # The same rule as webhook enabledEvents: the whole ref, or a prefix ending at a "/"
    # boundary ("shipments/delivered" matches "shipments/delivered/X", not "..._late").
    prefix = prefix.strip().rstrip("/")
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(Event.ref == prefix, Event.ref.like(escaped + "/%", escape="\\"))  # type: ignore[attr-defined]
