"""Demo data for `parcelgraph demo`: a handful of realistic orders, one in every state.

Everything goes through the real use cases, keyed by fixed order numbers, so running the
demo twice finds the orders already there and changes nothing (upserts of identical input
write nothing; a cancelled order is not cancelled again).
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from parcelgraph.db import Database
from parcelgraph.domain.enums import OrderIdType, OrderState
from parcelgraph.models import Shop
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


def _products() -> list[ProductInput]:
    image = "https://images.example.com/demo/{}.jpg"
    return [
        ProductInput(title="Stoneware mug, sand", sku="MUG-SAND", quantity=2,
                     price=Decimal("14.90"), images=[ImageInput(image.format("mug"), "Mug")]),
        ProductInput(title="Linen tea towel", sku="TOWEL-LIN", quantity=1,
                     price=Decimal("19.00"), images=[ImageInput(image.format("towel"), "Towel")]),
    ]  # fmt: skip


def _order(number: str, city: str, expected: int = 1) -> OrderInput:
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
        products=_products(),
        discounts=[DiscountInput("WELCOME10", Decimal("10"), "percentage")],
        order_analytics=AnalyticsInput(source="newsletter", campaign="autumn", medium="email"),
    )


def _plan() -> list[tuple[str, UpsertInput]]:
    mugs = [PackageItemInput("MUG-SAND", 2)]
    towel = [PackageItemInput("TOWEL-LIN", 1)]
    return [
        ("placed, two packages expected",
         UpsertInput("DEMO-1001", order=_order("DEMO-1001", "berlin", expected=2))),
        ("partially fulfilled: the mugs ship with DHL, the towel follows",
         UpsertInput("DEMO-1002", order=_order("DEMO-1002", "munich", expected=2),
                     trackings=[TrackingInput("00340434161234567896", tracking_company="DHL",
                                              products=mugs)])),
        ("fulfilled in two UPS and GLS parcels",
         UpsertInput("DEMO-1003", order=_order("DEMO-1003", "vienna", expected=2),
                     trackings=[TrackingInput("1Z999AA10123456784", carrier_reference="ups",
                                              products=mugs),
                                TrackingInput("52000000000", carrier_reference="gls",
                                              products=towel)])),
        ("fulfilled in one DPD parcel", UpsertInput(
            "DEMO-1004", order=_order("DEMO-1004", "berlin"),
            trackings=[TrackingInput("01234567890123", carrier_reference="dpd")])),
        ("cancelled before shipping",
         UpsertInput("DEMO-1005", order=_order("DEMO-1005", "munich"))),
    ]  # fmt: skip


async def seed_orders(db: Database, shop: Shop, clock: Clock = utcnow) -> list[str]:
    """Create (or find) the demo orders; returns one line per order for the console."""
    notes = []
    for what, item in _plan():
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
        notes.append(f"demo order {item.id}: {result.order.state} ({what})")
    return notes
