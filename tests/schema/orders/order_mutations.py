"""Shared documents and input builders for the order mutation tests."""

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from parcelgraph.db import Database
from parcelgraph.models import Event, IdempotencyRecord, LineItem, Order, Shipment, ShipmentItem

ORDER_FIELDS = """
  id orderNumber orderName externalId state expectedNumberOfShipments currency
  totalOrderPrice email segments cancelledAt cancelReason
  address { zipCode countryCode provinceCode city street }
  shipments {
    id position isDraft trackingNumber trackingUrl phase direction externalShipmentId
    carrier { reference confidence reason }
    products { sku quantity }
  }
"""
ERRORS = "errors { field message code }"

UPSERT = f"""
mutation($input: UpsertOrderInput!) {{
  upsertOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} replayed {ERRORS} }}
}}"""
PLACE = f"""
mutation($input: PlaceOrderInput!) {{
  placeOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} duplicate replayed {ERRORS} }}
}}"""
UPDATE = f"""
mutation($input: UpdateOrderInput!) {{
  updateOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} {ERRORS} }}
}}"""
CANCEL = f"""
mutation($input: CancelOrderInput!) {{
  cancelOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} {ERRORS} }}
}}"""
UPDATE_SHIPMENT = f"""
mutation($input: UpdateShipmentInput!) {{
  updateShipment(input: $input) {{
    shipment {{ id trackingUrl products {{ sku quantity }} }} order {{ id state }} {ERRORS}
  }}
}}"""
BULK = f"""
mutation($input: BulkFulfillmentInput!) {{
  bulkFulfillment(input: $input) {{
    succeeded failed {ERRORS}
    results {{ index order {{ orderNumber state }} {ERRORS} }}
  }}
}}"""
ANALYTICS = f"""
mutation($input: UpsertOrderAnalyticsInput!) {{
  upsertOrderAnalytics(input: $input) {{ order {{ id }} {ERRORS} }}
}}"""


def address(**overrides: Any) -> dict[str, Any]:
    """A valid German address."""
    return {
        "name": "Erika Mustermann",
        "addressLine1": "Heidestrasse 17",
        "city": "Berlin",
        "zipCode": "10557",
        "countryCode": "DE",
        "provinceCode": "BE",
        **overrides,
    }


def order(number: str = "1001", **overrides: Any) -> dict[str, Any]:
    """A valid order with two products (3 mugs, 1 poster)."""
    return {
        "orderNumber": number,
        "email": "erika@example.com",
        "currency": "EUR",
        "totalOrderPrice": "49.90",
        "address": address(),
        "products": [
            {"sku": "MUG", "title": "Mug", "quantity": 3, "price": "12.50"},
            {"sku": "POSTER", "title": "Poster", "quantity": 1, "price": "12.40"},
        ],
        **overrides,
    }


async def upsert(caller: Any, **input: Any) -> dict[str, Any]:
    """Run upsertOrder and return its payload."""
    return (await caller.data(UPSERT, {"input": input}))["upsertOrder"]


async def count(db: Database, model: Any, **where: Any) -> int:
    """Rows of `model` matching column == value filters."""
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    async with db.reader() as session:
        return int((await session.exec(stmt)).one())


async def event_names(db: Database, order_number: str) -> list[str]:
    """The order's event names in sequence order."""
    stmt = (
        select(Event.event_name)
        .join(Order, Order.id == Event.order_id)
        .where(Order.order_number == order_number)
        .order_by(Event.sequence)
    )
    async with db.reader() as session:
        return list((await session.exec(stmt)).all())


async def table_counts(db: Database) -> dict[str, int]:
    """How many rows each order-related table holds (to prove nothing was written)."""
    models = (Order, LineItem, Shipment, ShipmentItem, Event, IdempotencyRecord)
    return {m.__tablename__: await count(db, m) for m in models}  # type: ignore[attr-defined]


def codes(errors: list[dict[str, Any]]) -> list[tuple[str, list[str] | None]]:
    """(code, field) pairs of a payload's errors."""
    return [(e["code"], e["field"]) for e in errors]
