"""A fake carrier: a real HTTP server on 127.0.0.1, answering from fixture files.

A fixture file (`fixtures/<carrier>/<name>.json`) describes the answers of one scenario:

    {"routes": [
        {"method": "POST", "path": "/security/v1/oauth/token",
         "status": 200, "json": {"access_token": "t1", "expires_in": "14399"}},
        {"method": "GET", "path": "/api/track/v1/details/1Z...",
         "status": 200, "headers": {"Retry-After": "1"}, "json": {...}},
        {"method": "GET", "path": "/track/shipments", "query": {"trackingNumber": "X"},
         "body": "<html>not json</html>", "delay": 2.0}
    ]}

A route answers requests with that method and path (and, when given, those query
parameters). `status` defaults to 200; the body is `json` (sent as JSON), `body` (sent as
is) or empty; `delay` holds the answer back, to provoke a client's read timeout. Several
routes for the same request are served in order, the last one repeating, so "429, then
200" is two routes. Adding a carrier means adding a folder of such files, modelled on the
carrier's documented examples. Every request is recorded for the test to inspect.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Seen:
    """One request the fake carrier received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeCarrier:
    """The running server: its URL, its routes and what it saw."""

    url: str = ""
    routes: list[dict[str, Any]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    served: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def load(self, carrier: str, *names: str) -> FakeCarrier:
        """Serve the routes of `fixtures/<carrier>/<name>.json`, in the order given."""
        for name in names:
            data = json.loads((FIXTURES / carrier / f"{name}.json").read_text())
            self.routes.extend(data["routes"])
        return self

    def add(self, **route: Any) -> FakeCarrier:
        """Serve one more route given inline."""
        self.routes.append(route)
        return self

    def requests_to(self, path: str) -> list[Seen]:
        """The requests received on `path`."""
        return [s for s in self.seen if s.path == path]

    def pick(self, method: str, path: str, query: dict[str, str]) -> dict[str, Any] | None:
        with self.lock:
            matching = [
                i
                for i, r in enumerate(self.routes)
                if r["method"] == method
                and r["path"] == path
                and all(query.get(k) == v for k, v in (r.get("query") or {}).items())
            ]
            if not matching:
                return None
            # Serve matching routes in order; the last one answers every later request.
            used = sum(self.served.get(i, 0) for i in matching)
            index = matching[min(used, len(matching) - 1)]
            self.served[index] = self.served.get(index, 0) + 1
            return self.routes[index]


def _handler(fake: FakeCarrier) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake.lock:
                fake.seen.append(Seen(self.command, parts.path, query, headers, body))
            route = fake.pick(self.command, parts.path, query)
            if route is None:
                route = {"status": 599, "body": f"no fixture route for {self.command} {parts.path}"}
            if route.get("delay"):
                fake.stopping.wait(route["delay"])
            self._answer(route)

        def _answer(self, route: dict[str, Any]) -> None:
            if "json" in route:
                payload = json.dumps(route["json"]).encode()
                content_type = "application/json"
            else:
                payload = str(route.get("body", "")).encode()
                content_type = route.get("content_type", "text/plain")
            try:
                self.send_response(route.get("status", 200))
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (route.get("headers") or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to answer

        do_GET = do_POST = _serve

    return Handler


@contextmanager
def running() -> Iterator[FakeCarrier]:
    """A fake carrier listening on 127.0.0.1 for the duration of the block."""
    fake = FakeCarrier()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    fake.url = f"http://{host}:{port}"
    try:
        yield fake
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
