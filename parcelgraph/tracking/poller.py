"""The carrier poller: asks carriers about parcels that are due and records what they say.

A round claims due shipments (a tracking number, no final phase yet, `next_poll_at` empty or
past), leasing them so a second poller process skips them (PostgreSQL: FOR UPDATE SKIP
LOCKED; SQLite has one writer anyway). It asks each one's adapter outside any transaction,
then per shop writes every answer in one transaction through `shipment_events.ingest`, the
same path the API uses (fold, outbox, broker). A parcel that reached a final phase is no
longer polled; a failed poll is retried with exponential backoff.

It runs inside `serve` when `run_carrier_poller` is on, and in `parcelgraph worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.domain import phases
from parcelgraph.domain.enums import Phase
from parcelgraph.models import Shipment
from parcelgraph.pubsub import Broker, publish_committed
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers.events import polling
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.events.recording import ShipmentScans
from parcelgraph.tracking.adapters import AdapterRegistry, TrackingRequest, TrackingUpdate
from parcelgraph.tracking.normalizer import normalize_all
from parcelgraph.tracking.sandbox import SandboxCarrier

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PollerConfig:
    """Timing of the poller (from the settings)."""

    batch_size: int = 100
    concurrency: int = 10
    repoll: timedelta = timedelta(seconds=30)
    backoff_base: timedelta = timedelta(seconds=60)
    backoff_cap: timedelta = timedelta(hours=6)
    # How long a claimed shipment is left alone by other pollers while it is being asked.
    lease: timedelta = timedelta(minutes=5)
    idle: float = 5.0


@dataclass
class PollReport:
    """What one round did."""

    polled: int = 0
    failed: int = 0
    recorded: int = 0
    finished: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    id: uuid.UUID
    shop_id: uuid.UUID
    request: TrackingRequest


@dataclass
class _Answer:
    due: _Due
    update: TrackingUpdate | None
    adapter: str | None
    error: str | None = None


def backoff(failures: int, config: PollerConfig) -> timedelta:
    """Delay after `failures` failed polls in a row: base times 1, 2, 4, ... up to the cap."""
    return min(config.backoff_base * (2 ** max(failures - 1, 0)), config.backoff_cap)


class CarrierPoller:
    """Polls due shipments through their carrier adapters."""

    def __init__(
        self,
        *,
        db: Database,
        broker: Broker | None,
        clock: Clock,
        registry: AdapterRegistry,
        policy: ArrivalPolicy,
        config: PollerConfig,
    ) -> None:
        self.db = db
        self.broker = broker
        self.clock = clock
        self.registry = registry
        self.policy = policy
        self.config = config

    async def poll_once(self) -> PollReport:
        """One round: claim due shipments, ask their carriers, record the answers."""
        now = self.clock()
        due = await self._claim(now)
        report = PollReport(polled=len(due))
        if not due:
            return report
        limit = asyncio.Semaphore(self.config.concurrency)

        async def ask(item: _Due) -> _Answer:
            async with limit:
                return await self._ask(item)

        answers = await asyncio.gather(*(ask(item) for item in due))
        by_shop: dict[uuid.UUID, list[_Answer]] = {}
        for answer in answers:
            by_shop.setdefault(answer.due.shop_id, []).append(answer)
        for shop_id, shop_answers in by_shop.items():
            await self._record(shop_id, shop_answers, now, report)
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; sleep between rounds unless the last one was full."""
        while not stop.is_set():
            report = PollReport()
            try:
                report = await self.poll_once()
            except Exception:
                logger.exception("carrier poll round failed; retrying after the idle interval")
            if report.polled >= self.config.batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.config.idle)

    async def _claim(self, now: datetime) -> list[_Due]:
        async with self.db.writer() as session:
            rows = await polling.claim_due(
                session, now=now, limit=self.config.batch_size, lease=self.config.lease
            )
            await session.commit()
        return [_Due(r.id, r.shop_id, _request(r, now)) for r in rows]

    async def _ask(self, item: _Due) -> _Answer:
        adapter = self.registry.for_carrier(item.request.carrier_reference)
        if adapter is None:
            return _Answer(item, None, None, "no adapter serves this carrier")
        try:
            return _Answer(item, await adapter.fetch(item.request), adapter.name)
        except Exception as error:  # any adapter failure is retried with backoff
            logger.warning(
                "carrier %s failed for %s: %r", adapter.name, item.request.tracking_number, error
            )
            return _Answer(item, None, adapter.name, f"{type(error).__name__}: {error}")

    async def _record(
        self, shop_id: uuid.UUID, answers: list[_Answer], now: datetime, report: PollReport
    ) -> None:
        ids = [a.due.id for a in answers]
        async with self.db.writer() as session:
            shop, shipments = await polling.load_for_recording(
                session, shop_id=shop_id, shipment_ids=ids
            )
            batches: list[ShipmentScans] = []
            for answer in answers:
                shipment = shipments.get(answer.due.id)
                if shipment is None:
                    continue
                if answer.update is None:
                    self._failed(shipment, answer, now, report)
                    continue
                scans = normalize_all(
                    answer.update.statuses,
                    adapter=answer.adapter or "",
                    status_map=self.registry.adapters[answer.adapter or ""].status_map,
                )
                batches.append(ShipmentScans(shipment, scans, answer.update.estimated_arrival))
            recorded = await shipment_events.ingest(
                session, shop=shop, batches=batches, now=now, policy=self.policy
            )
            for item in recorded:
                report.recorded += len(item.events)
                self._succeeded(item.shipment, now, report)
            await session.commit()
        if self.broker is not None:
            await publish_committed(self.broker, session.info)

    def _succeeded(self, shipment: Shipment, now: datetime, report: PollReport) -> None:
        shipment.poll_failures = 0
        if phases.is_terminal(Phase(shipment.phase)):
            shipment.next_poll_at = None
            report.finished += 1
        else:
            shipment.next_poll_at = now + self.config.repoll

    def _failed(
        self, shipment: Shipment, answer: _Answer, now: datetime, report: PollReport
    ) -> None:
        shipment.poll_failures += 1
        shipment.next_poll_at = now + backoff(shipment.poll_failures, self.config)
        report.failed += 1
        report.errors.append(f"{shipment.tracking_number}: {answer.error}")


