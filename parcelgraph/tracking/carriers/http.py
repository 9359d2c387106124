"""How every carrier client talks HTTP: a rate budget, retries with backoff, typed errors.

Requests go through the shared `httpx.AsyncClient` of the `AdapterContext` (its connect
and read timeouts come from the settings), via `CarrierHttp.send`, so every carrier client
behaves the same way when the carrier struggles:

- a connect or read timeout, a dropped connection or a 5xx is retried with exponential
  backoff and jitter, a few times, then reported as `CarrierUnavailable`;
- a 429 waits for the carrier's `Retry-After` (seconds or an HTTP date) when that is short,
  otherwise it is reported as `CarrierRateLimited` carrying the wait, for the poller to
  reschedule instead of blocking a worker;
- 401 and 403 become `CarrierAuthFailed` (callers holding an OAuth token refresh it once);
- every other answer is returned for the carrier client to read (404 means different
  things to different carriers).

The rate budget (aiolimiter's leaky bucket) keeps one process under the carrier's
documented request rate, whatever the poller's concurrency.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from aiolimiter import AsyncLimiter

from parcelgraph.tracking.adapters import (
    CarrierAuthFailed,
    CarrierRateLimited,
    CarrierResponseInvalid,
    CarrierUnavailable,
)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Retries and rate budget of one carrier client."""

    attempts: int = 3
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    # A 429 asking to wait longer than this is handed back to the poller.
    max_retry_after: float = 5.0
    requests_per_second: float = 5.0
    burst: int = 5


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class CarrierHttp:
    """The HTTP side of one carrier client: its base URL, rate budget and retry rules."""

    def __init__(
        self,
        carrier: str,
        client: httpx.AsyncClient,
        base_url: str,
        policy: HttpPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.carrier = carrier
        self.client = client
        self.policy = policy or HttpPolicy()
        self.base_url = base_url.rstrip("/")
        self._sleep = sleep
        self._limiter = AsyncLimiter(
            self.policy.burst, self.policy.burst / self.policy.requests_per_second
        )

    async def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send with the budget and the retry rules above; returns non-error answers."""
        url = self.base_url + path
        # Carrier answers are read here, never followed elsewhere.
        kwargs.setdefault("follow_redirects", False)
        for attempt in range(1, self.policy.attempts + 1):
            last = attempt == self.policy.attempts
            try:
                async with self._limiter:
                    response = await self.client.request(method, url, **kwargs)
            except httpx.TimeoutException as error:
                if last:
                    raise CarrierUnavailable(f"{self.carrier} timed out") from error
            except httpx.TransportError as error:
                if last:
                    raise CarrierUnavailable(f"{self.carrier} could not be reached") from error
            else:
                outcome = await self._judge(response, last)
                if outcome is not None:
                    return outcome
                continue  # _judge already waited for the carrier's Retry-After
            await self._sleep(self._backoff(attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _judge(self, response: httpx.Response, last: bool) -> httpx.Response | None:
        status = response.status_code
        if status in (401, 403):
            raise CarrierAuthFailed(f"{self.carrier} rejected the credentials (HTTP {status})")
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if last or wait is None or wait > self.policy.max_retry_after:
                raise CarrierRateLimited(
                    f"{self.carrier} asked us to slow down (HTTP 429)", retry_after=wait
                )
            await self._sleep(wait)
            return None
        if status >= 500:
            if last:
                raise CarrierUnavailable(f"{self.carrier} is failing right now (HTTP {status})")
            await self._sleep(self._backoff_for(response))
            return None
        return response

    def _backoff_for(self, response: httpx.Response) -> float:
        # A 503 may carry Retry-After too; honour it when it is short.
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None and wait <= self.policy.max_retry_after:
            return wait
        return self.policy.backoff_base

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security


def json_body(carrier: str, response: httpx.Response) -> Any:
    """The JSON body, or CarrierResponseInvalid when the carrier sent something else."""
    try:
        return response.json()
    except ValueError as error:
        raise CarrierResponseInvalid(
            f"{carrier} sent an unreadable body (HTTP {response.status_code})"
        ) from error


def json_object(carrier: str, response: httpx.Response) -> Mapping[str, Any]:
    """The JSON body when it is an object, else CarrierResponseInvalid."""
    body = json_body(carrier, response)
    if not isinstance(body, dict):
        raise CarrierResponseInvalid(f"{carrier} sent JSON that is not an object")
    return body
