# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""R1: the product server's resident memory after many Q1 requests vs after the first 1,000.

A server that leaks per request (or keeps per-request garbage for the cyclic collector)
grows with the request count; one that frees each request's objects stays flat. The target
is RSS after 100,000 requests within 10% of RSS after the first 1,000; `--memory-requests`
takes a shorter run (e.g. 10000 while developing), and the table says how many were made.
"""

import random
from typing import Any

from scripts.bench import bodies
from scripts.bench.env import Bench
from scripts.bench.load import closed_loop
from scripts.bench.reads import _graphql, _order_numbers
from scripts.bench.report import Series, Table

WARM = 1_000
TARGET_REQUESTS = 100_000


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise LookupError("no VmRSS")


async def _serve(bench: Bench, pick: list[str], until: int, done: int) -> int:
    port = bench.product.port
    while done < until:
        offset = done

        def make(i: int, offset: int = offset) -> Any:
            return _graphql(bench, port, bodies.Q1, {"number": pick[(offset + i) % len(pick)]})

        result = await closed_loop(port, make, concurrency=32, seconds=2.0)
        assert set(result.statuses) <= {200}, result.statuses  # none at all: a slow round
        done += result.requests
    return done


async def r1(bench: Bench) -> Table:
    rng = random.Random(2)
    numbers = _order_numbers(bench)
    pick = [rng.choice(numbers) for _ in range(4096)]
    pid = bench.product.process.pid
    done = await _serve(bench, pick, WARM, 0)
    warm = Series(f"RSS after {done:,} requests", "MiB", [_rss_kib(pid) / 1024])
    done = await _serve(bench, pick, bench.memory_requests, done)
    later = Series(f"RSS after {done:,} requests", "MiB", [_rss_kib(pid) / 1024])
    growth = later.values[0] / warm.values[0]
    shorter = (
        "" if done >= TARGET_REQUESTS else f" (a shorter run than the target's {TARGET_REQUESTS:,})"
    )
    return Table(
        "R1",
        f"product server memory under Q1 traffic, c=32: {done:,} requests",
        bench.pinning,
        later,
        [warm],
        counts=[
            f"RSS {warm.values[0]:.1f} → {later.values[0]:.1f} MiB ({growth - 1:+.1%}): "
            f"{'within' if growth <= 1.10 else 'NOT within'} 10% after {done:,} requests{shorter}"
        ],
        target="RSS after 100k requests within 10% of RSS after 1k (ratio ≤ 1.10×)",
        summary_note=f"after {done:,} requests{shorter}",
        notes=[
            "one measurement per point (not rounds); ratio = later RSS / RSS after the warm-up.",
            f"{bench.memory_requests:,} requests asked for (--memory-requests); "
            f"the target's count is {TARGET_REQUESTS:,}.",
        ],
    )
