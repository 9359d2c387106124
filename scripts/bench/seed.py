"""Seeded benchmark data written through the public bulk path.

10,000 orders per unit of `--scale`, each with 2 shipments, 3 products per shipment and 10
events per shipment. Orders and trackings go through `resolvers.bulk.fulfill` (the use case
behind the `bulkFulfillment` mutation, 1,000 items per call); the carrier scans that bring
every shipment to 10 events go through `resolvers.shipment_events.ingest` (the carrier
path). Nothing is written to a table directly, so the data is what a real shop would hold.

    python -m scripts.bench.seed --database-url sqlite+aiosqlite:////tmp/b.db --scale 1
"""

import argparse
import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import select

from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.migrate import upgrade_async
from parcelgraph.models import Event, Shipment, Shop
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers import shops
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.events.recording import Scan, ShipmentScans
from parcelgraph.resolvers.orders import bulk
from parcelgraph.resolvers.orders.inputs import (
    AddressInput,
    OrderInput,
    PackageItemInput,
    ProductInput,
    TrackingInput,
    UpsertInput,
)

SLUG = "bench"
ORDERS_PER_SCALE = 10_000
SHIPMENTS_PER_ORDER = 2
PRODUCTS_PER_SHIPMENT = 3
EVENTS_PER_SHIPMENT = 10
BATCH = 1000
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
TRANSIT = (
    "PICKED_UP_BY_CARRIER",
    "ARRIVAL_AT_TRANSPORT_HUB",
    "PROCESSED_AT_SORTING_CENTER",
    "DEPARTURE_FROM_TRANSPORT_HUB",
    "IN_TRANSIT",
    "ARRIVAL_AT_TRANSPORT_HUB",
    "DEPARTURE_FROM_TRANSPORT_HUB",
    "ARRIVED_AT_DELIVERY_DEPOT",
    "DELIVERY_DATE_SCHEDULED",
    "CARRIER_DELAY",
)


@dataclass
class Seeded:
    """What was written and how long each part took."""

    orders: int
    shipments: int
    events: int
    order_seconds: float
    event_seconds: float
    admin_authorization: str


def order_number(index: int) -> str:
    return f"B{index:07d}"


def tracking_number(index: int, package: int) -> str:
    return f"1Z{index:09d}{package}"


def upsert_item(index: int, rng: random.Random, *, prefix: str = "B") -> UpsertInput:
    """One order with two packages of three products each (the public input shape)."""
    products = []
    packages = []
    for package in range(SHIPMENTS_PER_ORDER):
        skus = []
        for slot in range(PRODUCTS_PER_SHIPMENT):
            sku = f"SKU-{package}-{slot}-{rng.randrange(500)}"
            skus.append(sku)
            products.append(
                ProductInput(
                    title=f"Product {sku}",
                    sku=sku,
                    quantity=1 + rng.randrange(3),
                    price=Decimal(rng.randrange(500, 9000)) / 100,
                )
            )
        packages.append(skus)
    number = f"{prefix}{index:07d}"
    placed = EPOCH + timedelta(minutes=index)
    return UpsertInput(
        id=number,
        order=OrderInput(
            order_number=number,
            order_placed_at=placed,
            email=f"c{index}@example.com",
            currency="EUR",
            total_order_price=sum((p.price * p.quantity for p in products), Decimal(0)),
            expected_number_of_shipments=SHIPMENTS_PER_ORDER,
            address=AddressInput(
                name=f"Customer {index}",
                street="Hauptstr. 1",
                city="Berlin",
                zip_code=f"{10000 + index % 89999}",
                country_code="DE",
            ),
            products=products,
        ),
        trackings=[
            TrackingInput(
                tracking_number=f"1Z{prefix}{index:08d}{package}",
                tracking_company="UPS",
                tracking_placed_at=placed + timedelta(hours=2),
                products=[PackageItemInput(sku=sku, quantity=1) for sku in skus],
            )
            for package, skus in enumerate(packages)
        ],
    )


