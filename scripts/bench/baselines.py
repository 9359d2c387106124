"""Baseline servers, written as fast as we could make them.

- `raw_app`: Starlette + sync sqlite3 + hand-built dicts + orjson (the floor).
- `rest_app`: Starlette + SQLAlchemy async (aiosqlite, the product's driver), the same SQL,
  orjson; plus `/write`, the same order write `upsertOrder` makes, in one transaction.
- `hello_app`: bare ASGI hello JSON (the transport floor).
- `ws_broadcast_app`: bare Starlette WebSocket broadcast of a pre-serialized payload.
- `sink_app`: the local webhook receiver: 1 ms 200s, 1% 500s, 1% timeouts.

Baselines authenticate like the product does (one SELECT of the key's digest per request),
so both sides pay for the same credential check.
"""

import asyncio
import hashlib
import sqlite3
import time
import uuid
from base64 import b64decode
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from scripts.bench import bodies

JSON = "application/json"


def _secret_hash(request: Request) -> str:
    header = request.headers.get("authorization", "")
    _, _, secret = b64decode(header.removeprefix("Basic ")).decode().partition(":")
    return hashlib.sha256(secret.encode()).hexdigest()


def _unauthorized() -> Response:
    return Response(b'{"errors":[{"message":"unauthorized"}]}', 401, media_type=JSON)


def raw_app(path: str) -> Starlette:
    """Sync sqlite3 in the event loop: each statement is ~10-50 us, cheaper than a hop."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")

    def run(sql: str, params: Any) -> list[tuple]:
        return conn.execute(sql, params).fetchall()

    def shop_id(request: Request) -> str | None:
        row = run(bodies.AUTH_SQL, (request.path_params["slug"], _secret_hash(request)))
        return row[0][0] if row else None

    async def order(request: Request) -> Response:
        shop = shop_id(request)
        if shop is None:
            return _unauthorized()
        rows = run(bodies.ORDER_BY_NUMBER_SQL, (shop, request.query_params["number"]))
        found = bodies.orders_body(rows, run)
        return Response(
            orjson.dumps({"data": {"order": found[0] if found else None}}), 200, media_type=JSON
        )

    async def orders(request: Request) -> Response:
        shop = shop_id(request)
        if shop is None:
            return _unauthorized()
        rows = run(bodies.ORDER_PAGE_SQL, (shop, int(request.query_params["first"])))
        edges = [{"node": node} for node in bodies.orders_body(rows, run)]
        return Response(orjson.dumps({"data": {"orders": {"edges": edges}}}), 200, media_type=JSON)

    return Starlette(
        routes=[
            Route("/{slug}/order", order),
            Route("/{slug}/orders", orders),
        ]
    )


def rest_app(path: str) -> Starlette:
    """What a user would write instead of GraphQL: async SQLAlchemy Core, same statements."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 30})

    async def shop_id(conn: Any, request: Request) -> str | None:
        result = await conn.exec_driver_sql(
            bodies.AUTH_SQL, (request.path_params["slug"], _secret_hash(request))
        )
        row = result.first()
        return row[0] if row else None

    async def nested(conn: Any, rows: list[tuple]) -> list[dict[str, Any]]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        shipments = (
            await conn.exec_driver_sql(
                bodies.SHIPMENTS_SQL.format(marks=bodies.marks(len(ids))), tuple(ids)
            )
        ).all()
        sids = tuple(s[0] for s in shipments)
        events = products = []
        if sids:
            m = bodies.marks(len(sids))
            events = (await conn.exec_driver_sql(bodies.EVENTS_SQL.format(marks=m), sids)).all()
            products = (await conn.exec_driver_sql(bodies.PRODUCTS_SQL.format(marks=m), sids)).all()
        return bodies.assemble(rows, shipments, events, products)

    async def read(
        request: Request, sql: str, param: Any, data: Callable[[list[dict]], dict]
    ) -> Response:
        """The shop's orders that `sql` selects by `param`, nested, as `data` shapes them."""
        async with engine.connect() as conn:
            shop = await shop_id(conn, request)
            if shop is None:
                return _unauthorized()
            rows = (await conn.exec_driver_sql(sql, (shop, param))).all()
            found = await nested(conn, rows)
        return Response(orjson.dumps({"data": data(found)}), 200, media_type=JSON)

    async def order(request: Request) -> Response:
        number = request.query_params["number"]
        return await read(
            request,
            bodies.ORDER_BY_NUMBER_SQL,
            number,
            lambda found: {"order": found[0] if found else None},
        )

    async def orders(request: Request) -> Response:
        first = int(request.query_params["first"])
        return await read(
            request,
            bodies.ORDER_PAGE_SQL,
            first,
            lambda found: {"orders": {"edges": [{"node": node} for node in found]}},
        )

    async def write(request: Request) -> Response:
        """Upsert one order with its products and an ORDER_CREATED-style event, one txn."""
        payload = orjson.loads(await request.body())
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        async with engine.connect() as conn:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                shop = await shop_id(conn, request)
                if shop is None:
                    await conn.exec_driver_sql("ROLLBACK")
                    return _unauthorized()
                order_id = uuid.uuid4().hex
                row = (
                    await conn.exec_driver_sql(
                        "INSERT INTO orders (id, shop_id, order_number, order_placed_at, email,"
                        " currency, total_order_price, sub_total_price, shipping_price,"
                        " discount_price, segments, expected_number_of_shipments, state,"
                        " event_sequence, created_at, updated_at) VALUES"
                        " (?, ?, ?, ?, ?, 'EUR', ?, 0, 0, 0, '[]', 1, 'PLACED', 1, ?, ?)"
                        " ON CONFLICT (shop_id, order_number) DO UPDATE SET"
                        " email = excluded.email, updated_at = excluded.updated_at,"
                        " event_sequence = orders.event_sequence + 1"
                        " RETURNING id, event_sequence",
                        (
                            order_id,
                            shop,
                            payload["number"],
                            now,
                            payload["email"],
                            payload["total"],
                            now,
                            now,
                        ),
                    )
                ).first()
                order_id, sequence = row
                await conn.exec_driver_sql("DELETE FROM line_items WHERE order_id = ?", (order_id,))
                await conn.exec_driver_sql(
                    "INSERT INTO line_items (id, order_id, position, sku, title, quantity,"
                    " price, images, tax_lines, type) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', '[]',"
                    " 'PRODUCT')",
                    [
                        (
                            uuid.uuid4().hex,
                            order_id,
                            i,
                            p["sku"],
                            p["title"],
                            p["quantity"],
                            p["price"],
                        )
                        for i, p in enumerate(payload["products"])
                    ],
                )
                await conn.exec_driver_sql(
                    "INSERT INTO events (id, shop_id, order_id, sequence, source, ref,"
                    " event_name, event_group, occurred_at, recorded_at, data) VALUES"
                    " (?, ?, ?, ?, 'orders', 'orders/order_placed', 'ORDER_PLACED',"
                    " 'order_placed', ?, ?, '{}')",
                    (uuid.uuid4().hex, shop, order_id, sequence, now, now),
                )
                await conn.exec_driver_sql("COMMIT")
            except BaseException:
                await conn.exec_driver_sql("ROLLBACK")
                raise
        body = {
            "data": {
                "upsertOrder": {
                    "order": {
                        "id": bodies.global_id("Order", order_id),
                        "orderNumber": payload["number"],
                    },
                    "errors": [],
                }
            }
        }
        return Response(orjson.dumps(body), 200, media_type=JSON)

    return Starlette(
        routes=[
            Route("/{slug}/order", order),
            Route("/{slug}/orders", orders),
            Route("/{slug}/write", write, methods=["POST"]),
        ]
    )


