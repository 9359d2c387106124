"""Subscription root fields: resumable event streams and live order snapshots.

Thin fields over `resolvers.streams.follow` (through `stream_support`): resolve what the
caller may see, then turn each batch of stored events into `Event` objects. Loaders are
renewed per batch, never kept per connection (a WebSocket context lives as long as the
socket). Refusals, slow subscribers and revocation: see `stream_support`.
"""

import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission

from parcelgraph.resolvers.events import streams
from parcelgraph.resolvers.events.streams import EventFilter
from parcelgraph.schema.common.enums import EventSourceEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.events.stream_support import (
    stream_batches,
    stream_events,
    visible_order,
    visible_shipment,
)
from parcelgraph.schema.events.types import EventType
from parcelgraph.schema.orders.types import OrderType

AFTER_DESCRIPTION = (
    "Resume cursor: the `position` of the last event you received. Every stored event after "
    "it is sent first, in order, then live ones, with no duplicate and no gap. Pass 0 for the "
    "whole history; omit it to receive only events committed from now on."
)


@strawberry.input(description="Narrows the shop-wide event stream; all given fields must match.")
class EventStreamFilter:
    """Filter of `events`."""

    ref_prefix: str | None = strawberry.field(
        default=None,
        description="A ref or a leading part of it at a `/` boundary, e.g. `shipments/delivered`.",
    )
    event_group: str | None = strawberry.field(
        default=None,
        description="An event group, e.g. `shipment_delivered` "
        "(`shipment_delivered_all_events` for every delivered variant).",
    )
    source: EventSourceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only shipment events or only claim events."
    )


# The two ways of naming an order, shared by the order streams.
OrderIdArg = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Global id of the order (or pass orderNumber)."),
]
OrderNumberArg = Annotated[
    str | None,
    strawberry.argument(description="The shop's order number (or pass orderId)."),
]
AfterArg = Annotated[int | None, strawberry.argument(description=AFTER_DESCRIPTION)]


def event_stream(
    allow: type[BasePermission],
) -> Callable[[Callable[..., Awaitable[EventFilter]]], Any]:
    """Make `where(info, **args)` a root subscription to the events it selects, resumable
    with an `after` argument (the cursor every event stream takes, after the others).

    The decorated function's docstring is the field's description and its parameters after
    `info` are the field's arguments; it returns the filter of the events the caller may
    follow (or raises NOT_FOUND). It runs when the subscriber starts reading.
    """

    def field(where: Callable[..., Awaitable[EventFilter]]) -> Any:
        async def resolve(
            self: Any, info: strawberry.Info, after: int | None = None, **args: Any
        ) -> AsyncGenerator[EventType, None]:
            chosen = await where(info, **args)
            async for event in stream_events(info, chosen, after):
                yield event

        own = list(inspect.signature(where).parameters.values())[1:]
        plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
        resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("self", plain),
                inspect.Parameter("info", plain, annotation=strawberry.Info),
                *own,
                inspect.Parameter("after", plain, default=None, annotation=AfterArg),
            ],
            return_annotation=AsyncGenerator[EventType, None],
        )
        description = " ".join((where.__doc__ or "").split())
        return strawberry.subscription(
            resolver=resolve, description=description, permission_classes=[allow]
        )

    return field


@strawberry.type
class EventSubscription:
    """Root subscription fields of the event streams."""

    @event_stream(Allow.viewers_and_customers)
    async def order_events(
        info: strawberry.Info, order_id: OrderIdArg = None, order_number: OrderNumberArg = None
    ) -> EventFilter:
        """Every event of one order (its shipments and claims), resumable with `after`.
        Order tokens may subscribe to their own order only."""
        order = await visible_order(info, order_id, order_number)
        return EventFilter(shop_id=order.shop_id, order_id=order.id)

    @event_stream(Allow.viewers_and_customers)
    async def shipment_events(
        info: strawberry.Info,
        shipment_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global id of the shipment (or pass trackingNumber)."),
        ] = None,
        tracking_number: Annotated[
            str | None,
            strawberry.argument(description="The carrier tracking number (or pass shipmentId)."),
        ] = None,
    ) -> EventFilter:
        """Every event of one shipment, resumable with `after`. Order tokens may subscribe
        to shipments of their own order only."""
        shipment = await visible_shipment(info, shipment_id, tracking_number)
        return EventFilter(
            shop_id=shipment.shop_id, order_id=shipment.order_id, shipment_id=shipment.id
        )

    @event_stream(Allow.viewers)
    async def events(
        info: strawberry.Info,
        filter: Annotated[
            EventStreamFilter | None,
            strawberry.argument(description="Which events to receive (default: all)."),
        ] = None,
    ) -> EventFilter:
        """The shop-wide event stream for dashboards and agents (API keys only), optionally
        filtered, resumable with `after`."""
        chosen = filter or EventStreamFilter()
        return EventFilter(
            shop_id=info.context.shop_id,
            ref_prefix=chosen.ref_prefix or None,
            event_group=chosen.event_group or None,
            source=chosen.source.value if chosen.source else None,
        )

    @strawberry.subscription(
        description="A fresh snapshot of one order (state, shipments with phases, trackings) "
        "now and after every change that records events. Order tokens: their own order only.",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def order_updated(
        self,
        info: strawberry.Info,
        order_id: OrderIdArg = None,
        order_number: OrderNumberArg = None,
    ) -> AsyncGenerator[OrderType, None]:
        # The cursor is read before the snapshot: a change committed in between shows up
        # as one more (fresh) snapshot instead of being missed.
        cursor = await streams.head(info.context.db, shop_id=info.context.shop_id)
        order = await visible_order(info, order_id, order_number)
        yield OrderType.from_row(order)
        where = EventFilter(shop_id=order.shop_id, order_id=order.id)
        async for batch in stream_batches(info, where, cursor):
            fresh = await streams.order_snapshot(
                info.context.db, order_id=order.id, version=batch[-1].position or 0
            )
            if fresh is not None:
                yield OrderType.from_row(fresh)
