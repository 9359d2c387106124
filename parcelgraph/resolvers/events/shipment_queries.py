"""Shipments: the filtered list (including stuck parcels), its sorts, and lookups."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, not_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.phases import FINAL_PHASES
from parcelgraph.models import Event, Shipment
from parcelgraph.resolvers.common.filters import any_of
from parcelgraph.resolvers.common.paging import Sort, created_and_updated
from parcelgraph.resolvers.common.reads import first_by_key

SORTS: dict[str, Sort] = created_and_updated("s", Shipment)


@dataclass(frozen=True)
class ShipmentFilter:
    """What the shipments list may be narrowed by; empty means everything."""

    phases: Sequence[str] = ()
    carriers: Sequence[str] = ()
    directions: Sequence[str] = ()
    is_draft: bool | None = None
    no_event_for_days: int | None = None


def select_shipments(*, shop_id: uuid.UUID, where: ShipmentFilter, now: datetime) -> Select[Any]:
    """The shop's shipments matching `where` (unordered; paging adds order and limit)."""
    stmt = select(Shipment).where(
        Shipment.shop_id == shop_id,
        *any_of(Shipment.phase, where.phases),
        *any_of(Shipment.carrier_reference, where.carriers),
        *any_of(Shipment.direction, where.directions),
    )
    if where.is_draft is not None:
        column = Shipment.tracking_number
        stmt = stmt.where(column.is_(None) if where.is_draft else column.is_not(None))  # type: ignore[union-attr]
    if where.no_event_for_days is not None:
        stmt = stmt.where(*stuck(now - timedelta(days=where.no_event_for_days)))
    return stmt


def stuck(cutoff: datetime) -> list[Any]:
    """Conditions of a stuck parcel: shipped before `cutoff`, still under way, and no event
    that happened since `cutoff`.

    Read from the event log itself rather than the cached `last_event_at`, and only for
    parcels that can still move: a delivered parcel is quiet, not stuck.
    """
    return [
        Shipment.tracking_number.is_not(None),  # type: ignore[union-attr]
        Shipment.tracking_placed_at <= cutoff,  # type: ignore[operator]
        Shipment.phase.not_in([p.value for p in FINAL_PHASES]),  # type: ignore[attr-defined]
        not_(exists().where(Event.shipment_id == Shipment.id, Event.occurred_at > cutoff)),
    ]


async def find(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    shipment_id: uuid.UUID | None = None,
    tracking_number: str | None = None,
    only_order_id: uuid.UUID | None = None,
) -> Shipment | None:
    """The shop's shipment by id or tracking number, or None.

    A tracking number is unique per order, not per shop (carriers recycle numbers), so the
    most recently created shipment with that number wins.
    """
    given = tracking_number.strip() if tracking_number is not None else None
    keys = ((Shipment.id, shipment_id), (Shipment.tracking_number, given))
    return await first_by_key(
        session, Shipment, keys, shop_id=shop_id, order_id=only_order_id, newest_first=True
    )
