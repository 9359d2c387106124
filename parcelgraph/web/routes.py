"""HTTP routes of the reference tracking page: the page itself and its static assets.

The page is the same static document for `/track/{slug}/{orderNumber}#token=…` (a customer's
link) and `/track/{slug}` (lookup by order number and zip code); its script reads the URL and
talks to the public GraphQL endpoint like any other client. Nothing here touches the database.
"""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from parcelgraph.web.pages import TYPES, Assets, connect_sources, page_headers

STATIC = Path(__file__).parent / "static"
ASSETS_PATH = "/track-assets"
ASSETS = Assets(STATIC, cache_control="no-cache")

router = APIRouter(include_in_schema=False)


def _security_headers(request: Request) -> dict[str, str]:
    # The socket goes to the same host.
    connect = connect_sources(request.headers.get("host", ""))
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' https: http: data:; connect-src {connect}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return page_headers(policy)


def _page(request: Request) -> FileResponse:
    return FileResponse(
        STATIC / "index.html", media_type=TYPES[".html"], headers=_security_headers(request)
    )


@router.get("/track/{slug}", summary="Order lookup by number and zip code (read-only view)")
async def lookup_page(slug: str, request: Request) -> FileResponse:
    return _page(request)


@router.get("/track/{slug}/{order_number}", summary="Tracking page of one order (token link)")
async def tracking_page(slug: str, order_number: str, request: Request) -> FileResponse:
    return _page(request)


@router.get(ASSETS_PATH + "/{name}", summary="Static asset of the tracking page")
async def asset(name: str) -> FileResponse:
    return ASSETS.response(name)
