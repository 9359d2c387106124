"""The leaky bucket: exhaustion, recovery with an injected clock, and one budget in Redis."""

import uuid

import pytest

from parcelgraph.ratelimit import MemoryRateLimiter, RedisRateLimiter, create_rate_limiter
from tests.conftest import REDIS_URL


class Seconds:
    """A float clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_bucket_exhausts_then_recovers_at_the_restore_rate() -> None:
    clock = Seconds()
    limiter = MemoryRateLimiter(capacity=100, restore_per_second=10, clock=clock)

    first = await limiter.take("k", 60)
    second = await limiter.take("k", 60)

    assert (first.allowed, first.available) == (True, 40.0)
    assert (second.allowed, second.available, second.retry_after) == (False, 40.0, 2.0)
    assert second.retry_after_seconds == 2
    clock.now += 2
    third = await limiter.take("k", 60)
    assert (third.allowed, third.available) == (True, 0.0)
    clock.now += 1000
    assert (await limiter.take("k", 0)).available == 100.0  # never above capacity


async def test_memory_buckets_are_per_key_and_refunds_cap_at_capacity() -> None:
    limiter = MemoryRateLimiter(capacity=10, restore_per_second=1, clock=Seconds())

    await limiter.take("a", 10)
    other = await limiter.take("b", 10)
    refunded = await limiter.refund("a", 25)

    assert other.allowed is True
    assert refunded.available == 10.0


async def test_a_cost_above_capacity_is_charged_as_a_full_bucket() -> None:
    limiter = MemoryRateLimiter(capacity=10, restore_per_second=1, clock=Seconds())

    status = await limiter.take("a", 50)

    assert (status.allowed, status.available) == (True, 0.0)


def test_without_a_redis_url_the_limiter_is_in_process() -> None:
    limiter = create_rate_limiter(None, capacity=1, restore_per_second=1)

    assert isinstance(limiter, MemoryRateLimiter)


@pytest.mark.redis
async def test_two_redis_limiters_share_one_budget() -> None:
    clock = Seconds()
    namespace = f"test:{uuid.uuid4().hex}"
    one = create_rate_limiter(
        REDIS_URL, capacity=100, restore_per_second=10, clock=clock, namespace=namespace
    )
    two = create_rate_limiter(
        REDIS_URL, capacity=100, restore_per_second=10, clock=clock, namespace=namespace
    )
    assert isinstance(one, RedisRateLimiter)
    try:
        a = await one.take("key", 70)
        b = await two.take("key", 70)
        clock.now += 4
        c = await two.take("key", 70)

        assert (a.allowed, a.available) == (True, 30.0)
        assert (b.allowed, b.available, b.retry_after) == (False, 30.0, 4.0)
        assert (c.allowed, c.available) == (True, 0.0)
    finally:
        await one.close()
        await two.close()


@pytest.mark.redis
async def test_another_process_spends_from_the_same_redis_bucket() -> None:
    import subprocess
    import sys

    namespace = f"test:{uuid.uuid4().hex}"
    child = (
        "import asyncio\n"
        "from parcelgraph.ratelimit import RedisRateLimiter\n"
        "async def main():\n"
        f"    limiter = RedisRateLimiter({REDIS_URL!r}, capacity=100, restore_per_second=10,"
        f" clock=lambda: 1000000.0, namespace={namespace!r})\n"
        "    status = await limiter.take('key', 70)\n"
        "    await limiter.close()\n"
        "    print(status.allowed, status.available)\n"
        "asyncio.run(main())\n"
    )
    output = subprocess.run(  # noqa: ASYNC221 (a separate interpreter: nothing shared but Redis)
        [sys.executable, "-c", child], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    here = RedisRateLimiter(
        REDIS_URL,
        capacity=100,
        restore_per_second=10,
        clock=lambda: 1_000_000.0,
        namespace=namespace,
    )
    try:
        status = await here.take("key", 70)
    finally:
        await here.close()

    assert output == "True 30.0"
    assert (status.allowed, status.available) == (False, 30.0)
