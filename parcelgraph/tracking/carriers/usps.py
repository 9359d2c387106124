"""USPS Tracking API v3 (OAuth 2 client credentials).

A token comes from `POST /oauth2/v3/token` (JSON body with `grant_type`, `client_id`,
`client_secret`); tracking is `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`
with the bearer token, one number per call. The answer lists `trackingEvents` (newest
first) with the USPS `eventCode`, `eventType` text, local `eventTimestamp` plus
`GMTTimestamp`/`GMTOffset`, the city, state, ZIP and country, and the recipient `name` on
delivery; `expectedDeliveryTimeStamp` is the estimate. 404 means USPS does not know it.

The map (carriers.toml) covers the USPS tracking event codes (the two-character codes of
USPS Publication 97, Appendix I, as returned in `eventCode`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.times import parse_time


class UspsAdapter(CarrierClient, carrier="usps"):
    """USPS tracking through the v3 REST API."""

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
    return raw_status(
        code,
        text(event.get("eventType")),
        occurred_at,
        **place(event, "eventCity", "eventState", "eventCountry", "eventZIP"),
        signed_by=text(event.get("name")) if code == "01" else None,
        firm=text(event.get("firm")),
        authorized_agent=event.get("authorizedAgent") is True,
    )
