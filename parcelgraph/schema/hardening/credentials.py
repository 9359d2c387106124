"""Revoked credentials end open WebSockets: checked per operation, and watched per connection.

An HTTP request authenticates itself; a WebSocket authenticates once, at connection_init,
and may then live for hours. So on a WebSocket:

- every operation (query, mutation or subscription) re-checks the connection's API key or
  order token before it runs (`RecheckCredentials`): one primary-key lookup, the same cost as
  an HTTP request's authentication. It is read from the database, not from a cache or the
  broker, because `parcelgraph key revoke` may run in another process that shares only the
  database. A refused operation gets UNAUTHENTICATED and nothing of it runs;
- a watcher per connection re-checks every `subscription_recheck_seconds` and closes the
  socket with 4403 once the credential is revoked or expired, so idle connections and
  running subscriptions end too.
"""

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket, WebSocketState
from strawberry.extensions import SchemaExtension

from parcelgraph.auth import AnonymousPrincipal, still_valid

logger = logging.getLogger(__name__)

REVOKED_CLOSE_CODE = 4403
REVOKED_REASON = "The API key or order token was revoked or has expired."
_WATCHER = "credential_watcher"


def _socket(context: Any) -> WebSocket | None:
    request = getattr(context, "request", None)
    return request if isinstance(request, WebSocket) else None


def _authenticated(context: Any) -> bool:
    principal = getattr(context, "principal", None)
    return principal is not None and not isinstance(principal, AnonymousPrincipal)


async def _still_valid(context: Any) -> bool:
    return await still_valid(context.db, context.principal, context.now())


async def close_revoked(socket: WebSocket) -> None:
    """Close a connection whose credential is no longer valid (4403)."""
    if socket.application_state != WebSocketState.CONNECTED:
        return
    with contextlib.suppress(Exception):  # the peer may be gone already
        await socket.close(code=REVOKED_CLOSE_CODE, reason=REVOKED_REASON)


class RecheckCredentials(SchemaExtension):
    """Refuse an operation on a WebSocket whose credential was revoked since it connected."""

    async def on_execute(self) -> Any:
        context = self.execution_context.context
        socket = _socket(context)
        if socket is not None and _authenticated(context) and not await _still_valid(context):
            task = asyncio.get_running_loop().create_task(close_revoked(socket))
            context.services.setdefault("closing", set()).add(task)
            raise GraphQLError(REVOKED_REASON, extensions={"code": "UNAUTHENTICATED"})
        yield


async def _watch(context: Any, socket: WebSocket) -> None:
    interval = context.settings.subscription_recheck_seconds
    while socket.application_state == WebSocketState.CONNECTED:
        await asyncio.sleep(interval)
        try:
            valid = await _still_valid(context)
        except Exception:  # a database hiccup: try again at the next interval
            logger.warning("credential re-check failed; retrying", exc_info=True)
            continue
        if not valid:
            await close_revoked(socket)
            return


def watch(context: Any) -> None:
    """Start the connection's watcher (after connection_init authenticated it)."""
    socket = _socket(context)
    if socket is None or not _authenticated(context) or _WATCHER in context.services:
        return
    context.services[_WATCHER] = asyncio.get_running_loop().create_task(
        _watch(context, socket), name="credential-watcher"
    )


@contextlib.contextmanager
def watched(context: Any) -> Iterator[None]:
    """Around a connection's life: its watcher is cancelled when the connection ends."""
    try:
        yield
    finally:
        task = getattr(context, "services", {}).pop(_WATCHER, None)
        if task is not None:
            task.cancel()
