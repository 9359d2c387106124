"""Wiring of the carrier poller from the settings, and its place in the app lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain.tracking_schedule import SchedulePolicy
from parcelgraph.pubsub import Broker
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.shops.carrier_credentials import CredentialCipher
from parcelgraph.tracking.carriers import SPECS
from parcelgraph.tracking.poller import CarrierPoller, Clock, PollerConfig
from parcelgraph.tracking.routing import Router
from parcelgraph.tracking.sandbox import SandboxCarrier


def adapter_requirements() -> dict[str, tuple[str, ...]]:
    """Every adapter that takes credentials, with the fields it requires."""
    return {spec.name: spec.required for spec in SPECS}


def schedule_policy(settings: Settings) -> SchedulePolicy:
    """The schedule intervals of the settings."""
    return SchedulePolicy(
        out_for_delivery=timedelta(seconds=settings.carrier_check_out_for_delivery_seconds),
        exception=timedelta(seconds=settings.carrier_check_exception_seconds),
        pre_transit=timedelta(seconds=settings.carrier_check_pre_transit_seconds),
        in_transit=timedelta(seconds=settings.carrier_check_in_transit_seconds),
        quiet=timedelta(seconds=settings.carrier_check_quiet_seconds),
        stop_after_final=timedelta(hours=settings.carrier_stop_after_final_hours),
        give_up_after=timedelta(days=settings.carrier_give_up_after_days),
        not_found_limit=settings.carrier_not_found_limit,
        error_base=timedelta(seconds=settings.carrier_backoff_base_seconds),
        error_cap=timedelta(seconds=settings.carrier_backoff_cap_seconds),
        jitter=settings.carrier_check_jitter,
    )


def http_client(settings: Settings) -> httpx.AsyncClient:
    """The HTTP client every adapter of this process shares (its pool and timeouts)."""
    timeout = httpx.Timeout(settings.carrier_read_timeout, connect=settings.carrier_connect_timeout)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False)


def build_router(settings: Settings, *, http: httpx.AsyncClient, clock: Clock) -> Router:
    """The adapters this process can use, routed per carrier code by the settings."""
    return Router(
        specs=SPECS,
        routes=settings.carrier_adapters,
        base_urls=settings.carrier_base_urls,
        http=http,
        clock=clock,
        sandbox=SandboxCarrier(seed=settings.sandbox_seed, time_scale=settings.sandbox_time_scale),
    )


def build_poller(
    settings: Settings,
    *,
    db: Database,
    broker: Broker | None,
    clock: Clock,
    http: httpx.AsyncClient | None = None,
) -> CarrierPoller:
    """A poller wired from the settings."""
    config = PollerConfig(
        batch_size=settings.carrier_poll_batch_size,
        concurrency=settings.carrier_poll_concurrency,
        idle=settings.carrier_poll_interval,
        policy=schedule_policy(settings),
    )
    return CarrierPoller(
        db=db,
        broker=broker,
        clock=clock,
        router=build_router(settings, http=http or http_client(settings), clock=clock),
        policy=ArrivalPolicy.from_settings(settings),
        config=config,
        cipher=CredentialCipher(settings.carrier_credentials_keys),
    )


async def start_carrier_poller(state: Any) -> Callable[[], Awaitable[None]]:
    """Background service for the app lifespan: start polling, return the stop function."""
    settings: Settings = state.settings

    async def nothing() -> None:
        return None

    if not settings.run_carrier_poller:
        return nothing
    http = http_client(settings)
    poller = build_poller(settings, db=state.db, broker=state.broker, clock=state.clock, http=http)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop), name="carrier-poller")

    async def stop_polling() -> None:
        stop.set()
        await task
        await http.aclose()

    return stop_polling
