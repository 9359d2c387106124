"""What runs around the app: the database (migrating the embedded SQLite file), the broker,
the shared rate limiter and the background services, opened at start-up and closed after."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event

from parcelgraph import metrics
from parcelgraph.app.services import BACKGROUND_SERVICES
from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.mcp_server.http import McpEndpoint
from parcelgraph.migrate import upgrade_async
from parcelgraph.operability.tracing import instrument_engines
from parcelgraph.pubsub import create_broker, is_redis_url
from parcelgraph.ratelimit import create_rate_limiter

logger = logging.getLogger(__name__)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def lifespan_for(settings: Settings, mcp_endpoint: McpEndpoint) -> Lifespan:
    """The app's lifespan: open everything in order, close it in reverse."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await _open_database(app, settings)
        broker = create_broker(settings.broker_url)
        await broker.start()
        app.state.db, app.state.broker = db, broker
        app.state.rate_limiter = _rate_limiter(app, settings)
        stops = await _start_services(app.state, settings)
        try:
            async with mcp_endpoint.running():
                yield
        finally:
            for stop in reversed(stops):
                await stop()
            await app.state.rate_limiter.close()
            await broker.close()
            await db.dispose()

    return lifespan


async def _open_database(app: FastAPI, settings: Settings) -> Database:
    db = Database(
        settings.effective_database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        null_pool=settings.database_null_pool,
    )
    if is_redis_url(settings.broker_url):
        db.notify_outbox = False  # Redis rings the webhook workers (`publish_committed`)
    engines = {db.write_engine, db.read_engine}
    for engine in engines:
        event.listen(engine.sync_engine, "before_cursor_execute", metrics.count_statement)
    if getattr(app.state, "tracer_provider", None) is not None:
        instrument_engines(app.state.tracer_provider, *engines)
    if settings.is_sqlite:
        await upgrade_async(settings.effective_database_url)
    return db


def _rate_limiter(app: FastAPI, settings: Settings) -> Any:
    return create_rate_limiter(
        settings.broker_url,
        capacity=settings.rate_limit_capacity,
        restore_per_second=settings.rate_limit_restore_per_second,
        clock=lambda: app.state.clock().timestamp(),
        namespace=settings.rate_limit_namespace,
    )


async def _start_services(state: Any, settings: Settings) -> list[Callable[[], Any]]:
    """Start the enabled background services; their stop functions, in start order."""
    stops = []
    state.running_services = []
    for name, switch, start in BACKGROUND_SERVICES:
        if not getattr(settings, switch):
            continue
        logger.info("starting %s", name)
        stops.append(await start(state))
        state.running_services.append(name)
    return stops
