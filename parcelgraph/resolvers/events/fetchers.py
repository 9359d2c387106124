"""Fetchers of events: a shipment's timeline, its latest event, and pages of an order's log."""

from collections import namedtuple
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as select_rows
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Event
from parcelgraph.resolvers.common import paging
from parcelgraph.resolvers.common.loaders import aligned, fetcher, grouped
from parcelgraph.resolvers.events import queries as event_queries

# Loader keys carry the sort's cursor name (stable and hashable), not the schema's enum.
_SORTS_BY_NAME = {sort.name: sort for sort in event_queries.SORTS.values()}


# Built once (see resolvers/events/shipment_fetchers.py: no per-call construction or cycle).
_EVENTS_BY_SHIPMENT_ID = (
    select(Event)
    .where(Event.shipment_id.in_(bindparam("keys", expanding=True)))  # type: ignore[union-attr]
    .order_by(Event.shipment_id, Event.occurred_at, Event.position)
)


@fetcher("events_by_shipment_id")
async def events_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Every event of each shipment, oldest first (by occurrence, then position)."""
    rows = (await session.exec(_EVENTS_BY_SHIPMENT_ID, params={"keys": list(keys)})).all()
    return grouped(keys, rows, lambda r: r.shipment_id)


# A row of some columns of an event; the columns not read are None. Converting a column
# (UUIDs, datetimes, JSON) costs more than reading it, so a request reads only its columns.
_ALL = list(Event.model_fields)
EventColumns = namedtuple("EventColumns", _ALL, defaults=(None,) * len(_ALL))  # type: ignore[misc]


@lru_cache(maxsize=64)
def _event_columns_by_shipment_id(columns: tuple[str, ...]) -> Any:
    # SQLAlchemy's select: rows even for one column (SQLModel's would give bare values).
    return (
        select_rows(*(getattr(Event, c) for c in dict.fromkeys(("shipment_id", *columns))))
        .where(Event.shipment_id.in_(bindparam("keys", expanding=True)))  # type: ignore[union-attr]
        .order_by(Event.shipment_id, Event.occurred_at, Event.position)
    )


@fetcher("event_columns_by_shipment_id")
async def event_columns_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """`events_by_shipment_id` with only some columns: keys are (shipment id, column names),
    rows are `EventColumns`. One statement per distinct column set (a request has one)."""
    by_columns: dict[tuple[str, ...], list[Any]] = {}
    for shipment_id, columns in keys:
        by_columns.setdefault(columns, []).append(shipment_id)
    found: dict[tuple[Any, tuple[str, ...]], list[Any]] = {}
    for columns, ids in by_columns.items():
        stmt = _event_columns_by_shipment_id(columns)
        rows = (await session.exec(stmt, params={"keys": ids})).all()
        events = [EventColumns(**row._mapping) for row in rows]
        for shipment_id, group in zip(ids, grouped(ids, events, _shipment), strict=True):
            found[(shipment_id, columns)] = group
    return [found[key] for key in keys]


def _shipment(row: Any) -> Any:
    return row.shipment_id


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


@fetcher("event_pages_by_order_id")
async def event_pages_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """A page of each order's events. Keys are (order_id, sort name, PageArgs) with the page
    size already checked; keys sharing sort and arguments (a list of orders asking the same
    page) are served by one windowed statement."""
    groups: dict[tuple[str, paging.PageArgs], list[Any]] = {}
    for order_id, sort_name, args in keys:
        groups.setdefault((sort_name, args), []).append(order_id)
    pages: dict[tuple[Any, str, paging.PageArgs], paging.Page] = {}
    for (sort_name, args), order_ids in groups.items():
        sort = _SORTS_BY_NAME[sort_name]
        size = args.first if args.forward else args.last
        found = await paging.fetch_pages_by_parent(
            session,
            select(Event),
            sort,
            args,
            parent="order_id",
            parent_ids=order_ids,
            max_page_size=size if size is not None else 0,
        )
        for order_id, page in zip(order_ids, found, strict=True):
            pages[(order_id, sort_name, args)] = page
    return [pages[k] for k in keys]
