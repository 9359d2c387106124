"""Draining the webhook outbox: claim due deliveries with a lease, then record what happened.

`claim_due` moves due deliveries to IN_FLIGHT with a lease (`claimed_until`) in one UPDATE.
On PostgreSQL the candidate rows are picked `FOR UPDATE SKIP LOCKED`, so several worker
processes claim disjoint batches without waiting on each other; SQLite's `BEGIN IMMEDIATE`
makes every claim a single serialized writer. A delivery whose lease expired (its worker
died) is due again: nothing is lost, at the price of a possible second send, which the
stable event id lets receivers de-duplicate. Only deliveries of ACTIVE webhooks are
claimed; those of an inactive webhook wait, and go out once it is reactivated.

`record` writes every attempt of a batch and the deliveries' next state in a fixed number
of statements: one INSERT, one executemany UPDATE, and at most four webhook UPDATEs.

`outbox_wakeup.WAKEUP` lets an in-process worker start within milliseconds of a commit that
owes deliveries, instead of at its next poll.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import DeliveryStatus, WebhookStatus
from parcelgraph.models import EventEnvelope, Webhook, WebhookAttempt, WebhookDelivery
from parcelgraph.resolvers.webhooks import active_secrets

DELIVERIES = WebhookDelivery.__table__  # type: ignore[attr-defined]
WEBHOOKS = Webhook.__table__  # type: ignore[attr-defined]
ATTEMPTS = WebhookAttempt.__table__  # type: ignore[attr-defined]
ERROR_MAX_CHARS = 1000


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds the lease of, with everything needed to send it."""

    delivery_id: uuid.UUID
    webhook_id: uuid.UUID
    url: str
    secrets: list[str]
    msg_id: str
    body: bytes
    attempt_number: int
    webhook_failures: int
    format: str = "LEGACY"  # WebhookFormat value: the body's shape and the signing scheme


@dataclass(frozen=True)
class Finished:
    """One attempt's result as the worker saw it."""

    claimed: Claimed
    started_at: datetime
    status_code: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int
    outcome: str  # backoff.Outcome value: DELIVERED, GONE or RETRY


@dataclass(frozen=True)
class RetryPolicy:
    """What `record` needs of the backoff policy, so this layer does not import it."""

    next_attempt_at: Any  # (failed_at, attempt_number, rng) -> datetime | None
    disable_after_failures: int
    rng: random.Random | None = None


def _due(now: datetime) -> Any:
    active = select(WEBHOOKS.c.id).where(WEBHOOKS.c.status == WebhookStatus.ACTIVE.value)
    return and_(
        DELIVERIES.c.webhook_id.in_(active),
        or_(
            and_(
                DELIVERIES.c.status == DeliveryStatus.PENDING.value,
                DELIVERIES.c.next_attempt_at <= now,
            ),
            and_(
                DELIVERIES.c.status == DeliveryStatus.IN_FLIGHT.value,
                DELIVERIES.c.claimed_until <= now,
            ),
        ),
    )


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease_seconds: float, worker_id: str
) -> list[Claimed]:
    """Claim up to `limit` due deliveries for `worker_id` (the caller commits at once)."""
    if limit <= 0:
        return []
    candidates = (
        select(DELIVERIES.c.id)
        .where(_due(now))
        .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.event_position)
        .limit(limit)
        .with_for_update(skip_locked=True)  # rendered by PostgreSQL only
    )
    claim = (
        update(DELIVERIES)
        .where(DELIVERIES.c.id.in_(candidates.scalar_subquery()))
        .values(
            status=DeliveryStatus.IN_FLIGHT.value,
            claimed_until=now + timedelta(seconds=lease_seconds),
            claimed_by=worker_id,
            attempt_count=DELIVERIES.c.attempt_count + 1,
            updated_at=now,
        )
        .returning(
            DELIVERIES.c.id,
            DELIVERIES.c.webhook_id,
            DELIVERIES.c.event_position,
            DELIVERIES.c.event_id,
            DELIVERIES.c.test_body,
            DELIVERIES.c.attempt_count,
        )
    )
    rows = (await session.exec(claim)).all()  # type: ignore[call-overload]
    if not rows:
        return []
    hooks = await _webhooks(session, {r.webhook_id for r in rows})
    bodies = await _bodies(session, {r.event_position for r in rows if r.test_body is None})
    claimed = []
    for row in rows:
        hook = hooks[row.webhook_id]
        body = row.test_body if row.test_body is not None else bodies[row.event_position]
        claimed.append(
            Claimed(
                delivery_id=row.id,
                webhook_id=row.webhook_id,
                url=hook.url,
                secrets=active_secrets(hook, now),
                msg_id=str(row.event_id or row.id),
                body=body.encode("utf-8"),
                attempt_number=row.attempt_count,
                webhook_failures=hook.consecutive_failures,
                format=hook.format,
            )
        )
    return claimed


