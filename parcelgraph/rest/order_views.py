"""Response bodies of the order operations (v1 `OrderDetail` and `Tracking`), built from
stored rows with a fixed number of batched reads however many orders a page holds.

Enum values are lower-case, date-times ISO 8601 with offset, money JSON numbers. A
shipment appears in `trackings` from the moment it exists: an expected package (draft) has
`carrier.tracking_number` null until a tracking is attached.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Event, Order, Shipment, Shop
from parcelgraph.resolvers.read_graph import FETCHERS


class TrackingState(StrEnum):
    """Grouping of a parcel for the customer: `pending` (not with the carrier yet),
    `transit`, `collect` (at a pickup point), `delivered`, `returned`."""

    pending = "pending"
    transit = "transit"
    collect = "collect"
    delivered = "delivered"
    archived = "archived"
    returned = "returned"


class Flag(StrEnum):
    """`normal`, `delay` (the carrier reported a delay) or `error` (damaged, or a delivery
    attempt failed)."""

    normal = "normal"
    delay = "delay"
    error = "error"


_STATES = {
    "order_created": TrackingState.pending,
    "order_processed": TrackingState.pending,
    "collect": TrackingState.collect,
    "delivered": TrackingState.delivered,
}


def tracking_state(phase: str) -> TrackingState:
    """The v1 tracking state of a phase."""
    if phase == "returned" or phase.startswith("return_"):
        return TrackingState.returned
    return _STATES.get(phase, TrackingState.transit)


def money(value: Decimal | None) -> float | None:
    """A stored amount as a JSON number."""
    return None if value is None else float(value)


class ImageOut(BaseModel):
    """A product image."""

    src: str = Field(description="Image URL.")
    alt: str | None = Field(None, description="Text alternative.")


class TaxLineOut(BaseModel):
    """A tax of a product."""

    title: str | None = Field(None, description="Name of the tax.")
    rate: float | None = Field(None, description="Rate, e.g. 0.19.")
    price: float | None = Field(None, description="Tax amount.")
    currency: str | None = Field(None, description="ISO 4217 code.")


class ProductOut(BaseModel):
    """A line item (in a shipment: the units that travel in it)."""

    title: str = Field(description="Product name.")
    quantity: int = Field(description="Units (in a shipment: units in that package).")
    price: float = Field(description="Unit price.")
    size: str | None = Field(None, description="Size or variant label.")
    sku: str | None = Field(None, description="Stock keeping unit.")
    weight: int | None = Field(None, description="Unit weight in grams.")
    images: list[ImageOut] = Field(default_factory=list, description="Product images.")
    tax_lines: list[TaxLineOut] = Field(default_factory=list, description="Taxes.")
    type: str = Field("product", description="`product` or `bundle`.")
    bundled_products: list["ProductOut"] = Field(
        default_factory=list, description="Parts of a bundle."
    )


class DiscountOut(BaseModel):
    """A discount code of the order."""

    code: str = Field(description="The code.")
    amount: str = Field(description="Amount or percentage, as a decimal string.")
    type: str | None = Field(None, description="How to read `amount`.")


class CarrierOut(BaseModel):
    """Carrier facts of a shipment."""

    tracking_number: str | None = Field(None, description="Null while the package is a draft.")
    carrier_reference: str | None = Field(None, description="Carrier code, e.g. dhl.")
    tracking_url: str | None = Field(None, description="Tracking page URL.")


class ArrivalOut(BaseModel):
    """The estimated arrival window."""

    time_prediction: str = Field(
        description="ISO 8601 interval `<earliest>/<latest>` of the expected delivery."
    )
    language: str = Field(description="Language of the prediction (the shop's).")


class TrackingEventOut(BaseModel):
    """One normalized event of a shipment."""

    event_key: str = Field(description="Catalogue event name, e.g. OUT_FOR_DELIVERY.")
    phase: str = Field(description="The phase this event belongs to, e.g. in_delivery.")
    time: datetime = Field(description="When it happened.")
    timezone: str = Field("UTC", description="Time zone of `time` (always UTC).")
    location: Any = Field(None, description="Where it happened, when the carrier says.")
    message: str | None = Field(None, description="The carrier's own words, when given.")


class TrackingOut(BaseModel):
    """A shipment (draft or fulfilled) of an order."""

    id: UUID = Field(description="The shipment id (for the shipment endpoints).")
    merchant_slug: str = Field(description="The shop's slug.")
    order_id: UUID = Field(description="The order's uuid.")
    order_number: str = Field(description="The order number.")
    carrier: CarrierOut = Field(description="Tracking number, carrier code, tracking URL.")
    phase: str = Field(description="Current phase, e.g. order_created, in_transit, delivered.")
    state: TrackingState = Field(description="Grouping for the customer.")
    flag: Flag = Field(description="Whether something is off.")
    direction: str = Field(description="`merchant_customer` or `customer_merchant`.")
    external_shipment_id: str | None = Field(None, description="The shop system's id.")
    tracking_placed_at: datetime | None = Field(None, description="When tracking was attached.")
    estimated_arrival: ArrivalOut | None = Field(None, description="Expected arrival window.")
    events: list[TrackingEventOut] = Field(default_factory=list, description="Oldest first.")
    products: list[ProductOut] = Field(default_factory=list, description="Package contents.")
    updated_at: datetime = Field(description="Last change.")


class AddressOut(BaseModel):
    """A postal address."""

    name: str | None = Field(None, description="Recipient.")
    company: str | None = Field(None, description="Company.")
    address_line_1: str | None = Field(None, description="Line 1.")
    address_line_2: str | None = Field(None, description="Line 2.")
    street: str | None = Field(None, description="Lines 1 and 2 together.")
    city: str | None = Field(None, description="City.")
    zip_code: str | None = Field(None, description="Postal code.")
    province: str | None = Field(None, description="Province name.")
    province_code: str | None = Field(None, description="ISO 3166-2 code.")
    country: str | None = Field(None, description="Country name.")
    country_code: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    phone: str | None = Field(None, description="Phone.")


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


def _product(line: Any, parts: list[Any], quantity: int | None = None) -> ProductOut:
    return ProductOut(
        title=line.title,
        quantity=line.quantity if quantity is None else quantity,
        price=float(line.price),
        size=line.size,
        sku=line.sku,
        weight=line.weight,
        images=[ImageOut(**i) for i in line.images],
        tax_lines=[TaxLineOut(**t) for t in line.tax_lines],
        type=line.type.lower(),
        bundled_products=[_product(p, []) for p in parts],
    )


def _event(event: Event) -> TrackingEventOut:
    return TrackingEventOut(
        event_key=event.event_name,
        phase=event.phase,
        time=event.occurred_at,
        location=event.location,
        message=event.message,
    )


def _flag(shipment: Shipment) -> Flag:
    if shipment.damaged or shipment.failed_attempts:
        return Flag.error
    return Flag.delay if shipment.delayed else Flag.normal


def tracking(shop: Shop, order: Order, s: Shipment, events: list[Event], products: Any) -> Any:
    """One shipment as a v1 Tracking."""
    arrival = None
    if s.estimated_arrival_earliest and s.estimated_arrival_latest:
        window = (
            f"{s.estimated_arrival_earliest.isoformat()}/{s.estimated_arrival_latest.isoformat()}"
        )
        arrival = ArrivalOut(time_prediction=window, language=shop.language)
    contents = products.by_shipment.get(s.id, [])
    return TrackingOut(
        id=s.id,
        merchant_slug=shop.slug,
        order_id=order.id,
        order_number=order.order_number,
        carrier=CarrierOut(
            tracking_number=s.tracking_number,
            carrier_reference=s.carrier_reference,
            tracking_url=s.tracking_url,
        ),
        phase=s.phase,
        state=tracking_state(s.phase),
        flag=_flag(s),
        direction=s.direction.lower(),
        external_shipment_id=s.external_shipment_id,
        tracking_placed_at=s.tracking_placed_at,
        estimated_arrival=arrival,
        events=[_event(e) for e in events],
        products=[_product(line, [], item.quantity) for item, line in contents],
        updated_at=s.updated_at,
    )


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


def address_out(data: dict[str, Any] | None) -> AddressOut | None:
    """A stored address in v1 names (address_line_1, address_line_2)."""
    if not data:
        return None
    values = dict(data)
    values["address_line_1"] = values.pop("address_line1", None)
    values["address_line_2"] = values.pop("address_line2", None)
    return AddressOut(**values)


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
    out = []
    for order, ships, prods, discs, attribution in zip(
        orders, shipments, products, discounts, analytics, strict=True
    ):
        tops = [li for li in prods.line_items if li.parent_id is None]
        out.append(
            OrderOut(
                uuid=order.id,
                merchant_slug=shop.slug,
                order_number=order.order_number,
                order_name=order.order_name,
                external_id=order.external_id,
                order_placed_at=order.order_placed_at,
                total_order_price=float(order.total_order_price),
                shipping_price=float(order.shipping_price),
                sub_total_price=float(order.sub_total_price),
                discount_price=float(order.discount_price),
                currency=order.currency,
                email_id=order.email,
                address=address_out(order.address),
                segments=list(order.segments),
                weight=order.weight,
                user_agent=order.user_agent,
                expected_number_of_shipments=order.expected_number_of_shipments,
                products=[_product(li, prods.parts_of(li.id)) for li in tops],
                discounts=[
                    DiscountOut(code=d.code, amount=format(d.amount.normalize(), "f"), type=d.type)
                    for d in discs
                ],
                order_analytics=_analytics(attribution),
                trackings=[tracking(shop, order, s, events_of[s.id], prods) for s in ships],
            )
        )
    return out
