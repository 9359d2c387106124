"""Relay Node support: shop-scoped (and, for customers, order-scoped) node resolution."""

from collections.abc import Iterable
from typing import Any

import strawberry

from parcelgraph.resolvers.common import reads


def scope(info: strawberry.Info) -> dict[str, Any] | None:
    """The visibility scope of the caller, or None when they may see nothing by id."""
    context = info.context
    if context.shop is None or context.is_anonymous:
        return None
    customer = context.customer
    return {"shop_id": context.shop.id, "order_id": customer.order_id if customer else None}


async def resolve_scoped(
    info: strawberry.Info, model: type, node_ids: Iterable[str], to_type: Any
) -> list[Any]:
    """Load rows for node ids within the caller's scope and map them to schema types."""
    ids = list(node_ids)
    visible = scope(info)
    if visible is None:
        return [None] * len(ids)
    async with info.context.reader() as session:
        rows = await reads.by_ids(session, model, ids, **visible)
    return [to_type(row) if row is not None else None for row in rows]


def scoped_nodes(model: type) -> Any:
    """The `resolve_nodes` of a Node type of `model` rows: `resolve_scoped` mapped with the
    type's `from_row` (use as `resolve_nodes = scoped_nodes(Order)` in the type's body)."""

    async def resolve_nodes(
        cls: Any, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        return await resolve_scoped(info, model, node_ids, cls.from_row)

    return classmethod(resolve_nodes)
