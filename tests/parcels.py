"""Orders and shipments written straight to the tables for the events and tracking tests,
so those tests do not depend on the order mutations."""

import uuid
from datetime import datetime

from sqlmodel import select

from parcelgraph.db import Database
from parcelgraph.domain.enums import Direction
from parcelgraph.models import Order, Shipment, Shop


async def shop_row(db: Database, slug: str = "acme") -> Shop:
    """The shop `slug` (created by the `shop` / `make_shop` fixtures)."""
    async with db.reader() as session:
        return (await session.exec(select(Shop).where(Shop.slug == slug))).one()


async def parcel(
    db: Database,
    *,
    at: datetime,
    slug: str = "acme",
    order_number: str | None = None,
    tracking_number: str | None = "00340434161094042557",
    carrier: str | None = "dhl",
    phase: str | None = None,
    direction: Direction = Direction.MERCHANT_CUSTOMER,
    tracking_placed_at: datetime | None = None,
    delivered_at: datetime | None = None,
) -> Shipment:
    """An order with one shipment: fulfilled (order_processed) when it has a tracking
    number, else a draft (order_created)."""
    shop = await shop_row(db, slug)
    final = phase in ("delivered", "returned", "return_received", "return_failed")
    order = Order(
        shop_id=shop.id,
        order_number=order_number or uuid.uuid4().hex[:10],
        order_placed_at=at,
        currency=shop.currency,
        state="FULFILLED" if tracking_number else "PLACED",
        created_at=at,
        updated_at=at,
    )
    shipment = Shipment(
        shop_id=shop.id,
        order_id=order.id,
        tracking_number=tracking_number,
        tracking_placed_at=(tracking_placed_at or at) if tracking_number else None,
        carrier_reference=carrier if tracking_number else None,
        carrier_confidence=1.0 if tracking_number and carrier else None,
        direction=direction.value,
        phase=phase or ("order_processed" if tracking_number else "order_created"),
        delivered_at=delivered_at,
        tracking_state=(("STOPPED" if final else "ACTIVE") if tracking_number else None),
        next_check_at=at if tracking_number and not final else None,
        created_at=at,
        updated_at=at,
    )
    async with db.writer() as session:
        session.add(order)
        await session.flush()
        session.add(shipment)
        await session.commit()
    return shipment


async def reload(db: Database, shipment_id: uuid.UUID) -> Shipment:
    """The shipment as stored now."""
    async with db.reader() as session:
        return (await session.exec(select(Shipment).where(Shipment.id == shipment_id))).one()