async def _webhooks(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, Webhook]:
    stmt = select(Webhook).where(Webhook.id.in_(ids))  # type: ignore[attr-defined]
    return {hook.id: hook for hook in (await session.exec(stmt)).scalars()}  # type: ignore[call-overload]


async def _bodies(session: AsyncSession, positions: set[int]) -> dict[int, str]:
    if not positions:
        return {}
    stmt = select(EventEnvelope.event_position, EventEnvelope.body).where(
        EventEnvelope.event_position.in_(positions)  # type: ignore[attr-defined]
    )
    return dict((await session.exec(stmt)).all())  # type: ignore[call-overload]


@dataclass
class _WebhookTally:
    """How one batch changes a webhook: failures in a row, and whether it must stop."""

    failures: int
    reset: bool = False
    added: int = 0
    gone_reason: str | None = None
    touched: bool = field(default=False)


def _next_state(item: Finished, now: datetime, policy: RetryPolicy) -> dict[str, Any]:
    state: dict[str, Any] = {
        "b_id": item.claimed.delivery_id,
        "b_code": item.status_code,
        "b_error": item.error[:ERROR_MAX_CHARS] if item.error else None,
        "b_next": now,
        "b_delivered": None,
    }
    if item.outcome == "DELIVERED":
        state.update(b_status=DeliveryStatus.DELIVERED.value, b_delivered=now)
    elif item.outcome == "GONE":
        state.update(b_status=DeliveryStatus.FAILED.value)
    else:
        retry_at = policy.next_attempt_at(now, item.claimed.attempt_number, policy.rng)
        if retry_at is None:
            state.update(b_status=DeliveryStatus.FAILED.value)
        else:
            state.update(b_status=DeliveryStatus.PENDING.value, b_next=retry_at)
    return state


def _tally(items: Sequence[Finished], states: list[dict[str, Any]]) -> dict[uuid.UUID, Any]:
    tallies: dict[uuid.UUID, _WebhookTally] = {}
    for item, state in zip(items, states, strict=True):
        claimed = item.claimed
        tally = tallies.setdefault(claimed.webhook_id, _WebhookTally(claimed.webhook_failures))
        if item.outcome == "GONE":
            tally.gone_reason = (
                f"The receiver answered 410 Gone at {item.started_at.isoformat()}; "
                "reactivate the webhook to resume."
            )
        elif state["b_status"] == DeliveryStatus.DELIVERED.value:
            tally.reset, tally.added = True, 0
        elif state["b_status"] == DeliveryStatus.FAILED.value:
            tally.added += 1
    return tallies


