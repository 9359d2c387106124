"""The benchmark environment: the seeded database, the servers, credentials, counters."""

import asyncio
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from scripts.bench import seed
from scripts.bench.load import Server, start_server
from scripts.bench.report import Skipped

WORKDIR = Path(os.environ.get("BENCH_DIR", "/tmp/parcelgraph-bench"))
# Optional: a Redis URL gives W1 its own API server on the Redis broker, so its separate
# worker is rung on commit instead of polling every 0.05 s (see `Bench.broker_env`).
REDIS_URL = os.environ.get("BENCH_REDIS_URL")

# Generous limits so that benchmark traffic measures the work, not the throttle.
PRODUCT_ENV = {
    "PARCELGRAPH_RUN_WEBHOOK_WORKER": "false",
    "PARCELGRAPH_RUN_CARRIER_POLLER": "false",
    "PARCELGRAPH_GRAPHQL_IDE": "false",
    "PARCELGRAPH_LOG_LEVEL": "warning",
    "PARCELGRAPH_RATE_LIMIT_CAPACITY": "1000000000",
    "PARCELGRAPH_RATE_LIMIT_RESTORE_PER_SECOND": "1000000000",
    "PARCELGRAPH_MAX_QUERY_COST": "1000000",
    "PARCELGRAPH_WEBHOOK_ALLOW_PRIVATE_URLS": "true",  # W1: the sink is on 127.0.0.1
}


def url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def template_path(scale: float) -> Path:
    """The seeded SQLite file kept between runs (one per scale)."""
    return WORKDIR / f"seed-{scale:g}.db"


def prepare_database(scale: float, reseed: bool) -> tuple[Path, str, seed.Seeded | None]:
    """A fresh copy of the seeded template (seeded once per scale and kept)."""
    WORKDIR.mkdir(parents=True, exist_ok=True)
    template = template_path(scale)
    seeded = None
    if reseed or not template.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{template}{suffix}").unlink(missing_ok=True)
        seeded = asyncio.run(seed.seed(url(template), scale))
        conn = sqlite3.connect(template)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    work = WORKDIR / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, work)
    db_url = url(work)
    # A template seeded before a newer migration gets it now (the seed is kept for speed).
    from parcelgraph.migrate import upgrade

    upgrade(db_url)
    authorization = asyncio.run(fresh_key(db_url))
    return work, authorization, seeded


async def fresh_key(db_url: str) -> str:
    from parcelgraph.db import Database

    db = Database(db_url)
    try:
        _, authorization = await seed.ensure_shop(db)
    finally:
        await db.dispose()
    return authorization


@dataclass
class Bench:
    sqlite_path: Path
    authorization: str
    rounds: int
    seconds: float
    pinning: str
    logdir: Path
    slug: str = seed.SLUG
    scale: float = 1.0
    reseed: bool = False
    memory_requests: int = 100_000  # R1
    servers: dict[str, Server] = field(default_factory=dict)
    pg: Any = None  # postgres.PgCopy once a PostgreSQL workload asked for it
    peer_version: str = ""
    _app: Any = None
    _client: Any = None
    _lifespan: Any = None

    @property
    def graphql_path(self) -> str:
        return f"/v1/shops/{self.slug}/graphql"

    @property
    def database_url(self) -> str:
        return url(self.sqlite_path)

    @property
    def product_env(self) -> dict[str, str]:
        return {
            **PRODUCT_ENV,
            "PARCELGRAPH_DATABASE_URL": self.database_url,
            "PARCELGRAPH_DATA_DIR": str(WORKDIR),
        }

    @property
    def broker_env(self) -> dict[str, str]:
        """W1's API server and worker ring each other through Redis when BENCH_REDIS_URL is
        set. Only theirs: with a broker URL the rate limiter moves to Redis too, which would
        add a round trip to every request of the single-process workloads."""
        return {"PARCELGRAPH_BROKER_URL": REDIS_URL} if REDIS_URL else {}

    @property
    def shop_hex(self) -> str:
        conn = sqlite3.connect(self.sqlite_path)
        row = conn.execute("SELECT id FROM shops WHERE slug = ?", (self.slug,)).fetchone()
        conn.close()
        return row[0]

    def server(self, kind: str) -> Server:
        """A server by kind; `product-broker` is the product with `broker_env` (W1)."""
        if kind not in self.servers:
            product = kind.startswith("product")
            env = {**self.product_env, **self.broker_env} if product else {}
            sqlite = str(self.sqlite_path) if kind in ("rest", "raw") else None
            health = "/healthz" if product else ""
            self.servers[kind] = start_server(
                "product" if product else kind, env, self.logdir, sqlite=sqlite, health=health
            )
        return self.servers[kind]

    @property
    def product(self) -> Server:
        return self.server("product")

    @property
    def rest(self) -> Server:
        return self.server("rest")

    @property
    def raw(self) -> Server:
        return self.server("raw")

    async def postgres(self) -> Any:
        """The PostgreSQL copy of the seeded data (built on first use), or `Skipped`."""
        from scripts.bench import postgres

        reason = postgres.skip_reason()
        if reason:
            raise Skipped(reason)
        if self.pg is None:
            started = time.perf_counter()
            template = template_path(self.scale)
            self.pg, built = await postgres.prepare(template, self.scale, self.reseed)
            took = time.perf_counter() - started
            print(f"PostgreSQL copy ready in {took:.0f} s (template built: {built:.0f} s)")
        return self.pg

    def pg_server(self, kind: str) -> Server:
        """A server over the PostgreSQL copy: `product`, `rest` or `postgraphile`."""
        key = f"{kind}-pg"
        if key not in self.servers:
            pg = self.pg
            if kind == "product":
                env = {**self.product_env, "PARCELGRAPH_DATABASE_URL": pg.async_url}
                server = start_server("product", env, self.logdir, health="/healthz")
            elif kind == "rest":
                extra = ("--dsn", pg.libpq_url)
                server = start_server("rest-pg", {}, self.logdir, extra=extra, health="")
            else:
                from scripts.bench import peer

                server, self.peer_version = peer.start(WORKDIR, pg.libpq_url, self.logdir)
            self.servers[key] = server
        return self.servers[key]

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
        self.servers.clear()

    async def _in_process(self) -> Any:
        """The product app in this process, for counting SQL statements per request."""
        if self._client is None:
            from parcelgraph.app import create_app
            from parcelgraph.config import Settings

            env = {k.removeprefix("PARCELGRAPH_").lower(): v for k, v in self.product_env.items()}
            self._app = create_app(Settings(**env))
            self._lifespan = self._app.router.lifespan_context(self._app)
            await self._lifespan.__aenter__()
            self._client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=self._app), base_url="http://bench"
            )
        return self._client

    async def count_statements(self, query: str, variables: dict[str, Any]) -> int:
        """SQL statements one request makes (second run, so nothing is cold)."""
        from sqlalchemy import event

        client = await self._in_process()
        headers = {"Authorization": self.authorization}
        body = {"query": query, "variables": variables}
        await client.post(self.graphql_path, json=body, headers=headers)
        count = 0

        def record(*_args: Any) -> None:
            nonlocal count
            count += 1

        engines = {id(e): e for e in self._app.state.db.engines}.values()
        for engine in engines:
            event.listen(engine.sync_engine, "before_cursor_execute", record)
        try:
            response = await client.post(self.graphql_path, json=body, headers=headers)
            assert "errors" not in response.json(), response.text[:500]
        finally:
            for engine in engines:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
        return count

    async def close_in_process(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            await self._lifespan.__aexit__(None, None, None)
            self._client = None
