# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""Q1 (one order over HTTP), Q2 (a nested page over HTTP), Q3 (parse+validate cache)."""

import json
import random
import sqlite3
import time
from typing import Any

import orjson

from scripts.bench import bodies
from scripts.bench.env import Bench
from scripts.bench.load import Request, closed_loop, one
from scripts.bench.report import Series, Table, percentile


def _order_numbers(bench: Bench) -> list[str]:
    conn = sqlite3.connect(bench.sqlite_path)
    numbers = [
        r[0]
        for r in conn.execute(
            "SELECT order_number FROM orders WHERE order_number LIKE 'B%' ORDER BY order_number"
        )
    ]
    conn.close()
    return numbers


def _graphql(bench: Bench, port: int, query: str, variables: dict[str, Any]) -> Request:
    body = orjson.dumps({"query": query, "variables": variables})
    return Request.build(
        port, "POST", bench.graphql_path, body, {"Authorization": bench.authorization}
    )


def _get(bench: Bench, port: int, path: str) -> Request:
    return Request.build(
        port, "GET", f"/{bench.slug}{path}", headers={"Authorization": bench.authorization}
    )


async def _check_same(bench: Bench, product: Request, others: dict[str, tuple[int, Request]]):
    status, body = await one(bench.product.port, product)
    expected = json.loads(body)
    assert status == 200 and "errors" not in expected, body[:500]
    sizes = {"parcelgraph": len(body)}
    for name, (port, request) in others.items():
        status, got = await one(port, request)
        same = status == 200 and json.loads(got)["data"] == expected["data"]
        assert same, f"{name} data differs from the API's"
        sizes[name] = len(got)
    # The API adds extensions.cost (the rate-limit budget) to every answer.
    return ", ".join(f"{name} {size:,}" for name, size in sizes.items())


def _series(names: list[str], unit: str = "req/s") -> dict[str, Series]:
    return {n: Series(n, unit) for n in names}


async def _rounds(
    bench: Bench, systems: dict[str, tuple[int, Any]], *, concurrency: int, seconds: float
) -> tuple[dict[str, Series], dict[str, list[float]]]:
    series = _series(list(systems))
    latencies: dict[str, list[float]] = {n: [] for n in systems}
    for _ in range(bench.rounds):
        for name, (port, make) in systems.items():
            result = await closed_loop(port, make, concurrency=concurrency, seconds=seconds)
            bad = {s: c for s, c in result.statuses.items() if s != 200}
            assert not bad, f"{name}: non-200 answers {bad}: {result.last_body[:300]!r}"
            series[name].values.append(result.rate)
            latencies[name].extend(result.latencies)
    for name, lat in latencies.items():
        series[name].extra.append(
            f"p50 {percentile(lat, 0.5) * 1e3:.1f} ms, p99 {percentile(lat, 0.99) * 1e3:.1f} ms"
        )
    return series, latencies


async def q1(bench: Bench) -> Table:
    numbers = _order_numbers(bench)
    rng = random.Random(1)
    pick = [rng.choice(numbers) for _ in range(4096)]
    p, r, w = bench.product.port, bench.rest.port, bench.raw.port
    a = bench.server("asgi").port
    size = await _check_same(
        bench,
        _graphql(bench, p, bodies.Q1, {"number": pick[0]}),
        {
            "rest": (r, _get(bench, r, f"/order?number={pick[0]}")),
            "raw-sql": (w, _get(bench, w, f"/order?number={pick[0]}")),
        },
    )
    statements = await bench.count_statements(bodies.Q1, {"number": pick[0]})
    systems = {
        "parcelgraph": (p, lambda i: _graphql(bench, p, bodies.Q1, {"number": pick[i % 4096]})),
        "rest": (r, lambda i: _get(bench, r, f"/order?number={pick[i % 4096]}")),
        "raw-sql": (w, lambda i: _get(bench, w, f"/order?number={pick[i % 4096]}")),
        "asgi hello JSON (transport floor)": (a, lambda i: _get(bench, a, "/hello")),
    }
    series, _ = await _rounds(bench, systems, concurrency=32, seconds=bench.seconds)
    return Table(
        "Q1",
        "order(orderNumber:) with shipments, events, products; HTTP, c=32",
        bench.pinning,
        series["parcelgraph"],
        [series["rest"], series["raw-sql"], series["asgi hello JSON (transport floor)"]],
        counts=[
            f"SQL statements per request: {statements} (including the API-key lookup)",
            f"bytes per response: {size} (same `data` from all three, checked)",
        ],
        target="≥ 1.0× rest (and ≥ 0.5× PostGraphile 4 on PostgreSQL); ≤ 4 SQL statements",
    )


