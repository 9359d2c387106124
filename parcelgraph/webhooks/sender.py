"""POST one signed webhook body to one URL and report what happened, without ever raising.

One `WebhookSender` wraps one shared `httpx.AsyncClient` for the worker's lifetime, so
connections to a receiver are reused across deliveries. Its guarantees:

- **Bounded time.** Connecting may take `connect_timeout` seconds, the whole exchange
  (connect, send, status line, excerpt of the body) `total_timeout` seconds, enforced with
  `asyncio.timeout` so a receiver dribbling its answer byte by byte cannot hold a worker.
- **Bounded memory.** Only the first `excerpt_bytes` of the response are kept, read as they
  stream in; the connection is dropped instead of reading the rest. Bodies are requested
  and read without content decoding (`Accept-Encoding: identity`, raw bytes), so a small
  compressed answer cannot expand into a large one.
- **Bounded fan-in.** At most `max_connections_per_host` requests run at once per
  destination (scheme, host, port); `max_connections` bounds the pool as a whole.
- **No surprises.** Redirects are not followed (a 3xx is just an answer), cookies are never
  stored, and proxy settings from the environment are ignored unless `trust_env=True`
  (a proxy would connect on our behalf, around the SSRF guard).

Network failures come back as `SendResult.error`, a string starting with one of
`timeout:`, `connect_error:`, `protocol_error:`, `network_error:` or `invalid_url:`.
Cancellation (a worker shutting down) still propagates.
"""

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from parcelgraph import __version__

DEFAULT_CONNECT_TIMEOUT = 3.0
DEFAULT_TOTAL_TIMEOUT = 10.0
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_CONNECTIONS_PER_HOST = 10
DEFAULT_EXCERPT_BYTES = 1024
USER_AGENT = f"parcelgraph-webhooks/{__version__}"


@dataclass(frozen=True, slots=True)
class SendResult:
    """The outcome of one attempt, as recorded in the delivery log."""

    status_code: int | None  # None when no status line arrived
    body_excerpt: bytes  # the first bytes of the response body, at most excerpt_bytes
    error: str | None  # why the exchange did not complete, None when it did
    duration_ms: int  # from the first byte sent (after any wait for a slot) to the end

    @property
    def body_text(self) -> str:
        """The excerpt as text for display; undecodable bytes become U+FFFD."""
        return self.body_excerpt.decode("utf-8", errors="replace")


@dataclass(slots=True)
class _Progress:
    """What an exchange got before it ended, so a timeout keeps the status and excerpt."""

    status_code: int | None = None
    excerpt: bytearray = field(default_factory=bytearray)


def _no_cookie_jar() -> CookieJar:
    # An allow-list with no domains accepts no cookie: receivers cannot set state on us.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def _describe(exc: BaseException, connect_timeout: float, total_timeout: float) -> str:
    """A short, stable description of a network failure for the delivery log."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timeout: could not connect within {connect_timeout:g} s"
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return f"timeout: no complete answer within {total_timeout:g} s"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid_url: {detail}"
    if isinstance(exc, httpx.ConnectError):
        return f"connect_error: {detail}"
    if isinstance(exc, httpx.ProtocolError):
        return f"protocol_error: {detail}"
    return f"network_error: {detail}"


class WebhookSender:
    """Sends webhook POSTs over one shared, bounded HTTP client. Call `aclose()` when done."""

    def __init__(
        self,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float = DEFAULT_TOTAL_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_connections_per_host: int = DEFAULT_MAX_CONNECTIONS_PER_HOST,
        excerpt_bytes: int = DEFAULT_EXCERPT_BYTES,
        trust_env: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if connect_timeout <= 0 or total_timeout <= 0 or excerpt_bytes < 0:
            raise ValueError("timeouts must be positive and excerpt_bytes not negative")
        self._connect_timeout = connect_timeout
        self._total_timeout = total_timeout
        self._excerpt_bytes = excerpt_bytes
        self._per_host_limit = max_connections_per_host
        # A semaphore lives as long as some send holds it; idle hosts cost nothing.
        self._slots: weakref.WeakValueDictionary[tuple[str, str, int], asyncio.Semaphore] = (
            weakref.WeakValueDictionary()
        )
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(total_timeout, connect=connect_timeout),
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=30.0,
            ),
            follow_redirects=False,
            trust_env=trust_env,
            cookies=_no_cookie_jar(),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            transport=transport,
        )

    async def __aenter__(self) -> "WebhookSender":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection. The sender cannot be used afterwards."""
        await self._client.aclose()

    @contextlib.asynccontextmanager
    async def _slot(self, url: httpx.URL) -> AsyncIterator[None]:
        key = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        semaphore = self._slots.get(key)
        if semaphore is None:
            semaphore = self._slots[key] = asyncio.Semaphore(self._per_host_limit)
        async with semaphore:
            yield

    async def _exchange(
        self, url: httpx.URL, body: bytes, headers: Mapping[str, str], progress: _Progress
    ) -> None:
        async with self._client.stream("POST", url, content=body, headers=headers) as response:
            progress.status_code = response.status_code
            if self._excerpt_bytes == 0:
                return
            async with contextlib.aclosing(response.aiter_raw()) as chunks:
                async for chunk in chunks:
                    room = self._excerpt_bytes - len(progress.excerpt)
                    progress.excerpt += chunk[:room]
                    if len(progress.excerpt) >= self._excerpt_bytes:
                        break  # leaving the stream drops the connection and the rest

    async def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        """POST `body` with `headers` to `url` and report the answer or the failure.

        Never raises for network failures, timeouts or a malformed URL. The per-host wait
        for a free slot is not counted against the timeout or in `duration_ms`.
        """
        progress = _Progress()
        error: str | None = None
        started = time.perf_counter()
        try:
            target = httpx.URL(url)
            async with self._slot(target):
                started = time.perf_counter()
                async with asyncio.timeout(self._total_timeout):
                    await self._exchange(target, body, headers, progress)
        except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, OSError) as exc:
            error = _describe(exc, self._connect_timeout, self._total_timeout)
        duration_ms = round((time.perf_counter() - started) * 1000)
        return SendResult(progress.status_code, bytes(progress.excerpt), error, duration_ms)