async def ensure_shop(db: Database) -> tuple[Shop, str]:
    """The bench shop and a fresh admin key (Basic header value)."""
    import base64

    now = datetime.now(UTC)
    async with db.writer() as session:
        shop = await shops.get_by_slug(session, slug=SLUG)
        if shop is None:
            shop = await shops.create(session, slug=SLUG, name="Bench Shop", now=now)
        issued = await shops.create_api_key(
            session, shop_slug=SLUG, role=Role.ADMIN, name=None, now=now
        )
        await session.commit()
    token = base64.b64encode(f"{issued.key.name}:{issued.secret}".encode()).decode()
    return shop, f"Basic {token}"


async def write_orders(db: Database, shop: Shop, first: int, count: int, *, prefix: str = "B"):
    """`count` orders through bulk.fulfill, 1,000 per call (one transaction each)."""
    rng = random.Random(first)
    for start in range(first, first + count, BATCH):
        items = [
            upsert_item(i, rng, prefix=prefix)
            for i in range(start, min(start + BATCH, first + count))
        ]
        async with db.writer() as session:
            results = await bulk.fulfill(
                session, shop=shop, items=items, now=datetime.now(UTC), max_items=BATCH
            )
            await session.commit()
        refused = [r for r in results if r.issues]
        if refused:
            raise RuntimeError(f"bulk refused items: {refused[:3]}")


async def write_events(db: Database, shop: Shop, policy: ArrivalPolicy) -> None:
    """Carrier scans until every shipment holds EVENTS_PER_SHIPMENT events."""
    async with db.reader() as session:
        counts = dict(
            (
                await session.exec(
                    select(Event.shipment_id, func.count())
                    .where(Event.shop_id == shop.id, Event.shipment_id.is_not(None))
                    .group_by(Event.shipment_id)
                )
            ).all()
        )
        ids = list(
            (await session.exec(select(Shipment.id).where(Shipment.shop_id == shop.id))).all()
        )
    for start in range(0, len(ids), BATCH // 2):
        chunk = ids[start : start + BATCH // 2]
        async with db.writer() as session:
            rows = (await session.exec(select(Shipment).where(Shipment.id.in_(chunk)))).all()
            batches = []
            for shipment in rows:
                missing = EVENTS_PER_SHIPMENT - counts.get(shipment.id, 0)
                base = (shipment.tracking_placed_at or EPOCH) + timedelta(hours=1)
                scans = [
                    Scan(
                        event_name=TRANSIT[k % len(TRANSIT)],
                        occurred_at=base + timedelta(hours=k),
                        external_id=f"{shipment.tracking_number}-{k}",
                        location="Hub",
                    )
                    for k in range(missing)
                ]
                if scans:
                    batches.append(ShipmentScans(shipment, scans))
            await shipment_events.ingest(
                session, shop=shop, batches=batches, now=datetime.now(UTC), policy=policy
            )
            await session.commit()


async def seed(database_url: str, scale: float = 1.0) -> Seeded:
    """Write the data set into a migrated, empty database; time each part."""
    await upgrade_async(database_url)
    db = Database(database_url)
    try:
        shop, authorization = await ensure_shop(db)
        orders = int(ORDERS_PER_SCALE * scale)
        started = time.perf_counter()
        await write_orders(db, shop, 0, orders)
        order_seconds = time.perf_counter() - started
        started = time.perf_counter()
        await write_events(db, shop, ArrivalPolicy.from_settings(Settings()))
        event_seconds = time.perf_counter() - started
        async with db.reader() as session:
            shipments = (await session.exec(select(func.count()).select_from(Shipment))).one()
            events = (await session.exec(select(func.count()).select_from(Event))).one()
    finally:
        await db.dispose()
    return Seeded(orders, shipments, events, order_seconds, event_seconds, authorization)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 orders")
    args = parser.parse_args()
    result = asyncio.run(seed(args.database_url, args.scale))
    print(
        f"{result.orders} orders, {result.shipments} shipments, {result.events} events; "
        f"orders {result.order_seconds:.1f} s, events {result.event_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
