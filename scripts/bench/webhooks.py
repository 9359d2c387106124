# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""W1: the webhook worker process delivering to a local sink vs a bare httpx POST loop.

The sink answers after 1 ms, with a 500 for 1% and a 3 s stall (beyond the 1 s timeout) for
another 1%. Per round the candidate drains a backlog written by one bulkFulfillment call
(every event of it matches the webhook), the baseline POSTs as many bodies of the same size
with the same concurrency and timeout. A trickle of single events (appendShipmentEvent at
10/s) gives enqueue→first attempt latency while the worker is idle between rounds.
"""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

from scripts.bench import bodies
from scripts.bench.env import REDIS_URL, Bench
from scripts.bench.load import CLIENT_CPU, ROOT, SERVER_CPU, Request, Server, one, start_server
from scripts.bench.report import Series, Table, percentile
from scripts.bench.writes import BULK, _bulk_items

CONCURRENCY = 32
TIMEOUT = 1.0
BACKLOG_ORDERS = 1000
# With a broker the worker is rung on commit and keeps the product's default poll; without
# one it has nothing but its poll, so it polls fast.
POLL_INTERVAL = "0.5" if REDIS_URL else "0.05"
CREATE = (
    "mutation W($url: String!) { createWebhook(input: {url: $url}) "
    "{ webhook { id } errors { code message } } }"
)
APPEND = (
    "mutation A($input: AppendShipmentEventInput!) { appendShipmentEvent(input: $input) "
    "{ event { eventId } errors { code message } } }"
)


def _api(bench: Bench) -> Server:
    """The API server W1 writes through: the one rung with the worker when there is a broker."""
    return bench.server("product-broker") if REDIS_URL else bench.product


def _worker_env(bench: Bench) -> dict[str, str]:
    return {
        **bench.product_env,
        **bench.broker_env,
        "PARCELGRAPH_RUN_WEBHOOK_WORKER": "true",
        "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "PARCELGRAPH_WEBHOOK_CONCURRENCY": str(CONCURRENCY),
        "PARCELGRAPH_WEBHOOK_MAX_CONNECTIONS_PER_HOST": str(CONCURRENCY),
        "PARCELGRAPH_WEBHOOK_TOTAL_TIMEOUT": str(TIMEOUT),
        "PARCELGRAPH_WEBHOOK_CONNECT_TIMEOUT": str(TIMEOUT),
        "PARCELGRAPH_WEBHOOK_POLL_INTERVAL": POLL_INTERVAL,
        "PARCELGRAPH_WEBHOOK_BATCH_SIZE": "100",
        "PARCELGRAPH_WEBHOOK_BACKOFF_BASE": "5",
    }


async def _sink_stats(port: int) -> dict:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"http://127.0.0.1:{port}/stats", timeout=30)).json()


async def _wait_quiet(port: int, quiet: float = 1.5, limit: float = 120) -> dict:
    """Sink stats once no new webhook-id arrived for `quiet` seconds."""
    last, since = -1, time.monotonic()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        stats = await _sink_stats(port)
        seen = len(stats["first_seen"])
        if seen != last:
            last, since = seen, time.monotonic()
        elif time.monotonic() - since > quiet:
            return stats
        await asyncio.sleep(0.25)
    return await _sink_stats(port)


async def _baseline(port: int, count: int, size: int) -> float:
    body = b"x" * size
    sent = 0
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as client:
        started = time.perf_counter()

        async def loop() -> None:
            nonlocal sent
            while sent < count:
                sent += 1
                try:
                    await client.post(
                        f"http://127.0.0.1:{port}/hook",
                        content=body,
                        headers={"x-bench-id": f"b{sent}-{started}"},
                    )
                except httpx.TimeoutException:
                    pass

        await asyncio.gather(*(loop() for _ in range(CONCURRENCY)))
        return count / (time.perf_counter() - started)


async def _create_hook(bench: Bench, sink_port: int) -> None:
    p = _api(bench).port
    body = orjson.dumps(
        {"query": CREATE, "variables": {"url": f"http://127.0.0.1:{sink_port}/hook"}}
    )
    auth = {"Authorization": bench.authorization}
    status, answer = await one(p, Request.build(p, "POST", bench.graphql_path, body, auth))
    assert status == 200 and b'"errors":[]' in answer, answer[:300]


def _start_worker(bench: Bench) -> tuple[subprocess.Popen, Any]:
    """A separate `parcelgraph worker` process on the servers' core."""
    log = (bench.logdir / "worker.log").open("wb")
    args = [sys.executable, "-m", "parcelgraph", "worker"]
    if SERVER_CPU < (os.cpu_count() or 1):
        args = ["taskset", "-c", str(SERVER_CPU), *args]
    worker = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **_worker_env(bench), "PYTHONUNBUFFERED": "1"},  # its log is read
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return worker, log


