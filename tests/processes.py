"""Real processes for end-to-end subscription tests: a private redis-server, `parcelgraph
serve` subprocesses, and two WebSocket clients (a reading one and one that never reads).

A private redis-server on a free port keeps restarts from disturbing anyone else's tests.
"""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

PROTOCOL = "graphql-transport-ws"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(check: Any, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


class RedisServer:
    """A redis-server of our own, restartable on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._pong, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def _pong(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")


class Server:
    """One `python -m parcelgraph serve` process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        full_env = {**os.environ, **env}
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "parcelgraph", "serve", "--port", str(self.port)],
                env=full_env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # Generous: on a loaded CI machine building the app alone can take half a minute.
        try:
            wait_until(self._healthy, timeout=120, what=f"server on {self.port}")
        except BaseException:
            self.process.kill()  # a server that never came up must not outlive the test
            self.process.wait()
            raise

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(self.log.read_text())
        return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200

    def http_url(self, slug: str) -> str:
        return f"http://127.0.0.1:{self.port}/v1/shops/{slug}/graphql"

    def ws_url(self, slug: str) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/shops/{slug}/graphql"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def server_env(database_url: str, broker_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "PARCELGRAPH_DATABASE_URL": database_url,
        "PARCELGRAPH_BROKER_URL": broker_url,
        "PARCELGRAPH_DATA_DIR": str(data_dir),
        "PARCELGRAPH_RUN_WEBHOOK_WORKER": "false",
        "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
        "PARCELGRAPH_GRAPHQL_IDE": "false",
        "PARCELGRAPH_LOG_LEVEL": "warning",
        **extra,
    }


@contextmanager
def subscriber(
    url: str, params: dict[str, Any], query: str, variables: dict[str, Any]
) -> Iterator[ClientConnection]:
    """A reading graphql-transport-ws client with one subscription (id "1")."""
    with connect(url, subprotocols=[PROTOCOL], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": params}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables},
                }
            )
        )
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
        yield ws


def next_message(ws: ClientConnection, timeout: float = 15.0) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


class NonReadingClient:
    """A WebSocket client with a tiny receive buffer that stops reading after subscribing,
    like a browser tab frozen in the background. Frames are read only when told to."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        return chunk

    def send_json(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x81, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def read_frame(self, timeout: float = 15.0) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame from the server (unmasked)."""
        self.sock.settimeout(timeout)
        while True:
            frame = self._parse()
            if frame is not None:
                return frame
            self.buffer += self._recv()

    def _parse(self) -> tuple[int, bytes] | None:
        data = self.buffer
        if len(data) < 2:
            return None
        opcode, length = data[0] & 0x0F, data[1] & 0x7F
        offset = 2
        if length == 126:
            if len(data) < 4:
                return None
            (length,) = struct.unpack("!H", data[2:4])
            offset = 4
        elif length == 127:
            if len(data) < 10:
                return None
            (length,) = struct.unpack("!Q", data[2:10])
            offset = 10
        if len(data) < offset + length:
            return None
        self.buffer = data[offset + length :]
        return opcode, data[offset : offset + length]

    def read_json(self) -> dict[str, Any]:
        while True:
            opcode, payload = self.read_frame()
            if opcode == 0x1:
                return json.loads(payload)

    def close(self) -> None:
        self.sock.close()
