"""The outbox worker: claims due deliveries, signs and POSTs them, records every attempt.

One `WebhookWorker` per process (inside `parcelgraph serve`, or `parcelgraph worker` for
scale-out; several processes share the work through `FOR UPDATE SKIP LOCKED` leases on
PostgreSQL). Its loop claims a batch whenever a quarter of its sending slots are free, sends
concurrently (at most `webhook_concurrency` sends at once, `webhook_max_connections_per_host`
per receiver; each send frees its slot when its own answer arrives, so a receiver stalling
until the timeout holds one slot, not a batch's), and records finished attempts in group
transactions (those that finish while one is written go in the next). It sleeps only when
nothing is due: until the poll interval passes, or until a commit in this process owes new
deliveries (`outbox_wakeup.WAKEUP`), so the first attempt follows the commit within milliseconds.
Commits in other processes ring it through the broker (Redis) or, on PostgreSQL without
Redis, through LISTEN/NOTIFY (`pg_doorbell`).

Each send is checked against the SSRF guard at send time (names can change what they
resolve to) and signed with the webhook's active secrets (two during a rotation).

`stop()` stops claiming, lets in-flight sends finish (each is bounded by the total
timeout) and records them. A worker killed outright loses nothing: its leases expire and
the deliveries are claimed again.

Tests drive it step by step with `await worker.run_once()` and an injected clock.
"""

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime

from parcelgraph import metrics
from parcelgraph.config import Settings
from parcelgraph.db import Database
from parcelgraph.models.types import utcnow
from parcelgraph.resolvers.common import outbox_wakeup
from parcelgraph.resolvers.webhooks import outbox
from parcelgraph.webhooks.backoff import BackoffPolicy, Jitter, classify
from parcelgraph.webhooks.formats import prepare
from parcelgraph.webhooks.sender import WebhookSender
from parcelgraph.webhooks.ssrf import Resolver, UnsafeDestination, check_destination

logger = logging.getLogger(__name__)
SERVICE_NAME = "webhook worker"  # as /readyz and the heartbeat metric name it

Clock = Callable[[], datetime]
SHUTDOWN_GRACE_SECONDS = 5.0


def policy_from(settings: Settings) -> BackoffPolicy:
    """The retry policy the settings describe."""
    return BackoffPolicy(
        base_seconds=settings.webhook_backoff_base,
        factor=settings.webhook_backoff_factor,
        cap_seconds=settings.webhook_backoff_cap,
        max_retries=settings.webhook_max_retries,
        jitter=Jitter(settings.webhook_backoff_jitter),
    )


