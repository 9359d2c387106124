"""`parcelgraph mcp --shop SLUG`: the same server over stdin/stdout for local agents.

The API key (`name:secret`, as HTTP Basic takes it) comes from the environment; it is
checked once at start against the shop exactly as the HTTP endpoint checks it, and the
process then acts as that key.
"""

import base64
from typing import Any

from mcp.server.stdio import stdio_server

from parcelgraph.auth import ApiKeyPrincipal, AuthError, authenticate, parse_authorization
from parcelgraph.mcp_server.calls import Caller, GraphQLBridge, Services
from parcelgraph.mcp_server.server import build_server


async def authenticate_key(services: Services, slug: str, key: str) -> Caller:
    """The caller for `key` on shop `slug`; AuthError when refused (or ShopNotFound)."""
    header = "Basic " + base64.b64encode(key.encode()).decode()
    credentials = parse_authorization(header)
    shop, principal = await authenticate(services.db, slug, credentials, services.clock())
    if shop is None or not isinstance(principal, ApiKeyPrincipal):
        raise AuthError(401, "Invalid API key.")
    return Caller(slug=slug, shop=shop, principal=principal)


async def serve_stdio(bridge: GraphQLBridge, services: Services, caller: Caller) -> None:
    """Serve one MCP connection over this process's stdin and stdout until it closes."""

    def resolve(_ctx: Any) -> tuple[Caller, Services]:
        return caller, services

    server = build_server(bridge, resolve)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