async def record(
    session: AsyncSession,
    *,
    items: Sequence[Finished],
    now: datetime,
    worker_id: str,
    policy: RetryPolicy,
) -> None:
    """Store the attempts and move each delivery on: DELIVERED, PENDING (retry) or FAILED.

    A delivery whose lease this worker lost (expired and claimed by another, or deleted
    with its webhook) keeps the other's state; its attempt is still logged when it exists.
    """
    if not items:
        return
    await session.exec(_insert_attempts(), params=[_attempt_params(i) for i in items])  # type: ignore[call-overload]
    states = [_next_state(item, now, policy) for item in items]
    move = (
        update(DELIVERIES)
        .where(
            DELIVERIES.c.id == bindparam("b_id"),
            DELIVERIES.c.claimed_by == worker_id,
            DELIVERIES.c.status == DeliveryStatus.IN_FLIGHT.value,
        )
        .values(
            status=bindparam("b_status"),
            next_attempt_at=bindparam("b_next"),
            delivered_at=bindparam("b_delivered"),
            last_status_code=bindparam("b_code"),
            last_error=bindparam("b_error"),
            claimed_until=None,
            claimed_by=None,
            updated_at=now,
        )
    )
    await session.exec(move, params=states)  # type: ignore[call-overload]
    await _update_webhooks(session, _tally(items, states), now, policy.disable_after_failures)


def _insert_attempts() -> Any:
    # INSERT ... SELECT over the delivery row: an attempt whose delivery was deleted
    # meanwhile (its webhook deleted mid-send) is skipped instead of breaking the batch.
    columns = ATTEMPTS.c
    names = [
        "id",
        "attempt_number",
        "started_at",
        "duration_ms",
        "status_code",
        "response_excerpt",
        "error",
        "succeeded",
    ]
    values = [bindparam(f"a_{name}", type_=columns[name].type) for name in names]
    source = select(*values, DELIVERIES.c.id).where(
        DELIVERIES.c.id == bindparam("a_delivery", type_=DELIVERIES.c.id.type)
    )
    return insert(ATTEMPTS).from_select([*names, "delivery_id"], source)


def _attempt_params(item: Finished) -> dict[str, Any]:
    return {
        "a_id": uuid.uuid4(),
        "a_delivery": item.claimed.delivery_id,
        "a_attempt_number": item.claimed.attempt_number,
        "a_started_at": item.started_at,
        "a_duration_ms": item.duration_ms,
        "a_status_code": item.status_code,
        "a_response_excerpt": item.response_excerpt,
        "a_error": item.error[:ERROR_MAX_CHARS] if item.error else None,
        "a_succeeded": item.outcome == "DELIVERED",
    }


async def _update_webhooks(
    session: AsyncSession, tallies: dict[uuid.UUID, Any], now: datetime, disable_after: int
) -> None:
    resets = [
        {"w_id": wid, "w_n": t.added}
        for wid, t in tallies.items()
        if t.reset and t.failures != t.added
    ]
    bumps = [{"w_id": wid, "w_n": t.added} for wid, t in tallies.items() if not t.reset and t.added]
    by_id = WEBHOOKS.c.id == bindparam("w_id")
    if resets:
        stmt = update(WEBHOOKS).where(by_id).values(consecutive_failures=bindparam("w_n"))
        await session.exec(stmt, params=resets)  # type: ignore[call-overload]
    if bumps:
        stmt = (
            update(WEBHOOKS)
            .where(by_id)
            .values(consecutive_failures=WEBHOOKS.c.consecutive_failures + bindparam("w_n"))
        )
        await session.exec(stmt, params=bumps)  # type: ignore[call-overload]
    gone = [{"w_id": wid, "w_reason": t.gone_reason} for wid, t in tallies.items() if t.gone_reason]
    failing = [wid for wid, t in tallies.items() if t.added and not t.gone_reason]
    if gone:
        await session.exec(  # type: ignore[call-overload]
            _disable(by_id, bindparam("w_reason"), now), params=gone
        )
    if failing and disable_after > 0:
        reason = (
            f"{disable_after} deliveries in a row failed after every retry; "
            "reactivate the webhook to resume."
        )
        stmt = _disable(WEBHOOKS.c.id.in_(failing), reason, now).where(
            WEBHOOKS.c.consecutive_failures >= disable_after
        )
        await session.exec(stmt)  # type: ignore[call-overload]


def _disable(condition: Any, reason: Any, now: datetime) -> Any:
    return (
        update(WEBHOOKS)
        .where(condition, WEBHOOKS.c.status == WebhookStatus.ACTIVE.value)
        .values(status=WebhookStatus.INACTIVE.value, disabled_reason=reason, updated_at=now)
    )
