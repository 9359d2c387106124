"""Webhook delivery: signing, verification, backoff, SSRF guard, sender and outbox worker.

Only the receiver-side verification helpers are re-exported here, and they need nothing but
the standard library, so `from parcelgraph.webhooks import verify` stays cheap. Note that the
name `verify` in this package is the function; import the module's other names with
`from parcelgraph.webhooks.verify import ...`.
"""

from parcelgraph.webhooks.verify import (
    InvalidSignature,
    SignatureError,
    StaleTimestamp,
    verify,
    verify_standard,
)

__all__ = ["InvalidSignature", "SignatureError", "StaleTimestamp", "verify", "verify_standard"]
