"""The scale-out deployment, proven: two API processes and two webhook workers on one
PostgreSQL and one Redis, under mixed traffic for a bounded time.

Writes go through both APIs at once (upserts, a race to create the same orders from both
sides, appended events, bulk fulfilment), reads run beside them, every order has a
subscriber on each API process (replaying from the start, then live), and every event is
delivered to a local webhook receiver that refuses some first attempts. Afterwards:
no answer was a 500, no order exists twice, every subscriber saw exactly its order's events
in sequence (none lost, none twice), and the receiver accepted every event exactly once.
"""

import asyncio
import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import shops
from tests.conftest import POSTGRES_URL, REDIS_URL, truncate_postgres
from tests.processes import Server, server_env, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

TRAFFIC_SECONDS = 12.0
# Each append lane goes on past TRAFFIC_SECONDS until it has appended this many events (a
# loaded machine is slower, not wrong), within MAX_TRAFFIC_SECONDS.
APPENDS_PER_LANE = 30
MAX_TRAFFIC_SECONDS = 90.0
ORDERS = 6
RACED = 4
UPSERT = """mutation($input: UpsertOrderInput!) {
  upsertOrder(input: $input) { order { orderNumber } errors { code message } }
}"""
BULK = """mutation($input: BulkFulfillmentInput!) {
  bulkFulfillment(input: $input) { succeeded failed errors { code message } }
}"""
APPEND = """mutation($input: AppendShipmentEventInput!) {
  appendShipmentEvent(input: $input) { recorded errors { code message } }
}"""
READ = """query($n: String!) {
  order(orderNumber: $n) { orderNumber shipments { trackingNumber events { sequence } } }
  orders(first: 10) { edges { node { orderNumber } } }
}"""
CREATE_WEBHOOK = """mutation($url: String!) {
  createWebhook(input: {url: $url}) { webhook { id } errors { code message } }
}"""
SUBSCRIBE = """subscription($n: String!) {
  orderEvents(orderNumber: $n, after: 0) { eventId sequence }
}"""


def _order(number: str, *, tracking: str | None = None, email: str = "a@example.com") -> dict:
    order = {
        "orderNumber": number,
        "email": email,
        "currency": "EUR",
        "totalOrderPrice": "20.00",
        "orderPlacedAt": "2025-03-01T10:00:00+00:00",
        "address": {
            "name": "A",
            "street": "S 1",
            "city": "Berlin",
            "zipCode": "10115",
            "countryCode": "DE",
        },
        "products": [{"title": "Mug", "sku": "MUG", "quantity": 2, "price": "10.00"}],
    }
    trackings = [{"trackingNumber": tracking, "trackingCompany": "UPS"}] if tracking else []
    return {"id": number, "order": order, "trackings": trackings}


