"""Leaky-bucket rate limiting of cost points, in-process or shared through Redis.

A bucket holds up to `capacity` points and refills at `restore_per_second`. A caller spends
points (a query's cost, or 1 per anonymous lookup); when the bucket holds fewer points than
asked, nothing is spent and the answer says how long to wait. This is Shopify's model
("leaky bucket": the bucket fills with spent points and leaks them at the restore rate).

    limiter = create_rate_limiter(None, capacity=2000, restore_per_second=100, clock=time.time)
    status = await limiter.take("key:4f2c...", 37)
    if not status.allowed:
        ...  # refuse, with Retry-After: status.retry_after_seconds

One limiter instance per kind of budget (a `namespace` keeps their keys apart). The clock is
injected (seconds as a float) so tests move time explicitly; with Redis every process must
use the same wall clock (time.time), which a shared budget needs anyway.

This module is framework-free: the GraphQL layer and any use case may import it.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

SecondsClock = Callable[[], float]


@dataclass(frozen=True)
class BucketStatus:
    """The outcome of one take (or a look at the bucket)."""

    allowed: bool
    capacity: float
    available: float  # points left after this take (unchanged when refused)
    restore_per_second: float
    retry_after: float  # seconds until the refused cost fits; 0 when allowed

    @property
    def retry_after_seconds(self) -> int:
        """Retry-After as whole seconds (at least 1 when refused)."""
        return max(1, math.ceil(self.retry_after)) if not self.allowed else 0


class RateLimiter(Protocol):
    """A set of buckets keyed by caller."""

    capacity: float
    restore_per_second: float

    async def take(self, key: str, cost: float) -> BucketStatus:
        """Spend `cost` points from `key`'s bucket if it holds them; else spend nothing."""
        ...

    async def refund(self, key: str, points: float) -> BucketStatus:
        """Give back points that were taken but not used (never above capacity)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def _refill(available: float, updated: float, now: float, capacity: float, rate: float) -> float:
    if now <= updated:
        return available
    return min(capacity, available + (now - updated) * rate)


def _decide(available: float, cost: float, capacity: float, rate: float) -> BucketStatus:
    # A cost above the capacity could never fit: it is charged as a full bucket instead.
    cost = min(cost, capacity)
    if cost <= available:
        return BucketStatus(True, capacity, available - cost, rate, 0.0)
    wait = (cost - available) / rate if rate > 0 else math.inf
    return BucketStatus(False, capacity, available, rate, wait)


class MemoryRateLimiter:
    """Buckets in this process's memory (one server process: the embedded default)."""

    def __init__(
        self,
        *,
        capacity: float,
        restore_per_second: float,
        clock: SecondsClock = time.time,
        max_keys: int = 100_000,
    ) -> None:
        self.capacity = float(capacity)
        self.restore_per_second = float(restore_per_second)
        self._clock = clock
        self._max_keys = max_keys
        # key -> (available, updated_at); least recently used first, so eviction is O(1).
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _current(self, key: str, now: float) -> float:
        state = self._buckets.get(key)
        if state is None:
            return self.capacity
        return _refill(state[0], state[1], now, self.capacity, self.restore_per_second)

    def _store(self, key: str, available: float, now: float) -> None:
        self._buckets[key] = (available, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self._max_keys:
            # The least recently used bucket has refilled the longest: forgetting it costs
            # the caller at most the points it had not yet regained.
            self._buckets.popitem(last=False)

    async def take(self, key: str, cost: float) -> BucketStatus:
        now = self._clock()
        available = self._current(key, now)
        status = _decide(available, cost, self.capacity, self.restore_per_second)
        self._store(key, status.available, now)
        return status

    async def refund(self, key: str, points: float) -> BucketStatus:
        now = self._clock()
        available = min(self.capacity, self._current(key, now) + max(0.0, points))
        self._store(key, available, now)
        return BucketStatus(True, self.capacity, available, self.restore_per_second, 0.0)

    async def close(self) -> None:
        self._buckets.clear()


# KEYS[1] bucket; ARGV: capacity, rate, now, cost (negative = refund). Returns
# {allowed (0/1), available as a string} (Lua numbers would be truncated to integers).
_TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'a', 't')
local available = tonumber(state[1])
local updated = tonumber(state[2])
if available == nil or updated == nil then
  available = capacity
  updated = now
end
if now > updated then
  available = math.min(capacity, available + (now - updated) * rate)
  updated = now
end
if cost > capacity then cost = capacity end
local allowed = 0
if cost <= available then
  available = math.min(capacity, available - cost)
  allowed = 1
end
redis.call('HSET', KEYS[1], 'a', string.format('%.17g', available),
           't', string.format('%.17g', updated))
local ttl = 1000
if rate > 0 then ttl = math.ceil((capacity - available) / rate * 1000) + 1000 end
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, string.format('%.17g', available)}
"""


class RedisRateLimiter:
    """Buckets in Redis, updated by one Lua script (atomic), shared by every process."""

    def __init__(
        self,
        url: str,
        *,
        capacity: float,
        restore_per_second: float,
        clock: SecondsClock = time.time,
        namespace: str = "parcelgraph:ratelimit",
    ) -> None:
        from redis.asyncio import Redis  # imported here: Redis is optional at runtime

        self.capacity = float(capacity)
        self.restore_per_second = float(restore_per_second)
        self._clock = clock
        self._namespace = namespace
        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(_TAKE_SCRIPT)

    async def _run(self, key: str, cost: float) -> tuple[bool, float]:
        allowed, available = await self._script(
            keys=[f"{self._namespace}:{key}"],
            args=[
                repr(self.capacity),
                repr(self.restore_per_second),
                repr(self._clock()),
                repr(float(cost)),
            ],
        )
        return bool(int(allowed)), float(available)

    async def take(self, key: str, cost: float) -> BucketStatus:
        allowed, available = await self._run(key, cost)
        if allowed:
            return BucketStatus(True, self.capacity, available, self.restore_per_second, 0.0)
        return _decide(available, cost, self.capacity, self.restore_per_second)

    async def refund(self, key: str, points: float) -> BucketStatus:
        _, available = await self._run(key, -max(0.0, points))
        return BucketStatus(True, self.capacity, available, self.restore_per_second, 0.0)

    async def close(self) -> None:
        await self._redis.aclose()


def api_key_bucket(key_id: object) -> str:
    """The bucket of an API key. Every face (GraphQL, MCP) spends from it: one budget per key."""
    return f"key:{key_id}"


def throttled_message(cost: float, status: BucketStatus) -> str:
    """The words of a THROTTLED refusal, the same in every face."""
    return (
        f"Throttled: this query costs {cost:g} points and {math.floor(status.available)} "
        f"are available; retry in {status.retry_after_seconds} s."
    )


def create_rate_limiter(
    broker_url: str | None,
    *,
    capacity: float,
    restore_per_second: float,
    clock: SecondsClock = time.time,
    namespace: str = "parcelgraph:ratelimit",
) -> RateLimiter:
    """In-process buckets, or Redis buckets when `broker_url` is a redis:// URL."""
    if broker_url and broker_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisRateLimiter(
            broker_url,
            capacity=capacity,
            restore_per_second=restore_per_second,
            clock=clock,
            namespace=namespace,
        )
    return MemoryRateLimiter(capacity=capacity, restore_per_second=restore_per_second, clock=clock)
