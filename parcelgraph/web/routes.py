"""HTTP routes of the reference tracking page: the page itself and its static assets.

The page is the same static document for `/track/{slug}/{orderNumber}#token=…` (a customer's
link) and `/track/{slug}` (lookup by order number and zip code); its script reads the URL and
talks to the public GraphQL endpoint like any other client. Nothing here touches the database.
"""

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static"
ASSETS_PATH = "/track-assets"

# Only these files are served (no directory walking); the content type is fixed per suffix.
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
ASSETS = frozenset(p.name for p in STATIC.iterdir() if p.suffix in (".js", ".css"))

router = APIRouter(include_in_schema=False)


def _security_headers(request: Request) -> dict[str, str]:
    host = request.headers.get("host", "")
    # The socket goes to the same host; listing ws/wss explicitly keeps older engines happy.
    connect = f"'self' ws://{host} wss://{host}" if host else "'self'"
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' https: http: data:; connect-src {connect}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        # The URL may carry an order token: keep the page out of shared caches.
        "Cache-Control": "no-store",
    }


def _page(request: Request) -> FileResponse:
    return FileResponse(
        STATIC / "index.html", media_type=_TYPES[".html"], headers=_security_headers(request)
    )


@router.get("/track/{slug}", summary="Order lookup by number and zip code (read-only view)")
async def lookup_page(slug: str, request: Request) -> FileResponse:
    return _page(request)


@router.get("/track/{slug}/{order_number}", summary="Tracking page of one order (token link)")
async def tracking_page(slug: str, order_number: str, request: Request) -> FileResponse:
    return _page(request)


@router.get(ASSETS_PATH + "/{name}", summary="Static asset of the tracking page")
async def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(status_code=404)
    path = STATIC / name
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    return FileResponse(path, media_type=_TYPES[path.suffix], headers=headers)
