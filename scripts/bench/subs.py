# ruff: noqa: RUF001  (the multiplication sign is the ratio sign of the printed tables)
"""S1 (many WebSocket subscribers, 10 events/s) and S2 (one of them never reads).

Events enter the product through `appendShipmentEvent` over HTTP (committed, then
published to the in-process broker) and reach `orderEvents(orderNumber:)` subscribers over
graphql-transport-ws. The baseline is a bare Starlette WebSocket broadcast: a POST hands it
a pre-serialized payload for one key. Latency is measured from the moment the load
generator sends the event to the moment a subscriber reads it (same clock, same process).
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import orjson
import websockets

from scripts.bench import bodies
from scripts.bench.env import Bench
from scripts.bench.load import Request, one, start_server
from scripts.bench.reads import _order_numbers
from scripts.bench.report import Series, Table, percentile
from scripts.bench.subs_frozen import PROTOCOL, FrozenClient

SUBSCRIBERS = 1000
PER_ORDER = 10
RATE = 10.0
SUBSCRIPTION = (
    "subscription S($n: String!) { orderEvents(orderNumber: $n) "
    "{ eventId eventName externalId sequence } }"
)
APPEND = (
    "mutation A($input: AppendShipmentEventInput!) { appendShipmentEvent(input: $input) "
    "{ recorded errors { code message } } }"
)


class Receivers:
    """Per-key delivery bookkeeping shared by all clients of one system."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.received: dict[str, int] = {}
        self.counting = False

    def got(self, marker: str) -> None:
        sent = self.sent.get(marker)
        if sent is not None and self.counting:
            self.latencies.append(time.perf_counter() - sent)
            self.received[marker] = self.received.get(marker, 0) + 1


async def _product_client(
    url: str, auth: str, number: str, box: Receivers, ready: asyncio.Event, started: list[int]
) -> None:
    async with websockets.connect(
        url, subprotocols=[PROTOCOL], max_queue=None, open_timeout=120, ping_interval=None
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": auth}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        # Live only: start after the newest event (a huge `after` would be refused).
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"n": number}},
                }
            )
        )
        await ws.send(json.dumps({"type": "ping"}))
        started[0] += 1
        if started[0] == started[1]:
            ready.set()
        async for raw in ws:
            message = orjson.loads(raw)
            if message.get("type") == "next":
                event = message["payload"]["data"]["orderEvents"]
                box.got(event["externalId"] or "")


async def _ws_client(
    url: str, number: str, box: Receivers, ready: asyncio.Event, started: list[int]
) -> None:
    async with websockets.connect(
        f"{url}?key={number}", max_queue=None, open_timeout=120, ping_interval=None
    ) as ws:
        await ws.recv()
        started[0] += 1
        if started[0] == started[1]:
            ready.set()
        async for raw in ws:
            message = orjson.loads(raw)
            box.got(message["payload"]["data"]["orderEvents"]["externalId"])