def _request(row: Shipment, now: datetime) -> TrackingRequest:
    # The journey starts when the parcel was handed over, or when we learned of it.
    shipped = max(row.created_at, row.tracking_placed_at or row.created_at)
    return TrackingRequest(
        tracking_number=row.tracking_number or "",
        carrier_reference=row.carrier_reference,
        direction=row.direction,
        shipped_at=shipped,
        now=now,
    )


def registry_from_settings(settings: Settings) -> AdapterRegistry:
    """The adapters this process can use, routed per carrier code by the settings."""
    sandbox = SandboxCarrier(seed=settings.sandbox_seed, time_scale=settings.sandbox_time_scale)
    routes = {code.lower(): name for code, name in settings.carrier_adapters.items()}
    return AdapterRegistry(adapters={sandbox.name: sandbox}, routes=routes)


def build_poller(
    settings: Settings, *, db: Database, broker: Broker | None, clock: Clock
) -> CarrierPoller:
    """A poller wired from the settings."""
    config = PollerConfig(
        batch_size=settings.carrier_poll_batch_size,
        concurrency=settings.carrier_poll_concurrency,
        repoll=timedelta(seconds=settings.carrier_repoll_seconds),
        backoff_base=timedelta(seconds=settings.carrier_backoff_base_seconds),
        backoff_cap=timedelta(seconds=settings.carrier_backoff_cap_seconds),
        idle=settings.carrier_poll_interval,
    )
    return CarrierPoller(
        db=db,
        broker=broker,
        clock=clock,
        registry=registry_from_settings(settings),
        policy=ArrivalPolicy.from_settings(settings),
        config=config,
    )


async def start_carrier_poller(state: Any) -> Callable[[], Awaitable[None]]:
    """Background service for the app lifespan: start polling, return the stop function."""
    settings: Settings = state.settings

    async def nothing() -> None:
        return None

    if not settings.run_carrier_poller:
        return nothing
    poller = build_poller(settings, db=state.db, broker=state.broker, clock=state.clock)
    stop = asyncio.Event()
    task = asyncio.create_task(poller.run(stop), name="carrier-poller")

    async def stop_polling() -> None:
        stop.set()
        await task

    return stop_polling
