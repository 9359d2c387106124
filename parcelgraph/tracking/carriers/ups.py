"""UPS Track API (OAuth 2 client credentials).

A token comes from `POST /security/v1/oauth/token` (client id and secret as HTTP Basic,
`grant_type=client_credentials`); tracking is `GET /api/track/v1/details/{inquiryNumber}`
with the bearer token and the `transId` / `transactionSrc` headers UPS requires. One
number per call. The answer's `trackResponse.shipment[].package[]` holds the `activity`
list (newest first: local `date`/`time` plus `gmtDate`/`gmtTime`/`gmtOffset`), the
`deliveryDate` / `deliveryTime` estimate and, once delivered, `deliveryInformation`
(who received it, where it was left). 404 means UPS does not know the number.

The map (carriers.toml) is keyed by the activity's status `type`, the documented
status-type set of the Track API; the finer activity `code` (e.g. `SR`) is kept as the
detail code.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import child, in_order, objects, place, raw_status, text
from parcelgraph.tracking.carriers.times import parse_offset


class UpsAdapter(CarrierClient, carrier="ups"):
    """UPS tracking through the Track API."""

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        body = await self.answer(
            "GET",
            f"/api/track/v1/details/{number}",
            params={"locale": "en_US", "returnSignature": "false"},
            headers={
                "Authorization": await self.bearer(),
                "transId": uuid.uuid4().hex,
                "transactionSrc": "parcelgraph",
            },
        )
        package = _first_package(body) if body is not None else None
        return _update(package) if package is not None else None


def _first_package(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for shipment in objects(child(body, "trackResponse").get("shipment")):
        for package in objects(shipment.get("package")):
            return package
    return None


def _update(package: Mapping[str, Any]) -> TrackingUpdate:
    activities = objects(package.get("activity"))
    proof = _proof(package.get("deliveryInformation"))
    statuses = in_order(_status(a, proof) for a in activities)
    newest_offset = next((parse_offset(a.get("gmtOffset")) for a in activities), None)
    return TrackingUpdate(
        statuses=statuses, estimated_arrival=_window(package, newest_offset or UTC)
    )


def _status(activity: Mapping[str, Any], proof: Mapping[str, Any]) -> RawStatus | None:
    status = child(activity, "status")
    code = text(status.get("type"))
    occurred_at = _activity_time(activity)
    address = child(child(activity, "location"), "address")
    return raw_status(
        code,
        text(status.get("description")),
        occurred_at,
        **place(address, "city", "stateProvince", ("countryCode", "country"), "postalCode"),
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
    times = child(package, "deliveryTime")
    start = _date_time(day, times.get("startTime") or "000000", zone)
    end = _date_time(day, times.get("endTime"), zone) if times.get("endTime") else None
    if start is None:
        return None
    return (start, end or start.replace(hour=0, minute=0, second=0) + timedelta(days=1, seconds=-1))


def _proof(info: object) -> dict[str, Any]:
    # Who took the package and where it was left, attached to the delivered scan.
    if not isinstance(info, Mapping):
        return {}
    return {
        "signed_by": text(info.get("receivedBy")),
        "left_at": text(info.get("location")),
        "signature_on_file": bool(text(child(info, "signature").get("image"))),
    }
