"""Broadcast of committed events to live subscribers.

Messages are small notices ("these event positions were committed for this shop/order"),
never whole rows: each subscriber loads what it may see. The in-process broker is the
embedded default; a Redis broker fans out across processes (chosen by settings).

Nothing here is needed for correctness of storage: events are committed before they are
published, and subscribers catch up from the event table by position.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class SubscriberTooSlow(Exception):
    """A subscriber's bounded queue overflowed; it is dropped instead of slowing others."""


@dataclass(eq=False)
class Subscription:
    """One subscriber's bounded inbox."""

    channel: str
    queue: asyncio.Queue[dict[str, Any]]
    overflowed: bool = False

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            message = await self.queue.get()
            if self.overflowed and self.queue.empty():
                raise SubscriberTooSlow(self.channel)
            yield message

    def offer(self, message: dict[str, Any]) -> None:
        """Enqueue without waiting; mark the subscriber as too slow when full."""
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True


class Broker(Protocol):
    """What the app needs from a pub/sub backend."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...
    def subscribe(self, channel: str, *, maxsize: int = 256) -> Any: ...


@dataclass
class InProcessBroker:
    """Fan-out inside one process: a dict of channel → subscribers."""

    _subscribers: dict[str, set[Subscription]] = field(default_factory=dict)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._subscribers.clear()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        for subscription in tuple(self._subscribers.get(channel, ())):
            subscription.offer(message)

    @asynccontextmanager
    async def subscribe(self, channel: str, *, maxsize: int = 256) -> AsyncIterator[Subscription]:
        subscription = Subscription(channel, asyncio.Queue(maxsize=maxsize))
        self._subscribers.setdefault(channel, set()).add(subscription)
        try:
            yield subscription
        finally:
            subscribers = self._subscribers.get(channel)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[channel]

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many subscribers are attached (to one channel, or in all)."""
        if channel is not None:
            return len(self._subscribers.get(channel, ()))
        return sum(len(s) for s in self._subscribers.values())


def shop_channel(shop_id: Any) -> str:
    """The channel carrying every committed event notice of one shop."""
    return f"parcelgraph:shop:{shop_id}"


def create_broker(url: str | None) -> Broker:
    """The broker named by settings: in-process when no URL is set."""
    if not url or url.startswith("memory"):
        return InProcessBroker()
    if url.startswith(("redis://", "rediss://")):
        from parcelgraph.pubsub_redis import RedisBroker

        return RedisBroker(url)
    raise ValueError(f"unsupported broker URL scheme: {url.split(':', 1)[0]}")


async def publish_committed(broker: Broker, session_info: dict[str, Any]) -> None:
    """Publish the event notices a committed transaction recorded in `session.info`.

    Called only after COMMIT succeeded. A failure here loses nothing: subscribers resume
    from the event table by position, and webhooks come from the outbox.
    """
    notices: list[dict[str, Any]] = session_info.pop("committed_events", [])
    by_shop: dict[str, list[dict[str, Any]]] = {}
    for notice in notices:
        by_shop.setdefault(str(notice["shop_id"]), []).append(notice)
    for shop_id, items in by_shop.items():
        message = {
            "positions": [n["position"] for n in items],
            "orders": sorted({str(n["order_id"]) for n in items}),
        }
        try:
            await broker.publish(shop_channel(shop_id), message)
        except Exception:
            logger.exception("publishing committed events failed; subscribers will catch up")
