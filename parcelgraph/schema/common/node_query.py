"""Root fields `node` and `nodes`: any object by its global id, within the caller's scope.

strawberry's `relay.node()` raises an internal error for a well-formed id of a type that is
not a Node (`Shop:1`, `Foo:bar`, `Query:1`) and, in `nodes`, loses the whole list for one
such id. These resolvers answer such an id like a malformed one: null in its place with an
INVALID_ID error, the other places intact.
"""

import asyncio
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.relay.types import GlobalIDValueError

from parcelgraph.schema.common.permissions import Allow

_INVALID_ID = "Not an id of this API: {id!r} names no object type that `node` resolves."


def _node_type(info: strawberry.Info, global_id: relay.GlobalID) -> type[relay.Node] | None:
    """The Node type an id names, or None when it names no Node type."""
    try:
        return global_id.resolve_type(info)
    except GlobalIDValueError:
        return None


def _invalid(global_id: relay.GlobalID) -> GraphQLError:
    return GraphQLError(_INVALID_ID.format(id=str(global_id)), extensions={"code": "INVALID_ID"})


async def _resolve(info: strawberry.Info, ids: list[relay.GlobalID]) -> list[Any]:
    """Each id's object (None when out of scope, a GraphQLError for a non-Node id), in order.

    One batch per Node type, as strawberry does; the batches run concurrently.
    """
    results: list[Any] = [None] * len(ids)
    by_type: dict[type[relay.Node], list[int]] = {}
    for index, global_id in enumerate(ids):
        node_type = _node_type(info, global_id)
        if node_type is None:
            results[index] = _invalid(global_id)
        else:
            by_type.setdefault(node_type, []).append(index)

    async def load(node_type: type[relay.Node], places: list[int]) -> None:
        found = await node_type.resolve_nodes(
            info=info, node_ids=[ids[i].node_id for i in places], required=False
        )
        for place, node in zip(places, found, strict=True):
            results[place] = node

    await asyncio.gather(*(load(t, places) for t, places in by_type.items()))
    return results


@strawberry.type
class NodeQuery:
    """Relay's object lookup by global id."""

    @strawberry.field(
        description="Any object (Order, Shipment, Product, Event, Claim) by its global id; "
        "null when nothing of this shop that the caller may see has that id. An id that is "
        "malformed or names no such type is null with an INVALID_ID error.",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def node(
        self,
        info: strawberry.Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The object's global id.")],
    ) -> relay.Node | None:
        [found] = await _resolve(info, [id])
        if isinstance(found, GraphQLError):
            raise found
        return found

    @strawberry.field(
        description="Several objects by global id, in the order asked; null in each place "
        "where nothing of this shop that the caller may see has that id (with an INVALID_ID "
        "error at that place when the id names no such type).",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def nodes(
        self,
        info: strawberry.Info,
        ids: Annotated[
            list[relay.GlobalID], strawberry.argument(description="The objects' global ids.")
        ],
    ) -> list[relay.Node | None]:
        # A GraphQLError in a list place becomes null there plus an error with that path.
        return await _resolve(info, ids)
