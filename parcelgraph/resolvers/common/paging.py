"""Keyset (cursor) pagination over SELECT statements: one statement per page, any page size.

A `Sort` names the columns a list is ordered by, ending with a unique tie-breaker, all in one
direction; that is what lets a cursor say "strictly after this row" with one row-value
comparison `(k1, k2) < (:k1, :k2)` (PostgreSQL and SQLite >= 3.15), which stays correct when
rows are inserted between two page requests: no duplicates, no gaps.

Cursors are opaque to clients: URL-safe base64 of JSON holding the sort's name and the
row's key values. A cursor made under another sort is refused rather than misread.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected


@dataclass(frozen=True)
class Sort:
    """An ordering of `model` by `keys` (attribute names, the last one unique)."""

    name: str
    model: Any
    keys: tuple[str, ...]
    descending: bool = True

    def columns(self, source: Any = None) -> list[Any]:
        """The key columns, of the model or of an alias/subquery entity of it."""
        target = source if source is not None else self.model
        return [getattr(target, key) for key in self.keys]

    def order_by(self, *, reverse: bool = False, source: Any = None) -> list[Any]:
        """ORDER BY clauses in list order, or reversed (to read a page backwards)."""
        descending = self.descending != reverse
        return [c.desc() if descending else c.asc() for c in self.columns(source)]


def both_ways(label: str, name: str, model: Any, keys: tuple[str, ...]) -> dict[str, Sort]:
    """The sort by `keys` newest first and oldest first: `<label>_DESC` and `<label>_ASC`.

    `name` with `.d` or `.a` is what the cursors carry, so it must never change.
    """
    return {
        f"{label}_DESC": Sort(f"{name}.d", model, keys, descending=True),
        f"{label}_ASC": Sort(f"{name}.a", model, keys, descending=False),
    }


def created_and_updated(prefix: str, model: Any) -> dict[str, Sort]:
    """The sorts of a list of rows that carry `created_at` and `updated_at`, ties broken by
    id: CREATED_AT and UPDATED_AT, each both ways. `prefix` starts the cursors' names."""
    return {
        **both_ways("CREATED_AT", f"{prefix}.created", model, ("created_at", "id")),
        **both_ways("UPDATED_AT", f"{prefix}.updated", model, ("updated_at", "id")),
    }


