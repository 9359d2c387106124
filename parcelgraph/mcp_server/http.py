"""The MCP endpoint `/v1/shops/{slug}/mcp`: the SDK's streamable HTTP transport behind the
same authentication as GraphQL.

Every request is authenticated before the SDK sees it (HTTP Basic API key, checked against
the shop in the URL by `auth.authenticate`): 401 for a missing, wrong or revoked key, 403
for another shop's key (also when the shop does not exist, so nothing tells them apart),
404 only for a platform key naming no shop. The transport runs stateless with JSON
responses: each POST stands alone, so any API process can answer it and a revoked key
stops working at its next request.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from parcelgraph.auth import ApiKeyPrincipal, AuthError, ShopNotFound, authenticate
from parcelgraph.auth import parse_authorization as parse
from parcelgraph.mcp_server.calls import Caller, Services
from parcelgraph.mcp_server.server import SCOPE_KEY

CHALLENGE = 'Basic realm="parcelgraph"'


def _refusal(status: int, message: str, code: str) -> JSONResponse:
    body = {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32001, "message": message, "data": {"code": code}},
    }
    headers = {"WWW-Authenticate": CHALLENGE} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


class McpEndpoint:
    """An ASGI app: authenticate, then hand the request to the SDK's session manager."""

    def __init__(self, server: Server, services: Callable[[Any], Services]) -> None:
        self.manager = StreamableHTTPSessionManager(server, stateless=True, json_response=True)
        self._services = services  # app state -> Services, read per request

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The SDK manager's task group, for as long as the app's lifespan runs.

        The manager is held open by a task of its own: its anyio task group must be left
        by the task that entered it, and a lifespan may be entered and left by different
        tasks (test harnesses do exactly that).
        """
        started, stop = asyncio.Event(), asyncio.Event()

        async def hold() -> None:
            async with self.manager.run():
                started.set()
                await stop.wait()

        task = asyncio.create_task(hold())
        waiter = asyncio.create_task(started.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if task.done():
            task.result()  # the manager failed to start: raise its error here
        try:
            yield
        finally:
            stop.set()
            await task

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = self._services(scope["app"].state)
        slug = scope["path_params"]["slug"]
        try:
            caller = await self._authenticate(slug, Headers(scope=scope), services)
        except AuthError as error:
            code = "UNAUTHENTICATED" if error.status == 401 else "FORBIDDEN"
            await _refusal(error.status, error.message, code)(scope, receive, send)
            return
        except ShopNotFound:
            await _refusal(404, "No such shop.", "NOT_FOUND")(scope, receive, send)
            return
        scope[SCOPE_KEY] = (caller, services)
        await self.manager.handle_request(scope, receive, send)

    async def _authenticate(self, slug: str, headers: Headers, services: Services) -> Caller:
        credentials = parse(headers.get("authorization"))
        if credentials.kind != "basic":
            raise AuthError(401, "An API key is required (HTTP Basic: key name and secret).")
        shop, principal = await authenticate(services.db, slug, credentials, services.clock())
        if shop is None or not isinstance(principal, ApiKeyPrincipal):
            raise AuthError(401, "Invalid API key.")
        return Caller(slug=slug, shop=shop, principal=principal)