async def q2(bench: Bench) -> Table:
    p, r, w = bench.product.port, bench.rest.port, bench.raw.port
    counts = []
    for first in (10, 50, 100):
        statements = await bench.count_statements(bodies.Q2, {"first": first})
        size = await _check_same(
            bench,
            _graphql(bench, p, bodies.Q2, {"first": first}),
            {
                "rest": (r, _get(bench, r, f"/orders?first={first}")),
                "raw-sql": (w, _get(bench, w, f"/orders?first={first}")),
            },
        )
        counts.append(f"page {first}: {statements} SQL statements; bytes per response: {size}")
    systems = {
        "parcelgraph": (p, lambda i: _graphql(bench, p, bodies.Q2, {"first": 50})),
        "rest": (r, lambda i: _get(bench, r, "/orders?first=50")),
        "raw-sql": (w, lambda i: _get(bench, w, "/orders?first=50")),
    }
    series, _ = await _rounds(bench, systems, concurrency=16, seconds=bench.seconds)
    engine = Series("graphql-core in-process (engine floor, no HTTP, no DB)", "req/s")
    for _ in range(bench.rounds):
        engine.values.append(_graphql_core_rate(bench, 50, bench.seconds / 2))
    return Table(
        "Q2",
        "50-order nested page (orders(first: 50)); HTTP, c=16",
        bench.pinning,
        series["parcelgraph"],
        [series["rest"], series["raw-sql"], engine],
        counts=counts,
        target="≥ 0.5× rest; statements constant in page size",
        notes=[
            "graphql-core executes the same document on the same SDL over pre-fetched "
            "dicts in the load-generator process, single-threaded: an engine floor."
        ],
    )


def _graphql_core_rate(bench: Bench, first: int, seconds: float) -> float:
    from graphql import build_schema, execute_sync, parse

    from parcelgraph.schema.root import schema

    gql_schema = build_schema(schema.as_str())
    conn = sqlite3.connect(bench.sqlite_path)
    run = lambda sql, params: conn.execute(sql, params).fetchall()  # noqa: E731
    rows = run(bodies.ORDER_PAGE_SQL, (bench.shop_hex, first))
    root = {"orders": {"edges": [{"node": n} for n in bodies.orders_body(rows, run)]}}
    document = parse(bodies.Q2)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        result = execute_sync(gql_schema, document, root, variable_values={"first": first})
        orjson.dumps({"data": result.data})
        count += 1
    return count / (time.perf_counter() - started)


async def q3(bench: Bench) -> Table:
    from graphql import parse, specified_rules
    from strawberry.extensions.parser_cache import _get_parse_cache
    from strawberry.extensions.validation_cache import _get_validate_cache
    from strawberry.schema.schema import validate_document

    from parcelgraph.config import Settings
    from parcelgraph.schema.hardening.extensions import CACHE_SIZE
    from parcelgraph.schema.hardening.limits import Limits, rules_for
    from parcelgraph.schema.root import schema

    gql_schema = schema._schema
    rules = (*specified_rules, *rules_for(Limits.from_settings(Settings())))
    cached_parse, cached_validate = _get_parse_cache(CACHE_SIZE), _get_validate_cache(CACHE_SIZE)

    def uncached(doc: str) -> None:
        validate_document(gql_schema, parse(doc), rules)

    def cached(doc: str) -> None:
        cached_validate(gql_schema, cached_parse(doc), rules)

    uncached_s, cached_s = Series("uncached parse+validate", "µs"), Series("cached", "µs")
    n = 200
    for _ in range(bench.rounds):
        for series, fn in ((uncached_s, uncached), (cached_s, cached)):
            started = time.perf_counter()
            for _ in range(n):
                fn(bodies.Q2)
            series.values.append((time.perf_counter() - started) / n * 1e6)
    removed = [1 - c / u for c, u in zip(cached_s.values, uncached_s.values, strict=True)]
    removed.sort()
    return Table(
        "Q3",
        "parse+validate of the Q2 document: product caches vs uncached (in-process)",
        bench.pinning,
        cached_s,
        [uncached_s],
        lower_is_better=True,
        counts=[
            f"share of parse+validate time removed by the caches: median "
            f"{removed[len(removed) // 2]:.1%} (min {removed[0]:.1%}, max {removed[-1]:.1%})"
        ],
        target="cache removes ≥ 95% of parse+validate time",
        notes=["ratio here is uncached time / cached time (how many times faster)."],
    )
