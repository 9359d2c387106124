"""Orders: the filtered list, its sorts, and lookup by id / order number / external id."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Order, Shipment
from parcelgraph.resolvers.common.filters import any_of, between, equal
from parcelgraph.resolvers.common.paging import Sort, both_ways
from parcelgraph.resolvers.common.reads import first_by_key

SORTS: dict[str, Sort] = {
    **both_ways("PLACED_AT", "o.placed", Order, ("order_placed_at", "id")),
    **both_ways("UPDATED_AT", "o.updated", Order, ("updated_at", "id")),
}


@dataclass(frozen=True)
class OrderFilter:
    """What the orders list may be narrowed by; empty means everything."""

    states: Sequence[str] = ()
    shipment_phases: Sequence[str] = ()
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    email: str | None = None
    search: str | None = None
    order_ids: Sequence[uuid.UUID] = ()
    order_number: str | None = None
    order_name: str | None = None
    external_id: str | None = None
    zip_code: str | None = None
    shipment_updated_since: datetime | None = None


def select_orders(*, shop_id: uuid.UUID, where: OrderFilter) -> Select[Any]:
    """The shop's orders matching `where` (unordered; paging adds order and limit)."""
    phases = any_of(Shipment.phase, where.shipment_phases)
    stmt = select(Order).where(
        Order.shop_id == shop_id,
        *any_of(Order.state, where.states),
        *([exists().where(Shipment.order_id == Order.id, *phases)] if phases else []),
        *between(Order.order_placed_at, where.placed_from, where.placed_to),
        *between(Order.updated_at, where.updated_from, where.updated_to),
    )
    if where.email:
        stmt = stmt.where(func.lower(Order.email) == where.email.strip().lower())
    if where.search and where.search.strip():
        stmt = stmt.where(_search(where.search.strip()))
    return _exact(stmt, where)


def _exact(stmt: Select[Any], where: OrderFilter) -> Select[Any]:
    # The v1 REST search's exact-match filters (each one an index or a cheap comparison).
    stmt = stmt.where(
        *any_of(Order.id, where.order_ids),
        *equal(Order.order_number, where.order_number),
        *equal(Order.order_name, where.order_name),
        *equal(Order.external_id, where.external_id),
    )
    if where.zip_code is not None:
        zip_code = Order.address["zip_code"].as_string()  # type: ignore[index]
        stmt = stmt.where(func.upper(func.replace(zip_code, " ", "")) == _compact(where.zip_code))
    if where.shipment_updated_since is not None:
        stmt = stmt.where(
            exists().where(
                Shipment.order_id == Order.id,
                Shipment.updated_at >= where.shipment_updated_since,
            )
        )
    return stmt


def _compact(value: str) -> str:
    return value.replace(" ", "").upper()


def _search(text: str) -> Any:
    # Support desks paste what the customer tells them: an order number, a display name or
    # a tracking number. Exact matches (case-insensitive) keep this on the indexes' side of
    # cheap; tracking numbers are compared without spaces, as carriers print them grouped.
    lowered = text.lower()
    compact = text.replace(" ", "").upper()
    return or_(
        Order.order_number == text,
        func.lower(Order.order_number) == lowered,
        func.lower(Order.order_name) == lowered,
        exists().where(
            Shipment.order_id == Order.id,
            func.upper(func.replace(Shipment.tracking_number, " ", "")) == compact,
        ),
    )


async def find(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    order_id: uuid.UUID | None = None,
    order_number: str | None = None,
    external_id: str | None = None,
    only_order_id: uuid.UUID | None = None,
) -> Order | None:
    """The shop's order with exactly one of the given keys, or None.

    `only_order_id` restricts the answer to one order (a customer's token): any other
    order is reported as missing, never as forbidden.
    """
    keys = (
        (Order.id, order_id),
        (Order.order_number, order_number),
        (Order.external_id, external_id),
    )
    return await first_by_key(session, Order, keys, shop_id=shop_id, order_id=only_order_id)
