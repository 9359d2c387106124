"""Operator endpoints: /metrics (Prometheus), /livez (the process answers) and /readyz (it
can serve: database, Redis when configured, background services going round their loops).

/metrics asks for `Authorization: Bearer <metrics_token>` when that setting is set; without
it, only clients on the loopback interface (a scraper beside the process) are answered.
"""

import asyncio
import hmac
import ipaddress
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from parcelgraph import __version__, metrics
from parcelgraph.config import Settings
from parcelgraph.resolvers.common import operations

logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
CHECK_TIMEOUT = 3.0


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _may_scrape(request: Request, settings: Settings) -> bool:
    if settings.metrics_token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {settings.metrics_token}".encode())
    return _is_loopback(request)


async def _refresh_database_gauges(state: Any) -> None:
    now = state.clock()
    async with state.db.reader() as session:
        outbox = await operations.outbox_stats(session)
        lags = await operations.carrier_lag(session, now=now)
    metrics.OUTBOX_DEPTH.set(outbox.depth)
    oldest = outbox.oldest_created_at
    metrics.OUTBOX_OLDEST_AGE.set(max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
    metrics.POLLER_LAG.clear()
    metrics.POLLER_FAILING.clear()
    for lag in lags:
        metrics.POLLER_LAG.labels(lag.carrier).set(lag.lag_seconds)
        metrics.POLLER_FAILING.labels(lag.carrier).set(lag.failing)


@router.get("/metrics", summary="Prometheus metrics")
async def scrape(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if not _may_scrape(request, settings):
        return JSONResponse({"error": "metrics need the metrics token"}, status_code=403)
    try:
        await _refresh_database_gauges(request.app.state)
    except Exception:
        # The process metrics are still worth having; the stale gauges say when they were set.
        logger.exception("metrics: reading the outbox and poll schedule failed")
    return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)


@router.get("/livez", summary="The process is up")
async def livez() -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__})


async def _database_ok(state: Any) -> bool:
    async with state.db.reader() as session:
        await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return True


async def _redis_ok(url: str) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT)
    try:
        return bool(await client.ping())
    finally:
        await client.aclose()


async def _check(name: str, probe: Any) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            return "ok" if await probe else "failing"
    except Exception:
        logger.warning("readiness check %s failed", name, exc_info=True)
        return "unreachable"


def _services(settings: Settings) -> dict[str, str]:
    wanted = {"webhook worker": settings.run_webhook_worker}
    wanted["carrier poller"] = settings.run_carrier_poller
    now = time.time()
    states = {}
    for service, runs_here in wanted.items():
        if not runs_here:
            continue
        beat = metrics.last_beat(service)
        fresh = beat is not None and now - beat <= settings.heartbeat_stale_seconds
        states[service] = "ok" if fresh else "stalled"
    return states


@router.get("/readyz", summary="The process can serve: database, Redis, background services")
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    settings: Settings = state.settings
    checks = {"database": await _check("database", _database_ok(state))}
    if settings.broker_url and settings.broker_url.startswith(("redis://", "rediss://")):
        checks["redis"] = await _check("redis", _redis_ok(settings.broker_url))
    checks.update(_services(settings))
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503)