def new_worker_id() -> str:
    """A name unique to this worker: host, process, and a random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class WebhookWorker:
    """Delivers the outbox of every shop of one database."""

    def __init__(
        self,
        *,
        db: Database,
        settings: Settings,
        clock: Clock = utcnow,
        sender: WebhookSender | None = None,
        resolver: Resolver | None = None,
        rng: random.Random | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.worker_id = worker_id or new_worker_id()
        self.policy = policy_from(settings)
        self._retry = outbox.RetryPolicy(
            next_attempt_at=self.policy.next_attempt_at,
            disable_after_failures=settings.webhook_disable_after_failures,
            rng=rng,
        )
        self._owns_sender = sender is None
        self.sender = sender or WebhookSender(
            connect_timeout=settings.webhook_connect_timeout,
            total_timeout=settings.webhook_total_timeout,
            max_connections=max(settings.webhook_concurrency, 1),
            max_connections_per_host=settings.webhook_max_connections_per_host,
        )
        self._resolver = resolver
        self._capacity = max(settings.webhook_concurrency, 1)
        self._in_flight = 0
        self._tasks: set[asyncio.Task[None]] = set()
        # Claim when a quarter of the slots are free (or none is busy): claims stay batched
        # instead of one per finished send, and at most a quarter of the slots wait idle.
        self._claim_at = max(1, self._capacity // 4)
        self._unrecorded: list[outbox.Finished] = []
        self._recorder: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake: asyncio.Event | None = None

    # --- one step ---------------------------------------------------------------------

    async def claim(self, limit: int) -> list[outbox.Claimed]:
        """Claim up to `limit` due deliveries in one short transaction."""
        async with self.db.writer() as session:
            claimed = await outbox.claim_due(
                session,
                now=self.clock(),
                limit=limit,
                lease_seconds=self.settings.webhook_claim_seconds,
                worker_id=self.worker_id,
            )
            await session.commit()
        return claimed

    async def send(self, claimed: outbox.Claimed) -> outbox.Finished:
        """One signed POST (after the SSRF check); never raises for network trouble."""
        started_at = self.clock()
        try:
            await check_destination(
                claimed.url,
                allow_private=self.settings.webhook_allow_private_urls,
                resolver=self._resolver,
            )
        except UnsafeDestination as refused:
            error = f"unsafe_destination: {refused.message}"
            return outbox.Finished(claimed, started_at, None, None, error, 0, "RETRY")
        timestamp = int(self.clock().timestamp())
        body, headers = prepare(
            claimed.format, claimed.msg_id, timestamp, claimed.body, claimed.secrets
        )
        result = await self.sender.send(claimed.url, body, headers)
        outcome = classify(result.status_code, result.error)
        excerpt = result.body_text if result.status_code is not None else None
        return outbox.Finished(
            claimed,
            started_at,
            result.status_code,
            excerpt,
            result.error,
            result.duration_ms,
            outcome.value,
        )

    async def deliver(self, batch: list[outbox.Claimed]) -> list[outbox.Finished]:
        """Send a claimed batch concurrently and record its attempts in one transaction."""
        finished = list(await asyncio.gather(*(self.send(c) for c in batch)))
        await self.record(finished)
        return finished

    async def record(self, finished: list[outbox.Finished]) -> None:
        """Record finished attempts (and the deliveries' next state) in one transaction."""
        for item in finished:
            webhook = str(item.claimed.webhook_id)
            metrics.DELIVERIES.labels(webhook, item.outcome).inc()
            metrics.DELIVERY_SECONDS.labels(webhook).observe(item.duration_ms / 1000)
        async with self.db.writer() as session:
            await outbox.record(
                session,
                items=finished,
                now=self.clock(),
                worker_id=self.worker_id,
                policy=self._retry,
            )
            await session.commit()

    async def run_once(self, limit: int | None = None) -> int:
        """Claim one batch, deliver it, record it; return how many were attempted."""
        batch = await self.claim(limit or self.settings.webhook_batch_size)
        if batch:
            await self.deliver(batch)
        return len(batch)

    async def drain(self, max_batches: int = 1000) -> int:
        """Run batches until nothing is due (tests and scripts); return the total attempted."""
        total = 0
        for _ in range(max_batches):
            count = await self.run_once()
            if not count:
                break
            total += count
        return total

    # --- the long-running loop --------------------------------------------------------

    async def run(self) -> None:
        """Deliver until `stop()`: claim while slots are free, sleep when nothing is due."""
        self._wake = outbox_wakeup.WAKEUP.register()
        try:
            while not self._stopping.is_set():
                metrics.beat(SERVICE_NAME)
                free = self._capacity - self._in_flight
                self._wake.clear()  # before claiming, so a commit racing the claim still wakes us
                if free >= self._claim_at or not self._in_flight:
                    limit = min(free, self.settings.webhook_batch_size)
                    batch = await self._claim_safely(limit)
                    self._start(batch)
                    if batch and len(batch) == limit:
                        continue  # a full claim: more may be due right now
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.webhook_poll_interval):
                        await self._wake.wait()
        finally:
            outbox_wakeup.WAKEUP.unregister(self._wake)
            await self._finish_in_flight()

    async def _claim_safely(self, limit: int) -> list[outbox.Claimed]:
        if limit <= 0:
            return []
        try:
            return await self.claim(limit)
        except Exception:
            logger.exception("claiming webhook deliveries failed; retrying after the poll interval")
            return []

    def _start(self, batch: list[outbox.Claimed]) -> None:
        # Each send holds its slot only until its own answer: one receiver stalling until the
        # timeout must not keep the slots of a whole batch idle.
        self._in_flight += len(batch)
        for claimed in batch:
            self._spawn(self._send_one(claimed))

    def _spawn(self, work: Coroutine[None, None, None]) -> "asyncio.Task[None]":
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _send_one(self, claimed: outbox.Claimed) -> None:
        try:
            finished = await self.send(claimed)
            # Appended after the await: the list is swapped out whenever a group is recorded.
            self._unrecorded.append(finished)
        except Exception:  # its lease expires and it is claimed again: at-least-once holds
            logger.exception("sending a webhook delivery failed unexpectedly; it will be retried")
        finally:
            self._in_flight -= 1
            # Wake the loop when enough slots are free to claim again (once per descent).
            free = self._capacity - self._in_flight
            if self._wake is not None and (free == self._claim_at or not self._in_flight):
                self._wake.set()
        if self._recorder is None or self._recorder.done():
            self._recorder = self._spawn(self._record_unrecorded())

    async def _record_unrecorded(self) -> None:
        """Record every finished attempt, a transaction per group: the attempts that finish
        while one group is being written are written together next."""
        while self._unrecorded:
            finished, self._unrecorded = self._unrecorded, []
            try:
                await self.record(finished)
            except Exception:
                # The leases expire and the deliveries are claimed again: at-least-once holds.
                logger.exception("recording webhook attempts failed; they will be retried")

    async def _finish_in_flight(self) -> None:
        if self._tasks:
            limit = self.settings.webhook_total_timeout + SHUTDOWN_GRACE_SECONDS
            _done, pending = await asyncio.wait(set(self._tasks), timeout=limit)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        await self._record_unrecorded()  # what finished after the last recorder ended
        if self._recorder is not None:
            await asyncio.gather(self._recorder, return_exceptions=True)

    async def stop(self) -> None:
        """Stop claiming; finish and record the sends in flight."""
        self._stopping.set()
        if self._wake is not None:
            self._wake.set()

    async def aclose(self) -> None:
        """Close the HTTP client (when the worker created it)."""
        if self._owns_sender:
            await self.sender.aclose()