async def _until_running(worker: subprocess.Popen, log: Path, limit: float = 120) -> None:
    """Until the worker says it runs: a fixed pause lost the first round on a loaded machine."""
    deadline = time.monotonic() + limit
    while b"worker running" not in log.read_bytes():  # noqa: ASYNC240  (a small log file)
        assert worker.poll() is None, f"the worker exited: {log.read_text()[-2000:]}"  # noqa: ASYNC240
        assert time.monotonic() < deadline, "the worker did not start"
        await asyncio.sleep(0.1)


async def _backlog(bench: Bench, sink_port: int, round_no: int) -> tuple[float, int]:
    """One bulkFulfillment's webhooks drained by the worker: first attempts/s and count."""
    await _wait_quiet(sink_port, quiet=1.0)
    await httpx.AsyncClient().post(f"http://127.0.0.1:{sink_port}/reset")
    items = _bulk_items(f"W{round_no}{int(time.time())}", BACKLOG_ORDERS)
    body = orjson.dumps({"query": BULK, "variables": {"input": {"items": items}}})
    p, auth = _api(bench).port, {"Authorization": bench.authorization}
    status, answer = await one(p, Request.build(p, "POST", bench.graphql_path, body, auth))
    enqueued = time.time()
    assert status == 200 and b'"failed":0' in answer, answer[:300]
    stats = await _wait_quiet(sink_port)
    firsts = sorted(stats["first_seen"].values())
    rate = len(firsts) / max(firsts[-1] - enqueued, 1e-3) if firsts else 0.0
    return rate, len(firsts)


async def w1(bench: Bench) -> Table:
    sink = bench.servers.get("sink") or start_server(
        "sink", {}, bench.logdir, cpu=CLIENT_CPU, health=""
    )
    bench.servers["sink"] = sink
    await _create_hook(bench, sink.port)
    worker, log = _start_worker(bench)
    cand = Series("parcelgraph webhook worker", "deliveries/s")
    base = Series("bare httpx POST loop", "requests/s")
    latencies: list[float] = []
    sizes: list[int] = []
    try:
        await _until_running(worker, bench.logdir / "worker.log")
        for round_no in range(bench.rounds):
            rate, count = await _backlog(bench, sink.port, round_no)
            cand.values.append(rate)
            sizes.append(count)
            base.values.append(await _baseline(sink.port, max(count, 1), 1200))
            latencies.extend(await _trickle(bench, sink.port, round_no))
    finally:
        worker.terminate()
        worker.wait(20)
        log.close()
    cand.metrics["p99 ms"] = percentile(latencies, 0.99) * 1e3
    cand.extra.append(
        f"enqueue→first attempt (trickle of single events, 10/s): p50 "
        f"{percentile(latencies, 0.5) * 1e3:.0f} ms, p99 "
        f"{percentile(latencies, 0.99) * 1e3:.0f} ms over {len(latencies)}"
    )
    return _table(bench, cand, base, sizes)


def _table(bench: Bench, cand: Series, base: Series, sizes: list[int]) -> Table:
    return Table(
        "W1",
        "webhook deliveries to a local sink (1 ms 200s, 1% 500s, 1% timeouts)",
        bench.pinning + "; sink on the load-generator core",
        cand,
        [base],
        counts=[
            f"deliveries per backlog (one bulkFulfillment of {BACKLOG_ORDERS} "
            f"orders): {sorted(set(sizes))}"
        ],
        target="≥ 0.6× http-client; enqueue→first attempt p99 ≤ 50 ms, separate worker",
        notes=[
            f"both sides: {CONCURRENCY} concurrent requests, {TIMEOUT:g} s timeout; "
            "candidate rate = first attempts / (last first attempt − commit of "
            "the backlog), so it includes claiming, signing and recording.",
            f"worker settings: poll {POLL_INTERVAL} s, batch 100, retries backed off 5 s; "
            + (
                "Redis broker: the worker is a separate process rung on commit."
                if REDIS_URL
                else "no broker (set BENCH_REDIS_URL to ring the worker on commit)."
            ),
        ],
    )


async def _trickle(bench: Bench, sink_port: int, round_no: int) -> list[float]:
    """Ten single events at 10/s; latency from commit to the sink's first sight of each."""
    import sqlite3

    conn = sqlite3.connect(bench.sqlite_path)
    tracking = conn.execute(
        "SELECT tracking_number FROM shipments WHERE tracking_number "
        "LIKE '1ZB%' ORDER BY tracking_number LIMIT 1 OFFSET ?",
        (round_no,),
    ).fetchone()[0]
    conn.close()
    p = _api(bench).port
    auth = {"Authorization": bench.authorization}
    committed: dict[str, float] = {}
    for k in range(10):
        body = bodies.in_transit(APPEND, tracking, f"w1-{round_no}-{k}-{time.time()}")
        _, answer = await one(p, Request.build(p, "POST", bench.graphql_path, body, auth))
        event_id = orjson.loads(answer)["data"]["appendShipmentEvent"]["event"]["eventId"]
        committed[event_id] = time.time()
        await asyncio.sleep(0.1)
    stats = await _wait_quiet(sink_port, quiet=1.0)
    return [stats["first_seen"][i] - t for i, t in committed.items() if i in stats["first_seen"]]
