"""The ASGI application: FastAPI, the per-shop GraphQL endpoint (HTTP + WebSocket), health.

`create_app(settings)` is the only way the app is built, so tests, the CLI and `serve` get
the same wiring. The lifespan opens the database (migrating the embedded SQLite file), the
broker and the background services (webhook worker, carrier poller), and closes them.
"""

from fastapi import FastAPI

from parcelgraph import __version__, log_redaction
from parcelgraph.app.graphql import graphql_bridge, graphql_router
from parcelgraph.app.lifespan import lifespan_for
from parcelgraph.app.routes import install_routes
from parcelgraph.app.services import mcp_services
from parcelgraph.config import Settings, get_settings
from parcelgraph.context import Clock
from parcelgraph.graphql_http import BodySizeLimit
from parcelgraph.mcp_server import llms
from parcelgraph.mcp_server.http import McpEndpoint
from parcelgraph.mcp_server.server import build_server
from parcelgraph.models.types import utcnow
from parcelgraph.operability import routes as operator_routes
from parcelgraph.operability.middleware import RequestIdAndConnections
from parcelgraph.operability.tracing import instrument_app
from parcelgraph.rest import install as install_rest
from parcelgraph.schema.root import schema as default_schema
from parcelgraph.tracking import push_routes
from parcelgraph.web import demo_images, graphiql
from parcelgraph.web import routes as web_routes

__all__ = ["create_app", "graphql_bridge", "mcp_services"]

GRAPHQL_PATH = "/v1/shops/{slug}/graphql"
MCP_PATH = "/v1/shops/{slug}/mcp"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    log_redaction.install()
    bridge = graphql_bridge(settings)
    mcp_endpoint = McpEndpoint(build_server(bridge), mcp_services)
    llms_txt = llms.render(bridge.schema, settings)
    app = FastAPI(
        title="parcelgraph",
        version=__version__,
        description="GraphQL API for the post-purchase journey: POST /v1/shops/{slug}/graphql",
        lifespan=lifespan_for(settings, mcp_endpoint),
    )
    app.state.settings = settings
    app.state.clock = clock or utcnow
    app.state.graphql_schema = default_schema
    app.include_router(graphql_router(settings), prefix=GRAPHQL_PATH)
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
    install_routes(app, llms_txt)
    return app
