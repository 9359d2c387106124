"""Argument checks shared by the root lookups, and the lookup of one row by one key."""

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from parcelgraph.schema.common import ids
from parcelgraph.schema.common.scope import only_order
from parcelgraph.schema.hardening.extensions import PublicError


def exactly_one(**keys: Any) -> None:
    """Refuse a lookup that names no key or several (they could disagree)."""
    given = [name for name, value in keys.items() if value is not None]
    if len(given) != 1:
        names = ", ".join(f"`{name}`" for name in keys)
        raise PublicError(f"Pass exactly one of {names}.", "INVALID_INPUT")


async def find_one(
    info: strawberry.Info,
    find: Callable[..., Awaitable[Any]],
    *,
    type_name: str,
    id: str | None,
    id_key: str,
    **keys: Any,
) -> Any:
    """The row of this shop (and, for a customer, of their order) that `find` returns for
    the global `id` (passed to `find` as `id_key`) or `keys`; None for an id that names
    nothing, without a query."""
    row_id = ids.decode(id, type_name) if id is not None else None
    if id is not None and row_id is None:
        return None
    async with info.context.reader() as session:
        return await find(
            session,
            shop_id=info.context.shop_id,
            only_order_id=only_order(info),
            **{id_key: row_id},
            **keys,
        )
