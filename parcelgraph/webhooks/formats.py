"""What one delivery of a webhook looks like on the wire, per the webhook's format.

- KARLA: the seed platform's envelope (`karla_format`), one `Karla-Signature` header
  (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the secret string).
- STANDARD: parcelgraph's envelope with the Standard Webhooks headers (`webhook-id`,
  `webhook-timestamp`, `webhook-signature`), signed by the `standardwebhooks` library.
- LEGACY: parcelgraph's envelope with both header sets (what webhooks created before
  formats existed have always received).

During a secret rotation every secret signs: one `v1=` (KARLA) or one `v1,` (STANDARD)
entry each, so a receiver holding either secret accepts the delivery.
"""

from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook as StandardWebhook

from parcelgraph.domain.enums import WebhookFormat
from parcelgraph.webhooks.karla_format import karla_body
from parcelgraph.webhooks.signing import (
    KARLA_SIGNATURE_HEADER,
    WEBHOOK_ID_HEADER,
    WEBHOOK_SIGNATURE_HEADER,
    WEBHOOK_TIMESTAMP_HEADER,
    delivery_headers,
    karla_signature,
)

JSON = {"Content-Type": "application/json"}


def standard_headers(
    msg_id: str, timestamp: int, body: bytes, secrets: list[str]
) -> dict[str, str]:
    """The Standard Webhooks headers, each signature made by the `standardwebhooks` library."""
    at = datetime.fromtimestamp(timestamp, UTC)
    text = body.decode("utf-8")
    signatures = " ".join(StandardWebhook(s).sign(msg_id, at, text) for s in secrets)
    return {
        WEBHOOK_ID_HEADER: msg_id,
        WEBHOOK_TIMESTAMP_HEADER: str(timestamp),
        WEBHOOK_SIGNATURE_HEADER: signatures,
    }


def prepare(
    format: str, msg_id: str, timestamp: int, body: bytes, secrets: list[str]
) -> tuple[bytes, dict[str, str]]:
    """The body to send and its headers, for a webhook of `format`."""
    if format == WebhookFormat.KARLA.value:
        sent = karla_body(body)
        return sent, {**JSON, KARLA_SIGNATURE_HEADER: karla_signature(secrets, timestamp, sent)}
    if format == WebhookFormat.STANDARD.value:
        return body, {**JSON, **standard_headers(msg_id, timestamp, body, secrets)}
    return body, delivery_headers(msg_id, timestamp, body, secrets)
