"""AfterShip webhooks: check who sent them, and read them like a poll.

AfterShip signs every webhook with the account's webhook secret: the
`aftership-hmac-sha256` header is the base64 HMAC-SHA256 of the raw request body. A
`tracking_update` body carries the whole tracking under `msg` (the same object the API
returns), so it is read by the same code as a poll: the same raw statuses, the same
UNMAPPED rule, the same external ids, hence a scan seen by push and by poll is one event.
An inbound endpoint verifies first and only then parses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

from parcelgraph.tracking.adapters import CarrierResponseInvalid, TrackingUpdate
from parcelgraph.tracking.carriers.aftership import tracking_update
from parcelgraph.tracking.carriers.scans import text

SIGNATURE_HEADER = "aftership-hmac-sha256"


def signature(body: bytes, secret: str) -> str:
    """The signature AfterShip sends for `body` (base64 of its HMAC-SHA256)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is AfterShip's signature of the raw `body` (constant-time)."""
    if not header or not secret:
        return False
    return hmac.compare_digest(header.strip(), signature(body, secret))


@dataclass(frozen=True, slots=True)
class PushedTracking:
    """One pushed tracking: whose it is (number, courier) and what it says now."""

    event_id: str | None
    tracking_number: str
    courier: str | None
    update: TrackingUpdate


def parse(body: bytes) -> PushedTracking:
    """The tracking a verified webhook body carries; CarrierResponseInvalid if it has none."""
    try:
        payload = json.loads(body)
    except ValueError as error:
        raise CarrierResponseInvalid("the AfterShip webhook body is not JSON") from error
    message = payload.get("msg") if isinstance(payload, dict) else None
    number = text(message.get("tracking_number")) if isinstance(message, dict) else None
    if not isinstance(message, dict) or number is None:
        raise CarrierResponseInvalid("the AfterShip webhook carries no tracking")
    return PushedTracking(
        event_id=text(payload.get("event_id")),
        tracking_number=number,
        courier=text(message.get("slug")),
        update=tracking_update(message),
    )
