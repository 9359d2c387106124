"""USPS Tracking API v3 (OAuth 2 client credentials).

A token comes from `POST /oauth2/v3/token` (JSON body with `grant_type`, `client_id`,
`client_secret`); tracking is `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`
with the bearer token, one number per call. The answer lists `trackingEvents` (newest
first) with the USPS `eventCode`, `eventType` text, local `eventTimestamp` plus
`GMTTimestamp`/`GMTOffset`, the city, state, ZIP and country, and the recipient `name` on
delivery; `expectedDeliveryTimeStamp` is the estimate. 404 means USPS does not know it.

The map covers the USPS tracking event codes (the two-character codes of USPS
Publication 97, Appendix I, as returned in `eventCode`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.table import Code, StatusTable
from parcelgraph.tracking.carriers.times import parse_time

STATUS_TABLE = StatusTable(
    "usps",
    [
        Code("MA", "LABEL_CREATED", "Pre-shipment info sent to USPS, USPS awaiting item."),
        Code("GX", "LABEL_CREATED", "Shipping label created, USPS awaiting item."),
        Code("89", "LABEL_CREATED", "Merchant order receipt notification, awaiting item."),
        Code("TM", "DROPPED_OFF_AT_CARRIER", "Shipment received, package acceptance pending."),
        Code("83", "DROPPED_OFF_AT_CARRIER", "Tendered to the Postal Service."),
        Code("OA", "DROPPED_OFF_AT_CARRIER", "Origin acceptance (USPS in possession of item)."),
        Code("03", "PICKED_UP_BY_CARRIER", "Accepted or picked up."),
        Code("80", "PICKED_UP_BY_CARRIER", "Picked up by a shipping partner."),
        Code("81", "ARRIVAL_AT_TRANSPORT_HUB", "Arrived at a shipping partner facility."),
        Code("82", "DEPARTURE_FROM_TRANSPORT_HUB", "Departed a shipping partner facility."),
        Code("UA", "ARRIVAL_AT_TRANSPORT_HUB", "Accepted at a USPS facility."),
        Code("41", "ARRIVAL_AT_TRANSPORT_HUB", "Received at the opening unit."),
        Code("10", "PROCESSED_AT_SORTING_CENTER", "Processed through a USPS facility."),
        Code("PC", "PROCESSED_AT_SORTING_CENTER", "Sorting complete."),
        Code("AD", "ARRIVED_AT_DELIVERY_DEPOT", "Acceptance at destination."),
        Code("07", "ARRIVED_AT_DELIVERY_DEPOT", "Arrival at the delivery unit."),
        Code("08", "MISSORTED", "Missent."),
        Code("42", "HANDED_TO_LAST_MILE_CARRIER", "USPS handoff to a shipping partner."),
        Code("OF", "OUT_FOR_DELIVERY", "Out for delivery."),
        Code("01", "SUCCESSFULLY_DELIVERED", "Delivered."),
        Code("02", "RECIPIENT_NOT_HOME", "Notice left (no one available)."),
        Code("54", "RECIPIENT_NOT_HOME", "Notice left: no authorized recipient available."),
        Code("52", "DELIVERY_FAILED", "Notice left: receptacle full or item oversized."),
        Code("51", "NO_ACCESS_TO_ADDRESS", "Business closed."),
        Code("55", "NO_ACCESS_TO_ADDRESS", "Notice left: safe location unavailable."),
        Code("04", "DELIVERY_REFUSED", "Refused."),
        Code("05", "ADDRESS_INCORRECT", "Undeliverable as addressed."),
        Code("21", "ADDRESS_INCORRECT", "No such number."),
        Code("22", "ADDRESS_INCOMPLETE", "Insufficient address."),
        Code("23", "RECIPIENT_MOVED", "Moved, left no address."),
        Code("24", "RECIPIENT_MOVED", "Forward expired."),
        Code("25", "RECIPIENT_UNKNOWN_AT_ADDRESS", "Addressee unknown."),
        Code("26", "RECIPIENT_UNKNOWN_AT_ADDRESS", "Vacant."),
        Code("14", "DELIVERED_TO_PARCEL_SHOP", "Arrival at pickup point."),
        Code("16", "DELIVERED_TO_PARCEL_SHOP", "Available for pickup."),
        Code("17", "PICKED_UP_AT_CARRIER_DEPOT", "Picked up by the addressee or an agent."),
        Code("09", "RETURNED_TO_SENDER", "Return to sender."),
        Code("28", "RETURNED_TO_SENDER", "Deceased: returned to sender."),
        Code("44", "RETURNED_TO_SENDER", "Customer recall."),
        Code("27", "NOT_PICKED_UP_RETURNED", "Unclaimed: returned to sender."),
        Code("29", "NOT_PICKED_UP_RETURNED", "Return to sender: not picked up."),
    ],
)


class UspsAdapter(CarrierClient):
    """USPS tracking through the v3 REST API."""

    name = "usps"
    status_map = STATUS_TABLE
    default_base_url = "https://apis.usps.com"
    carriers = ("usps",)
    required = ("client_id", "client_secret")
    description = "USPS Tracking API v3 (OAuth 2 client credentials)."
    oauth_path = "/oauth2/v3/token"
    oauth_client_auth = "json"

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        body = await self.answer(
            "GET",
            f"/tracking/v3/tracking/{number}",
            params={"expand": "DETAIL"},
            headers={"Authorization": await self.bearer(), "Accept": "application/json"},
        )
        if body is None or not isinstance(body.get("trackingEvents"), list):
            return None
        return _update(body)


def _update(body: Mapping[str, Any]) -> TrackingUpdate:
    statuses = in_order(map(_status, objects(body["trackingEvents"])))
    eta = parse_time(body.get("expectedDeliveryTimeStamp"))
    delivered = any(s.code == "01" for s in statuses)
    window: tuple[datetime, datetime] | None = (eta, eta) if eta and not delivered else None
    return TrackingUpdate(statuses=statuses, estimated_arrival=window)


def _status(event: Mapping[str, Any]) -> RawStatus | None:
    code = text(event.get("eventCode"))
    occurred_at = parse_time(event.get("GMTTimestamp")) or parse_time(
        event.get("eventTimestamp"), offset=text(event.get("GMTOffset"))
    )
    if code is None or occurred_at is None:
        return None
    return raw_status(
        code,
        text(event.get("eventType")),
        occurred_at,
        **place(event, "eventCity", "eventState", "eventCountry", "eventZIP"),
        signed_by=text(event.get("name")) if code == "01" else None,
        firm=text(event.get("firm")),
        authorized_agent=event.get("authorizedAgent") is True,
    )
