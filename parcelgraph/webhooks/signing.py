"""Signing webhook deliveries: the Karla-Signature header and the Standard Webhooks headers.

One secret feeds both schemes. A secret looks like `whsec_<base64 of 32 random bytes>`
(the Standard Webhooks convention), and each scheme derives its HMAC key the way its
receivers already do:

- **Karla-Signature**: the key is the *whole secret string*, UTF-8
  encoded, `whsec_` prefix included, exactly as a receiver passes the secret it was shown
  to `hmac.new(secret.encode(), ...)` or PHP's `hash_hmac`. Signed content:
  `"<t>.<raw body>"`; header `t=<unix seconds>,v1=<hex>`.
- **Standard Webhooks** (standardwebhooks.com): the key is the *base64-decoded part after
  `whsec_`* (the same decoding the off-the-shelf libraries apply). Signed content:
  `"<webhook-id>.<webhook-timestamp>.<raw body>"`; header `v1,<base64>`.

During a secret rotation both the new and the old secret sign: the Karla header carries one
`v1=` entry per secret, the Standard Webhooks header one space-separated `v1,` entry each,
so a receiver holding either secret accepts the delivery.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence

from parcelgraph.domain.webhook_secrets import SECRET_BYTES, SECRET_PREFIX, generate_secret

__all__ = ["SECRET_BYTES", "SECRET_PREFIX", "generate_secret"]

KARLA_SIGNATURE_HEADER = "Karla-Signature"
WEBHOOK_ID_HEADER = "webhook-id"
WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp"
WEBHOOK_SIGNATURE_HEADER = "webhook-signature"


def karla_key(secret: str) -> bytes:
    """The HMAC key of the Karla-Signature scheme: the secret string as given, UTF-8."""
    return secret.encode("utf-8")


def standard_key(secret: str) -> bytes:
    """The HMAC key of the Standard Webhooks scheme: base64 of the part after `whsec_`.

    Raises ValueError when that part is not valid base64 (a secret we did not generate).
    """
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise ValueError("a Standard Webhooks secret must be whsec_<base64>") from exc


def karla_digest(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed with the secret string."""
    message = f"{timestamp}.".encode("ascii") + body
    return hmac.new(karla_key(secret), message, hashlib.sha256).hexdigest()


def standard_digest(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Base64 HMAC-SHA256 of `"<msg_id>.<timestamp>.<body>"` keyed with the decoded secret."""
    message = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(standard_key(secret), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _require_secrets(secrets: Sequence[str]) -> None:
    if not secrets:
        raise ValueError("at least one secret is needed to sign")


def karla_signature(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """The Karla-Signature value: `t=<timestamp>,v1=<hex>[,v1=<hex>...]`, one v1 per secret."""
    _require_secrets(secrets)
    parts = [f"t={timestamp}"] + [f"v1={karla_digest(s, timestamp, body)}" for s in secrets]
    return ",".join(parts)


def standard_headers(
    msg_id: str, timestamp: int, body: bytes, secrets: Sequence[str]
) -> dict[str, str]:
    """The three Standard Webhooks headers; one `v1,<base64>` signature per secret."""
    _require_secrets(secrets)
    signatures = " ".join(f"v1,{standard_digest(s, msg_id, timestamp, body)}" for s in secrets)
    return {
        WEBHOOK_ID_HEADER: msg_id,
        WEBHOOK_TIMESTAMP_HEADER: str(timestamp),
        WEBHOOK_SIGNATURE_HEADER: signatures,
    }


def delivery_headers(
    msg_id: str, timestamp: int, body: bytes, secrets: Sequence[str]
) -> dict[str, str]:
    """Every header a delivery carries: content type, Karla-Signature and Standard Webhooks.

    `msg_id` is the event's stable id, the same on every retry and redelivery, so receivers
    can de-duplicate by it.
    """
    return {
        "Content-Type": "application/json",
        KARLA_SIGNATURE_HEADER: karla_signature(secrets, timestamp, body),
        **standard_headers(msg_id, timestamp, body, secrets),
    }
