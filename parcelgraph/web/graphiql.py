"""GraphiQL, served by the app from files inside the package (no CDN, works offline).

The page is what a browser gets from a GET on a shop's GraphQL URL (strawberry asks the
router to render its IDE; `page()` answers). Its scripts are the pinned GraphiQL and React
builds in `static/graphiql/vendor/` (copied unmodified; versions and checksums in its
VENDORED.json) plus our small boot script and page in `static/graphiql/`. The
Content-Security-Policy allows scripts and styles from this origin only, fonts from `data:`
(GraphiQL's stylesheet embeds them), and connections to this origin's HTTP and WebSocket
endpoints: the page cannot reach any other host even if a script tried.
"""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from parcelgraph.web.pages import TYPES, Assets, connect_sources, page_headers

STATIC = Path(__file__).parent / "static" / "graphiql"
# Third-party files live apart from ours, so it is plain which ones are never edited here.
VENDOR = STATIC / "vendor"
ASSETS_PATH = "/graphiql-assets"
# The vendored builds change only with a new package version: let browsers keep them.
ASSETS = Assets(STATIC, VENDOR, cache_control="public, max-age=3600")

router = APIRouter(include_in_schema=False)


def content_security_policy(host: str) -> str:
    """The page's policy; `host` is the Host header the browser used (for ws:/wss:)."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src data:; "
        f"img-src 'self' data:; connect-src {connect_sources(host)}; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def page(request: Request, *, challenge: str) -> Response:
    """The IDE page. With `?login`, a request without credentials gets the Basic challenge,
    so the browser asks for the key once and then sends it with every request to the endpoint
    (the HTTP requests and the WebSocket handshake). `challenge` is the API's
    WWW-Authenticate value, so the browser files the key under the API's realm."""
    if "login" in request.query_params and not request.headers.get("authorization"):
        return Response(
            "Sign in with the shop's API key (username and secret).",
            status_code=401,
            headers={"WWW-Authenticate": challenge, "Cache-Control": "no-store"},
            media_type="text/plain; charset=utf-8",
        )
    headers = page_headers(content_security_policy(request.headers.get("host", "")))
    return FileResponse(STATIC / "ide.html", media_type=TYPES[".html"], headers=headers)


@router.get(ASSETS_PATH + "/{name}", summary="Static asset of GraphiQL")
async def asset(name: str) -> FileResponse:
    return ASSETS.response(name)
