"""What the app's own browser pages share: their security headers and their static files.

The tracking page and GraphiQL are both one document plus a fixed set of scripts and
stylesheets from inside the package. Both pages talk only to their own origin (HTTP and
WebSocket), may carry credentials in their URL or session, and must never be sniffed as
another content type; what differs is the content policy and how long assets may be cached.
"""

from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse

# Only these suffixes are served, each with a fixed content type.
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


def connect_sources(host: str) -> str:
    """A page's `connect-src`: its own origin over HTTP and WebSocket; `host` is the Host
    header the browser used (listing ws/wss explicitly keeps older engines happy)."""
    return f"'self' ws://{host} wss://{host}" if host else "'self'"


def page_headers(policy: str) -> dict[str, str]:
    """The headers of a page under the Content-Security-Policy `policy`."""
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        # The URL may carry an order token, the session an API key: no shared caches.
        "Cache-Control": "no-store",
    }


class Assets:
    """The scripts and stylesheets of some directories, under one flat URL namespace: the
    only files served from them (no directory walking), each with `cache_control`."""

    def __init__(self, *directories: Path, cache_control: str) -> None:
        self.cache_control = cache_control
        self.paths = {
            path.name: path
            for directory in directories
            for path in directory.iterdir()
            if path.suffix in (".js", ".css")
        }

    def response(self, name: str) -> FileResponse:
        """The file `name`, or 404 when it is not one of the assets."""
        path = self.paths.get(name)
        if path is None:
            raise HTTPException(status_code=404)
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": self.cache_control}
        return FileResponse(path, media_type=TYPES[path.suffix], headers=headers)
