"""PostNL Shipping Status API (Netherlands, Belgium and PostNL international parcels).

`GET /shipment/v2/status/barcode/{barcode}?detail=true&language=EN` with the `apikey`
header; one barcode per call. With `detail=true` the answer is `CompleteStatus.Shipment`,
whose `OldStatus` list is the history of status codes (with phase), `Event` the finer
scan events (codes such as `A01`, `J01`), `Expectation` the expected delivery window and
`DeliveryDate` the moment of delivery. PostNL writes times as `dd-MM-yyyy HH:mm:ss` in
Dutch local time, which is converted with the Europe/Amsterdam time zone (summer time
included). An unknown barcode comes back as 404 or as a warning with no shipment.

The map covers PostNL's documented status codes (the "T&T status codes" table: codes 1 to
23 and 99, in the phases collection, sorting, distribution, delivered).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.http import HttpPolicy
from parcelgraph.tracking.carriers.scans import in_order, objects, one_object, raw_status, text
from parcelgraph.tracking.carriers.table import Code, StatusTable
from parcelgraph.tracking.carriers.times import parse_time

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

STATUS_TABLE = StatusTable(
    "postnl",
    [
        Code("1", "LABEL_CREATED", "Shipment pre-alerted."),
        Code("13", "LABEL_CREATED", "Pre-alerted shipment, not yet accepted."),
        Code("14", "ORDER_CANCELLED", "Pre-alerted shipment, definitely not accepted."),
        Code("2", "DROPPED_OFF_AT_CARRIER", "Shipment accepted."),
        Code("3", "PICKED_UP_BY_CARRIER", "Shipment collected."),
        Code("4", "AWAITING_CARRIER_PICKUP", "Shipment not collected."),
        Code("19", "RETURNED_TO_SENDER", "Shipment rejected."),
        Code("5", "PROCESSED_AT_SORTING_CENTER", "Shipment sorted."),
        Code("6", "CARRIER_DELAY", "Shipment not sorted."),
        Code("21", "ARRIVED_AT_DELIVERY_DEPOT", "Shipment in storage."),
        Code("9", "IN_CUSTOMS_CLEARANCE", "Shipment at customs."),
        Code("20", "IN_CUSTOMS_CLEARANCE", "Shipment in clearance process."),
        Code("7", "OUT_FOR_DELIVERY", "Shipment out for delivery."),
        Code("8", "DELIVERY_FAILED", "Shipment not delivered."),
        Code("11", "SUCCESSFULLY_DELIVERED", "Shipment delivered."),
        Code("12", "DELIVERED_TO_PARCEL_SHOP", "Shipment at pick-up location."),
        Code("22", "PICKED_UP_FROM_PARCEL_SHOP", "Shipment picked up from post office."),
        Code("23", "PICKED_UP_BY_CARRIER", "Collection order collected."),
    ],
    # "Missing" at collection, sorting or distribution (no catalogue event says "lost"),
    # and "not applicable": kept as UNMAPPED with PostNL's text.
    unmapped=["15", "16", "17", "18", "99"],
)


class PostnlAdapter(CarrierClient):
    """PostNL parcels through the Shipping Status API."""

    name = "postnl"
    status_map = STATUS_TABLE
    default_base_url = "https://api.postnl.nl"
    carriers = ("postnl_inter",)
    required = ("api_key",)
    description = "PostNL Shipping Status API (status codes and phases, local Dutch times)."
    policy = HttpPolicy(requests_per_second=4.0, burst=4)

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        body = await self.answer(
            "GET",
            f"/shipment/v2/status/barcode/{number}",
            params={"detail": "true", "language": "EN"},
            headers={"apikey": self.credential("api_key"), "Accept": "application/json"},
        )
        shipment = _shipment(body) if body is not None else None
        return _update(shipment) if shipment is not None else None


def _shipment(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    status = body.get("CompleteStatus") or body.get("CurrentStatus")
    shipment = status.get("Shipment") if isinstance(status, Mapping) else None
    if isinstance(shipment, list):
        shipment = shipment[0] if shipment else None
    return shipment if isinstance(shipment, Mapping) else None


def _update(shipment: Mapping[str, Any]) -> TrackingUpdate:
    history = objects(shipment.get("OldStatus")) or one_object(shipment, "Status")
    statuses = [s for s in map(_status, history) if s is not None]
    # PostNL repeats a status with the same time in several lists; keep one of each.
    unique = {(s.code, s.occurred_at): s for s in statuses}
    return TrackingUpdate(statuses=in_order(unique.values()), estimated_arrival=_window(shipment))


def _status(entry: Mapping[str, Any]) -> RawStatus | None:
    code = text(entry.get("StatusCode")) or text(entry.get("Code"))
    occurred_at = dutch_time(entry.get("TimeStamp") or entry.get("Timestamp"))
    if code is None or occurred_at is None:
        return None
    return raw_status(
        code,
        text(entry.get("StatusDescription")) or text(entry.get("Description")),
        occurred_at,
        phase_code=text(entry.get("PhaseCode")),
        phase=text(entry.get("PhaseDescription")),
    )


def _window(shipment: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    expectation = shipment.get("Expectation")
    if not isinstance(expectation, Mapping):
        return None
    start = _any_time(expectation.get("ETAFrom"))
    end = _any_time(expectation.get("ETATo"))
    return (start, end) if start and end else None


def _any_time(value: object) -> datetime | None:
    # Expectation times come as ISO 8601 without zone (Dutch local) or as dd-MM-yyyy.
    moment = dutch_time(value)
    if moment is None and isinstance(value, str):
        parsed = parse_time(value)
        if parsed is not None and "+" not in value and not value.endswith("Z"):
            parsed = parsed.replace(tzinfo=AMSTERDAM)
        moment = parsed
    return moment


def dutch_time(value: object) -> datetime | None:
    """`19-04-2016 23:53:58` (Dutch local time) as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%d-%m-%Y %H:%M:%S").replace(tzinfo=AMSTERDAM)
    except ValueError:
        return None
