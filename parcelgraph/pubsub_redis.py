"""Redis pub/sub broker: fans committed-event notices out across server processes.

One `PubSub` connection per process pattern-subscribes to every parcelgraph channel, and one
pump task pushes each message into the bounded inboxes of this process's subscribers (the
same `Subscription` objects as the in-process broker, so a slow subscriber is detached the
same way). Subscribing locally is then a dict insertion, effective at once: the "subscribe
first, then replay" hand-over of the streams needs exactly that. The price is that every
process sees every shop's notices; they are a few bytes each.

Redis pub/sub is at-most-once. Whenever the pub/sub connection is (re)established after the
first time, every local subscriber gets `RESYNC` and catches up from the event table by
position, so a Redis restart loses nothing. redis-py may reconnect silently inside `listen`
and re-subscribe; that also produces a `psubscribe` confirmation, which is what we watch. A
failed publish is delivered locally at once and retried as a `RESYNC` on its channel.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from parcelgraph.pubsub import RESYNC, LocalSubscribers, SubscriberSet

logger = logging.getLogger(__name__)

CHANNEL_PATTERN = "parcelgraph:*"


class RedisBroker(LocalSubscribers):
    """Cross-process broker over Redis pub/sub, with reconnects and catch-up signals."""

    def __init__(
        self,
        url: str,
        *,
        pattern: str = CHANNEL_PATTERN,
        backoff_initial: float = 0.05,
        backoff_max: float = 2.0,
        socket_timeout: float = 5.0,
    ) -> None:
        self.url = url
        self.pattern = pattern
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self._socket_timeout = socket_timeout
        self._subscribers = SubscriberSet()
        self._redis: Redis | None = None
        self._pump_task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._subscriptions_confirmed = 0
        self._unpublished: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.reconnects = 0

    async def start(self) -> None:
        """Connect and start the pump; returns once the pattern subscription is live
        (or after a few seconds, if Redis is down: the pump keeps trying)."""
        self._redis = Redis.from_url(
            self.url,
            socket_connect_timeout=self._socket_timeout,
            socket_keepalive=True,
            health_check_interval=10,
        )
        self._pump_task = asyncio.create_task(self._pump(), name="parcelgraph-redis-pump")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), timeout=self._socket_timeout)

    async def aclose(self) -> None:
        """Stop the pump and close the Redis connections."""
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pump_task
            self._pump_task = None
        for task in list(self._tasks):
            task.cancel()
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        self._subscribers.clear()

    async def close(self) -> None:
        await self.aclose()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Publish to every process; on failure deliver locally and retry as a RESYNC."""
        assert self._redis is not None, "broker not started"
        try:
            await asyncio.wait_for(
                self._redis.publish(channel, json.dumps(message)), self._socket_timeout
            )
        except (RedisError, OSError, TimeoutError):
            logger.warning("Redis publish failed on %s; will resync subscribers", channel)
            self._subscribers.deliver(channel, message)
            self._unpublished.add(channel)
            return
        if self._unpublished:
            self._spawn(self._flush_unpublished())

    @property
    def connected(self) -> bool:
        """True while the pattern subscription is live."""
        return self._connected.is_set()

    async def _pump(self) -> None:
        delay = self.backoff_initial
        while True:
            assert self._redis is not None
            pubsub = self._redis.pubsub(ignore_subscribe_messages=False)
            try:
                await pubsub.psubscribe(self.pattern)
                async for raw in pubsub.listen():
                    self._handle(raw)
                    delay = self.backoff_initial
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                if self._connected.is_set():
                    logger.warning("Redis pub/sub connection lost (%s); reconnecting", error)
            finally:
                self._connected.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.backoff_max)

    def _handle(self, raw: dict[str, Any]) -> None:
        kind = raw.get("type")
        if kind == "psubscribe":
            self._on_subscribed()
        elif kind == "pmessage":
            channel = _text(raw["channel"])
            try:
                message = json.loads(raw["data"])
            except (TypeError, ValueError):
                logger.warning("ignoring a malformed notice on %s", channel)
                return
            self._subscribers.deliver(channel, message)

    def _on_subscribed(self) -> None:
        self._connected.set()
        self._subscriptions_confirmed += 1
        if self._subscriptions_confirmed == 1:
            return
        # A (re)connect: anything published meanwhile is gone, so everyone catches up.
        self.reconnects += 1
        logger.info("Redis pub/sub reconnected; resyncing %d subscribers", self.subscriber_count())
        self._subscribers.deliver_all(RESYNC)
        if self._unpublished:
            self._spawn(self._flush_unpublished())

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush_unpublished(self) -> None:
        # Notices that never reached Redis: tell the other processes to catch up on those
        # channels (they may have kept their own connection and so never resynced).
        assert self._redis is not None
        for channel in list(self._unpublished):
            try:
                await self._redis.publish(channel, json.dumps(RESYNC))
            except (RedisError, OSError):
                return
            self._unpublished.discard(channel)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
