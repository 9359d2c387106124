"""Demo data for `parcelgraph demo`: a handful of realistic orders, one in every state.

Everything goes through the real use cases, keyed by fixed order numbers, so running the
demo twice finds the orders already there and changes nothing (upserts of identical input
write nothing; a cancelled order is not cancelled again). Product images point at the
pictures the app itself serves under `/demo-assets/`, so nothing needs the internet.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlmodel import col, select

from parcelgraph.db import Database
from parcelgraph.domain.enums import OrderIdType, OrderState
from parcelgraph.models import Order, Shipment, Shop
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers import orders
from parcelgraph.resolvers.orders.inputs import (
    AddressInput,
    AnalyticsInput,
    DiscountInput,
    ImageInput,
    OrderInput,
    PackageItemInput,
    ProductInput,
    TrackingInput,
    UpsertInput,
)

Clock = Callable[[], datetime]
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
IMAGE_PATH = "/demo-assets/{}.svg"  # served by parcelgraph.web.demo_images
ORDER_PREFIX = "DEMO-"

_ADDRESSES = {
    "berlin": AddressInput(name="Erika Mustermann", address_line1="Heidestrasse 17",
                           city="Berlin", zip_code="10557", province_code="BE",
                           country="Germany", country_code="DE"),
    "munich": AddressInput(name="Max Huber", address_line1="Marienplatz 8", city="München",
                           zip_code="80331", province_code="BY", country="Germany",
                           country_code="DE"),
    "vienna": AddressInput(name="Anna Gruber", address_line1="Stephansplatz 1", city="Wien",
                           zip_code="1010", country="Austria", country_code="AT"),
}  # fmt: skip


def _product(title: str, sku: str, quantity: int, price: str, image: str) -> ProductInput:
    src, alt = image.split("|")
    return ProductInput(
        title=title,
        sku=sku,
        quantity=quantity,
        price=Decimal(price),
        images=[ImageInput(src=src, alt=alt)],
    )


def _products(base_url: str) -> list[ProductInput]:
    image = base_url.rstrip("/") + IMAGE_PATH
    return [
        _product("Stoneware mug, sand", "MUG-SAND", 2, "14.90", image.format("mug") + "|Mug"),
        _product("Linen tea towel", "TOWEL-LIN", 1, "19.00", image.format("towel") + "|Towel"),
    ]


def _order(number: str, city: str, base_url: str, expected: int = 1) -> OrderInput:
    return OrderInput(
        order_number=number,
        order_name=f"#{number}",
        email=f"{number.lower()}@example.com",
        currency="EUR",
        total_order_price=Decimal("53.70"),
        sub_total_price=Decimal("48.80"),
        shipping_price=Decimal("4.90"),
        expected_number_of_shipments=expected,
        address=_ADDRESSES[city],
        products=_products(base_url),
        discounts=[DiscountInput(code="WELCOME10", amount=Decimal("10"), type="percentage")],
        order_analytics=AnalyticsInput(source="newsletter", campaign="autumn", medium="email"),
    )


def _parcel(number: str, items: list[PackageItemInput] | None = None, **kw: str) -> TrackingInput:
    return TrackingInput(tracking_number=number, products=items, **kw)


def _plan(base: str) -> list[tuple[str, UpsertInput]]:
    mugs = [PackageItemInput(sku="MUG-SAND", quantity=2)]
    towel = [PackageItemInput(sku="TOWEL-LIN", quantity=1)]

    def item(number: str, city: str, expected: int = 1, *parcels: TrackingInput) -> UpsertInput:
        order = _order(number, city, base, expected=expected)
        return UpsertInput(id=number, order=order, trackings=list(parcels))

    return [
        ("placed, two packages expected", item("DEMO-1001", "berlin", 2)),
        (
            "partially fulfilled: the mugs ship with DHL, the towel follows",
            item(
                "DEMO-1002",
                "munich",
                2,
                _parcel("00340434161234567896", mugs, tracking_company="DHL"),
            ),
        ),
        (
            "fulfilled in two UPS and GLS parcels",
            item(
                "DEMO-1003",
                "vienna",
                2,
                _parcel("1Z999AA10123456784", mugs, carrier_reference="ups"),
                _parcel("52000000000", towel, carrier_reference="gls"),
            ),
        ),
        (
            "fulfilled in one DPD parcel",
            item("DEMO-1004", "berlin", 1, _parcel("01234567890123", carrier_reference="dpd")),
        ),
        ("cancelled before shipping", item("DEMO-1005", "munich")),
    ]


async def seed_orders(
    db: Database, shop: Shop, clock: Clock = utcnow, *, base_url: str = DEFAULT_BASE_URL
) -> list[str]:
    """Create (or find) the demo orders, their images served from `base_url`; returns one
    line per order for the console."""
    notes = []
    for what, item in _plan(base_url):
        async with db.writer() as session:
            if item.id == "DEMO-1005":
                # Placing is a no-op for an existing order, so a cancelled one stays as it is.
                assert item.order is not None
                result = await orders.place(session, shop=shop, order=item.order, now=clock())
            else:
                result = await orders.upsert(session, shop=shop, input=item, now=clock())
            if item.id == "DEMO-1005" and result.order.state != OrderState.CANCELLED.value:
                ref = orders.OrderRef(item.id, OrderIdType.ORDER_NUMBER.value)
                result = await orders.cancel(
                    session, shop=shop, ref=ref, reason="Customer ordered twice", now=clock()
                )
            await session.commit()
        notes.append(f"demo order {item.id}: {what}")
    return notes


async def current_states(db: Database, shop: Shop) -> list[str]:
    """One line per demo order as it is now (the poller or a test may have moved it on)."""
    async with db.reader() as session:
        order_rows = await session.exec(
            select(Order)
            .where(Order.shop_id == shop.id, col(Order.order_number).startswith(ORDER_PREFIX))
            .order_by(col(Order.order_number))
        )
        demo_orders = list(order_rows.all())
        shipment_rows = await session.exec(
            select(Shipment)
            .where(col(Shipment.order_id).in_([o.id for o in demo_orders]))
            .order_by(col(Shipment.position))
        )
        shipments = list(shipment_rows.all())
    lines = []
    for order in demo_orders:
        parcels = [
            f"{s.tracking_number} ({s.carrier_reference or s.tracking_company or '?'}): {s.phase}"
            for s in shipments
            if s.order_id == order.id and s.tracking_number
        ]
        lines.append(f"{order.order_number}  {order.state:<20} {'; '.join(parcels)}".rstrip())
    return lines
