"""PostNL Shipping Status API (Netherlands, Belgium and PostNL international parcels).

`GET /shipment/v2/status/barcode/{barcode}?detail=true&language=EN` with the `apikey`
header; one barcode per call. With `detail=true` the answer is `CompleteStatus.Shipment`,
whose `OldStatus` list is the history of status codes (with phase), `Event` the finer
scan events (codes such as `A01`, `J01`), `Expectation` the expected delivery window and
`DeliveryDate` the moment of delivery. PostNL writes times as `dd-MM-yyyy HH:mm:ss` in
Dutch local time, which is converted with the Europe/Amsterdam time zone (summer time
included). An unknown barcode comes back as 404 or as a warning with no shipment.

The map (carriers.toml) covers PostNL's documented status codes (the "T&T status codes"
table: codes 1 to 23 and 99, in the phases collection, sorting, distribution, delivered).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import (
    child,
    in_order,
    objects,
    one_object,
    raw_status,
    text,
)
from parcelgraph.tracking.carriers.times import parse_time

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class PostnlAdapter(CarrierClient, carrier="postnl"):
    """PostNL parcels through the Shipping Status API."""

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
    return raw_status(
        code,
        text(entry.get("StatusDescription")) or text(entry.get("Description")),
        occurred_at,
        phase_code=text(entry.get("PhaseCode")),
        phase=text(entry.get("PhaseDescription")),
    )


def _window(shipment: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    expectation = child(shipment, "Expectation")
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
