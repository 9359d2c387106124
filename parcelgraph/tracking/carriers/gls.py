"""GLS Track And Trace API v1 (OAuth 2 client credentials, up to 10 numbers per call).

A token comes from `POST /oauth2/v1/token` (client id and secret as HTTP Basic,
`grant_type=client_credentials`). Tracking is
`GET /track-and-trace-v1/tracking/simple/trackids/{id,id,…}?showEvents=true` with the
bearer token, up to ten Track IDs or parcel numbers per call. The answer lists `parcels`:
one entry per parcel found (`requested` is the number asked for, `unitno` the parcel
number, `status` its current status word) or an `errorCode` (`E_404_01`: not found).

GLS reports one status word per parcel, not per scan, so each poll records the parcel's
current status at the time GLS gives for it (`statusDateTime`, else the newest event's
`eventDateTime`); the scan's place and wording come from the newest event. A status seen
again at the same time is the same event, so polling records each change once. The map
(carriers.toml) covers the documented status words of the Track And Trace API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient, Results
from parcelgraph.tracking.carriers.scans import in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.times import parse_time

NOT_FOUND = "E_404_01"


class GlsAdapter(CarrierClient, carrier="gls"):
    """GLS parcels through the Track And Trace API."""

    async def _track_batch(self, numbers: list[str]) -> Results:
        body = await self.answer(
            "GET",
            f"/track-and-trace-v1/tracking/simple/trackids/{','.join(numbers)}",
            params={"showEvents": "true", "showLinks": "false"},
            headers={"Authorization": await self.bearer(), "Accept-Language": "EN"},
        )
        if body is None:
            return {}
        parcels: dict[str, list[Mapping[str, Any]]] = {}
        for parcel in objects(body.get("parcels")):
            if parcel.get("errorCode") != NOT_FOUND:
                number = text(parcel.get("requested")) or text(parcel.get("unitno"))
                if number in numbers:
                    parcels.setdefault(number, []).append(parcel)
        return {number: _update(found) for number, found in parcels.items()}


def _update(parcels: list[Mapping[str, Any]]) -> TrackingUpdate:
    # A number can stand for several parcels (a multi-parcel shipment): each one's status.
    statuses = in_order(map(_status, parcels))
    unique = {(s.code, s.occurred_at, s.details.get("unit")): s for s in statuses}
    return TrackingUpdate(statuses=in_order(unique.values()))


def _status(parcel: Mapping[str, Any]) -> RawStatus | None:
    code = text(parcel.get("status"))
    newest: Mapping[str, Any] = max(objects(parcel.get("events")), key=_event_time, default={})
    occurred_at = parse_time(parcel.get("statusDateTime")) or parse_time(
        newest.get("eventDateTime")
    )
    return raw_status(
        code,
        text(newest.get("description")),
        occurred_at,
        **place(newest, "city", None, "country", "postalCode"),
        unit=text(parcel.get("unitno")),
        event_code=text(newest.get("code")),
    )


def _event_time(event: Mapping[str, Any]) -> datetime:
    return parse_time(event.get("eventDateTime")) or datetime.min.replace(tzinfo=UTC)
