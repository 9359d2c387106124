"""What an adapter is given to reach its carrier: the credentials and where the API lives.

Carrier APIs authenticate in a few shapes: OAuth 2 client credentials (UPS, FedEx, USPS:
`client_id` + `client_secret`), a single API key (DHL, aggregators: `api_key`), or a user
name and password with a customer number (DPD, GLS: `client_id` + `client_secret` +
`account`), plus the secret a pushing carrier signs with (`webhook_secret`). One small
value type covers them all; each adapter's spec says which fields it
needs. The values come decrypted from the credentials table (a shop's own, else the
platform default); they are never logged and never returned through the API (`hint` is the
only part that is shown).

`AdapterContext` is everything an adapter is built from: the credentials, the base URL
(the carrier's production URL unless `carrier_base_urls` overrides it, the only way tests
and egress proxies reach another host) and the shared HTTP client with its timeouts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime

import httpx

CREDENTIAL_FIELDS = ("client_id", "client_secret", "api_key", "account", "webhook_secret")
# The fields whose values are secret; the hint is taken from the first one present.
_SECRET_FIELDS = ("api_key", "client_secret")
_HINT_LENGTH = 4


@dataclass(frozen=True, slots=True)
class CarrierCredentials:
    """One account's credentials for one carrier API (unused fields stay None)."""

    client_id: str | None = None
    client_secret: str | None = None
    api_key: str | None = None
    account: str | None = None
    # The secret a carrier signs its pushes with (AfterShip's webhook secret), if it pushes.
    webhook_secret: str | None = None

    def __repr__(self) -> str:
        # Never let a secret reach a log line or a traceback through repr().
        present = [f.name for f in fields(self) if getattr(self, f.name)]
        return f"CarrierCredentials(present={present}, hint={self.hint()!r})"

    def has(self, *names: str) -> bool:
        """True when every named field has a value."""
        return all(getattr(self, name) for name in names)

    def is_empty(self) -> bool:
        """True when no field has a value."""
        return not any(getattr(self, name) for name in CREDENTIAL_FIELDS)

    def hint(self) -> str:
        """The last characters of the secret (or of the client id), for humans to recognise it."""
        for name in (*_SECRET_FIELDS, "client_id"):
            value = getattr(self, name)
            if value:
                return f"…{value[-_HINT_LENGTH:]}" if len(value) > _HINT_LENGTH else "…"
        return ""

    def fingerprint(self) -> str:
        """A digest identifying these values (to reuse one adapter and its cached token)."""
        joined = "\x1f".join(getattr(self, name) or "" for name in CREDENTIAL_FIELDS)
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class AdapterContext:
    """What an adapter is built from (see the module docstring)."""

    credentials: CarrierCredentials
    base_url: str
    http: httpx.AsyncClient
    clock: Callable[[], datetime]
