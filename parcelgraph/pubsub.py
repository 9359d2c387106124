"""Broadcast of committed events to live subscribers.

Messages are small notices ("these event positions were committed for this shop/order"),
never whole rows: each subscriber loads what it may see. The in-process broker is the
embedded default; a Redis broker fans out across processes (chosen by settings).

Nothing here is needed for correctness of storage: events are committed before they are
published, and subscribers catch up from the event table by position.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class SubscriberTooSlow(Exception):
    """A subscriber's bounded queue overflowed; it is dropped instead of slowing others."""


# Sent to every subscriber after the broker may have missed messages (a Redis reconnect):
# "something may have been committed meanwhile, catch up from the event table".
RESYNC: dict[str, Any] = {"resync": True}


@dataclass(eq=False)
class Subscription:
    """One subscriber's bounded inbox.

    A full inbox means the consumer stopped reading (typically: its client's socket no longer
    drains). The publisher never waits for it: the subscription is marked overflowed, detached
    by its broker, and `on_overflow` (if set) is called once so the owner can hang up at once,
    even while the consumer is stuck in a send.
    """

    channel: str
    queue: asyncio.Queue[dict[str, Any]]
    route: "Route | None" = None
    overflowed: bool = False
    on_overflow: Callable[[], None] | None = None

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            message = await self.receive()
            if message is not None:
                yield message

    async def receive(self, within: float | None = None) -> dict[str, Any] | None:
        """The next message, or None after `within` seconds without one.

        Raises SubscriberTooSlow once the inbox has overflowed: messages were lost, and the
        consumer is too far behind to be worth catching up live.
        """
        if self.overflowed:
            raise SubscriberTooSlow(self.channel)
        try:
            message = await asyncio.wait_for(self.queue.get(), within)
        except TimeoutError:
            return None
        if self.overflowed:
            raise SubscriberTooSlow(self.channel)
        return message

    def offer(self, message: dict[str, Any]) -> bool:
        """Enqueue without waiting; False (and marked overflowed) when the inbox is full."""
        if self.overflowed:
            return False
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            if self.on_overflow is not None:
                try:
                    self.on_overflow()
                except Exception:
                    logger.exception("overflow callback failed")
            return False
        return True


# A subscriber that follows one order or one shipment of its channel's shop:
# ("orders", order id) or ("shipments", shipment id), the keys of a notice's id lists.
Route = tuple[str, str]