@dataclass(frozen=True)
class PageArgs:
    """The Relay arguments of one connection field, validated and hashable (a loader key)."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def forward(self) -> bool:
        """True unless the caller asked for the `last` rows."""
        return self.last is None

    def limit(self, max_page_size: int) -> int:
        """How many rows the page holds at most; refuses sizes outside 0..max_page_size."""
        if self.first is not None and self.last is not None:
            raise Rejected.one("INVALID_INPUT", "Pass `first` or `last`, not both.", "first")
        wanted = self.first if self.forward else self.last
        name = "first" if self.forward else "last"
        if wanted is None:
            return max_page_size
        if wanted < 0 or wanted > max_page_size:
            raise Rejected.one(
                "VALUE_OUT_OF_RANGE", f"`{name}` must be between 0 and {max_page_size}.", name
            )
        return wanted


@dataclass
class Page:
    """The rows of one page in list order, with a cursor per row and the page flags."""

    rows: list[Any]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(sort: Sort, row: Any) -> str:
    """The opaque cursor of `row` under `sort`."""
    values = [_plain(getattr(row, key)) for key in sort.keys]
    raw = json.dumps([sort.name, values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(sort: Sort, cursor: str, argument: str) -> list[Any]:
    """The key values inside a cursor; refuses cursors that are malformed or of another sort."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != sort.name or len(values) != len(sort.keys):
            raise ValueError(name)
        return [_typed(c, v) for c, v in zip(sort.columns(), values, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise Rejected.one(
            "INVALID_INPUT",
            f"`{argument}` is not a cursor of this list (was it made under another sort?).",
            argument,
        ) from None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _typed(column: Any, value: Any) -> Any:
    kind = column.type.python_type
    if kind is object:  # a TypeDecorator (UTCDateTime): its stored type tells
        kind = column.type.impl_instance.python_type
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive datetime in cursor")
        return parsed
    if kind is uuid.UUID:
        return uuid.UUID(value)
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not an integer")
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _beyond(sort: Sort, values: list[Any], *, later: bool, source: Any = None) -> Any:
    """Rows strictly after (`later`) or before the row whose keys are `values`, in list order."""
    columns = sort.columns(source)
    bound = tuple_(
        *(bindparam(None, v, type_=c.type) for c, v in zip(columns, values, strict=True))
    )
    # In a descending list, "later" rows have smaller keys.
    if later == sort.descending:
        return tuple_(*columns) < bound
    return tuple_(*columns) > bound


def _windowed(sort: Sort, statement: Select[Any], args: PageArgs) -> Select[Any]:
    """Apply the cursors of `args` as WHERE clauses."""
    if args.after is not None:
        statement = statement.where(
            _beyond(sort, decode_cursor(sort, args.after, "after"), later=True)
        )
    if args.before is not None:
        statement = statement.where(
            _beyond(sort, decode_cursor(sort, args.before, "before"), later=False)
        )
    return statement


def _page(sort: Sort, rows: list[Any], limit: int, args: PageArgs) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    if not args.forward:
        rows.reverse()
    return Page(
        rows=rows,
        cursors=[encode_cursor(sort, r) for r in rows],
        # One side is known from the extra row; the other side from whether a cursor was
        # given (Relay allows this shortcut; it costs no extra statement).
        has_next_page=more if args.forward else args.before is not None,
        has_previous_page=more if not args.forward else args.after is not None,
    )


async def fetch_page(
    session: AsyncSession, statement: Select[Any], sort: Sort, args: PageArgs, *, max_page_size: int
) -> Page:
    """One page of `statement` (a filtered SELECT of `sort.model`), in one SQL statement."""
    limit = args.limit(max_page_size)
    stmt = _windowed(sort, statement, args)
    stmt = stmt.order_by(*sort.order_by(reverse=not args.forward)).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())  # type: ignore[call-overload]
    return _page(sort, rows, limit, args)


async def fetch_pages_by_parent(
    session: AsyncSession,
    statement: Select[Any],
    sort: Sort,
    args: PageArgs,
    *,
    parent: str,
    parent_ids: Sequence[Any],
    max_page_size: int,
) -> list[Page]:
    """One page per parent (e.g. each order's events) for many parents, in one statement.

    ROW_NUMBER() over a partition per parent picks each parent's first `limit + 1` rows, so a
    list of 100 orders asking for their events costs one statement, not one per order.
    """
    limit = args.limit(max_page_size)
    parent_column = getattr(sort.model, parent)
    inner = _windowed(sort, statement.where(parent_column.in_(parent_ids)), args)
    rank = (
        func.row_number()
        .over(partition_by=parent_column, order_by=sort.order_by(reverse=not args.forward))
        .label("page_rank")
    )
    ranked = inner.add_columns(rank).subquery()
    entity = aliased(sort.model, ranked)
    stmt = (
        select(entity)
        .where(ranked.c.page_rank <= limit + 1)
        .order_by(getattr(entity, parent), ranked.c.page_rank)
    )
    by_parent: dict[Any, list[Any]] = {p: [] for p in parent_ids}
    for row in (await session.exec(stmt)).all():  # type: ignore[call-overload]
        by_parent[getattr(row, parent)].append(row)
    return [_page(sort, by_parent[p], limit, args) for p in parent_ids]


async def count(session: AsyncSession, statement: Select[Any]) -> int:
    """How many rows `statement` selects (the optional totalCount: one more statement)."""
    stmt = select(func.count()).select_from(statement.order_by(None).subquery())
    return int((await session.exec(stmt)).one())  # type: ignore[call-overload]


async def fetch_numbered_page(
    session: AsyncSession, statement: Select[Any], sort: Sort, *, page: int, per_page: int
) -> list[Any]:
    """Page `page` (1-based) of `per_page` rows in `sort` order: the numbered pages of the
    REST v1 lists. Offsets shift when rows are inserted between requests; clients that need
    stable walks use the GraphQL connections' cursors."""
    stmt = statement.order_by(*sort.order_by()).offset((page - 1) * per_page).limit(per_page)
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]
