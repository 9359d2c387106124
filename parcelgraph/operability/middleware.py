"""ASGI middleware: a request id for every HTTP request and WebSocket connection (echoed in
`X-Request-Id`), and the count of open WebSocket connections."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parcelgraph import metrics, request_context

HEADER = "x-request-id"


class RequestIdAndConnections:
    """Sets `request_context.REQUEST_ID` for the request's whole life (tasks it starts
    inherit it) and keeps `parcelgraph_websocket_connections` up to date."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(HEADER.encode())
        request_id = request_context.choose(incoming.decode("latin-1") if incoming else None)
        token = request_context.REQUEST_ID.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            if scope["type"] == "http":
                await self.app(scope, receive, send_with_id)
                return
            metrics.WEBSOCKETS_OPEN.inc()
            try:
                await self.app(scope, receive, send)
            finally:
                metrics.WEBSOCKETS_OPEN.dec()
        finally:
            request_context.REQUEST_ID.reset(token)
