"""The carrier poller: asks carriers about parcels that are due and records what they say.

A tick claims due parcels from the schedule in the database (`next_check_at`, see
resolvers/events/polling.py), routes each to its adapter (tracking/routing.py: only sandbox
trackings reach the sandbox; a parcel without adapter or credentials is not asked), asks
the carriers outside any transaction, batched per adapter, and decides each parcel's
tracking state and next check (domain/tracking_schedule.py). A parcel whose carrier history
changed is recorded through `shipment_events.ingest`, the API's own path (phase machine,
outbox, broker), which drops scans already stored under the same external id, so a re-poll
never duplicates an event. The rest is rescheduled in one statement.

It runs inside `serve` when `run_carrier_poller` is on, and in `parcelgraph worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from parcelgraph import metrics
from parcelgraph.db import Database
from parcelgraph.domain import tracking_schedule as schedule
from parcelgraph.domain.enums import Phase
from parcelgraph.pubsub import Broker, publish_committed
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers.events import polling
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.events.polling import Due, Schedule
from parcelgraph.resolvers.events.recording import ShipmentScans
from parcelgraph.resolvers.shops import carrier_credentials
from parcelgraph.tracking.adapters import (
    CarrierRateLimited,
    TrackingNotFound,
    TrackingUpdate,
)
from parcelgraph.tracking.asking import Asked, ask_chunk, digest_of
from parcelgraph.tracking.normalizer import normalize_all
from parcelgraph.tracking.routing import Router

logger = logging.getLogger(__name__)
SERVICE_NAME = "carrier poller"  # as /readyz and the heartbeat metric name it

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PollerConfig:
    """Timing of the poller (from the settings)."""

    batch_size: int = 100
    concurrency: int = 10
    # How long a claimed parcel is left alone by other pollers while it is being asked.
    lease: timedelta = timedelta(minutes=5)
    idle: float = 5.0
    policy: schedule.SchedulePolicy = field(default_factory=schedule.SchedulePolicy)


@dataclass
class PollReport:
    """What one tick did."""

    polled: int = 0
    asked: int = 0
    failed: int = 0
    recorded: int = 0
    finished: int = 0
    not_polled: int = 0
    errors: list[str] = field(default_factory=list)


class CarrierPoller:
    """Polls due parcels through their carrier adapters."""

    def __init__(
        self,
        *,
        db: Database,
        broker: Broker | None,
        clock: Clock,
        router: Router,
        policy: ArrivalPolicy,
        config: PollerConfig,
        cipher: carrier_credentials.CredentialCipher,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.broker = broker
        self.clock = clock
        self.router = router
        self.policy = policy
        self.config = config
        self.cipher = cipher
        # Jitter only spreads load; it needs no cryptographic randomness.
        self.rng = rng or random.Random()  # noqa: S311

    async def poll_once(self) -> PollReport:
        """One tick: claim due parcels, ask their carriers, record and reschedule."""
        now = self.clock()
        async with self.db.writer() as session:
            due = await polling.claim_due(
                session, now=now, limit=self.config.batch_size, lease=self.config.lease
            )
            await session.commit()
        report = PollReport(polled=len(due))
        if not due:
            return report
        asked = await self._route(due)
        await self._ask(asked, now)
        _count_answers(asked)
        await self._settle(asked, now, report)
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; sleep between ticks unless the last one was full."""
        while not stop.is_set():
            metrics.beat(SERVICE_NAME)
            report = PollReport()
            try:
                report = await self.poll_once()
            except Exception:
                logger.exception("carrier poll tick failed; retrying after the idle interval")
            if report.polled >= self.config.batch_size:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.config.idle)

    async def _route(self, due: Sequence[Due]) -> list[Asked]:
        real = {d.shop_id for d in due if not d.sandbox_shop and d.carrier_reference}
        loaded = carrier_credentials.Loaded({}, {}, {})
        if real and self.router.specs:
            async with self.db.reader() as session:
                loaded = await carrier_credentials.load_for_shops(
                    session, shop_ids=real, cipher=self.cipher
                )
        asked = []
        for item in due:
            broken = {a: why for (scope, a), why in loaded.errors.items()
                      if scope in ("*", str(item.shop_id))}  # fmt: skip
            route = self.router.route(
                carrier_reference=item.carrier_reference,
                sandbox_shop=item.sandbox_shop,
                credentials=loaded.for_shop(item.shop_id),
                broken=broken,
            )
            asked.append(Asked(item, route))
        return asked

    async def _ask(self, asked: list[Asked], now: datetime) -> None:
        groups: dict[int, list[Asked]] = {}
        for item in asked:
            if item.route.adapter is not None:
                groups.setdefault(id(item.route.adapter), []).append(item)
        limit = asyncio.Semaphore(self.config.concurrency)
        chunks = []
        for items in groups.values():
            adapter = items[0].route.adapter
            size = max(1, adapter.batch_size)  # type: ignore[union-attr]
            chunks += [items[i : i + size] for i in range(0, len(items), size)]

        async def ask(chunk: list[Asked]) -> None:
            async with limit:
                await ask_chunk(chunk, now)

        await asyncio.gather(*(ask(chunk) for chunk in chunks))

    async def _settle(self, asked: list[Asked], now: datetime, report: PollReport) -> None:
        schedules: list[Schedule] = []
        to_record: dict[uuid.UUID, list[tuple[Asked, TrackingUpdate, str]]] = {}
        for item in asked:
            if isinstance(item.result, TrackingUpdate):
                report.asked += 1
                digest = digest_of(item)
                if digest != item.due.tracking_digest:
                    to_record.setdefault(item.due.shop_id, []).append((item, item.result, digest))
                    continue
            schedules.append(self._decide(item, now, report))
        async with self.db.writer() as session:
            await polling.write_schedules(session, schedules=schedules, now=now)
            await session.commit()
        for shop_id in sorted(to_record):
            await self._record(shop_id, to_record[shop_id], now, report)

    def _decide(self, item: Asked, now: datetime, report: PollReport) -> Schedule:
        decision = self._decision(item, _facts(item.due), now, report)
        if decision.state == schedule.TrackingState.STOPPED:
            report.finished += 1
        return _schedule(item.due.id, decision, item.due.tracking_digest)

    def _decision(
        self, item: Asked, facts: schedule.Facts, now: datetime, report: PollReport
    ) -> schedule.Decision:
        policy, route, result = self.config.policy, item.route, item.result
        if route.adapter is None:
            report.not_polled += 1
            return schedule.not_polled(route.state, route.reason or "", now, policy)
        if isinstance(result, TrackingUpdate):
            return schedule.answered(facts, now, policy, self.rng, route.pace)
        carrier = route.adapter.name
        if isinstance(result, TrackingNotFound) or result is None:
            return schedule.not_found(
                facts, now, policy, self.rng, carrier=carrier, pace=route.pace
            )
        report.failed += 1
        report.errors.append(f"{item.due.tracking_number}: {result}")
        retry_after = result.retry_after if isinstance(result, CarrierRateLimited) else None
        if isinstance(result, CarrierRateLimited) and retry_after is None:
            retry_after = policy.error_base.total_seconds()
        # Carrier clients usually name themselves ("ups rejected ..."); say it once.
        message = str(result) if str(result).startswith(carrier) else f"{carrier}: {result}"
        return schedule.failed(facts, now, policy, message=message, retry_after=retry_after)

    async def _record(
        self,
        shop_id: uuid.UUID,
        answers: list[tuple[Asked, TrackingUpdate, str]],
        now: datetime,
        report: PollReport,
    ) -> None:
        ids = [item.due.id for item, _, _ in answers]
        async with self.db.writer() as session:
            shop, shipments = await polling.load_for_recording(
                session, shop_id=shop_id, shipment_ids=ids
            )
            batches, digests = [], {}
            for item, update, digest in answers:
                shipment = shipments.get(item.due.id)
                adapter = item.route.adapter
                if shipment is None or adapter is None:
                    continue
                scans = normalize_all(update.statuses, adapter=adapter.name,
                                      status_map=adapter.status_map,
                                      simulated=item.route.simulated)  # fmt: skip
                batches.append(ShipmentScans(shipment, scans, update.estimated_arrival))
                digests[shipment.id] = (item, digest)
            recorded = await shipment_events.ingest(
                session, shop=shop, batches=batches, now=now, policy=self.policy
            )
            for done in recorded:
                report.recorded += len(done.events)
            for shipment_id, (item, digest) in digests.items():
                row = shipments[shipment_id]
                facts = schedule.Facts(Phase(row.phase), item.due.shipped_at, row.last_event_at)
                decision = self._decision(item, facts, now, report)
                report.finished += decision.state == schedule.TrackingState.STOPPED
                _apply(row, decision, digest, now)
            await session.commit()
        if self.broker is not None:
            await publish_committed(self.broker, session.info)