class Receiver(BaseHTTPRequestHandler):
    """Webhook receiver: refuses the first attempt of every 7th id with a 500."""

    accepted: dict[str, int] = {}
    attempts: dict[str, int] = {}
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        key = self.headers.get("webhook-id", "")
        with self.lock:
            attempt = self.attempts[key] = self.attempts.get(key, 0) + 1
            refuse = attempt == 1 and int(uuid.UUID(key)) % 7 == 0
            if not refuse:
                self.accepted[key] = self.accepted.get(key, 0) + 1
        self.send_response(500 if refuse else 200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        return None


@dataclass
class Traffic:
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[Any] = field(default_factory=list)
    seen: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def record(self, response: httpx.Response, what: str) -> dict:
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        body = response.json() if response.status_code != 500 else {}
        if body.get("errors"):
            self.errors.append((what, body["errors"]))
        data = body.get("data") or {}
        for payload in data.values():
            if isinstance(payload, dict) and payload.get("errors"):
                self.errors.append((what, payload["errors"]))
        return data


@pytest.fixture
def receiver() -> Iterator[int]:
    Receiver.accepted, Receiver.attempts = {}, {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


@pytest.fixture
def deployment(postgres_migrated: str, receiver: int, tmp_path: Path) -> Iterator[dict]:
    """Empty tables, a shop with an admin key, two APIs and two workers."""
    truncate_postgres(postgres_migrated)
    assert REDIS_URL
    slug = "scale"

    async def setup() -> str:
        db = Database(postgres_migrated, null_pool=True)
        try:
            async with db.writer() as session:
                await shops.create(session, slug=slug, name="Scale", now=utcnow())
                issued = await shops.create_api_key(
                    session, shop_slug=slug, role=Role.ADMIN, name="scale", now=utcnow()
                )
                await session.commit()
        finally:
            await db.dispose()
        return "Basic " + base64.b64encode(f"scale:{issued.secret}".encode()).decode()

    authorization = asyncio.run(setup())
    namespace = f"scale-{uuid.uuid4().hex[:8]}"
    common = {
        "PARCELGRAPH_RATE_LIMIT_NAMESPACE": namespace,
        "PARCELGRAPH_RATE_LIMIT_CAPACITY": "100000000",
        "PARCELGRAPH_RATE_LIMIT_RESTORE_PER_SECOND": "100000000",
        "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",
        "PARCELGRAPH_WEBHOOK_BACKOFF_BASE": "0.2",
        "PARCELGRAPH_WEBHOOK_BACKOFF_FACTOR": "1.0",
        "PARCELGRAPH_WEBHOOK_BACKOFF_JITTER": "none",
        "PARCELGRAPH_WEBHOOK_POLL_INTERVAL": "0.1",
        "PARCELGRAPH_WEBHOOK_TOTAL_TIMEOUT": "5",
        "PARCELGRAPH_DATABASE_POOL_SIZE": "5",
    }
    env = server_env(postgres_migrated, REDIS_URL, tmp_path, **common)
    apis = [Server(env, tmp_path / f"api-{i}.log") for i in range(2)]
    workers = []
    for i in range(2):
        log = (tmp_path / f"worker-{i}.log").open("wb")
        worker_env = {**os.environ, **env, "PARCELGRAPH_RUN_WEBHOOK_WORKER": "true"}
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "parcelgraph", "worker"],
                env=worker_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        yield {
            "apis": apis,
            "auth": authorization,
            "slug": slug,
            "url": postgres_migrated,
            "receiver": receiver,
            "workers": workers,
            "logs": tmp_path,
        }
    finally:
        for api in apis:
            api.stop()
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()


async def _subscribe(
    url: str, auth: str, number: str, out: list[tuple[str, int]], ready: asyncio.Event
) -> None:
    async with websockets.connect(
        url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        open_timeout=20,
        ping_interval=None,
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": auth}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"n": number}},
                }
            )
        )
        ready.set()
        async for raw in ws:
            message = json.loads(raw)
            assert message["type"] == "next", message
            event = message["payload"]["data"]["orderEvents"]
            out.append((event["eventId"], event["sequence"]))


async def _drive(dep: dict, traffic: Traffic) -> None:
    apis, auth = dep["apis"], dep["auth"]
    headers = {"Authorization": auth}
    urls = [api.http_url(dep["slug"]) for api in apis]
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:

        async def call(i: int, query: str, variables: dict, what: str) -> dict:
            response = await client.post(urls[i % 2], json={"query": query, "variables": variables})
            return traffic.record(response, what)

        hook = await call(
            0, CREATE_WEBHOOK, {"url": f"http://127.0.0.1:{dep['receiver']}/hook"}, "webhook"
        )
        assert hook["createWebhook"]["webhook"], hook
        numbers = [f"S{i:03d}" for i in range(ORDERS)]
        for i, number in enumerate(numbers):
            await call(i, UPSERT, {"input": _order(number, tracking=f"1ZSCALE{i:04d}")}, "seed")
        ready_events: list[asyncio.Event] = []
        subs = []
        for number in numbers:
            for api in apis:
                out = traffic.seen.setdefault(f"{api.port}:{number}", [])
                ready = asyncio.Event()
                ready_events.append(ready)
                subs.append(
                    asyncio.create_task(
                        _subscribe(api.ws_url(dep["slug"]), auth, number, out, ready)
                    )
                )
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready_events)), 30)
        deadline = time.monotonic() + TRAFFIC_SECONDS
        cap = time.monotonic() + MAX_TRAFFIC_SECONDS

        async def appender(lane: int) -> None:
            k = 0
            while time.monotonic() < deadline or (k < APPENDS_PER_LANE and time.monotonic() < cap):
                i = (lane + k) % ORDERS
                await call(
                    k + lane,
                    APPEND,
                    {
                        "input": {
                            "trackingNumber": f"1ZSCALE{i:04d}",
                            "eventName": "IN_TRANSIT",
                            "externalId": f"lane{lane}-{k}",
                        }
                    },
                    "append",
                )
                k += 1

        async def upserter(lane: int) -> None:
            k = 0
            while time.monotonic() < deadline:
                number = numbers[(lane + k) % ORDERS]
                await call(
                    k, UPSERT, {"input": _order(number, email=f"u{lane}-{k}@e.com")}, "upsert"
                )
                k += 1

        async def racer() -> None:
            # The same new orders created through both APIs at the same moment.
            for r in range(RACED):
                number = f"RACE{r}"
                await asyncio.gather(
                    *(
                        call(side, UPSERT, {"input": _order(number)}, "race")
                        for side in (0, 1, 0, 1)
                    )
                )
            items = [_order(f"BULK{b}", tracking=f"1ZBULK{b:04d}") for b in range(20)]
            await asyncio.gather(
                call(0, BULK, {"input": {"items": items}}, "bulk"),
                call(1, BULK, {"input": {"items": items}}, "bulk"),
            )

        async def reader(lane: int) -> None:
            k = 0
            while time.monotonic() < deadline:
                await call(k + lane, READ, {"n": numbers[k % ORDERS]}, "read")
                k += 1

        await asyncio.gather(appender(0), appender(1), upserter(0), upserter(1), racer(), reader(0))
        await _settle(dep, traffic)
        for task in subs:
            task.cancel()
        await asyncio.gather(*subs, return_exceptions=True)


