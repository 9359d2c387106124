"""Waking webhook workers through PostgreSQL LISTEN/NOTIFY when no Redis broker rings them.

A commit that writes outbox rows on PostgreSQL sends `pg_notify` inside its own transaction
(`outbox_wakeup`), so the notification arrives exactly when the rows are visible. Each worker
process holds one connection that LISTENs on that channel and wakes its workers on every
notification: a separate `parcelgraph worker` attempts the first delivery within
milliseconds of a commit in any process, without Redis.

The connection is a doorbell, not a queue: while it is down (a database restart, a dropped
connection) the workers fall back to their poll interval, and every (re)connect wakes them
once, since notifications sent meanwhile are lost. A connection that silently stops
answering is found by a `SELECT 1` every `HEALTH_SECONDS` of silence.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from parcelgraph.db import Database
from parcelgraph.resolvers.common import outbox_wakeup
from parcelgraph.resolvers.common.outbox_wakeup import PG_CHANNEL

logger = logging.getLogger(__name__)

RETRY_INITIAL = 0.1
RETRY_MAX = 5.0
HEALTH_SECONDS = 15.0
HEALTH_TIMEOUT = 5.0


class PgDoorbell:
    """LISTENs on the outbox channel and calls `on_ring` for every notification."""

    def __init__(self, db: Database, on_ring: Callable[[], None] | None = None) -> None:
        self.db = db
        self.on_ring = on_ring or outbox_wakeup.WAKEUP.notify
        self.listening = asyncio.Event()
        self.connects = 0

    async def run(self) -> None:
        """Listen until cancelled, reconnecting with backoff whenever the connection drops."""
        delay = RETRY_INITIAL
        while True:
            try:
                await self._listen_until_lost()
                delay = RETRY_INITIAL
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("LISTEN for webhook commits failed; polling until it is back")
            self.listening.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)

    async def _listen_until_lost(self) -> None:
        async with self.db.write_engine.connect() as connection:
            driver: Any = (await connection.get_raw_connection()).driver_connection
            lost = asyncio.Event()
            driver.add_termination_listener(lambda *_: lost.set())

            def ring(*_: Any) -> None:
                self.on_ring()

            await driver.add_listener(PG_CHANNEL, ring)
            self.connects += 1
            self.listening.set()
            self.on_ring()  # notifications sent while nobody listened are lost: look now
            try:
                await _until_lost(driver, lost)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await driver.remove_listener(PG_CHANNEL, ring)
                raise
            finally:
                self.listening.clear()
            logger.warning("the LISTEN connection for webhook commits dropped; reconnecting")
            with contextlib.suppress(Exception):
                await connection.invalidate()


async def _until_lost(driver: Any, lost: asyncio.Event) -> None:
    """Return once the connection is closed or stops answering."""
    while not driver.is_closed():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lost.wait(), HEALTH_SECONDS)
            return
        try:
            await asyncio.wait_for(driver.fetchval("SELECT 1"), HEALTH_TIMEOUT)
        except Exception as error:  # a timeout, or asyncpg's connection errors
            logger.warning("the LISTEN connection stopped answering (%s)", error)
            return
