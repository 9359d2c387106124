"""Loading and saving order aggregates: a whole batch in one SELECT per table, set-based.

Every order write (one upsert, a 1,000-item bulk call, a cancel) runs the same three steps:
`load` the referenced orders with their products, discounts, attribution, shipments and
package contents (one SELECT per table, whatever the batch size); change plain-dict rows in
Python, item by item, each item on a copy so a refused item leaves nothing behind; then
`save` the changed aggregates with one statement per kind of change (INSERT with a list of
rows, UPDATE by primary key with a list of rows, DELETE ... IN). The statement count of a
batch therefore does not grow with its size.

Rows are read with Core selects (dicts, not ORM objects) on purpose: nothing lands in the
session's identity map, so the event log's envelopes, which SELECT the orders after our
UPDATEs in the same transaction, see the new values rather than stale cached objects.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.models import (
    Discount,
    Event,
    LineItem,
    Order,
    OrderAnalytics,
    Shipment,
    ShipmentItem,
)
from parcelgraph.resolvers.common import event_log
from parcelgraph.resolvers.orders.aggregate import OrderAggregate, Row


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


ORDERS = _table(Order)
LINE_ITEMS = _table(LineItem)
DISCOUNTS = _table(Discount)
ANALYTICS = _table(OrderAnalytics)
SHIPMENTS = _table(Shipment)
SHIPMENT_ITEMS = _table(ShipmentItem)

# Columns an order write may change; the sequence counter belongs to the event log.
ORDER_MUTABLE = tuple(
    c.name
    for c in ORDERS.columns
    if c.name not in ("id", "shop_id", "event_sequence", "created_at")
)
SHIPMENT_MUTABLE = tuple(
    c.name for c in SHIPMENTS.columns if c.name not in ("id", "shop_id", "order_id", "created_at")
)


async def lock_shop(session: AsyncSession, shop_id: uuid.UUID) -> None:
    """Serialize order writes of a shop, as SQLite's BEGIN IMMEDIATE does by itself.

    This is the event log's per-shop lock, taken at the start instead of at append time:
    after it, every read of the transaction sees all committed writes, so two clients
    upserting the same new order number cannot both insert it, and no writer holds an
    order row while waiting for the lock (which would deadlock with the event log).
    """
    await event_log.lock_shop_writes(session, shop_id)


def parse_uuid(value: str) -> uuid.UUID | None:
    """The UUID in `value`, or None when it is not one."""
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None


async def _rows(session: AsyncSession, stmt: Any) -> list[Row]:
    return [dict(row._mapping) for row in (await session.exec(stmt)).all()]


class WorkingSet:
    """The aggregates of one batch, found by any of the order's identifiers."""

    def __init__(self, aggregates: Iterable[OrderAggregate] = ()) -> None:
        self.aggregates: dict[uuid.UUID, OrderAggregate] = {}
        self._keys: dict[tuple[str, str], set[uuid.UUID]] = {}
        for aggregate in aggregates:
            self.put(aggregate)

    @staticmethod
    def _identifiers(aggregate: OrderAggregate) -> list[tuple[str, str]]:
        order = aggregate.order
        keys = [("ORDER_NUMBER", order["order_number"]), ("UUID", str(order["id"]))]
        if order["external_id"]:
            keys.append(("EXTERNAL_ID", order["external_id"]))
        if order["order_name"]:
            keys.append(("ORDER_NAME", order["order_name"]))
        return keys

    def put(self, aggregate: OrderAggregate) -> None:
        """Add or replace an aggregate (after an item succeeded), re-indexing its ids."""
        previous = self.aggregates.get(aggregate.id)
        if previous is not None:
            for key in self._identifiers(previous):
                self._keys.get(key, set()).discard(previous.id)
        self.aggregates[aggregate.id] = aggregate
        for key in self._identifiers(aggregate):
            self._keys.setdefault(key, set()).add(aggregate.id)

    def find(self, id_type: str, value: str) -> OrderAggregate | None:
        """The one order with that identifier, None when there is none.

        Raises Rejected when an order name is shared by several orders.
        """
        key = (id_type, str(uuid.UUID(value)) if id_type == "UUID" else value)
        matches = self._keys.get(key, set())
        if len(matches) > 1:
            raise Rejected.one(
                "INVALID_INPUT",
                f"{len(matches)} orders share that {id_type.lower()}; use another idType.",
                "id",
            )
        return self.aggregates[next(iter(matches))] if matches else None

    def changed(self) -> list[OrderAggregate]:
        """Aggregates with something to write."""
        return [a for a in self.aggregates.values() if a.is_new or a.changes.order]


async def load(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    lookups: Sequence[tuple[str, str]] = (),
    order_ids: Sequence[uuid.UUID] = (),
) -> WorkingSet:
    """The shop's orders matching any lookup (idType, value) or id, with all their parts."""
    wanted: dict[str, set[Any]] = {}
    for id_type, value in lookups:
        if id_type == "UUID":
            parsed = parse_uuid(value)
            if parsed is not None:
                wanted.setdefault("id", set()).add(parsed)
            continue
        column = {"ORDER_NUMBER": "order_number", "EXTERNAL_ID": "external_id"}.get(
            id_type, "order_name"
        )
        wanted.setdefault(column, set()).add(value)
    if order_ids:
        wanted.setdefault("id", set()).update(order_ids)
    if not wanted:
        return WorkingSet()
    condition = or_(
        *(ORDERS.c[column].in_(sorted(values, key=str)) for column, values in wanted.items())
    )
    orders = await _rows(session, select(ORDERS).where(ORDERS.c.shop_id == shop_id, condition))
    return WorkingSet(await _assemble(session, orders))


