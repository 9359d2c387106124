"""The GraphQL endpoint's pieces: the router (HTTP, WebSocket credentials), the context of a
request and its caller, auth answers, and the executor lent to the MCP face."""

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from graphql import get_operation_ast, parse
from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from parcelgraph.auth import (
    AnonymousPrincipal,
    AuthError,
    ShopNotFound,
    authenticate,
    parse_authorization,
)
from parcelgraph.config import Settings
from parcelgraph.context import Context, RequestReads
from parcelgraph.graphql_http import HardenedGraphQLRouter
from parcelgraph.mcp_server.calls import GraphQLBridge
from parcelgraph.schema.common.permissions import WWW_AUTHENTICATE
from parcelgraph.schema.hardening import credentials as credentials_guard
from parcelgraph.schema.hardening.cost import fragments_of, requested_cost
from parcelgraph.schema.hardening.limits import Limits
from parcelgraph.schema.root import schema as default_schema
from parcelgraph.tracking import service as carrier_poller
from parcelgraph.web import graphiql


def _auth_response(error: AuthError) -> JSONResponse:
    code = "UNAUTHENTICATED" if error.status == 401 else "FORBIDDEN"
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if error.status == 401 else None
    body = {"data": None, "errors": [{"message": error.message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=error.status, headers=headers)


def _not_found_response() -> JSONResponse:
    body = {
        "data": None,
        "errors": [{"message": "No such shop.", "extensions": {"code": "NOT_FOUND"}}],
    }
    return JSONResponse(body, status_code=404)


class ParcelgraphRouter(HardenedGraphQLRouter):
    """GraphQL over HTTP and graphql-transport-ws; WebSocket credentials come in connection_init."""

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if not isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        with credentials_guard.watched(context):  # the watcher ends with the connection
            return await super().run(request, context, root_value)

    async def on_ws_connect(self, context: Context) -> dict[str, Any] | None:
        params = context.connection_params or {}
        header = _authorization_from_params(params)
        if header is None and not context.is_anonymous:
            credentials_guard.watch(context)
            return None  # authenticated by the handshake's Authorization header already
        try:
            credentials = parse_authorization(header)
            if credentials.kind == "none":
                raise AuthError(401, "Authentication required in connection_init.")
            shop, principal = await authenticate(
                context.db, context.services["slug"], credentials, context.now()
            )
        except (AuthError, ShopNotFound):
            raise ConnectionRejectionError({"reason": "unauthorized"}) from None
        context.shop = shop
        context.principal = principal
        credentials_guard.watch(context)
        return None

    async def render_graphql_ide(self, request: Request) -> Response:  # type: ignore[override]
        return graphiql.page(request, challenge=WWW_AUTHENTICATE)


def _authorization_from_params(params: dict[str, Any]) -> str | None:
    """Accept `Authorization`/`authorization` (a full header value) or `token` (order token)."""
    for key in ("Authorization", "authorization"):
        value = params.get(key)
        if isinstance(value, str):
            return value
    token = params.get("token")
    if isinstance(token, str) and token:
        return f"Bearer {token}"
    return None


def graphql_bridge(settings: Settings) -> GraphQLBridge:
    """The GraphQL face's executor and schema, lent to the MCP face (which never imports it)."""
    schema = default_schema
    model = Limits.from_settings(settings).cost_model

    async def execute(
        context: Context, query: str, variables: dict[str, Any] | None, name: str | None
    ) -> dict[str, Any]:
        result = await schema.execute(
            query, variable_values=variables, context_value=context, operation_name=name
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        if result.extensions:
            body["extensions"] = result.extensions
        return body

    def cost(document: str, variables: dict[str, Any] | None) -> int:
        parsed = parse(document)
        operation = get_operation_ast(parsed)
        assert operation is not None
        return requested_cost(schema._schema, operation, fragments_of(parsed), model, variables)

    return GraphQLBridge(execute=execute, cost=cost, sdl=schema.as_str(), schema=schema._schema)


async def _authenticated(
    state: Any, slug: str, header: str | None, reads: RequestReads | None
) -> tuple[Any, Any]:
    """The shop and principal of an HTTP request (or a WebSocket handshake's header)."""
    try:
        return await authenticate(
            state.db,
            slug,
            parse_authorization(header),
            state.clock(),
            reader=reads.session if reads is not None else None,
        )
    except ShopNotFound:
        raise AuthError(404, "No such shop.") from None


def graphql_router(settings: Settings) -> ParcelgraphRouter:
    """The per-shop GraphQL endpoint (HTTP, SSE and graphql-transport-ws)."""
    return ParcelgraphRouter(
        default_schema,
        context_getter=_get_context,
        graphql_ide="graphiql" if settings.graphql_ide else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        allowed_origins=tuple(settings.allowed_origins),
    )


async def _get_context(slug: str, connection: HTTPConnection) -> AsyncIterator[Context]:
    # A generator dependency: FastAPI closes the request's read session after the
    # response. WebSocket and SSE contexts live as long as their stream, too long to
    # hold a pooled connection, so they read through a short session per batch.
    state = connection.app.state
    is_websocket = connection.scope["type"] == "websocket"
    streaming = "text/event-stream" in connection.headers.get("accept", "")
    reads = None if is_websocket or streaming else RequestReads(state.db)
    context = _context(state, slug, reads)
    header = connection.headers.get("authorization")
    try:
        if not (is_websocket and not header):  # else credentials come in connection_init
            context.shop, context.principal = await _authenticated(state, slug, header, reads)
        yield context
    finally:  # also when the credentials were refused: the key check used the session
        if reads is not None:
            await reads.close()


def _context(state: Any, slug: str, reads: RequestReads | None) -> Context:
    """An anonymous context for one request or connection on `slug`."""
    return Context.for_caller(
        state,
        shop=None,
        principal=AnonymousPrincipal(),
        services={
            "slug": slug,
            "rate_limiter": state.rate_limiter,
            "carrier_adapters": carrier_poller.adapter_requirements(),
        },
        reads=reads,
    )
