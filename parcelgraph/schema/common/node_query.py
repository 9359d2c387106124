"""Root fields `node` and `nodes`: any object by its global id, within the caller's scope."""

import strawberry
from strawberry import relay

from parcelgraph.schema.common.permissions import Allow


@strawberry.type
class NodeQuery:
    """Relay's object lookup by global id."""

    node: relay.Node | None = relay.node(
        description="Any object (Order, Shipment, Product, Event, Claim) by its global id; "
        "null when nothing of this shop that the caller may see has that id.",
        permission_classes=[Allow.viewers_and_customers],
    )
    nodes: list[relay.Node | None] = relay.node(
        description="Several objects by global id, in the order asked; null in each place "
        "where nothing of this shop that the caller may see has that id.",
        permission_classes=[Allow.viewers_and_customers],
    )
