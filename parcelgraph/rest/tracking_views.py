"""Shipments as REST v1 returns them (`Tracking`): carrier facts, phase, state, flag,
arrival window, events and package contents, with lower-case enum values."""

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from parcelgraph.models import Event, Order, Shipment, Shop
from parcelgraph.rest.item_views import ProductOut, product_out
from parcelgraph.rest.views import from_row


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


def _event(event: Event) -> TrackingEventOut:
    return from_row(TrackingEventOut, event, event_key=event.event_name, time=event.occurred_at)


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
    return from_row(
        TrackingOut,
        s,
        merchant_slug=shop.slug,
        order_number=order.order_number,
        carrier=from_row(CarrierOut, s),
        state=tracking_state(s.phase),
        flag=_flag(s),
        direction=s.direction.lower(),
        estimated_arrival=arrival,
        events=[_event(e) for e in events],
        products=[product_out(line, [], item.quantity) for item, line in contents],
    )
