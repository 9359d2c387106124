"""Verifying parcelgraph webhook signatures on the receiving side, for Python receivers.

Usage, with the raw request body (bytes, exactly as received, before any JSON parsing):

    from parcelgraph.webhooks import verify, InvalidSignature, StaleTimestamp

    try:
        verify(raw_body, request.headers["Karla-Signature"], secret)
    except (InvalidSignature, StaleTimestamp):
        return 400

`verify_standard` does the same for the Standard Webhooks headers. Both recompute the HMAC,
compare in constant time, accept any one matching `v1` entry (several are sent while a
secret is being rotated) and refuse timestamps more than `tolerance_seconds` away from now,
in either direction, so a captured delivery cannot be replayed later.

This module needs only the standard library and `signing`, so receivers can vendor it.
"""

import hmac
import time
from collections.abc import Mapping, Sequence
from datetime import datetime

from parcelgraph.webhooks.signing import (
    WEBHOOK_ID_HEADER,
    WEBHOOK_SIGNATURE_HEADER,
    WEBHOOK_TIMESTAMP_HEADER,
    karla_digest,
    standard_digest,
)

DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    """A delivery could not be authenticated."""


class InvalidSignature(SignatureError):
    """The signature header is missing, malformed, or matches none of the secrets."""


class StaleTimestamp(SignatureError):
    """The signature is genuine but its timestamp is outside the tolerance (a replay?)."""


def _now_seconds(now: datetime | float | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.timestamp()
    return float(now)


def _secret_list(secret: str | Sequence[str]) -> list[str]:
    return [secret] if isinstance(secret, str) else list(secret)


def _parse_timestamp(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise InvalidSignature("the timestamp is not a whole number of seconds")
    return int(text)


def _check_fresh(timestamp: int, tolerance_seconds: float, now: datetime | float | None) -> None:
    if abs(_now_seconds(now) - timestamp) > tolerance_seconds:
        raise StaleTimestamp(f"timestamp {timestamp} is outside the {tolerance_seconds}s tolerance")


def _any_matches(expected: list[str], received: list[str]) -> bool:
    # Compare every pair without stopping early, so timing reveals nothing about which failed.
    found = False
    for want in expected:
        for got in received:
            found |= hmac.compare_digest(want.encode("ascii"), got.encode("ascii", "replace"))
    return found


def parse_karla_header(header: str) -> tuple[int, list[str]]:
    """The timestamp and the `v1` signatures of a Karla-Signature header value.

    Unknown keys are ignored, so a future `v2` entry does not break today's receivers.
    """
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise InvalidSignature("malformed Karla-Signature header")
        if key == "t":
            if timestamp is not None:
                raise InvalidSignature("more than one timestamp in Karla-Signature")
            timestamp = _parse_timestamp(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise InvalidSignature("Karla-Signature needs t= and at least one v1=")
    return timestamp, signatures


def verify(
    body: bytes,
    header: str | None,
    secret: str | Sequence[str],
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: datetime | float | None = None,
) -> None:
    """Return if `header` (the Karla-Signature value) signs `body` with `secret`; else raise
    InvalidSignature, or StaleTimestamp for a genuine but too old (or too new) signature.

    `secret` may be a list to accept either of two secrets during your own rotation.
    `now` (aware datetime or unix seconds) defaults to the current time.
    """
    if not header:
        raise InvalidSignature("no Karla-Signature header")
    timestamp, received = parse_karla_header(header)
    expected = [karla_digest(s, timestamp, body) for s in _secret_list(secret)]
    if not _any_matches(expected, received):
        raise InvalidSignature("no v1 signature matches")
    _check_fresh(timestamp, tolerance_seconds, now)


def verify_standard(
    body: bytes,
    headers: Mapping[str, str],
    secret: str | Sequence[str],
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: datetime | float | None = None,
) -> None:
    """Like `verify`, for the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
    `webhook-signature`), looked up case-insensitively in `headers`.

    `secret` is the `whsec_...` string; a secret that is not base64 after the prefix raises
    ValueError (a configuration error, not a bad delivery).
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    msg_id = lowered.get(WEBHOOK_ID_HEADER)
    timestamp_text = lowered.get(WEBHOOK_TIMESTAMP_HEADER)
    signature_text = lowered.get(WEBHOOK_SIGNATURE_HEADER)
    if not msg_id or not timestamp_text or not signature_text:
        raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature")
    timestamp = _parse_timestamp(timestamp_text)
    received = [
        entry.removeprefix("v1,") for entry in signature_text.split() if entry.startswith("v1,")
    ]
    expected = [standard_digest(s, msg_id, timestamp, body) for s in _secret_list(secret)]
    if not _any_matches(expected, received):
        raise InvalidSignature("no v1 signature matches")
    _check_fresh(timestamp, tolerance_seconds, now)
