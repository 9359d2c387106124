"""What the subscription root fields share: finding what the caller may follow, and the stream.

Refusals: an order token reaches only its own order's streams; any other order or shipment
is answered exactly like one that does not exist (NOT_FOUND). A subscriber whose inbox
overflows (it stopped reading) has its WebSocket closed with code 4413 (SSE: the stream ends
with a SUBSCRIBER_TOO_SLOW error); a revoked key or token ends its streams with an
UNAUTHENTICATED error within `subscription_recheck_seconds`.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

import strawberry
from starlette.websockets import WebSocket, WebSocketState

from parcelgraph import metrics
from parcelgraph.auth import still_valid
from parcelgraph.models import Order, Shipment
from parcelgraph.pubsub import SubscriberTooSlow
from parcelgraph.resolvers.events import streams
from parcelgraph.resolvers.events.streams import AccessRevoked, EventFilter, StreamLimits
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.args import exactly_one
from parcelgraph.schema.events.types import EventType
from parcelgraph.schema.hardening.extensions import PublicError

logger = logging.getLogger(__name__)

SLOW_SUBSCRIBER_CLOSE_CODE = 4413
SLOW_SUBSCRIBER_REASON = "Subscriber too slow: reconnect and resume with `after`."


def not_found(what: str) -> PublicError:
    return PublicError(f"No {what} matches in this shop.", code="NOT_FOUND")


async def visible_order(
    info: strawberry.Info, order_id: strawberry.ID | None, order_number: str | None
) -> Order:
    """The order named by exactly one of `order_id` and `order_number`, if the caller may
    follow it (a customer only their own)."""
    exactly_one(orderId=order_id, orderNumber=order_number)
    order = await _find(info, "order", order_id, streams.find_order, order_number=order_number)
    customer = info.context.customer
    if customer is not None and customer.order_id != order.id:
        raise not_found("order")
    return order


async def visible_shipment(
    info: strawberry.Info, shipment_id: strawberry.ID | None, tracking_number: str | None
) -> Shipment:
    """The shipment named by exactly one of `shipment_id` and `tracking_number`, if the
    caller may follow it (a customer only one of their own order)."""
    exactly_one(shipmentId=shipment_id, trackingNumber=tracking_number)
    customer = info.context.customer
    return await _find(
        info,
        "shipment",
        shipment_id,
        streams.find_shipment,
        tracking_number=tracking_number,
        order_id=customer.order_id if customer else None,
    )


async def _find(
    info: strawberry.Info,
    what: str,
    given_id: strawberry.ID | None,
    find: Callable[..., Awaitable[Any]],
    **keys: Any,
) -> Any:
    """The shop's `what` that `find` returns for the global id or `keys`; NOT_FOUND for an
    id that is not one of a `what` (no query then) or when nothing matches."""
    context = info.context
    wanted = ids.row_id(given_id, what.capitalize()) if given_id is not None else None
    if given_id is not None and wanted is None:
        raise not_found(what)
    async with context.db.reader() as session:
        row = await find(session, shop_id=context.shop_id, **{f"{what}_id": wanted}, **keys)
    if row is None:
        raise not_found(what)
    return row


def _limits(info: strawberry.Info) -> StreamLimits:
    settings = info.context.settings
    return StreamLimits(
        queue_size=settings.subscriber_queue_size,
        recheck_seconds=settings.subscription_recheck_seconds,
    )


# Recent revocation checks, shared by every subscription of this process that uses the same
# credential: a thousand widgets on one API key cost one lookup per interval, not a thousand.
_CHECKED: dict[tuple[int, object], tuple[float, bool]] = {}
_CHECKED_MAX = 10_000


def _still_allowed(info: strawberry.Info) -> Any:
    """Re-check the connection's principal, shared process-wide for half an interval."""
    context = info.context
    interval = context.settings.subscription_recheck_seconds
    principal = context.principal
    key = (
        id(context.db),
        getattr(principal, "key_id", None) or getattr(principal, "token_id", None),
    )

    async def check() -> bool:
        cached = _CHECKED.get(key)
        if cached is not None and time.monotonic() - cached[0] < interval / 2:
            return cached[1]
        ok = await still_valid(context.db, principal, context.now())
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[key] = (time.monotonic(), ok)
        return ok

    return check


def _hang_up(info: strawberry.Info, operation: "asyncio.Task[Any] | None") -> Any:
    """What to do when the subscriber's inbox overflows: close its WebSocket now.

    The operation's task (stuck sending to the socket) is cancelled first, so nothing is
    sent after the close frame.
    """
    context = info.context

    def on_overflow() -> None:
        socket = getattr(context, "request", None)
        if not isinstance(socket, WebSocket):
            return  # SSE: the stream ends with SUBSCRIBER_TOO_SLOW at its next read
        if socket.application_state != WebSocketState.CONNECTED:
            return
        logger.warning("closing a WebSocket whose subscriber stopped reading (code 4413)")
        if operation is not None:
            operation.cancel()
        task = asyncio.get_running_loop().create_task(_close(socket))
        context.services.setdefault("closing", set()).add(task)

    return on_overflow


async def _close(socket: WebSocket) -> None:
    # The close frame goes out once the socket drains; a peer that never reads again is
    # dropped by the server's ping timeout (settings.ws_ping_*).
    with contextlib.suppress(Exception):
        await socket.close(code=SLOW_SUBSCRIBER_CLOSE_CODE, reason=SLOW_SUBSCRIBER_REASON)


async def stream_batches(
    info: strawberry.Info, where: EventFilter, after: int | None
) -> AsyncGenerator[list[Any], None]:
    """Batches of events for `where`, with errors mapped to public ones."""
    context = info.context
    try:
        async for batch in streams.follow(
            db=context.db,
            broker=context.broker,
            where=where,
            after=None if after is None else max(after, 0),
            limits=_limits(info),
            still_allowed=_still_allowed(info),
            on_overflow=_hang_up(info, asyncio.current_task()),
        ):
            # Fresh loaders per batch: nested fields must never see rows cached earlier.
            context.loaders = context.fresh_loaders()
            metrics.EVENTS_FANNED_OUT.inc(len(batch))
            yield batch
    except SubscriberTooSlow:
        raise PublicError(SLOW_SUBSCRIBER_REASON, code="SUBSCRIBER_TOO_SLOW") from None
    except AccessRevoked:
        raise PublicError(
            "The API key or order token was revoked or has expired.", code="UNAUTHENTICATED"
        ) from None


async def stream_events(
    info: strawberry.Info, where: EventFilter, after: int | None
) -> AsyncGenerator[EventType, None]:
    """The events of `where`, one by one as `stream_batches` delivers them."""
    async for batch in stream_batches(info, where, after):
        for row in batch:
            yield EventType.from_row(row)
