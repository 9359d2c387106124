"""The `order` field of the types that belong to one order: shipments, events and claims.

Each of them keeps its order's row id as `order_id`, and `order` reads the order through the
request's `order_by_id` loader (one SELECT for every such field of a request). The order
type is named lazily because `orders.types` imports those types itself.
"""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

if TYPE_CHECKING:
    from parcelgraph.schema.orders.types import OrderType


async def order_of(
    root: Any, info: strawberry.Info
) -> Annotated["OrderType", strawberry.lazy("parcelgraph.schema.orders.types")]:
    """The order `root` belongs to (the resolver of their `order` fields)."""
    from parcelgraph.schema.orders.types import OrderType

    return OrderType.from_row(await info.context.loaders.order_by_id.load(root.order_id))
