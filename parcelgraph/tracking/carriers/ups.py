"""UPS Track API (OAuth 2 client credentials).

A token comes from `POST /security/v1/oauth/token` (client id and secret as HTTP Basic,
`grant_type=client_credentials`); tracking is `GET /api/track/v1/details/{inquiryNumber}`
with the bearer token and the `transId` / `transactionSrc` headers UPS requires. One
number per call. The answer's `trackResponse.shipment[].package[]` holds the `activity`
list (newest first: local `date`/`time` plus `gmtDate`/`gmtTime`/`gmtOffset`), the
`deliveryDate` / `deliveryTime` estimate and, once delivered, `deliveryInformation`
(who received it, where it was left). 404 means UPS does not know the number.

The map is keyed by the activity's status `type`, the documented status-type set of the
Track API; the finer activity `code` (e.g. `SR`) is kept as the detail code.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient, Results
from parcelgraph.tracking.carriers.http import json_object
from parcelgraph.tracking.carriers.oauth import TokenSource
from parcelgraph.tracking.carriers.scans import parse_offset, raw_status, text
from parcelgraph.tracking.carriers.table import Code, StatusTable

STATUS_TABLE = StatusTable(
    "ups",
    [
        Code("M", "LABEL_CREATED", "Shipment ready for UPS: billing information received."),
        Code("MV", "ORDER_CANCELLED", "Billing information voided: the label was cancelled."),
        Code("P", "PICKED_UP_BY_CARRIER", "Pickup scan."),
        Code("I", "IN_TRANSIT", "In transit."),
        Code("W", "ARRIVAL_AT_TRANSPORT_HUB", "Warehousing (freight held at a UPS facility)."),
        Code("DO", "ARRIVAL_AT_TRANSPORT_HUB", "Delivered to the origin freight station."),
        Code("DD", "ARRIVED_AT_DELIVERY_DEPOT", "Delivered to the destination freight station."),
        Code("O", "OUT_FOR_DELIVERY", "Out for delivery."),
        Code("X", "CARRIER_DELAY", "Exception: something holds the package up."),
        Code("D", "SUCCESSFULLY_DELIVERED", "Delivered."),
        Code("RS", "RETURNED_TO_SENDER", "Returned to shipper."),
    ],
    unmapped=["NA"],  # "not available": UPS has no status to give
)


class UpsAdapter(CarrierClient):
    """UPS tracking through the Track API."""

    name = "ups"
    status_map = STATUS_TABLE
    default_base_url = "https://onlinetools.ups.com"
    carriers = ("ups",)
    required = ("client_id", "client_secret")
    description = "UPS Track API (OAuth 2 client credentials)."

    async def _track_batch(self, numbers: list[str]) -> Results:
        (number,) = numbers
        token = await self._tokens().token()
        response = await self.http.send(
            "GET",
            f"/api/track/v1/details/{number}",
            params={"locale": "en_US", "returnSignature": "false"},
            headers={
                "Authorization": f"Bearer {token}",
                "transId": uuid.uuid4().hex,
                "transactionSrc": "parcelgraph",
            },
        )
        if response.status_code == 404:
            return {}
        body = json_object(self.name, response)
        package = _first_package(body)
        return {number: _update(package)} if package is not None else {}

    def _tokens(self) -> TokenSource:
        if self.tokens is None:
            self.tokens = TokenSource(
                self.http,
                path="/security/v1/oauth/token",
                client_id=self.credential("client_id"),
                client_secret=self.credential("client_secret"),
                client_auth="basic",
            )
        return self.tokens


def _first_package(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    track = body.get("trackResponse")
    shipments = track.get("shipment") if isinstance(track, Mapping) else None
    for shipment in shipments or []:
        for package in (shipment.get("package") or []) if isinstance(shipment, Mapping) else []:
            if isinstance(package, Mapping):
                return package
    return None


def _update(package: Mapping[str, Any]) -> TrackingUpdate:
    activities = [a for a in package.get("activity") or [] if isinstance(a, Mapping)]
    proof = _proof(package.get("deliveryInformation"))
    statuses = [s for s in (_status(a, proof) for a in activities) if s is not None]
    statuses.sort(key=lambda s: s.occurred_at)
    newest_offset = next((parse_offset(a.get("gmtOffset")) for a in activities), None)
    return TrackingUpdate(
        statuses=statuses, estimated_arrival=_window(package, newest_offset or UTC)
    )


def _status(activity: Mapping[str, Any], proof: Mapping[str, Any]) -> RawStatus | None:
    status = activity.get("status") if isinstance(activity.get("status"), Mapping) else {}
    code = text(status.get("type"))
    occurred_at = _activity_time(activity)
    if code is None or occurred_at is None:
        return None
    location = activity.get("location") if isinstance(activity.get("location"), Mapping) else {}
    address = location.get("address") if isinstance(location.get("address"), Mapping) else {}
    return raw_status(
        code,
        text(status.get("description")),
        occurred_at,
        city=text(address.get("city")),
        region=text(address.get("stateProvince")),
        country_code=text(address.get("countryCode")) or text(address.get("country")),
        postal_code=text(address.get("postalCode")),
        detail_code=text(status.get("code")),
        status_code=text(status.get("statusCode")),
        **(proof if code == "D" else {}),
    )


def _activity_time(activity: Mapping[str, Any]) -> datetime | None:
    # GMT date and time are exact; the local ones need the offset UPS sends beside them.
    gmt = _date_time(activity.get("gmtDate"), activity.get("gmtTime"), UTC)
    zone = parse_offset(activity.get("gmtOffset")) or UTC
    return gmt or _date_time(activity.get("date"), activity.get("time"), zone)


def _date_time(day: object, clock: object, zone: timezone) -> datetime | None:
    if not isinstance(day, str) or len(day) != 8 or not day.isdigit():
        return None
    clock = clock.zfill(6) if isinstance(clock, str) and clock.isdigit() else "000000"
    try:
        return datetime.strptime(day + clock, "%Y%m%d%H%M%S").replace(tzinfo=zone)
    except ValueError:
        return None


def _window(package: Mapping[str, Any], zone: timezone) -> tuple[datetime, datetime] | None:
    dates = {d.get("type"): d.get("date") for d in package.get("deliveryDate") or []}
    day = dates.get("RDD") or dates.get("SDD")
    if not day or "DEL" in dates:
        return None
    times = package.get("deliveryTime") if isinstance(package.get("deliveryTime"), Mapping) else {}
    start = _date_time(day, times.get("startTime") or "000000", zone)
    end = _date_time(day, times.get("endTime"), zone) if times.get("endTime") else None
    if start is None:
        return None
    return (start, end or start.replace(hour=0, minute=0, second=0) + timedelta(days=1, seconds=-1))


def _proof(info: object) -> dict[str, Any]:
    # Who took the package and where it was left, attached to the delivered scan.
    if not isinstance(info, Mapping):
        return {}
    signature = info.get("signature") if isinstance(info.get("signature"), Mapping) else {}
    return {
        "signed_by": text(info.get("receivedBy")),
        "left_at": text(info.get("location")),
        "signature_on_file": bool(text(signature.get("image"))),
    }
