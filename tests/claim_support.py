"""Shared setup of the claim and order-token tests: an order with a parcel, and its token."""

from dataclasses import dataclass

from sqlmodel import select

from parcelgraph.db import Database
from parcelgraph.models import Event, Order, Shipment
from tests.factories import Factory, Item
from tests.support import Caller

DELIVERED = ("DEPARTURE_FROM_TRANSPORT_HUB", "OUT_FOR_DELIVERY", "SUCCESSFULLY_DELIVERED")
IN_TRANSIT = ("DEPARTURE_FROM_TRANSPORT_HUB",)
PRODUCTS = (Item("MUG", "Mug", 2, "12.50"), Item("PLATE", "Plate", 1, "20.00"))

ISSUE_TOKEN = """
mutation($input: IssueOrderTokenInput!) {
  issueOrderToken(input: $input) {
    token trackingUrl
    orderToken { id expiresAt }
    errors { field message code }
  }
}
"""


@dataclass
class Parcel:
    """An order of shop acme with one fulfilled shipment."""

    order: Order
    shipment: Shipment


async def parcel(
    make: Factory,
    *,
    number: str = "1001",
    tracking: str = "00340434",
    events: tuple[str, ...] = DELIVERED,
) -> Parcel:
    """Order `number` (2 mugs, 1 plate) shipped in one parcel that went through `events`."""
    shop = await make.shop("acme")
    order = await make.order(shop, number, products=PRODUCTS)
    shipment = await make.shipment(order, tracking_number=tracking, carrier="dhl")
    if events:
        await make.events(shipment, *events)
    return Parcel(order=order, shipment=shipment)


async def issue_token(merchant: Caller, order: Order, days: int | None = None) -> dict:
    """Issue an order token through the API; return the payload."""
    variables: dict = {"input": {"orderId": str(order.id)}}
    if days is not None:
        variables["input"]["expiresInDays"] = days
    payload = (await merchant.data(ISSUE_TOKEN, variables))["issueOrderToken"]
    assert payload["errors"] == []
    return payload


async def customer_of(merchant: Caller, order: Order) -> Caller:
    """A caller holding a fresh token of `order`."""
    token = (await issue_token(merchant, order))["token"]
    return merchant.as_(f"Bearer {token}")


async def claim_events(db: Database, order: Order) -> list[Event]:
    """The order's claim events, oldest first."""
    async with db.reader() as session:
        stmt = (
            select(Event)
            .where(Event.order_id == order.id, Event.source == "claims")
            .order_by(Event.position)  # type: ignore[arg-type]
        )
        return list((await session.exec(stmt)).all())
