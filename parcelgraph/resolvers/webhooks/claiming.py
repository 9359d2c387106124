"""Claiming due webhook deliveries with a lease, in one UPDATE, and loading what to send.

On PostgreSQL the candidate rows are picked `FOR UPDATE SKIP LOCKED`, so several worker
processes claim disjoint batches without waiting on each other; SQLite's `BEGIN IMMEDIATE`
makes every claim a single serialized writer. A delivery whose lease expired (its worker
died) is due again. Only deliveries of ACTIVE webhooks are claimed.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import DeliveryStatus, WebhookStatus
from parcelgraph.models import EventEnvelope, Webhook, WebhookDelivery
from parcelgraph.resolvers.webhooks import active_secrets

DELIVERIES = WebhookDelivery.__table__  # type: ignore[attr-defined]
WEBHOOKS = Webhook.__table__  # type: ignore[attr-defined]


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
    claim = _claim_statement(now, limit, now + timedelta(seconds=lease_seconds), worker_id)
    rows = (await session.exec(claim)).all()  # type: ignore[call-overload]
    if not rows:
        return []
    hooks = await _webhooks(session, {r.webhook_id for r in rows})
    bodies = await _bodies(session, {r.event_position for r in rows if r.test_body is None})
    return [_claimed(row, hooks[row.webhook_id], bodies, now) for row in rows]


def _claim_statement(now: datetime, limit: int, until: datetime, worker_id: str) -> Any:
    candidates = (
        select(DELIVERIES.c.id)
        .where(_due(now))
        .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.event_position)
        .limit(limit)
        .with_for_update(skip_locked=True)  # rendered by PostgreSQL only
    )
    return (
        update(DELIVERIES)
        .where(DELIVERIES.c.id.in_(candidates.scalar_subquery()))
        .values(
            status=DeliveryStatus.IN_FLIGHT.value,
            claimed_until=until,
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


def _claimed(row: Any, hook: Webhook, bodies: dict[int, str], now: datetime) -> Claimed:
    body = row.test_body if row.test_body is not None else bodies[row.event_position]
    return Claimed(
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
