"""Recording a batch's delivery attempts and moving each delivery and webhook on.

`record` writes every attempt of a batch and the deliveries' next state in a fixed number
of statements: one INSERT, one executemany UPDATE, and at most four webhook UPDATEs.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.enums import DeliveryStatus, WebhookStatus
from parcelgraph.models import WebhookAttempt
from parcelgraph.resolvers.webhooks.claiming import DELIVERIES, WEBHOOKS, Claimed

ATTEMPTS = WebhookAttempt.__table__  # type: ignore[attr-defined]
ERROR_MAX_CHARS = 1000


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