def _facts(due: Due) -> schedule.Facts:
    return schedule.Facts(
        Phase(due.phase), due.shipped_at, due.last_event_at, due.poll_failures, due.not_found_count
    )


def _schedule(shipment_id: uuid.UUID, decision: schedule.Decision, digest: str | None) -> Schedule:
    return Schedule(
        shipment_id, decision.state.value, decision.error, decision.next_check_at,
        decision.poll_failures, decision.not_found_count, digest,
    )  # fmt: skip


def _apply(row: Any, decision: schedule.Decision, digest: str, now: datetime) -> None:
    row.tracking_state = decision.state.value
    row.tracking_error = decision.error
    row.next_check_at = decision.next_check_at
    row.poll_failures = decision.poll_failures
    row.not_found_count = decision.not_found_count
    row.tracking_digest = digest
    row.last_checked_at = now


def _count_answers(asked: list[Asked]) -> None:
    """Carrier answers for /metrics, per adapter: ok, not_found or error."""
    for item in asked:
        if item.route.adapter is None:
            continue  # not asked at all (no credentials, or a carrier nobody polls)
        if isinstance(item.result, TrackingUpdate):
            result = "ok"
        elif item.result is None or isinstance(item.result, TrackingNotFound):
            result = "not_found"
        else:
            result = "error"
        metrics.POLLS.labels(item.route.adapter.name, result).inc()
