"""DHL Shipment Tracking - Unified API (Paket, Express, eCommerce, Freight and more).

`GET /track/shipments?trackingNumber=…` on api-eu.dhl.com with the app's key in the
`DHL-API-Key` header; one tracking number per call. The answer lists `shipments`, each with
its current `status`, its `events` (newest first), an estimated delivery time or time
frame and, once delivered, `details.proofOfDelivery`. Errors are RFC 7807 problem
documents; 404 means the number is unknown. The default plan allows 250 calls a day at
one call per five seconds, which is the rate budget below (raise it with a bigger plan).

Every event carries one of five documented `statusCode` values, the only codes the API
defines; its finer `statusDetailed` text is kept as the detail code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from parcelgraph.tracking.adapters import RawStatus, TrackingUpdate
from parcelgraph.tracking.carriers.base import CarrierClient
from parcelgraph.tracking.carriers.scans import (
    child,
    in_order,
    objects,
    one_object,
    place,
    raw_status,
    text,
)
from parcelgraph.tracking.carriers.times import parse_time


class DhlAdapter(CarrierClient, carrier="dhl"):
    """DHL's unified tracking API."""

    async def _track_one(self, number: str) -> TrackingUpdate | None:
        body = await self.answer(
            "GET",
            "/track/shipments",
            params={"trackingNumber": number},
            headers={"DHL-API-Key": self.credential("api_key"), "Accept": "application/json"},
        )
        shipments = objects(body.get("shipments")) if body is not None else []
        return _update(shipments[0]) if shipments else None


def _update(shipment: Mapping[str, Any]) -> TrackingUpdate:
    events = objects(shipment.get("events")) or one_object(shipment, "status")
    proof = _proof(child(shipment, "details"))
    statuses = in_order(_status(e, proof) for e in events)
    return TrackingUpdate(statuses=statuses, estimated_arrival=_window(shipment))


def _status(event: Mapping[str, Any], proof: Mapping[str, Any]) -> RawStatus | None:
    occurred_at = parse_time(event.get("timestamp"))
    code = text(event.get("statusCode"))
    address = child(child(event, "location"), "address")
    delivered = proof if code == "delivered" else {}
    return raw_status(
        code,
        text(event.get("description")) or text(event.get("status")),
        occurred_at,
        **place(address, "addressLocality", "addressRegion", "countryCode", "postalCode"),
        detail_code=text(event.get("statusDetailed")),
        **delivered,
    )


def _window(shipment: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    frame = child(shipment, "estimatedDeliveryTimeFrame")
    start = parse_time(frame.get("estimatedFrom"))
    end = parse_time(frame.get("estimatedThrough"))
    if start and end:
        return (start, end)
    eta = parse_time(shipment.get("estimatedTimeOfDelivery"))
    return (eta, eta) if eta else None


def _proof(details: Mapping[str, Any]) -> dict[str, Any]:
    # The proof of delivery belongs to the shipment; it is attached to its delivered scan.
    proof = child(details, "proofOfDelivery")
    if not proof:
        return {}
    signed = child(proof, "signed")
    name = text(signed.get("name")) or " ".join(
        filter(None, (text(signed.get("givenName")), text(signed.get("familyName"))))
    )
    return {
        "signed_by": name or None,
        "signature_url": text(proof.get("signatureUrl")),
        "proof_of_delivery_url": text(proof.get("documentUrl")),
    }