async def _assemble(session: AsyncSession, orders: list[Row]) -> list[OrderAggregate]:
    if not orders:
        return []
    ids = [o["id"] for o in orders]
    aggregates = {o["id"]: OrderAggregate(order=o) for o in orders}
    stmt = select(LINE_ITEMS).where(LINE_ITEMS.c.order_id.in_(ids)).order_by(LINE_ITEMS.c.position)
    for row in await _rows(session, stmt):
        aggregates[row["order_id"]].line_items.append(row)
    stmt = select(DISCOUNTS).where(DISCOUNTS.c.order_id.in_(ids)).order_by(DISCOUNTS.c.position)
    for row in await _rows(session, stmt):
        aggregates[row["order_id"]].discounts.append(row)
    for row in await _rows(session, select(ANALYTICS).where(ANALYTICS.c.order_id.in_(ids))):
        aggregates[row["order_id"]].analytics = row
    stmt = select(SHIPMENTS).where(SHIPMENTS.c.order_id.in_(ids)).order_by(SHIPMENTS.c.position)
    shipment_order: dict[uuid.UUID, uuid.UUID] = {}
    for row in await _rows(session, stmt):
        aggregates[row["order_id"]].shipments.append(row)
        aggregates[row["order_id"]].contents[row["id"]] = []
        shipment_order[row["id"]] = row["order_id"]
    stmt = (
        select(SHIPMENT_ITEMS)
        .join(SHIPMENTS, SHIPMENTS.c.id == SHIPMENT_ITEMS.c.shipment_id)
        .where(SHIPMENTS.c.order_id.in_(ids))
    )
    for row in await _rows(session, stmt):
        aggregates[shipment_order[row["shipment_id"]]].contents[row["shipment_id"]].append(row)
    return list(aggregates.values())


def _bulk_update(table: Table, columns: Sequence[str]) -> Any:
    # Bind names must differ from column names in an UPDATE's SET clause.
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )


def _update_params(rows: Iterable[Row], columns: Sequence[str]) -> list[Row]:
    return [{"b_id": r["id"], **{f"b_{name}": r[name] for name in columns}} for r in rows]


async def _exec(session: AsyncSession, stmt: Any, params: list[Row] | None = None) -> None:
    if params is None:
        await session.exec(stmt)
    elif params:
        await session.exec(stmt, params=params)  # type: ignore[call-overload]


async def save(session: AsyncSession, aggregates: Sequence[OrderAggregate]) -> None:
    """Write every change of `aggregates` with a bounded number of statements."""
    new = [a for a in aggregates if a.is_new]
    old = [a for a in aggregates if not a.is_new]
    await _exec(session, insert(ORDERS), [a.order for a in new])
    await _exec(
        session,
        _bulk_update(ORDERS, ORDER_MUTABLE),
        _update_params((a.order for a in old if a.changes.order), ORDER_MUTABLE),
    )
    await _replace_children(session, new, old)
    await _save_shipments(session, new, old)


async def _replace_children(
    session: AsyncSession, new: list[OrderAggregate], old: list[OrderAggregate]
) -> None:
    for flag, table, attr in (
        ("products", LINE_ITEMS, "line_items"),
        ("discounts", DISCOUNTS, "discounts"),
        ("analytics", ANALYTICS, "analytics"),
    ):
        replaced = [a for a in old if getattr(a.changes, flag)]
        if replaced:
            ids = [a.id for a in replaced]
            await _exec(session, delete(table).where(table.c.order_id.in_(ids)))
        rows: list[Row] = []
        for aggregate in [*new, *replaced]:
            value = getattr(aggregate, attr)
            rows.extend(value if isinstance(value, list) else [value] if value else [])
        await _exec(session, insert(table), rows)


async def _save_shipments(
    session: AsyncSession, new: list[OrderAggregate], old: list[OrderAggregate]
) -> None:
    await _remove_drafts(session, [sid for a in old for sid in a.changes.removed_shipments])
    everything = [*new, *old]
    await _exec(
        session,
        insert(SHIPMENTS),
        [s for a in everything for s in a.shipments if s["id"] in a.changes.new_shipments],
    )
    await _exec(
        session,
        _bulk_update(SHIPMENTS, SHIPMENT_MUTABLE),
        _update_params(
            (s for a in old for s in a.shipments if s["id"] in a.changes.shipments),
            SHIPMENT_MUTABLE,
        ),
    )
    await _save_contents(session, new, old)


async def _remove_drafts(session: AsyncSession, removed: list[uuid.UUID]) -> None:
    if removed:
        # Events are history: the removed draft's events stay, detached from it.
        await _exec(
            session,
            update(Event).where(Event.shipment_id.in_(removed)).values(shipment_id=None),  # type: ignore[attr-defined]
        )
        await _exec(session, delete(SHIPMENTS).where(SHIPMENTS.c.id.in_(removed)))


async def _save_contents(
    session: AsyncSession, new: list[OrderAggregate], old: list[OrderAggregate]
) -> None:
    rewritten = [
        sid for a in old for sid in a.changes.contents if sid not in a.changes.new_shipments
    ]
    if rewritten:
        await _exec(
            session, delete(SHIPMENT_ITEMS).where(SHIPMENT_ITEMS.c.shipment_id.in_(rewritten))
        )
    contents = [(a, sid) for a in [*new, *old] for sid in a.changes.contents]
    await _exec(
        session, insert(SHIPMENT_ITEMS), [i for a, sid in contents for i in a.contents.get(sid, [])]
    )


def reject_if(issues: list[Issue]) -> None:
    """Raise Rejected carrying every issue, when there is any."""
    if issues:
        raise Rejected(issues)