class Broker(Protocol):
    """What the app needs from a pub/sub backend."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...
    def subscribe(self, channel: str, *, maxsize: int = 256, route: Route | None = None) -> Any: ...


class SubscriberSet:
    """Channel → subscribers, shared by the broker implementations (one event loop).

    Subscribers with a route (one order or one shipment) are woken only by notices that
    name their order or shipment: a shop with a thousand tracking widgets open wakes the
    ten that follow the order an event belongs to, not all thousand. A notice without the
    id lists (a RESYNC) reaches everyone on the channel.
    """

    def __init__(self) -> None:
        self._by_channel: dict[str, set[Subscription]] = {}
        self._routed: dict[str, dict[Route, set[Subscription]]] = {}

    def add(self, channel: str, maxsize: int, route: Route | None = None) -> Subscription:
        subscription = Subscription(channel, asyncio.Queue(maxsize=maxsize), route)
        if route is None:
            self._by_channel.setdefault(channel, set()).add(subscription)
        else:
            self._routed.setdefault(channel, {}).setdefault(route, set()).add(subscription)
        return subscription

    def discard(self, subscription: Subscription) -> bool:
        """Remove one subscriber; True when its channel has no subscriber left."""
        channel, route = subscription.channel, subscription.route
        if route is None:
            subscribers = self._by_channel.get(channel)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._by_channel[channel]
        else:
            routes = self._routed.get(channel, {})
            subscribers = routes.get(route)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del routes[route]
                if not routes:
                    self._routed.pop(channel, None)
        return channel not in self._by_channel and channel not in self._routed

    def deliver(self, channel: str, message: dict[str, Any]) -> None:
        """Offer `message` to the subscribers of `channel` it concerns; detach the ones
        that overflow."""
        targets = list(self._by_channel.get(channel, ()))
        routes = self._routed.get(channel)
        if routes:
            if "orders" in message:
                for kind in ("orders", "shipments"):
                    for key in message.get(kind) or ():
                        targets.extend(routes.get((kind, key), ()))
            else:
                for subscribers in routes.values():
                    targets.extend(subscribers)
        for subscription in targets:
            if not subscription.offer(message):
                self.discard(subscription)

    def deliver_all(self, message: dict[str, Any]) -> None:
        """Offer `message` to every subscriber of every channel."""
        for channel in {*self._by_channel, *self._routed}:
            self.deliver(channel, message)

    def channels(self) -> list[str]:
        return list({*self._by_channel, *self._routed})

    def count(self, channel: str | None = None) -> int:
        if channel is not None:
            routed = self._routed.get(channel, {}).values()
            return len(self._by_channel.get(channel, ())) + sum(len(s) for s in routed)
        return sum(self.count(c) for c in self.channels())

    def clear(self) -> None:
        self._by_channel.clear()
        self._routed.clear()


class LocalSubscribers:
    """The half every broker shares: this process's subscribers, attached and counted.

    Brokers differ only in how a message reaches `_subscribers` (directly, or through Redis
    and back), so subscribing is the same dict insertion in each.
    """

    _subscribers: SubscriberSet

    @asynccontextmanager
    async def subscribe(
        self, channel: str, *, maxsize: int = 256, route: Route | None = None
    ) -> AsyncIterator[Subscription]:
        """A bounded inbox for `channel` (only its `route`'s notices), attached until the
        block exits."""
        subscription = self._subscribers.add(channel, maxsize, route)
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many local subscribers are attached (to one channel, or in all)."""
        return self._subscribers.count(channel)


@dataclass
class InProcessBroker(LocalSubscribers):
    """Fan-out inside one process: a dict of channel → subscribers."""

    _subscribers: SubscriberSet = field(default_factory=SubscriberSet)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._subscribers.clear()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        self._subscribers.deliver(channel, message)


def shop_channel(shop_id: Any) -> str:
    """The channel carrying every committed event notice of one shop."""
    return f"parcelgraph:shop:{shop_id}"


# Rung after a commit that owes webhook deliveries: workers in other processes wake at
# once instead of at their next poll (the rows are committed, so a lost ring costs at most
# one poll interval).
OUTBOX_CHANNEL = "parcelgraph:outbox"


def is_redis_url(url: str | None) -> bool:
    """Whether settings name a Redis broker (which also rings the webhook workers)."""
    return bool(url) and url.startswith(("redis://", "rediss://"))  # type: ignore[union-attr]


def create_broker(url: str | None) -> Broker:
    """The broker named by settings: in-process when no URL is set."""
    if not url or url.startswith("memory"):
        return InProcessBroker()
    if is_redis_url(url):
        from parcelgraph.pubsub_redis import RedisBroker

        return RedisBroker(url)
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]}")


async def publish_committed(broker: Broker, session_info: dict[str, Any]) -> None:
    """Publish the event notices a committed transaction recorded in `session.info`.

    Called only after COMMIT succeeded. A failure here loses nothing: subscribers resume
    from the event table by position, and webhooks come from the outbox.
    """
    owed = session_info.pop("outbox_committed", 0)
    if owed:
        try:
            await broker.publish(OUTBOX_CHANNEL, {"deliveries": owed})
        except Exception:
            logger.exception("ringing the webhook workers failed; they will poll")
    notices: list[dict[str, Any]] = session_info.pop("committed_events", [])
    by_shop: dict[str, list[dict[str, Any]]] = {}
    for notice in notices:
        by_shop.setdefault(str(notice["shop_id"]), []).append(notice)
    for shop_id, items in by_shop.items():
        message = {
            "positions": [n["position"] for n in items],
            "orders": sorted({str(n["order_id"]) for n in items}),
            "shipments": sorted({str(n["shipment_id"]) for n in items if n.get("shipment_id")}),
        }
        try:
            await broker.publish(shop_channel(shop_id), message)
        except Exception:
            logger.exception("publishing committed events failed; subscribers will catch up")
