"""Subscription root fields: resumable event streams and live order snapshots.

Thin fields over `resolvers.streams.follow` (through `stream_support`): resolve what the
caller may see, then turn each batch of stored events into `Event` objects. Loaders are
renewed per batch, never kept per connection (a WebSocket context lives as long as the
socket). Refusals, slow subscribers and revocation: see `stream_support`.
"""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from parcelgraph.resolvers.events import streams
from parcelgraph.resolvers.events.streams import EventFilter
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.args import exactly_one
from parcelgraph.schema.common.enums import EventSourceEnum
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.events.stream_support import (
    not_found,
    stream_batches,
    visible_order,
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


@strawberry.type
class EventSubscription:
    """Root subscription fields of the event streams."""

    @strawberry.subscription(
        description="Every event of one order (its shipments and claims), resumable with "
        "`after`. Order tokens may subscribe to their own order only.",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def order_events(
        self,
        info: strawberry.Info,
        order_id: OrderIdArg = None,
        order_number: OrderNumberArg = None,
        after: Annotated[int | None, strawberry.argument(description=AFTER_DESCRIPTION)] = None,
    ) -> AsyncGenerator[EventType, None]:
        order = await visible_order(info, order_id, order_number)
        where = EventFilter(shop_id=order.shop_id, order_id=order.id)
        async for batch in stream_batches(info, where, after):
            for row in batch:
                yield EventType.from_row(row)

    @strawberry.subscription(
        description="Every event of one shipment, resumable with `after`. Order tokens may "
        "subscribe to shipments of their own order only.",
        permission_classes=[Allow.viewers_and_customers],
    )
    async def shipment_events(
        self,
        info: strawberry.Info,
        shipment_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global id of the shipment (or pass trackingNumber)."),
        ] = None,
        tracking_number: Annotated[
            str | None,
            strawberry.argument(description="The carrier tracking number (or pass shipmentId)."),
        ] = None,
        after: Annotated[int | None, strawberry.argument(description=AFTER_DESCRIPTION)] = None,
    ) -> AsyncGenerator[EventType, None]:
        exactly_one(shipmentId=shipment_id, trackingNumber=tracking_number)
        context = info.context
        wanted = ids.row_id(shipment_id, "Shipment") if shipment_id is not None else None
        if shipment_id is not None and wanted is None:
            raise not_found("shipment")
        customer = context.customer
        async with context.db.reader() as session:
            shipment = await streams.find_shipment(
                session,
                shop_id=context.shop_id,
                shipment_id=wanted,
                tracking_number=tracking_number,
                order_id=customer.order_id if customer else None,
            )
        if shipment is None:
            raise not_found("shipment")
        where = EventFilter(
            shop_id=shipment.shop_id, order_id=shipment.order_id, shipment_id=shipment.id
        )
        async for batch in stream_batches(info, where, after):
            for row in batch:
                yield EventType.from_row(row)

    @strawberry.subscription(
        description="The shop-wide event stream for dashboards and agents (API keys only), "
        "optionally filtered, resumable with `after`.",
        permission_classes=[Allow.viewers],
    )
    async def events(
        self,
        info: strawberry.Info,
        filter: Annotated[
            EventStreamFilter | None,
            strawberry.argument(description="Which events to receive (default: all)."),
        ] = None,
        after: Annotated[int | None, strawberry.argument(description=AFTER_DESCRIPTION)] = None,
    ) -> AsyncGenerator[EventType, None]:
        chosen = filter or EventStreamFilter()
        where = EventFilter(
            shop_id=info.context.shop_id,
            ref_prefix=chosen.ref_prefix or None,
            event_group=chosen.event_group or None,
            source=chosen.source.value if chosen.source else None,
        )
        async for batch in stream_batches(info, where, after):
            for row in batch:
                yield EventType.from_row(row)

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
