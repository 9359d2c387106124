"""Royal Mail Tracking API v2 (UK mail pieces, Tracked and Special Delivery).

`GET /mailpieces/v2/{mailPieceId}/events` with the app's `X-IBM-Client-Id` and
`X-IBM-Client-Secret` headers and `X-Accept-RMG-Terms: yes`; one item per call. The
answer's `mailPieces` holds the `events` (newest first: `eventCode`, `eventName`,
`eventDateTime` with its offset, `locationName`), a `summary`, the `signature` once signed
for (`recipientName`) and the `estimatedDelivery` (a date and a window). An unknown item
answers 404 with Royal Mail's error list. The map (carriers.toml) covers Royal Mail's
documented event codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import child, in_order, objects, raw_status, text
from parcelgraph.tracking.carriers.times import parse_time

# Codes whose scan is the hand-over itself: the signature belongs to them.
HANDED_OVER = frozenset({"EVKSP", "EVKNS", "EVKLS", "EVNSC"})


class RoyalmailAdapter(CarrierClient, carrier="royalmail"):
    """Royal Mail items through the Tracking API v2."""

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        body = await self.answer(
            "GET",
            f"/mailpieces/v2/{number}/events",
            headers={
                "X-IBM-Client-Id": self.credential("client_id"),
                "X-IBM-Client-Secret": self.credential("client_secret"),
                "X-Accept-RMG-Terms": "yes",
                "Accept": "application/json",
            },
        )
        pieces = child(body, "mailPieces") if body is not None else {}
        return _update(pieces) if isinstance(pieces.get("events"), list) else None


def _update(pieces: Mapping[str, Any]) -> TrackingUpdate:
    signed_by = text(child(pieces, "signature").get("recipientName"))
    statuses = in_order(_status(e, signed_by) for e in objects(pieces["events"]))
    return TrackingUpdate(statuses=statuses, estimated_arrival=_window(pieces))


def _status(event: Mapping[str, Any], signed_by: str | None) -> RawStatus | None:
    code = text(event.get("eventCode"))
    occurred_at = parse_time(event.get("eventDateTime"))
    return raw_status(
        code,
        text(event.get("eventName")),
        occurred_at,
        signed_by=signed_by if code in HANDED_OVER else None,
        site=text(event.get("locationName")),
    )


def _window(pieces: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    estimate = child(pieces, "estimatedDelivery")
    day = estimate.get("date")
    if not isinstance(day, str):
        return None
    start = parse_time(f"{day}T{estimate.get('startOfEstimatedWindow') or ''}".rstrip("T"))
    end = parse_time(f"{day}T{estimate.get('endOfEstimatedWindow') or ''}".rstrip("T"))
    if start is None:
        return None
    if end is None or end == start:
        end = datetime.combine(start.date(), time.max, tzinfo=start.tzinfo)
    return (start, end)
