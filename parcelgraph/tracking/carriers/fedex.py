"""FedEx Track API (OAuth 2 client credentials, up to 30 numbers per call).

A token comes from `POST /oauth/token` (form fields `grant_type=client_credentials`,
`client_id`, `client_secret`). Tracking is `POST /track/v1/trackingnumbers` with a JSON
body listing up to 30 `trackingInfo[].trackingNumberInfo.trackingNumber` and
`includeDetailedScans`. The answer has one `output.completeTrackResults[]` per number,
each with `trackResults[]`: `scanEvents` (ISO times with offsets, `eventType` codes,
`scanLocation`), the `estimatedDeliveryTimeWindow`, `deliveryDetails` (who received it,
where it was left) or an `error` such as `TRACKING.TRACKINGNUMBER.NOTFOUND`.

The map covers the documented scan event types (`eventType`); exception codes that come
with DE/SE/DY events are kept as details.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient, Results
from parcelgraph.tracking.carriers.http import HttpPolicy
from parcelgraph.tracking.carriers.scans import child, in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.table import Code, StatusTable
from parcelgraph.tracking.carriers.times import parse_time

STATUS_TABLE = StatusTable(
    "fedex",
    [
        Code("OC", "LABEL_CREATED", "Shipment information sent to FedEx."),
        Code("CA", "ORDER_CANCELLED", "Shipment cancelled."),
        Code("AP", "AWAITING_CARRIER_PICKUP", "At pickup."),
        Code("EP", "AWAITING_CARRIER_PICKUP", "Enroute to pickup."),
        Code("PU", "PICKED_UP_BY_CARRIER", "Picked up."),
        Code("PX", "PICKED_UP_BY_CARRIER", "Picked up (see details)."),
        Code("OF", "ARRIVAL_AT_TRANSPORT_HUB", "At FedEx origin facility."),
        Code("AR", "ARRIVAL_AT_TRANSPORT_HUB", "Arrived at FedEx location."),
        Code("AA", "ARRIVAL_AT_TRANSPORT_HUB", "At airport."),
        Code("PL", "ARRIVAL_AT_TRANSPORT_HUB", "Plane landed."),
        Code("DP", "DEPARTURE_FROM_TRANSPORT_HUB", "Departed FedEx location."),
        Code("LO", "DEPARTURE_FROM_TRANSPORT_HUB", "Left FedEx origin facility."),
        Code("SF", "PROCESSED_AT_SORTING_CENTER", "At sort facility."),
        Code("IT", "IN_TRANSIT", "In transit."),
        Code("IX", "IN_TRANSIT", "In transit (see details)."),
        Code("EA", "IN_TRANSIT", "Enroute to airport."),
        Code("EO", "IN_TRANSIT", "Enroute to origin airport."),
        Code("PF", "IN_TRANSIT", "Plane in flight."),
        Code("PM", "IN_TRANSIT", "In progress."),
        Code("TR", "IN_TRANSIT", "Transfer."),
        Code("CP", "IN_CUSTOMS_CLEARANCE", "Clearance in progress."),
        Code("CU", "IN_CUSTOMS_CLEARANCE", "Customs."),
        Code("BR", "IN_CUSTOMS_CLEARANCE", "With the customs broker."),
        Code("CC", "IMPORT_CUSTOMS_CLEARED", "Cleared customs."),
        Code("CD", "CUSTOMS_DELAY", "Clearance delay."),
        Code("FD", "ARRIVED_AT_DELIVERY_DEPOT", "At FedEx destination facility."),
        Code("AF", "ARRIVED_AT_DELIVERY_DEPOT", "At local FedEx facility."),
        Code("AE", "DELIVERY_DATE_SCHEDULED", "Shipment arriving early."),
        Code("AO", "DELIVERY_DATE_SCHEDULED", "Shipment arriving on time."),
        Code("CH", "ADDRESS_CORRECTED", "Location changed."),
        Code("AC", "HANDED_TO_LAST_MILE_CARRIER", "At Canada Post facility."),
        Code("AX", "HANDED_TO_LAST_MILE_CARRIER", "At USPS facility."),
        Code("OX", "HANDED_TO_LAST_MILE_CARRIER", "Shipment information sent to USPS."),
        Code("DY", "CARRIER_DELAY", "Delay."),
        Code("DD", "CARRIER_DELAY", "Delivery delay."),
        Code("PD", "CARRIER_DELAY", "Pickup delay."),
        Code("SE", "CARRIER_DELAY", "Shipment exception."),
        Code("RR", "DELIVERY_RESCHEDULED_BY_CUSTOMER", "Delivery option requested."),
        Code("RM", "DELIVERY_RESCHEDULED_BY_CUSTOMER", "Delivery option modified."),
        Code("OD", "OUT_FOR_DELIVERY", "On FedEx vehicle for delivery."),
        Code("ED", "OUT_FOR_DELIVERY", "Enroute to delivery."),
        Code("AD", "DRIVER_NEARBY", "At delivery."),
        Code("DE", "DELIVERY_FAILED", "Delivery exception."),
        Code("HL", "DELIVERED_TO_PARCEL_SHOP", "Held at a FedEx location for pickup."),
        Code("HP", "DELIVERED_TO_PARCEL_SHOP", "Ready for recipient pickup."),
        Code("DL", "SUCCESSFULLY_DELIVERED", "Delivered."),
        Code("RS", "RETURNED_TO_SENDER", "Return to shipper."),
        Code("RP", "RETURN_LABEL_CREATED", "Return label link emailed to the return sender."),
        Code("RD", "RETURN_LABEL_EXPIRED", "Return label link expired."),
    ],
    # Freight vehicle moves, split statuses and label-link notices say nothing about where
    # the parcel is: documented, kept as UNMAPPED with their text.
    unmapped=["DR", "DS", "SP", "RC", "LP", "RG"],
)

NOT_FOUND = "TRACKING.TRACKINGNUMBER.NOTFOUND"


class FedexAdapter(CarrierClient):
    """FedEx tracking through the Track API, 30 numbers per call."""

    name = "fedex"
    status_map = STATUS_TABLE
    default_base_url = "https://apis.fedex.com"
    carriers = ("fedex",)
    required = ("client_id", "client_secret")
    description = "FedEx Track API (OAuth 2 client credentials, batches of 30)."
    batch_size = 30
    policy = HttpPolicy(requests_per_second=1.0, burst=3)
    oauth_path = "/oauth/token"
    oauth_client_auth = "form"

    async def _track_batch(self, numbers: list[str]) -> Results:
        body = await self.answer(
            "POST",
            "/track/v1/trackingnumbers",
            json={
                "includeDetailedScans": True,
                "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": n}} for n in numbers],
            },
            headers={"Authorization": await self.bearer(), "X-locale": "en_US"},
        )
        results: Results = {}
        output = child(body, "output") if body is not None else {}
        for complete in output.get("completeTrackResults") or []:
            number, result = _result(complete)
            if number in numbers and result is not None:
                results[number] = _update(result)
        return results


def _result(complete: object) -> tuple[str | None, Mapping[str, Any] | None]:
    if not isinstance(complete, Mapping):
        return None, None
    number = text(complete.get("trackingNumber"))
    for result in complete.get("trackResults") or []:
        if not isinstance(result, Mapping):
            continue
        return number, None if child(result, "error").get("code") == NOT_FOUND else result
    return number, None


def _update(result: Mapping[str, Any]) -> TrackingUpdate:
    proof = _proof(child(result, "deliveryDetails"))
    statuses = in_order(_status(e, proof) for e in objects(result.get("scanEvents")))
    return TrackingUpdate(statuses=statuses, estimated_arrival=_window(result))


def _status(event: Mapping[str, Any], proof: Mapping[str, Any]) -> RawStatus | None:
    code = text(event.get("eventType"))
    occurred_at = parse_time(event.get("date"))
    if code is None or occurred_at is None:
        return None
    scanned_at = child(event, "scanLocation")
    return raw_status(
        code,
        text(event.get("eventDescription")),
        occurred_at,
        **place(scanned_at, "city", "stateOrProvinceCode", "countryCode", "postalCode"),
        exception_code=text(event.get("exceptionCode")),
        exception=text(event.get("exceptionDescription")),
        **(proof if code == "DL" else {}),
    )


def _window(result: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    frame = result.get("estimatedDeliveryTimeWindow")
    window = frame.get("window") if isinstance(frame, Mapping) else None
    if isinstance(window, Mapping):
        begins, ends = parse_time(window.get("begins")), parse_time(window.get("ends"))
        if begins and ends:
            return (begins, ends)
    for moment in result.get("dateAndTimes") or []:
        if isinstance(moment, Mapping) and moment.get("type") == "ESTIMATED_DELIVERY":
            eta = parse_time(moment.get("dateTime"))
            if eta:
                return (eta, eta)
    return None


def _proof(details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "signed_by": text(details.get("receivedByName")) or text(details.get("signedByName")),
        "left_at": text(details.get("locationDescription")),
    }