HELLO = b'{"message":"hello"}'


async def hello_app(scope: dict, receive: Any, send: Any) -> None:
    """Bare ASGI: read the body, answer a constant JSON."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(HELLO)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": HELLO})


def ws_broadcast_app() -> Starlette:
    """Clients subscribe to a key; POST /publish sends one pre-serialized text to its subscribers.

    One bounded queue per client (like the product), the payload serialized once.
    """
    subscribers: dict[str, set[asyncio.Queue]] = {}

    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        key = websocket.query_params["key"]
        queue: asyncio.Queue = asyncio.Queue(maxsize=256)
        subscribers.setdefault(key, set()).add(queue)
        await websocket.send_text('{"type":"ready"}')
        try:
            while True:
                await websocket.send_text(await queue.get())
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            subscribers[key].discard(queue)

    async def publish(request: Request) -> Response:
        message = orjson.loads(await request.body())
        text = orjson.dumps(
            {"type": "next", "id": "1", "payload": {"data": {"orderEvents": message["event"]}}}
        ).decode()
        for queue in list(subscribers.get(message["key"], ())):
            try:
                queue.put_nowait(text)
            except asyncio.QueueFull:
                pass
        return Response(b"{}", 200, media_type=JSON)

    return Starlette(
        routes=[WebSocketRoute("/ws", endpoint), Route("/publish", publish, methods=["POST"])]
    )


def sink_app() -> Starlette:
    """The webhook receiver. Records the first arrival time of every webhook-id."""
    first_seen: dict[str, float] = {}
    counts = {"requests": 0, "ok": 0, "error": 0, "timeout": 0}

    async def receive(request: Request) -> Response:
        await request.body()
        counts["requests"] += 1
        key = request.headers.get("webhook-id") or request.headers.get("x-bench-id", "")
        first_seen.setdefault(key, time.time())
        roll = counts["requests"] % 100
        if roll == 50:
            counts["timeout"] += 1
            await asyncio.sleep(3.0)
            return Response(b"late", 200)
        await asyncio.sleep(0.001)
        if roll == 99:
            counts["error"] += 1
            return Response(b"oops", 500)
        counts["ok"] += 1
        return Response(b"ok", 200)

    async def stats(request: Request) -> Response:
        return Response(orjson.dumps({"counts": counts, "first_seen": first_seen}), media_type=JSON)

    async def reset(request: Request) -> Response:
        first_seen.clear()
        for key in counts:
            counts[key] = 0
        return Response(b"{}", media_type=JSON)

    return Starlette(
        routes=[
            Route("/hook", receive, methods=["POST"]),
            Route("/stats", stats),
            Route("/reset", reset, methods=["POST"]),
        ]
    )
