"""The REST baseline on PostgreSQL: Starlette + an asyncpg pool + the same batched SQL.

What a user would write by hand against PostgreSQL: the fastest Python driver directly
(prepared statements cached per connection), one pooled connection per request, the same
four statements as the SQLite baseline (key check, orders, then shipments, events and
products for all of them at once), orjson. It answers with the same `data` the API does.
"""

from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from scripts.bench import bodies
from scripts.bench.baselines import JSON, _secret_hash, _unauthorized

AUTH_SQL = (
    "SELECT shops.id FROM shops JOIN api_keys ON api_keys.shop_id = shops.id "
    "WHERE shops.slug = $1 AND api_keys.secret_hash = $2 AND api_keys.revoked_at IS NULL"
)
ORDER_BY_NUMBER_SQL = (
    f"SELECT {bodies.ORDER_COLUMNS} FROM orders WHERE shop_id = $1 AND order_number = $2"
)
ORDER_PAGE_SQL = (
    f"SELECT {bodies.ORDER_COLUMNS} FROM orders WHERE shop_id = $1 "
    "ORDER BY order_placed_at DESC, id DESC LIMIT $2"
)
SHIPMENTS_SQL = (
    "SELECT id, order_id, tracking_number, phase, tracking_company FROM shipments "
    "WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position, created_at, id"
)
EVENTS_SQL = (
    "SELECT shipment_id, event_name, occurred_at, location, sequence FROM events "
    "WHERE shipment_id = ANY($1::uuid[]) ORDER BY shipment_id, occurred_at, position"
)
PRODUCTS_SQL = (
    "SELECT si.shipment_id, coalesce(si.sku, li.sku), li.title, si.quantity "
    "FROM shipment_items si JOIN line_items li ON li.id = si.line_item_id "
    "WHERE si.shipment_id = ANY($1::uuid[]) ORDER BY si.shipment_id, li.position"
)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


async def _nested(conn: Any, rows: list[Any]) -> list[dict[str, Any]]:
    if not rows:
        return []
    shipments = await conn.fetch(SHIPMENTS_SQL, [r[0] for r in rows])
    ids = [s[0] for s in shipments]
    events = await conn.fetch(EVENTS_SQL, ids) if ids else []
    products = await conn.fetch(PRODUCTS_SQL, ids) if ids else []
    return bodies.assemble(rows, shipments, events, products, iso=_iso)


def rest_pg_app(dsn: str) -> Starlette:
    pool: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette):
        import asyncpg

        pool["pool"] = await asyncpg.create_pool(dsn, min_size=10, max_size=20)
        try:
            yield
        finally:
            await pool["pool"].close()

    async def shop_id(conn: Any, request: Request) -> Any:
        return await conn.fetchval(AUTH_SQL, request.path_params["slug"], _secret_hash(request))

    async def order(request: Request) -> Response:
        async with pool["pool"].acquire() as conn:
            shop = await shop_id(conn, request)
            if shop is None:
                return _unauthorized()
            rows = await conn.fetch(ORDER_BY_NUMBER_SQL, shop, request.query_params["number"])
            found = await _nested(conn, rows)
        body = {"data": {"order": found[0] if found else None}}
        return Response(orjson.dumps(body), 200, media_type=JSON)

    async def orders(request: Request) -> Response:
        async with pool["pool"].acquire() as conn:
            shop = await shop_id(conn, request)
            if shop is None:
                return _unauthorized()
            rows = await conn.fetch(ORDER_PAGE_SQL, shop, int(request.query_params["first"]))
            edges = [{"node": node} for node in await _nested(conn, rows)]
        return Response(orjson.dumps({"data": {"orders": {"edges": edges}}}), 200, media_type=JSON)

    return Starlette(
        routes=[Route("/{slug}/order", order), Route("/{slug}/orders", orders)],
        lifespan=lifespan,
    )
