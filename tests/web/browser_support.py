"""Real processes for the browser tests: the app under uvicorn, a TCP proxy that can cut the
browser off, a webhook receiver, and headless Chromium from Debian (never downloaded).

Everything binds to 127.0.0.1 on free ports and runs in daemon threads of the test process.
"""

import asyncio
import contextlib
import json
import os
import queue
import shutil
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from parcelgraph.app import create_app
from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain.enums import Role
from parcelgraph.migrate import upgrade
from parcelgraph.resolvers import shops
from tests.support import basic

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
VIEWER_TIME_ZONE = "Asia/Kolkata"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # the tests run as root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1600",
)


# A small PNG for product images, served by the receiver (another origin, as a CDN would be).
def _png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (40, 110, 190)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PIXEL = _png()


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(Path(path).name)):
            return f"{path} not installed (Debian packages chromium and chromium-driver)"
    return None


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Server:
    """The real app under uvicorn in a thread, on a temp SQLite file, worker running."""

    tmp: Path
    public_base_url: str
    slug: str = "acme"
    graphql_ide: bool = False
    url: str = ""
    authorization: str = ""
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        database_url = f"sqlite+aiosqlite:///{self.tmp / 'parcelgraph.db'}"
        upgrade(database_url)
        self.authorization = asyncio.run(self._seed(database_url))
        settings = Settings(
            data_dir=self.tmp,
            database_url=database_url,
            graphql_ide=self.graphql_ide,
            public_base_url=self.public_base_url,
            run_webhook_worker=True,
            run_carrier_poller=False,
            webhook_allow_private_urls=True,
            webhook_poll_interval=0.1,
            broker_url=None,
        )
        sock = free_socket()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    async def _seed(self, database_url: str) -> str:
        db = Database(database_url, null_pool=True)
        try:
            now = datetime.now(UTC)
            async with db.writer() as session:
                await shops.create(session, slug=self.slug, name="Acme Outdoor", now=now)
                issued = await shops.create_api_key(
                    session, shop_slug=self.slug, role=Role.ADMIN, name="acme-admin", now=now
                )
                await session.commit()
            return basic(issued.key.name, issued.secret)
        finally:
            await db.dispose()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation with the admin key; fail on any GraphQL error."""
        response = httpx.post(
            f"{self.url}/v1/shops/{self.slug}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": self.authorization},
            timeout=10,
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


@dataclass
class Proxy:
    """A TCP proxy in front of the server; `cut()` drops every connection and refuses new ones
    until `restore()`, as a lost mobile connection would."""

    target_port: int
    url: str = ""
    blocked: bool = False
    _listener: socket.socket | None = None
    _open: set[socket.socket] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self._listener = free_socket()
        self._listener.listen(64)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.blocked:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
            with self._lock:
                self._open.discard(s)

    def cut(self) -> None:
        self.blocked = True
        with self._lock:
            sockets, self._open = list(self._open), set()
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self.blocked = False

    def stop(self) -> None:
        self.cut()
        if self._listener is not None:
            self._listener.close()


class Receiver:
    """A webhook receiver (POST /hook) that also serves product images (GET /img/...)."""

    def __init__(self) -> None:
        self.deliveries: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        deliveries = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                deliveries.put((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PIXEL)))
                self.end_headers()
                self.wfile.write(PIXEL)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def wait_for(self, ref: str, timeout: float = 15) -> tuple[dict[str, str], bytes, Any]:
        """The next delivery whose envelope has `ref` (others are skipped): headers, raw
        body and the parsed envelope."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                headers, body = self.deliveries.get(timeout=left)
            except queue.Empty:
                break
            envelope = json.loads(body)
            if envelope.get("ref") == ref:
                return headers, body, envelope
        raise AssertionError(f"no webhook delivery with ref {ref!r} within {timeout} s")

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# Host names other than loopback resolve to nothing: the browser has no network but 127.0.0.1.
OFFLINE_FLAG = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


def chromium(profile: Path, *, offline: bool = False) -> Any:
    """Headless Chromium driven by Debian's chromedriver, with its console log readable;
    `offline` cuts it off from every host but 127.0.0.1."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if offline:
        options.add_argument(OFFLINE_FLAG)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A time zone other than the server's, so the page must convert the API's UTC times.
    service = Service(executable_path=CHROMEDRIVER, env={**os.environ, "TZ": VIEWER_TIME_ZONE})
    return webdriver.Chrome(options=options, service=service)
