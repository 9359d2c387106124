"""Idempotency keys for single-order mutations: a retried request replays the first answer.

The same key with the same input within the retention window (24 h) returns the first
result without writing again; the same key with a different input is refused
(IDEMPOTENCY_KEY_REUSED). Only successful results are remembered: a refused request wrote
nothing, so retrying it with the same key simply runs it again. Callers hold the shop's
write lock (order_store.lock_shop), so two requests with one key never both run.
"""

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain.errors import Rejected
from parcelgraph.models import IdempotencyRecord

RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 200


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(warnings=False)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def request_hash(payload: Any) -> str:
    """A stable digest of a use case's input (models, dataclasses, lists, decimals, datetimes)."""
    if dataclasses.is_dataclass(payload) and not isinstance(payload, type):
        payload = dataclasses.asdict(payload)
    text = json.dumps(payload, sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def run_once(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    operation: str,
    key: str | None,
    payload: Any,
    now: datetime,
    work: Callable[[], Awaitable[dict[str, Any]]],
) -> tuple[dict[str, Any], bool]:
    """Run `work` once per (operation, key): returns its result and whether it was replayed."""
    if key is None:
        return await work(), False
    _check_key(key)
    digest = request_hash({"operation": operation, "input": payload})
    record = await _live_record(session, shop_id, operation, key, now)
    if record is not None:
        if record.request_hash != digest:
            raise Rejected.one(
                "IDEMPOTENCY_KEY_REUSED",
                "This idempotency key was used with a different input in the last 24 hours.",
                "idempotencyKey",
            )
        return dict(record.result), True
    result = await work()
    session.add(
        IdempotencyRecord(
            shop_id=shop_id,
            operation=operation,
            key=key,
            request_hash=digest,
            result=result,
            created_at=now,
            expires_at=now + RETENTION,
        )
    )
    await session.flush()
    return result, False


def _check_key(key: str) -> None:
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Rejected.one(
            "INVALID_INPUT",
            f"An idempotency key has 1 to {MAX_KEY_LENGTH} characters.",
            "idempotencyKey",
        )


async def _live_record(
    session: AsyncSession, shop_id: uuid.UUID, operation: str, key: str, now: datetime
) -> IdempotencyRecord | None:
    """The key's record while it is retained; an expired one is deleted to make room."""
    stmt = select(IdempotencyRecord).where(
        IdempotencyRecord.shop_id == shop_id,
        IdempotencyRecord.operation == operation,
        IdempotencyRecord.key == key,
    )
    record = (await session.exec(stmt)).first()
    if record is None or record.expires_at > now:
        return record
    await session.exec(delete(IdempotencyRecord).where(IdempotencyRecord.id == record.id))  # type: ignore[call-overload, arg-type]
    session.expunge(record)
    return None
