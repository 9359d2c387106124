"""A GraphQL request leaves no cyclic garbage behind: reference counting frees it.

graphql-core 3.3's executor keeps bound methods of itself on itself; without the
weak-reference execution context (`parcelgraph.schema.execution`) every request's Context,
DataLoaders, futures and ORM rows could only be freed by the cyclic collector, whose full
passes over a warm server's heap cost tens of milliseconds. These tests fail if a library
upgrade (or our own code) brings such a cycle back.

The app is called as a bare ASGI callable, so the HTTP client's own objects are not counted.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from graphql.execution.executor import Executor
from sqlmodel import SQLModel
from strawberry.dataloader import DataLoader

from parcelgraph.context import Context, Loaders
from parcelgraph.schema.common.execution import AcyclicExecutionContext
from parcelgraph.schema.orders.compiled_context import Switch
from scripts.bench.bodies import Q1, Q2
from tests.schema.orders.test_order_query import TRACKING_PAGE, _tracked_order

ORDERS_PAGE = """
query { orders(first: 10) { edges { node { orderNumber shipments {
  trackingNumber events { eventName occurredAt } products { sku quantity } } } } } }
"""
# Measured: 0 objects per request with the fix; 444 per tracking-page request with
# graphql-core's own executor, 16 more from IN statements built per call (SQLAlchemy's
# cloned parameters reference themselves, so the hot fetchers build theirs once).
MAX_CYCLIC_OBJECTS_PER_REQUEST = 1
REQUEST_GRAPH = (Context, Loaders, DataLoader, Executor, SQLModel)


async def _post(app: Any, path: str, authorization: str, query: str, variables: Any) -> dict:
    raw = orjson.dumps({"query": query, "variables": variables})
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
            (b"authorization", authorization.encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    pending = [{"type": "http.request", "body": raw, "more_body": False}]
    chunks: list[bytes] = []

    async def receive() -> dict:
        return pending.pop() if pending else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return orjson.loads(b"".join(chunks))


@contextmanager
def cyclic_garbage() -> Iterator[list[Any]]:
    """Collects what only the cyclic collector would free, created inside the block."""
    found: list[Any] = []
    gc.collect()
    gc.disable()
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        gc.set_debug(0)
        found.extend(gc.garbage)
        gc.garbage.clear()
    finally:
        gc.set_debug(0)
        gc.enable()


async def _assert_acyclic(app: Any, shop: Any, query: str, variables: Any, backend: str) -> None:
    for _ in range(2):  # warm the document and statement caches
        body = await _post(app, shop.path, shop.authorization, query, variables)
        assert "errors" not in body, body
    requests = 10
    with cyclic_garbage() as garbage:
        for _ in range(requests):
            await _post(app, shop.path, shop.authorization, query, variables)
    graph = sorted({type(o).__name__ for o in garbage if isinstance(o, REQUEST_GRAPH)})
    assert graph == []
    if backend == "sqlite":
        # The PostgreSQL tests run without a pool (a loop per test), so each request opens
        # and closes asyncpg connections whose asyncio transports are cyclic: test set-up,
        # not request garbage. A pooled server keeps its connections.
        assert len(garbage) <= MAX_CYCLIC_OBJECTS_PER_REQUEST * requests
    garbage.clear()


async def test_tracking_page_request_leaves_no_cycle(app, shop, factory, backend) -> None:
    # given an order with two parcels, products and events
    await _tracked_order(factory)

    # when the tracking page is requested ten times, then nothing of the requests' graphs
    # (context, loaders, executor, rows) waits for the cyclic collector
    await _assert_acyclic(app, shop, TRACKING_PAGE, {"number": "1001"}, backend)


async def test_orders_page_request_leaves_no_cycle(
    app, shop, factory, backend, monkeypatch
) -> None:
    # given a few orders with parcels, and per-field execution (the page has a compiled plan)
    for number in ("1001", "1002", "1003"):
        await _tracked_order(factory, number=number)
    monkeypatch.setattr(Switch, "enabled", False)

    # when a nested page of orders is requested ten times, then it leaves no cycle either
    await _assert_acyclic(app, shop, ORDERS_PAGE, {}, backend)


async def test_compiled_orders_page_request_leaves_no_cycle(app, shop, factory, backend) -> None:
    # given a few orders with parcels
    for number in ("1001", "1002", "1003"):
        await _tracked_order(factory, number=number)

    # when the benchmark's Q2 (answered by the compiled path) is requested ten times, then
    # its rows, statements and plan leave no cycle either
    served = Switch.served
    await _assert_acyclic(app, shop, Q2, {"first": 10}, backend)
    assert Switch.served == served + 12


async def test_compiled_tracking_page_request_leaves_no_cycle(app, shop, factory, backend) -> None:
    # given an order with two parcels, products and events
    await _tracked_order(factory)

    # when the benchmark's Q1 (answered by the compiled path) is requested ten times, then
    # its rows and plan leave no cycle either
    await _assert_acyclic(app, shop, Q1, {"number": "1001"}, backend)


def test_schema_uses_the_acyclic_execution_context() -> None:
    from parcelgraph.schema.root import schema

    # The compiled-reads context extends it: both paths leave no cycle behind.
    assert issubclass(schema.execution_context_class, AcyclicExecutionContext)
