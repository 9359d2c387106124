"""A real HTTP receiver on 127.0.0.1, run in a thread, for tests of the webhook sender
and worker, and an `outbox` helper that creates shops, webhooks, orders and events."""

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HUGE_BODY_BYTES = 50 * 1024 * 1024
SLOW_SECONDS = 5.0


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ReceiverState:
    """What the receiver saw; read by the tests."""

    requests: list[ReceivedRequest] = field(default_factory=list)
    huge_bytes_written: int = 0
    huge_aborted: threading.Event = field(default_factory=threading.Event)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    # /script/<name> answers with the next entry of scripts[name]: a status code, or
    # "slow" (answers 200 after SLOW_SECONDS); 200 once the script is used up.
    scripts: dict[str, deque[int | str]] = field(default_factory=dict)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def script(self, name: str, *steps: int | str) -> str:
        """Queue the answers of /script/<name>; returns that path."""
        with self.lock:
            self.scripts[name] = deque(steps)
        return f"/script/{name}"

    def received(self, path: str | None = None) -> list[ReceivedRequest]:
        """The requests seen so far (to one path, when given)."""
        with self.lock:
            return [r for r in self.requests if path is None or r.path == path]


@dataclass
class Receiver:
    base_url: str
    state: ReceiverState

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def make_handler(state: ReceiverState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # delayed ACKs stall every keep-alive request by tens of milliseconds.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if len(body) < length:
                # The sender died mid-request (a killed worker): like any HTTP server,
                # drop the truncated request instead of recording half a delivery.
                self.close_connection = True
                return
            with state.lock:
                state.requests.append(
                    ReceivedRequest("POST", self.path, dict(self.headers.items()), body)
                )
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self.route()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client hung up on purpose (timeouts, capped reads)
            finally:
                with state.lock:
                    state.in_flight -= 1

        def answer(self, status: int, body: bytes = b"", extra: dict[str, str] | None = None):
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def route(self) -> None:
            path = self.path.split("?")[0]
            if path in ("/ok", "/echo"):
                self.answer(200, b"thanks")
            elif path == "/fail":
                self.answer(500, b"internal error")
            elif path == "/gone":
                self.answer(410, b"this endpoint is gone")
            elif path == "/slow":
                state.stopping.wait(SLOW_SECONDS)
                self.answer(200, b"late")
            elif path == "/busy":
                state.stopping.wait(0.3)
                self.answer(200, b"done")
            elif path == "/dribble":
                self.dribble()
            elif path == "/huge":
                self.huge()
            elif path.startswith("/script/"):
                self.scripted(path.removeprefix("/script/"))
            elif path == "/redirect":
                self.answer(302, b"", {"Location": "/ok"})
            elif path == "/cookie":
                self.answer(200, b"", {"Set-Cookie": "session=abc; Path=/"})
            else:
                self.answer(404, b"no such path")

        def scripted(self, name: str) -> None:
            with state.lock:
                steps = state.scripts.get(name)
                step = steps.popleft() if steps else 200
            if step == "slow":
                state.stopping.wait(SLOW_SECONDS)
                step = 200
            self.answer(int(step), f"scripted {step}".encode())

        def dribble(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"d")
                self.wfile.flush()
                if state.stopping.wait(0.1):
                    return

        def huge(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE_BODY_BYTES))
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while state.huge_bytes_written < HUGE_BODY_BYTES and not state.stopping.is_set():
                    self.wfile.write(chunk)
                    state.huge_bytes_written += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                state.huge_aborted.set()
                raise

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = ReceiverState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Receiver(f"http://{host}:{port}", state)
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def outbox(db, clock, settings):  # type: ignore[no-untyped-def]
    """Shops, webhooks, orders and events on the test database (see helpers.Outbox)."""
    from tests.webhooks.helpers import Outbox

    return Outbox(db, clock, settings)
