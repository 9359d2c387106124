"""A closed-loop HTTP/1.1 load generator on asyncio streams, and process helpers.

Each of `concurrency` keep-alive connections sends a pre-encoded request, reads the status
line, the headers and exactly Content-Length bytes, and sends the next. Much cheaper per
request than httpx, so on 2 cores the client is less often the bottleneck; it is the same
client for candidate and baseline either way.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVER_CPU = 0
CLIENT_CPU = 1


def pin(cpu: int) -> str:
    """Pin this process to `cpu` when the machine has it; describe what happened."""
    if hasattr(os, "sched_setaffinity") and cpu < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    return "unpinned"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A `scripts.bench.serve` subprocess."""

    kind: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(
    kind: str,
    env: dict[str, str],
    logdir: Path,
    *,
    sqlite: str | None = None,
    extra: tuple[str, ...] = (),
    cpu: int | None = SERVER_CPU,
    health: str = "/",
) -> Server:
    """A `scripts.bench.serve` server of `kind` on a free port."""
    port = free_port()
    args = [sys.executable, "-m", "scripts.bench.serve", kind, "--port", str(port), *extra]
    if sqlite:
        args += ["--sqlite", sqlite]
    return spawn(kind, port, args, env, logdir, cpu=cpu, health=health)


def spawn(
    name: str,
    port: int,
    args: list[str],
    env: dict[str, str],
    logdir: Path,
    *,
    cpu: int | None = SERVER_CPU,
    health: str = "/",
) -> Server:
    """Start `args` (a server that will listen on `port`), pinned to `cpu`; wait until it does."""
    pin_child = None
    if cpu is not None and cpu < (os.cpu_count() or 1) and hasattr(os, "sched_setaffinity"):
        # Pinned before exec, so a server of any language gets the same core.
        pin_child = lambda: os.sched_setaffinity(0, {cpu})  # noqa: E731
    log = logdir / f"{name}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=pin_child,
        )
    server = Server(name, port, process, log)
    _wait_listening(server)
    if health:
        httpx.get(server.base + health, timeout=30)
    return server


def _wait_listening(server: Server) -> None:
    name, process, log = server.kind, server.process, server.log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} server died:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    else:
        server.stop()
        raise RuntimeError(f"{name} server did not start")


@dataclass
class Request:
    """One pre-encoded HTTP request."""

    raw: bytes

    @classmethod
    def build(
        cls,
        port: int,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> "Request":
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{port}",
            f"Content-Length: {len(body)}",
        ]
        if body:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return cls(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


@dataclass
class LoadResult:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    last_body: bytes = b""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
) -> tuple[int, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value)
        elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n"))[:-2], 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return status, b"".join(parts)
        parts.append(chunk[:-2])


async def closed_loop(
    port: int,
    make: Callable[[int], Request],
    *,
    concurrency: int,
    seconds: float,
    warmup: float = 0.3,
) -> LoadResult:
    """Send requests from `concurrency` connections for `seconds` (after a short warm-up)."""
    result = LoadResult()
    counter = 0
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    async def worker() -> None:
        nonlocal counter
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                counter += 1
                raw = make(counter).raw
                sent = time.perf_counter()
                if sent >= stop_at:
                    return
                status, body = await _exchange(reader, writer, raw)
                done = time.perf_counter()
                if sent >= measure_from:
                    result.requests += 1
                    result.latencies.append(done - sent)
                    result.statuses[status] = result.statuses.get(status, 0) + 1
                    result.last_body = body
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = min(time.perf_counter(), stop_at + 10) - measure_from
    return result


async def one(port: int, request: Request) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await _exchange(reader, writer, request.raw)
    finally:
        writer.close()