async def _connect_all(
    factory: Callable[[str, asyncio.Event, list[int]], Awaitable[None]], numbers: list[str]
) -> tuple[list[asyncio.Task], float]:
    ready, started = asyncio.Event(), [0, len(numbers)]
    began = time.perf_counter()
    tasks = []
    for i, number in enumerate(numbers):
        tasks.append(asyncio.create_task(factory(number, ready, started)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # a gentle ramp: accept queues stay short
    await asyncio.wait_for(ready.wait(), 300)
    await asyncio.sleep(1.0)  # let the last subscriptions reach their live phase
    return tasks, time.perf_counter() - began


async def _publish(
    send: Callable[[int, str], Awaitable[None]],
    box: Receivers,
    tag: str,
    seconds: float,
    shipments: list[tuple[str, str]],
) -> int:
    count = int(seconds * RATE)
    start = time.perf_counter()
    pending = []
    for k in range(count):
        delay = start + k / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        marker = f"{tag}-{k}"
        box.sent[marker] = time.perf_counter()
        # Open loop: a slow write must not lower the offered rate.
        pending.append(asyncio.create_task(send(k, marker)))
    await asyncio.gather(*pending)
    await asyncio.sleep(1.0)  # stragglers
    return count


def _shipments(bench: Bench, numbers: list[str]) -> list[tuple[str, str]]:
    import sqlite3

    conn = sqlite3.connect(bench.sqlite_path)
    rows = []
    for number in numbers:
        row = conn.execute(
            "SELECT s.tracking_number FROM shipments s JOIN orders o ON "
            "o.id = s.order_id WHERE o.order_number = ? ORDER BY s.position "
            "LIMIT 1",
            (number,),
        ).fetchone()
        rows.append((number, row[0]))
    conn.close()
    return rows


async def _measure(bench: Bench, *, slow_client: bool) -> tuple[Series, Series, list[str], dict]:
    subscribers = SUBSCRIBERS
    numbers = _order_numbers(bench)[: subscribers // PER_ORDER]
    keys = [n for n in numbers for _ in range(PER_ORDER)]
    shipments = _shipments(bench, numbers)
    product = bench.product
    ws_server = bench.servers.get("ws") or start_server("ws", {}, bench.logdir, health="")
    bench.servers["ws"] = ws_server
    ws_url = f"ws://127.0.0.1:{product.port}{bench.graphql_path}"
    p_box, b_box = Receivers(), Receivers()
    p_tasks, p_setup = await _connect_all(
        lambda n, r, s: _product_client(ws_url, bench.authorization, n, p_box, r, s), keys
    )
    b_tasks, b_setup = await _connect_all(
        lambda n, r, s: _ws_client(f"ws://127.0.0.1:{ws_server.port}/ws", n, b_box, r, s), keys
    )
    frozen = (
        FrozenClient(product.port, bench.graphql_path, bench.authorization) if slow_client else None
    )
    auth = {"Authorization": bench.authorization}

    async def product_send(k: int, marker: str) -> None:
        _, tracking = shipments[k % len(shipments)]
        body = bodies.in_transit(APPEND, tracking, marker)
        status, answer = await one(
            product.port, Request.build(product.port, "POST", bench.graphql_path, body, auth)
        )
        assert status == 200 and b'"recorded":true' in answer, answer[:300]

    async def ws_send(k: int, marker: str) -> None:
        number, _ = shipments[k % len(shipments)]
        body = orjson.dumps(
            {"key": number, "event": {"eventName": "IN_TRANSIT", "externalId": marker}}
        )
        await one(ws_server.port, Request.build(ws_server.port, "POST", "/publish", body))

    cand = Series(f"parcelgraph orderEvents ({subscribers} subscribers)", "deliveries/s")
    base = Series(f"bare Starlette WebSocket broadcast ({subscribers})", "deliveries/s")
    expected_total = {"c": 0, "b": 0}
    got_total = {"c": 0, "b": 0}
    tag = f"S{int(time.time())}{'b' if slow_client else 'a'}"
    for round_no in range(bench.rounds):
        for series, box, send, key in (
            (cand, p_box, product_send, "c"),
            (base, b_box, ws_send, "b"),
        ):
            box.counting = True
            before = sum(box.received.values())
            started = time.perf_counter()
            count = await _publish(send, box, f"{tag}{key}{round_no}", bench.seconds, shipments)
            elapsed = time.perf_counter() - started
            box.counting = False
            got = sum(box.received.values()) - before
            expected_total[key] += count * PER_ORDER
            got_total[key] += got
            series.values.append(got / elapsed)
    dropped_slow = frozen.was_dropped() if frozen else None
    for task in p_tasks + b_tasks:
        task.cancel()
    await asyncio.gather(*p_tasks, *b_tasks, return_exceptions=True)
    details = {
        "p99": {"c": percentile(p_box.latencies, 0.99), "b": percentile(b_box.latencies, 0.99)},
        "p50": {"c": percentile(p_box.latencies, 0.5), "b": percentile(b_box.latencies, 0.5)},
        "missing": {k: expected_total[k] - got_total[k] for k in expected_total},
        "setup": {"c": p_setup, "b": b_setup},
        "dropped_slow": dropped_slow,
    }
    for series, key in ((cand, "c"), (base, "b")):
        series.extra.append(
            f"event→client p50 {details['p50'][key] * 1e3:.1f} ms, p99 "
            f"{details['p99'][key] * 1e3:.1f} ms; not delivered within the 1 s drain "
            f"{details['missing'][key]} of {expected_total[key]}; connect+subscribe of all "
            f"clients {details['setup'][key]:.1f} s"
        )
    notes = [
        f"{subscribers} subscribers, {PER_ORDER} per order, {RATE:g} events/s spread over "
        f"{len(numbers)} orders; rounds of {bench.seconds:g} s of publishing + 1 s drain.",
        "delivered/s equals the offered rate when nothing is lost, so the ratio mainly "
        "shows losses; latency is the real comparison.",
    ]
    if frozen:
        frozen.close()
    return cand, base, notes, details


async def s1(bench: Bench) -> Table:
    cand, base, notes, details = await _measure(bench, slow_client=False)
    cand.metrics["p99 ms"] = details["p99"]["c"] * 1e3
    bench.s1_p99 = details["p99"]["c"]  # type: ignore[attr-defined]
    return Table(
        "S1",
        "orderEvents subscribers over WebSocket, 10 events/s",
        bench.pinning,
        cand,
        [base],
        target="≥ 0.8× ws; p99 ≤ 50 ms; zero drops for healthy clients",
        counts=[
            f"deliveries to healthy clients not made within the round (late or lost): parcelgraph "
            f"{details['missing']['c']}, ws {details['missing']['b']}"
        ],
        notes=notes,
    )


async def s2(bench: Bench) -> Table:
    cand, base, notes, details = await _measure(bench, slow_client=True)
    s1_p99 = getattr(bench, "s1_p99", None)
    counts = [
        f"missing deliveries to healthy clients: {details['missing']['c']}",
        f"the never-reading client was dropped by the server: {details['dropped_slow']}",
    ]
    if s1_p99:
        counts.append(
            f"healthy clients' p99 with the frozen client / without (S1): "
            f"{details['p99']['c'] * 1e3:.1f} ms / {s1_p99 * 1e3:.1f} ms = "
            f"{details['p99']['c'] / s1_p99:.2f}× (target ≤ 1.2×)"
        )
    notes.append(
        "the frozen client subscribes to the shop-wide `events` stream with a nested "
        "selection and a 4 KiB receive buffer and never reads."
    )
    return Table(
        "S2",
        "S1 plus one client that never reads",
        bench.pinning,
        cand,
        [base],
        counts=counts,
        notes=notes,
        target="slow client dropped; others unaffected",
    )
