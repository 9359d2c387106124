"""The Q1/Q2 documents and the hand-written SQL + JSON that the baselines serve instead.

The baselines build byte-for-byte the same `data` the GraphQL API returns (the runner
checks that before it measures), from the same batched statements the product's loaders
issue: one per relation, never one per row.
"""

import base64
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson

ORDER_FIELDS = """
    id orderNumber state orderPlacedAt totalOrderPrice currency
    shipments {
      id trackingNumber phase trackingCompany
      events { eventName occurredAt location sequence }
      products { sku title quantity }
    }
"""
Q1 = "query Q1($number: String!) { order(orderNumber: $number) {" + ORDER_FIELDS + "} }"
Q2 = "query Q2($first: Int!) { orders(first: $first) { edges { node {" + ORDER_FIELDS + "} } } }"

AUTH_SQL = (
    "SELECT shops.id FROM shops JOIN api_keys ON api_keys.shop_id = shops.id "
    "WHERE shops.slug = ? AND api_keys.secret_hash = ? AND api_keys.revoked_at IS NULL"
)
ORDER_COLUMNS = "id, order_number, state, order_placed_at, total_order_price, currency"
ORDER_BY_NUMBER_SQL = f"SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = ? AND order_number = ?"
ORDER_PAGE_SQL = (
    f"SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = ? "
    "ORDER BY order_placed_at DESC, id DESC LIMIT ?"
)
SHIPMENTS_SQL = (
    "SELECT id, order_id, tracking_number, phase, tracking_company FROM shipments "
    "WHERE order_id IN ({marks}) ORDER BY order_id, position, created_at, id"
)
EVENTS_SQL = (
    "SELECT shipment_id, event_name, occurred_at, location, sequence FROM events "
    "WHERE shipment_id IN ({marks}) ORDER BY shipment_id, occurred_at, position"
)
PRODUCTS_SQL = (
    "SELECT si.shipment_id, coalesce(si.sku, li.sku), li.title, si.quantity "
    "FROM shipment_items si JOIN line_items li ON li.id = si.line_item_id "
    "WHERE si.shipment_id IN ({marks}) ORDER BY si.shipment_id, li.position"
)


def marks(n: int) -> str:
    return ", ".join("?" * n)


def global_id(kind: str, row_id: str | uuid.UUID) -> str:
    """The API's global id from a stored id (SQLite's hex text or PostgreSQL's uuid)."""
    value = row_id if isinstance(row_id, uuid.UUID) else uuid.UUID(row_id)
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def iso(stored: str) -> str:
    """SQLite's stored UTC timestamp as Python's isoformat of the aware datetime."""
    text = stored.replace(" ", "T")
    if text.endswith(".000000"):
        text = text[:-7]
    return text + "+00:00"


def money(units: int) -> str:
    sign = "-" if units < 0 else ""
    units = abs(units)
    return f"{sign}{units // 10000}.{units % 10000:04d}"


# A query runner: (sql, params) -> rows. Sync for raw sqlite3; the REST baseline awaits.
Run = Callable[[str, Sequence[Any]], list[tuple]]


def orders_body(order_rows: list[tuple], run: Run) -> list[dict[str, Any]]:
    """Nested order dicts from the order rows, three more batched statements."""
    if not order_rows:
        return []
    shipments = run(SHIPMENTS_SQL.format(marks=marks(len(order_rows))), [r[0] for r in order_rows])
    return assemble(order_rows, shipments, *_children(shipments, run))


def _children(shipments: list[tuple], run: Run) -> tuple[list[tuple], list[tuple]]:
    ids = [s[0] for s in shipments]
    if not ids:
        return [], []
    sql_marks = marks(len(ids))
    return run(EVENTS_SQL.format(marks=sql_marks), ids), run(
        PRODUCTS_SQL.format(marks=sql_marks), ids
    )


def _by_shipment(events: list[tuple], products: list[tuple], iso: Callable[[Any], str]):
    events_of: dict[Any, list[dict[str, Any]]] = {}
    for shipment_id, name, occurred_at, location, sequence in events:
        events_of.setdefault(shipment_id, []).append(
            {
                "eventName": name,
                "occurredAt": iso(occurred_at),
                "location": location,
                "sequence": sequence,
            }
        )
    products_of: dict[Any, list[dict[str, Any]]] = {}
    for shipment_id, sku, title, quantity in products:
        products_of.setdefault(shipment_id, []).append(
            {"sku": sku, "title": title, "quantity": quantity}
        )
    return events_of, products_of


def assemble(
    order_rows: list[tuple],
    shipments: list[tuple],
    events: list[tuple],
    products: list[tuple],
    iso: Callable[[Any], str] = iso,
) -> list[dict[str, Any]]:
    """Dicts keyed by GraphQL field names, in the API's order (`iso` formats a stored time)."""
    events_of, products_of = _by_shipment(events, products, iso)
    shipments_of: dict[Any, list[dict[str, Any]]] = {}
    for sid, order_id, number, phase, company in shipments:
        shipments_of.setdefault(order_id, []).append(
            {
                "id": global_id("Shipment", sid),
                "trackingNumber": number,
                "phase": phase.upper(),
                "trackingCompany": company,
                "events": events_of.get(sid, []),
                "products": products_of.get(sid, []),
            }
        )
    return [
        {
            "id": global_id("Order", oid),
            "orderNumber": number,
            "state": state,
            "orderPlacedAt": iso(placed),
            "totalOrderPrice": money(total),
            "currency": currency,
            "shipments": shipments_of.get(oid, []),
        }
        for oid, number, state, placed, total, currency in order_rows
    ]


def in_transit(document: str, tracking: str, external_id: str) -> bytes:
    """The body of an `appendShipmentEvent` request: one IN_TRANSIT scan of `tracking`.

    S1 and W1 both drive the product through this write; `document` picks what it answers.
    """
    event = {"trackingNumber": tracking, "eventName": "IN_TRANSIT", "externalId": external_id}
    return orjson.dumps({"query": document, "variables": {"input": event}})
