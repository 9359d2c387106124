# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""A1: an authenticated request's latency while anonymous callers send oversized documents.

The attack is the hardening issue's: a 21 KB document of 400 aliased `trackOrder` fields,
sent anonymously from four connections as fast as the server answers. Without limits each
one cost about a second of validation; with them it is refused before validation and
charged to the caller's budget, and once that budget is empty the caller is refused
before parsing (HTTP 429). The victim is an authenticated `{ shop { slug } }` from one
connection; its latency is measured quiet and under attack in alternating rounds.

Unlike the other workloads, A1 runs its own API server with real rate limits: the default
bucket of 2,000 points, restored at 1,000 points/s (the default 100/s would throttle the
victim's own ~300 requests/s, each costing 2).
"""

import asyncio

import orjson

from scripts.bench.env import Bench
from scripts.bench.load import Request, closed_loop, start_server
from scripts.bench.report import Series, Table, percentile

VICTIM = "{ shop { slug } }"
ALIASES = 400
ATTACKERS = 4


def attack_document() -> str:
    fields = " ".join(
        f'a{i}: trackOrder(orderNumber: "X-{i}", zipCode: "10115") {{ orderNumber }}'
        for i in range(ALIASES)
    )
    return "{ " + fields + " }"


LIMITS = {"PARCELGRAPH_RATE_LIMIT_CAPACITY": "2000",
          "PARCELGRAPH_RATE_LIMIT_RESTORE_PER_SECOND": "1000"}  # fmt: skip


async def a1(bench: Bench) -> Table:
    env = {**bench.product_env, **LIMITS}
    server = start_server("product", env, bench.logdir, health="/healthz")
    try:
        return await _measure(bench, server.port)
    finally:
        server.stop()


async def _measure(bench: Bench, port: int) -> Table:
    victim = Request.build(
        port, "POST", bench.graphql_path, orjson.dumps({"query": VICTIM}),
        {"Authorization": bench.authorization},
    )  # fmt: skip
    attack = Request.build(
        port, "POST", bench.graphql_path, orjson.dumps({"query": attack_document()})
    )
    quiet = Series("quiet p50", "ms")
    loud = Series("under attack p50", "ms")
    quiet99, loud99 = Series("quiet p99", "ms"), Series("under attack p99", "ms")
    refused: dict[int, int] = {}
    refusal = b""
    for _ in range(bench.rounds):
        alone = await closed_loop(port, lambda i: victim, concurrency=1, seconds=bench.seconds)
        attacked, hostile = await asyncio.gather(
            closed_loop(port, lambda i: victim, concurrency=1, seconds=bench.seconds),
            closed_loop(port, lambda i: attack, concurrency=ATTACKERS, seconds=bench.seconds),
        )
        assert set(alone.statuses) == {200} and set(attacked.statuses) == {200}
        for status, count in hostile.statuses.items():
            refused[status] = refused.get(status, 0) + count
        refusal = hostile.last_body
        # A request error is a 200 with `errors` and no data; a throttled caller gets 429.
        assert b'"a0"' not in refusal and b'"errors"' in refusal, refusal[:300]
        quiet.values.append(percentile(alone.latencies, 0.5) * 1e3)
        loud.values.append(percentile(attacked.latencies, 0.5) * 1e3)
        quiet99.values.append(percentile(alone.latencies, 0.99) * 1e3)
        loud99.values.append(percentile(attacked.latencies, 0.99) * 1e3)
    code = orjson.loads(refusal)["errors"][0]["extensions"]["code"]
    return Table(
        "A1",
        f"authenticated {VICTIM} latency, c=1, quiet vs {ATTACKERS} anonymous connections "
        f"sending {ALIASES}-alias trackOrder documents",
        bench.pinning,
        loud,
        [quiet],
        counts=[
            f"attack answers by HTTP status: {dict(sorted(refused.items()))}; "
            f"none executed (last refusal: {code})",
            f"p99 quiet {quiet99.median:.1f} ms, under attack {loud99.median:.1f} ms (medians)",
        ],
        notes=["ratio = latency under attack / quiet latency: lower is better."],
        target="under attack within 1.5× of the quiet figure (ratio ≤ 1.5×)",
    )
