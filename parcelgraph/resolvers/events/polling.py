"""The carrier poller's reads and leases: which shipments are due, and loading them to record.

The poller (parcelgraph/tracking/poller.py) talks to carriers; the SQL that picks and locks
its work lives here, beside the other use cases, as the webhook worker's does in outbox.py.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import phases
from parcelgraph.models import Shipment, Shop

FINAL = sorted(phase.value for phase in phases.FINAL_PHASES)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta
) -> list[Shipment]:
    """Lease up to `limit` shipments that are due for a poll; the caller commits.

    Due: a tracking number, not in a final phase, `next_poll_at` empty or past. The lease
    (`next_poll_at` moved `lease` ahead) keeps other pollers away while carriers are asked;
    PostgreSQL skips rows another poller has locked, SQLite has one writer anyway.
    """
    stmt = (
        select(Shipment)
        .where(
            Shipment.tracking_number.is_not(None),  # type: ignore[union-attr]
            Shipment.phase.not_in(FINAL),  # type: ignore[attr-defined]
            or_(Shipment.next_poll_at.is_(None), Shipment.next_poll_at <= now),  # type: ignore[union-attr,operator]
        )
        .order_by(func.coalesce(Shipment.next_poll_at, Shipment.created_at), Shipment.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.exec(stmt)).all())
    if rows:
        await session.exec(  # type: ignore[call-overload]
            update(Shipment)
            .where(Shipment.id.in_([r.id for r in rows]))  # type: ignore[attr-defined]
            .values(next_poll_at=now + lease)
            .execution_options(synchronize_session=False)
        )
    return rows


async def load_for_recording(
    session: AsyncSession, *, shop_id: uuid.UUID, shipment_ids: list[uuid.UUID]
) -> tuple[Shop, dict[uuid.UUID, Shipment]]:
    """The shop and its polled shipments, locked for the transaction that records answers."""
    shop = (await session.exec(select(Shop).where(Shop.id == shop_id))).one()
    stmt = select(Shipment).where(Shipment.id.in_(shipment_ids)).with_for_update()  # type: ignore[attr-defined]
    return shop, {s.id: s for s in (await session.exec(stmt)).all()}
