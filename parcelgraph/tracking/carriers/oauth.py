"""OAuth 2 client-credentials tokens (RFC 6749 4.4), fetched once and reused until expiry.

UPS, FedEx and USPS all hand out bearer tokens for a client id and secret; they differ only
in how the pair is sent (HTTP Basic, form fields or a JSON body). One `TokenSource` per
adapter keeps the token, refreshes it shortly before it expires, lets concurrent polls
share one refresh (a lock, so a burst of polls never asks for ten tokens), and forgets it
when the carrier rejects it so the next call fetches a fresh one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import httpx

from parcelgraph.tracking.adapters import CarrierAuthFailed, CarrierResponseInvalid
from parcelgraph.tracking.carriers.http import CarrierHttp, json_object

ClientAuth = Literal["basic", "form", "json"]

# Refresh this long before the carrier's expiry, so a token never dies mid-request.
EXPIRY_MARGIN_SECONDS = 60.0


@dataclass
class _Token:
    value: str
    expires_at: float


class TokenSource:
    """A cached client-credentials token for one carrier account."""

    def __init__(
        self,
        http: CarrierHttp,
        *,
        path: str,
        client_id: str,
        client_secret: str,
        client_auth: ClientAuth = "form",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._path = path
        self._client_id = client_id
        self._client_secret = client_secret
        self._client_auth = client_auth
        self._clock = clock
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self.fetched = 0

    async def token(self) -> str:
        """A valid access token, fetched only when there is none or it is about to expire."""
        async with self._lock:
            if self._token is None or self._clock() >= self._token.expires_at:
                self._token = await self._fetch()
            return self._token.value

    def holds_token(self) -> bool:
        """True when a token is cached (so a rejection may be cured by a fresh one)."""
        return self._token is not None

    def invalidate(self) -> None:
        """Forget the cached token (the carrier rejected it); the next call fetches one."""
        self._token = None

    async def _fetch(self) -> _Token:
        response = await self._http.send("POST", self._path, **self._request())
        if response.status_code in (400, 401, 403):
            raise CarrierAuthFailed(
                f"{self._http.carrier} refused the client credentials (HTTP {response.status_code})"
            )
        body = json_object(self._http.carrier, response)
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            raise CarrierResponseInvalid(f"{self._http.carrier} sent no access_token")
        lifetime = _seconds(body.get("expires_in"))
        self.fetched += 1
        return _Token(value, self._clock() + max(0.0, lifetime - EXPIRY_MARGIN_SECONDS))

    def _request(self) -> dict[str, object]:
        grant = {"grant_type": "client_credentials"}
        credentials = {"client_id": self._client_id, "client_secret": self._client_secret}
        if self._client_auth == "basic":
            return {"data": grant, "auth": httpx.BasicAuth(*credentials.values())}
        if self._client_auth == "json":
            return {"json": grant | credentials}
        return {"data": grant | credentials}


def _seconds(value: object) -> float:
    # Carriers send expires_in as a number or a numeric string (UPS); default to 5 minutes.
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 300.0
