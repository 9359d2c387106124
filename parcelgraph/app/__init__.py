"""The ASGI application: FastAPI, the per-shop GraphQL endpoint (HTTP + WebSocket), health.

`create_app(settings)` is the only way the app is built, so tests, the CLI and `serve` get
the same wiring. The lifespan opens the database (migrating the embedded SQLite file), the
broker and the background services (webhook worker, carrier poller), and closes them.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import event, text
from starlette.requests import HTTPConnection
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL

from parcelgraph import __version__, log_redaction, metrics
from parcelgraph.app.graphql import (
    ParcelgraphRouter,
    _auth_response,
    _authenticated,
    _not_found_response,
    graphql_bridge,
)
from parcelgraph.app.services import BACKGROUND_SERVICES, mcp_services
from parcelgraph.auth import (
    AnonymousPrincipal,
    AuthError,
)
from parcelgraph.config import Settings, get_settings
from parcelgraph.context import Clock, Context, RequestReads
from parcelgraph.db import Database
from parcelgraph.graphql_http import BodySizeLimit
from parcelgraph.mcp_server import llms
from parcelgraph.mcp_server.http import McpEndpoint
from parcelgraph.mcp_server.server import build_server
from parcelgraph.migrate import upgrade_async
from parcelgraph.models.types import utcnow
from parcelgraph.operability import routes as operator_routes
from parcelgraph.operability.middleware import RequestIdAndConnections
from parcelgraph.operability.tracing import instrument_app, instrument_engines
from parcelgraph.pubsub import create_broker
from parcelgraph.ratelimit import create_rate_limiter
from parcelgraph.rest import install as install_rest
from parcelgraph.schema.root import schema as default_schema
from parcelgraph.tracking import push_routes
from parcelgraph.tracking import service as carrier_poller
from parcelgraph.web import demo_images, graphiql
from parcelgraph.web import routes as web_routes

__all__ = ["create_app", "graphql_bridge", "mcp_services"]

logger = logging.getLogger(__name__)

GRAPHQL_PATH = "/v1/shops/{slug}/graphql"
MCP_PATH = "/v1/shops/{slug}/mcp"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    clock = clock or utcnow
    log_redaction.install()
    bridge = graphql_bridge(settings)
    mcp_endpoint = McpEndpoint(build_server(bridge), mcp_services)
    llms_txt = llms.render(bridge.schema, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(
            settings.effective_database_url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
            null_pool=settings.database_null_pool,
        )
        engines = {db.write_engine, db.read_engine}
        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", metrics.count_statement)
        if getattr(app.state, "tracer_provider", None) is not None:
            instrument_engines(app.state.tracer_provider, *engines)
        if settings.is_sqlite:
            await upgrade_async(settings.effective_database_url)
        broker = create_broker(settings.broker_url)
        await broker.start()
        app.state.db, app.state.broker = db, broker
        app.state.rate_limiter = create_rate_limiter(
            settings.broker_url,
            capacity=settings.rate_limit_capacity,
            restore_per_second=settings.rate_limit_restore_per_second,
            clock=lambda: app.state.clock().timestamp(),
            namespace=settings.rate_limit_namespace,
        )
        stops = []
        app.state.running_services = []
        for name, switch, start in BACKGROUND_SERVICES:
            if not getattr(settings, switch):
                continue
            logger.info("starting %s", name)
            stops.append(await start(app.state))
            app.state.running_services.append(name)
        try:
            async with mcp_endpoint.running():
                yield
        finally:
            for stop in reversed(stops):
                await stop()
            await app.state.rate_limiter.close()
            await broker.close()
            await db.dispose()

    app = FastAPI(
        title="parcelgraph",
        version=__version__,
        description="GraphQL API for the post-purchase journey: POST /v1/shops/{slug}/graphql",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.graphql_schema = default_schema

    async def get_context(slug: str, connection: HTTPConnection) -> AsyncIterator[Context]:
        # A generator dependency: FastAPI closes the request's read session after the
        # response. WebSocket and SSE contexts live as long as their stream, too long to
        # hold a pooled connection, so they read through a short session per batch.
        state = connection.app.state
        is_websocket = connection.scope["type"] == "websocket"
        streaming = "text/event-stream" in connection.headers.get("accept", "")
        reads = None if is_websocket or streaming else RequestReads(state.db)
        context = Context(
            settings=settings,
            db=state.db,
            broker=state.broker,
            clock=state.clock,
            shop=None,
            principal=AnonymousPrincipal(),
            services={
                "slug": slug,
                "rate_limiter": state.rate_limiter,
                "carrier_adapters": carrier_poller.adapter_requirements(),
            },
            reads=reads,
        )
        header = connection.headers.get("authorization")
        try:
            if not (is_websocket and not header):  # else credentials come in connection_init
                context.shop, context.principal = await _authenticated(state, slug, header, reads)
            yield context
        finally:  # also when the credentials were refused: the key check used the session
            if reads is not None:
                await reads.close()

    router = ParcelgraphRouter(
        default_schema,
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphql_ide else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        allowed_origins=tuple(settings.allowed_origins),
    )
    app.include_router(router, prefix=GRAPHQL_PATH)
    app.add_route(MCP_PATH, mcp_endpoint, methods=["GET", "POST", "DELETE"])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(web_routes.router)
    app.include_router(graphiql.router)
    app.include_router(demo_images.router)
    app.include_router(push_routes.router)
    install_rest(app)
    app.include_router(operator_routes.router)
    app.add_middleware(RequestIdAndConnections)  # added last: outermost, sees every request
    if settings.otlp_endpoint:
        instrument_app(app, settings.otlp_endpoint)

    @app.exception_handler(AuthError)
    async def _on_auth_error(_request: Request, error: AuthError) -> JSONResponse:
        if error.status == 404:
            return _not_found_response()
        return _auth_response(error)

    @app.get(
        "/llms.txt",
        summary="What an AI agent needs to use this API",
        response_class=PlainTextResponse,
    )
    async def llms_text(request: Request) -> PlainTextResponse:
        base = str(request.base_url).rstrip("/")
        return PlainTextResponse(llms_txt.replace("{base}", base), media_type="text/markdown")

    @app.get("/healthz", summary="Liveness and database check")
    async def healthz(request: Request) -> JSONResponse:
        try:
            async with request.app.state.db.reader() as session:
                await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        except Exception:
            logger.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})

    return app
