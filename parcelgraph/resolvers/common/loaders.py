"""Batch fetch functions behind the per-request DataLoaders, named `<what>_by_<key>`.

Each function takes a read session and the batch's keys and returns results aligned with
the keys (same length, same order; `None` or `[]` where nothing matched). Registering one
with `@fetcher` makes it available as `context.loaders.<name>`; the DataLoader wrapping,
per-request caching and one-session-per-batch live in `parcelgraph.context`.

Every fetch is one SELECT, so the statement count of a query depends on its depth, never
on how many rows come back. Each area's fetchers live in its `fetchers` module and are
registered when `resolvers.read_graph` imports them.
"""

from collections.abc import Awaitable, Callable, Sequence
from operator import attrgetter
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

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


async def children(
    session: AsyncSession, keys: Sequence[Any], model: Any, key: str, *order_by: Any
) -> list[list[Any]]:
    """The rows of `model` whose `key` column is one of `keys`, grouped per key (one SELECT).

    Within a key the rows follow `order_by`; the key column leads the ORDER BY so the
    database hands each group over together.
    """
    column = getattr(model, key)
    stmt = select(model).where(column.in_(keys)).order_by(column, *order_by)
    return grouped(keys, (await session.exec(stmt)).all(), attrgetter(key))
