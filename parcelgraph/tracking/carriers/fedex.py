"""FedEx Track API (OAuth 2 client credentials, up to 30 numbers per call).

A token comes from `POST /oauth/token` (form fields `grant_type=client_credentials`,
`client_id`, `client_secret`). Tracking is `POST /track/v1/trackingnumbers` with a JSON
body listing up to 30 `trackingInfo[].trackingNumberInfo.trackingNumber` and
`includeDetailedScans`. The answer has one `output.completeTrackResults[]` per number,
each with `trackResults[]`: `scanEvents` (ISO times with offsets, `eventType` codes,
`scanLocation`), the `estimatedDeliveryTimeWindow`, `deliveryDetails` (who received it,
where it was left) or an `error` such as `TRACKING.TRACKINGNUMBER.NOTFOUND`.

The map (carriers.toml) covers the documented scan event types (`eventType`); exception
codes that come with DE/SE/DY events are kept as details.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient, Results
from parcelgraph.tracking.carriers.scans import child, in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.times import parse_time

NOT_FOUND = "TRACKING.TRACKINGNUMBER.NOTFOUND"


class FedexAdapter(CarrierClient, carrier="fedex"):
    """FedEx tracking through the Track API, 30 numbers per call."""

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
        for complete in objects(output.get("completeTrackResults")):
            number, result = _result(complete)
            if number in numbers and result is not None:
                results[number] = _update(result)
        return results


def _result(complete: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    number = text(complete.get("trackingNumber"))
    for result in objects(complete.get("trackResults")):
        return number, None if child(result, "error").get("code") == NOT_FOUND else result
    return number, None


def _update(result: Mapping[str, Any]) -> TrackingUpdate:
    proof = _proof(child(result, "deliveryDetails"))
    statuses = in_order(_status(e, proof) for e in objects(result.get("scanEvents")))
    return TrackingUpdate(statuses=statuses, estimated_arrival=_window(result))


def _status(event: Mapping[str, Any], proof: Mapping[str, Any]) -> RawStatus | None:
    code = text(event.get("eventType"))
    occurred_at = parse_time(event.get("date"))
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
    window = child(child(result, "estimatedDeliveryTimeWindow"), "window")
    begins, ends = parse_time(window.get("begins")), parse_time(window.get("ends"))
    if begins and ends:
        return (begins, ends)
    for moment in objects(result.get("dateAndTimes")):
        if moment.get("type") == "ESTIMATED_DELIVERY":
            eta = parse_time(moment.get("dateTime"))
            if eta:
                return (eta, eta)
    return None


def _proof(details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "signed_by": text(details.get("receivedByName")) or text(details.get("signedByName")),
        "left_at": text(details.get("locationDescription")),
    }
