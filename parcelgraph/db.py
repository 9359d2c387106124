"""Engines and session factories for the embedded SQLite default and for PostgreSQL.

SQLite gets two engines over one file: writers open every transaction with
`BEGIN IMMEDIATE`, so concurrent read-modify-write transactions queue on the busy timeout
instead of silently losing updates. Readers run in autocommit: in WAL mode
each SELECT sees a committed snapshot and never blocks on writers, and read sessions are one
SELECT per DataLoader batch, so a `BEGIN` per session would only add a statement (a thread
hop through aiosqlite) to every batch. Read use cases that need several statements to agree
(none on a hot path) must not rely on a shared snapshot.
PostgreSQL uses one pooled engine for both; writers lock what they change explicitly.
"""

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

# Set in a write session's `info` when its commit should NOTIFY the webhook workers.
NOTIFY_OUTBOX = "notify_outbox"

SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=NORMAL",
    "foreign_keys=ON",
    "busy_timeout=30000",
)


def _pragma(cursor: Any, pragma: str, attempts: int = 100) -> None:
    """Run one PRAGMA, retrying while another connection holds the lock it needs.

    Two processes opening a new database file at once (an API server and a worker, say) both
    switch it to WAL; SQLite can refuse that switch with "database is locked" at once, without
    waiting on the busy timeout, so the loser waits briefly and tries again.
    """
    for attempt in range(attempts):
        try:
            cursor.execute(f"PRAGMA {pragma}")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: str, *, echo: bool, begin: str | None) -> AsyncEngine:
    engine = create_async_engine(url, echo=echo, hide_parameters=True, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the driver so our BEGIN below is the only one.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            _pragma(cursor, pragma)
        cursor.close()

    if begin is not None:

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(begin)

    return engine


class Database:
    """The process's engines and session factories, opened by the app lifespan or the CLI."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, null_pool: bool = False
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # PostgreSQL commits that owe webhook deliveries NOTIFY the workers of every process
        # (`outbox_wakeup`); the app turns it off when a Redis broker rings them instead.
        self.notify_outbox = not self.is_sqlite
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, echo=echo, begin="BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, echo=echo, begin=None)
        else:
            # hide_parameters: error messages and logs never carry row values (addresses,
            # e-mails, token digests), only the SQL text.
            options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
            if null_pool:
                # Tests run each case on its own event loop; pooled asyncpg connections
                # are bound to the loop that opened them.
                options["poolclass"] = NullPool
            else:
                options.update(pool_size=pool_size, max_overflow=pool_size)
            self.write_engine = create_async_engine(url, **options)
            self.read_engine = self.write_engine
        self._writer = async_sessionmaker(
            self.write_engine, class_=AsyncSession, expire_on_commit=False
        )
        self._reader = async_sessionmaker(
            self.read_engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        """A short read-only session: one per DataLoader batch or read resolver."""
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[AsyncSession]:
        """A write session; the caller commits. Rolled back if the block raises."""
        async with self._writer() as session:
            if self.notify_outbox:
                session.info[NOTIFY_OUTBOX] = True
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        """Distinct engines, for listeners (statement counting) and disposal."""
        if self.read_engine is self.write_engine:
            return (self.write_engine,)
        return (self.write_engine, self.read_engine)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        for engine in self.engines:
            await engine.dispose()
