"""Response bodies of the order operations (v1 `OrderDetail` and `Tracking`), built from
stored rows with a fixed number of batched reads however many orders a page holds.

Enum values are lower-case, date-times ISO 8601 with offset, money JSON numbers. A
shipment appears in `trackings` from the moment it exists: an expected package (draft) has
`carrier.tracking_number` null until a tracking is attached.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Order, Shop
from parcelgraph.resolvers.read_graph import FETCHERS
from parcelgraph.rest.item_views import AddressOut, ProductOut, address_out, product_out
from parcelgraph.rest.tracking_views import TrackingOut, tracking
from parcelgraph.rest.views import from_row


class DiscountOut(BaseModel):
    """A discount code of the order."""

    code: str = Field(description="The code.")
    amount: str = Field(description="Amount or percentage, as a decimal string.")
    type: str | None = Field(None, description="How to read `amount`.")


class OrderOut(BaseModel):
    """An order with its shipments (`trackings`)."""

    uuid: UUID = Field(description="parcelgraph's order id.")
    merchant_slug: str = Field(description="The shop's slug.")
    order_number: str = Field(description="Unique per shop.")
    order_name: str | None = Field(None, description="Display name.")
    external_id: str | None = Field(None, description="The shop system's id.")
    order_placed_at: datetime = Field(description="When the customer ordered.")
    total_order_price: float = Field(description="Total paid.")
    shipping_price: float = Field(description="Shipping cost.")
    sub_total_price: float = Field(description="Items before shipping and discounts.")
    discount_price: float = Field(description="Total of discounts.")
    currency: str = Field(description="ISO 4217 code.")
    email_id: str | None = Field(None, description="Customer e-mail.")
    address: AddressOut | None = Field(None, description="Delivery address.")
    segments: list[str] = Field(default_factory=list, description="Customer segments.")
    weight: int | None = Field(None, description="Total weight in grams.")
    user_agent: str | None = Field(None, description="The customer's browser.")
    expected_number_of_shipments: int = Field(description="Packages the order ships in.")
    products: list[ProductOut] = Field(default_factory=list, description="Line items.")
    discounts: list[DiscountOut] = Field(default_factory=list, description="Discount codes.")
    order_analytics: dict[str, Any] = Field(default_factory=dict, description="Attribution.")
    trackings: list[TrackingOut] = Field(default_factory=list, description="Its shipments.")


def _analytics(row: Any) -> dict[str, Any]:
    if row is None:
        return {}
    known = {
        k: getattr(row, k)
        for k in ("source", "campaign", "medium", "landing_url", "landing_path", "referrer")
        if getattr(row, k) is not None
    }
    if row.captured_at is not None:
        known["captured_at"] = row.captured_at.isoformat()
    return {**row.extras, **known}


async def details(session: AsyncSession, shop: Shop, orders: Sequence[Order]) -> list[OrderOut]:
    """The orders as v1 order details: five batched SELECTs for any number of orders."""
    ids = [o.id for o in orders]
    shipments = await FETCHERS["shipments_by_order_id"](session, ids)
    products = await FETCHERS["products_by_order_id"](session, ids)
    discounts = await FETCHERS["discounts_by_order_id"](session, ids)
    analytics = await FETCHERS["analytics_by_order_id"](session, ids)
    shipment_ids = [s.id for group in shipments for s in group]
    events = await FETCHERS["events_by_shipment_id"](session, shipment_ids)
    events_of = dict(zip(shipment_ids, events, strict=True))
    return [
        _order_out(
            shop,
            order,
            (prods, discs, attribution),
            [tracking(shop, order, s, events_of[s.id], prods) for s in ships],
        )
        for order, ships, prods, discs, attribution in zip(
            orders, shipments, products, discounts, analytics, strict=True
        )
    ]


def _order_out(
    shop: Shop, order: Order, loaded: tuple[Any, Any, Any], trackings: list[TrackingOut]
) -> OrderOut:
    """One order's v1 details from its batched rows (products, discounts, attribution)."""
    prods, discs, attribution = loaded
    tops = [li for li in prods.line_items if li.parent_id is None]
    return from_row(
        OrderOut,
        order,
        uuid=order.id,
        merchant_slug=shop.slug,
        email_id=order.email,
        address=address_out(order.address),
        products=[product_out(li, prods.parts_of(li.id)) for li in tops],
        discounts=[
            from_row(DiscountOut, d, amount=format(d.amount.normalize(), "f")) for d in discs
        ],
        order_analytics=_analytics(attribution),
        trackings=trackings,
    )
