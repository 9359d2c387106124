"""Batch fetch functions behind the per-request DataLoaders, named `<what>_by_<key>`.

Each function takes a read session and the batch's keys and returns results aligned with
the keys (same length, same order; `None` or `[]` where nothing matched). Registering one
with `@fetcher` makes it available as `context.loaders.<name>`; the DataLoader wrapping,
per-request caching and one-session-per-batch live in `parcelgraph.context`.

Every fetch is one SELECT, so the statement count of a query depends on its depth, never
on how many rows come back.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import (
    Claim,
    ClaimItem,
    Discount,
    Event,
    LineItem,
    Order,
    OrderAnalytics,
    Shipment,
    ShipmentItem,
)

Fetch = Callable[[AsyncSession, Sequence[Any]], Awaitable[list[Any]]]

FETCHERS: dict[str, Fetch] = {}


def fetcher(name: str) -> Callable[[Fetch], Fetch]:
    """Register a batch fetch function under a loader name."""

    def register(fn: Fetch) -> Fetch:
        if name in FETCHERS:
            raise ValueError(f"loader {name!r} registered twice")
        FETCHERS[name] = fn
        return fn

    return register


def aligned(keys: Sequence[Any], rows: Sequence[Any], key: Callable[[Any], Any]) -> list[Any]:
    """Rows matched one-to-one to keys (None where missing)."""
    by_key = {key(row): row for row in rows}
    return [by_key.get(k) for k in keys]


def grouped(keys: Sequence[Any], rows: Sequence[Any], key: Callable[[Any], Any]) -> list[list[Any]]:
    """Rows grouped per key, preserving row order ([] where none)."""
    groups: dict[Any, list[Any]] = {k: [] for k in keys}
    for row in rows:
        bucket = groups.get(key(row))
        if bucket is not None:
            bucket.append(row)
    return [groups[k] for k in keys]


# --- fetchers of the read graph --------------------------------------------------------


@fetcher("order_by_id")
async def order_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Orders by id (keys come from already-scoped parents)."""
    rows = (await session.exec(select(Order).where(Order.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


@fetcher("shipment_by_id")
async def shipment_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Shipments by id."""
    rows = (await session.exec(select(Shipment).where(Shipment.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


@fetcher("shipments_by_order_id")
async def shipments_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every shipment of each order, drafts included, in package order."""
    stmt = (
        select(Shipment)
        .where(Shipment.order_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Shipment.order_id, Shipment.position, Shipment.created_at)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("line_items_by_order_id")
async def line_items_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every line item of each order (bundle parts included), in input order."""
    stmt = (
        select(LineItem)
        .where(LineItem.order_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(LineItem.order_id, LineItem.position)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("line_item_by_id")
async def line_item_by_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Line items by id."""
    rows = (await session.exec(select(LineItem).where(LineItem.id.in_(keys)))).all()  # type: ignore[attr-defined]
    return aligned(keys, rows, lambda r: r.id)


@fetcher("discounts_by_order_id")
async def discounts_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Discounts of each order, in input order."""
    stmt = (
        select(Discount)
        .where(Discount.order_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Discount.order_id, Discount.position)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("analytics_by_order_id")
async def analytics_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Attribution of each order, or None."""
    stmt = select(OrderAnalytics).where(OrderAnalytics.order_id.in_(keys))  # type: ignore[attr-defined]
    return aligned(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("shipment_items_by_shipment_id")
async def shipment_items_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """What each shipment holds, as (ShipmentItem, LineItem) pairs."""
    stmt = (
        select(ShipmentItem, LineItem)
        .join(LineItem, LineItem.id == ShipmentItem.line_item_id)
        .where(ShipmentItem.shipment_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(ShipmentItem.shipment_id, LineItem.position)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r[0].shipment_id)


@fetcher("events_by_shipment_id")
async def events_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every event of each shipment, oldest first (by occurrence, then position)."""
    stmt = (
        select(Event)
        .where(Event.shipment_id.in_(keys))  # type: ignore[union-attr]
        .order_by(Event.shipment_id, Event.occurred_at, Event.position)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.shipment_id)


@fetcher("latest_event_by_shipment_id")
async def latest_event_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """The most recent event of each shipment (by occurrence), in one windowed SELECT."""
    ranked = (
        select(
            Event.position,
            func.row_number()
            .over(
                partition_by=Event.shipment_id,
                order_by=(Event.occurred_at.desc(), Event.position.desc()),  # type: ignore[union-attr]
            )
            .label("rank"),
        )
        .where(Event.shipment_id.in_(keys))  # type: ignore[union-attr]
        .subquery()
    )
    stmt = select(Event).join(ranked, ranked.c.position == Event.position).where(ranked.c.rank == 1)
    return aligned(keys, (await session.exec(stmt)).all(), lambda r: r.shipment_id)


@fetcher("claims_by_order_id")
async def claims_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each order, newest first."""
    stmt = (
        select(Claim)
        .where(Claim.order_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Claim.order_id, Claim.created_at.desc(), Claim.id)  # type: ignore[attr-defined]
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("claims_by_shipment_id")
async def claims_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each shipment, newest first."""
    stmt = (
        select(Claim)
        .where(Claim.shipment_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Claim.shipment_id, Claim.created_at.desc(), Claim.id)  # type: ignore[attr-defined]
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.shipment_id)


@fetcher("claim_items_by_claim_id")
async def claim_items_by_claim_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Selected items of each claim."""
    stmt = select(ClaimItem).where(ClaimItem.claim_id.in_(keys))  # type: ignore[attr-defined]
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.claim_id)