async def _expected(dep: dict) -> dict[str, list[tuple[str, int]]]:
    engine = create_async_engine(dep["url"])
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT o.order_number, e.id, e.sequence FROM events e JOIN orders o "
                        "ON o.id = e.order_id ORDER BY o.order_number, e.sequence"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    expected: dict[str, list[tuple[str, int]]] = {}
    for number, event_id, sequence in rows:
        expected.setdefault(number, []).append((str(event_id), sequence))
    return expected


async def _settle(dep: dict, traffic: Traffic, limit: float = 40.0) -> None:
    """Wait until subscribers and the receiver have caught up with the event table."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        expected = await _expected(dep)
        subscribers_done = all(
            len(seen) >= len(expected.get(key.split(":", 1)[1], []))
            for key, seen in traffic.seen.items()
        )
        ids = {event_id for events in expected.values() for event_id, _ in events}
        if subscribers_done and ids <= set(Receiver.accepted):
            await asyncio.sleep(1.0)  # anything extra (a duplicate) would show up now
            return
        await asyncio.sleep(0.5)


def _orders_per_number(url: str) -> dict[str, int]:
    async def count() -> dict[str, int]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        text("SELECT order_number, count(*) FROM orders GROUP BY order_number")
                    )
                ).all()
        finally:
            await engine.dispose()
        return {number: n for number, n in rows}

    return asyncio.run(count())


@pytest.mark.skipif(not (POSTGRES_URL and REDIS_URL), reason="needs PostgreSQL and Redis")
def test_two_apis_and_two_workers_lose_and_duplicate_nothing(deployment: dict) -> None:
    # given two API processes and two webhook workers on one PostgreSQL and one Redis
    wait_until(
        lambda: all(w.poll() is None for w in deployment["workers"]),
        timeout=5,
        what="workers running",
    )
    traffic = Traffic()

    # when mixed traffic runs through both APIs for a bounded time
    asyncio.run(_drive(deployment, traffic))

    # then no request failed with a 500 and every refusal was one we expect
    assert 500 not in traffic.statuses, traffic.statuses
    assert set(traffic.statuses) == {200}, traffic.statuses
    unexpected = [
        e
        for what, errors in traffic.errors
        for e in errors
        if not (what == "bulk" and e.get("code") == "ORDER_CONFLICT")
    ]
    assert unexpected == [], unexpected[:5]
    # and no order exists twice, the raced ones exactly once
    per_number = _orders_per_number(deployment["url"])
    assert {n: c for n, c in per_number.items() if c != 1} == {}
    assert all(per_number.get(f"RACE{r}") == 1 for r in range(RACED))
    # and every subscriber, on either process, saw its order's events once each, in order
    expected = asyncio.run(_expected(deployment))
    assert sum(len(v) for v in expected.values()) > 50
    for key, seen in traffic.seen.items():
        number = key.split(":", 1)[1]
        assert seen == expected[number], f"subscriber {key} diverged"
    # and the receiver accepted every event exactly once (retries only after a refusal)
    ids = {event_id for events in expected.values() for event_id, _ in events}
    assert set(Receiver.accepted) == ids
    assert {k: n for k, n in Receiver.accepted.items() if n != 1} == {}
    assert any(n > 1 for n in Receiver.attempts.values()), "no retry was exercised"
