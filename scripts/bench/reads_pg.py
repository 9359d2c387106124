# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""Q1-PG and Q2-PG: Q1 and Q2 on the PostgreSQL copy, beside the REST baseline on
PostgreSQL and the peer, PostGraphile 4.

Needs `BENCH_POSTGRES_URL` (see postgres.py); the PostGraphile rows also need Node.js and
npm (see peer.py). Without Node the parcelgraph and REST rows still run.
"""

import json
import random
import uuid
from collections.abc import Callable
from typing import Any

import orjson

from scripts.bench import bodies, peer
from scripts.bench.env import Bench
from scripts.bench.load import Request, closed_loop, one
from scripts.bench.reads import _order_numbers, _rounds
from scripts.bench.report import Table

PEER = "PostGraphile 4"
CHECKED = 3  # requests whose answers are compared across the systems before measuring
PG_NOTE = (
    "all three read the same PostgreSQL database (a row-for-row copy of the seeded SQLite "
    "data); PostgreSQL's own processes are not pinned."
)


def _post(port: int, path: str, query: str, variables: dict[str, Any], key: str = "") -> Request:
    body = orjson.dumps({"query": query, "variables": variables})
    return Request.build(port, "POST", path, body, {"Authorization": key} if key else None)


def _get(port: int, path: str, key: str) -> Request:
    return Request.build(port, "GET", path, headers={"Authorization": key})


async def _data(port: int, request: Request, name: str) -> tuple[dict[str, Any], int]:
    status, body = await one(port, request)
    answer = json.loads(body)
    assert status == 200 and "errors" not in answer, f"{name}: {body[:500]!r}"
    return answer["data"], len(body)


Maker = Callable[[int, int], Request]  # (port, request number) -> request


async def _systems(
    bench: Bench, product: Maker, rest: Maker, peer_request: Maker
) -> tuple[dict[str, Any], str]:
    """Name -> (port, request maker), the peer only where it can run; the same data checked
    first. Also the response sizes."""
    makers = {"parcelgraph (PostgreSQL)": ("product", product), "rest (PostgreSQL)": ("rest", rest)}
    if peer.skip_reason() is None:
        makers[PEER] = ("postgraphile", peer_request)
    systems, sizes, expected = {}, [], {}
    for name, (kind, make) in makers.items():
        port = bench.pg_server(kind).port
        for i in reversed(range(CHECKED)):  # request 0 last: its size is the one printed
            data, size = await _data(port, make(port, i), name)
            data = peer.as_parcelgraph(data) if kind == "postgraphile" else data
            assert data == expected.setdefault(i, data), f"{name}'s data differs (request {i})"
        sizes.append(f"{name} {size:,}")
        systems[name] = (port, lambda i, make=make, port=port: make(port, i))
    return systems, ", ".join(sizes)


async def _warm(systems: dict[str, Any]) -> None:
    """One unmeasured second per system first (4 connections, so a slow Q2 ends soon after):
    Node's JIT and every cache get warm."""
    for port, make in systems.values():
        await closed_loop(port, make, concurrency=4, seconds=1.0)


def _notes(bench: Bench, systems: dict[str, Any]) -> list[str]:
    notes = [PG_NOTE]
    if PEER in systems:
        notes.append(
            f"{PEER} is postgraphile {bench.peer_version} (npm, Node), NODE_ENV=production, "
            f"flags {' '.join(peer.ARGS)}; it authenticates nobody (its authors' way is a "
            "JWT checked in-process), parcelgraph and rest each make one key-check SELECT."
        )
        notes.append(
            f"same data checked: {PEER}'s answer mapped onto parcelgraph's field names and "
            "formats (global ids, upper-case phases, money, UTC timestamps) equals the API's "
            "`data`; the REST baseline's is equal as it stands."
        )
    else:
        notes.append(f"{PEER} skipped: {peer.skip_reason()}")
    return notes


async def _measure(bench: Bench, makers: tuple[Maker, Maker, Maker], **table: Any) -> Table:
    """Check, warm up, then interleaved rounds of the systems; `table` names the workload."""
    concurrency = table.pop("concurrency")
    systems, sizes = await _systems(bench, *makers)
    await _warm(systems)
    series, _ = await _rounds(bench, systems, concurrency=concurrency, seconds=bench.seconds)
    first, *others = series.values()
    return Table(
        pinning=bench.pinning,
        candidate=first,
        baselines=others,
        counts=[
            f"bytes per response: {sizes} (same `data` in the first {CHECKED} answers, checked)"
        ],
        notes=_notes(bench, systems),
        **table,
    )


async def q1_pg(bench: Bench) -> Table:
    pg = await bench.postgres()
    rng = random.Random(1)
    pick = [rng.choice(_order_numbers(bench)) for _ in range(4096)]
    shop, key = str(uuid.UUID(bench.shop_hex)), pg.authorization  # the copy's own admin key
    makers = (
        lambda port, i: _post(port, bench.graphql_path, bodies.Q1, {"number": pick[i % 4096]}, key),
        lambda port, i: _get(port, f"/{bench.slug}/order?number={pick[i % 4096]}", key),
        lambda port, i: _post(port, "/graphql", peer.Q1, {"shop": shop, "number": pick[i % 4096]}),
    )
    return await _measure(
        bench,
        makers,
        concurrency=32,
        workload="Q1-PG",
        title="Q1 on PostgreSQL: order by number with shipments, events, products; HTTP, c=32",
        target="≥ 0.5× PostGraphile 4 (and ≥ 1.0× rest, as on SQLite)",
    )


async def q2_pg(bench: Bench) -> Table:
    pg = await bench.postgres()
    shop, key = str(uuid.UUID(bench.shop_hex)), pg.authorization
    makers = (
        lambda port, i: _post(port, bench.graphql_path, bodies.Q2, {"first": 50}, key),
        lambda port, i: _get(port, f"/{bench.slug}/orders?first=50", key),
        lambda port, i: _post(port, "/graphql", peer.Q2, {"shop": shop, "first": 50}),
    )
    return await _measure(
        bench,
        makers,
        concurrency=16,
        workload="Q2-PG",
        title="Q2 on PostgreSQL: 50-order nested page; HTTP, c=16",
        target="≥ 0.5× rest (as on SQLite); PostGraphile 4 for reference",
    )
