"""The carrier poller's SQL: claim due parcels, write their schedule, load them to record.

The schedule lives in `shipments.next_check_at` (indexed; NULL: not polled). A tick costs
the same few statements whatever the number of parcels: one SELECT of the due rows (FOR
UPDATE SKIP LOCKED on PostgreSQL, so several pollers never take the same parcel; SQLite
has one writer), one UPDATE leasing them, and after the carriers answered one executemany
UPDATE of every parcel's state and next check. Only parcels whose carrier history changed
go through the recording path (the same as the API's), per shop.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Order, Shipment, Shop


@dataclass(frozen=True)
class Due:
    """A claimed parcel: what the poller needs to route it and ask its carrier."""

    id: uuid.UUID
    shop_id: uuid.UUID
    sandbox_shop: bool
    tracking_number: str
    carrier_reference: str | None
    direction: str
    phase: str
    shipped_at: datetime
    last_event_at: datetime | None
    poll_failures: int
    not_found_count: int
    tracking_digest: str | None
    destination_country: str | None


@dataclass(frozen=True)
class Schedule:
    """A parcel's tracking state and next check, as the poller decided."""

    id: uuid.UUID
    state: str
    error: str | None
    next_check_at: datetime | None
    poll_failures: int
    not_found_count: int
    digest: str | None


_COLUMNS = (
    Shipment.id,
    Shipment.shop_id,
    Shop.sandbox,
    Shipment.tracking_number,
    Shipment.carrier_reference,
    Shipment.direction,
    Shipment.phase,
    Shipment.created_at,
    Shipment.tracking_placed_at,
    Shipment.last_event_at,
    Shipment.poll_failures,
    Shipment.not_found_count,
    Shipment.tracking_digest,
    Order.address,
)


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta
) -> list[Due]:
    """Lease up to `limit` parcels whose check is due, oldest due first; the caller commits.

    The lease (`next_check_at` moved `lease` ahead) keeps other pollers away while the
    carriers are asked, and brings the parcel back if this poller dies meanwhile.
    """
    stmt = (
        select(*_COLUMNS)
        .join(Shop, Shop.id == Shipment.shop_id)
        .join(Order, Order.id == Shipment.order_id)
        .where(Shipment.next_check_at <= now)  # type: ignore[operator]
        .order_by(Shipment.next_check_at)  # type: ignore[arg-type]
        .limit(limit)
        .with_for_update(of=Shipment, skip_locked=True)  # type: ignore[arg-type]
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    if not rows:
        return []
    ids = [row[0] for row in rows]
    await session.exec(  # type: ignore[call-overload]
        update(Shipment)
        .where(Shipment.id.in_(ids))  # type: ignore[attr-defined]
        .values(next_check_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return [_due(row) for row in rows]


def _due(row: Sequence) -> Due:  # type: ignore[type-arg]
    (id_, shop_id, sandbox, number, carrier, direction, phase, created, placed, last,
     failures, not_found, digest, address) = row  # fmt: skip
    # The journey starts when the parcel was handed over, or when we learned of it.
    shipped = max(created, placed or created)
    country = (address or {}).get("country_code") if isinstance(address, dict) else None
    return Due(id_, shop_id, bool(sandbox), number or "", carrier, direction, phase, shipped,
               last, failures, not_found, digest, country)  # fmt: skip


async def write_schedules(
    session: AsyncSession, *, schedules: Sequence[Schedule], now: datetime
) -> None:
    """Every decided parcel's state and next check, in one executemany UPDATE."""
    if not schedules:
        return
    table = Shipment.__table__  # type: ignore[attr-defined]
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            tracking_state=bindparam("b_state"),
            tracking_error=bindparam("b_error"),
            next_check_at=bindparam("b_next"),
            poll_failures=bindparam("b_failures"),
            not_found_count=bindparam("b_not_found"),
            tracking_digest=bindparam("b_digest"),
            last_checked_at=now,
        )
    )
    params = [
        {"b_id": s.id, "b_state": s.state, "b_error": s.error, "b_next": s.next_check_at,
         "b_failures": s.poll_failures, "b_not_found": s.not_found_count, "b_digest": s.digest}
        for s in schedules
    ]  # fmt: skip
    await session.exec(stmt, params=params)  # type: ignore[call-overload]


async def load_for_recording(
    session: AsyncSession, *, shop_id: uuid.UUID, shipment_ids: list[uuid.UUID]
) -> tuple[Shop, dict[uuid.UUID, Shipment]]:
    """The shop and its polled shipments, locked for the transaction that records answers."""
    shop = (await session.exec(select(Shop).where(Shop.id == shop_id))).one()
    stmt = select(Shipment).where(Shipment.id.in_(shipment_ids)).with_for_update()  # type: ignore[attr-defined]
    return shop, {s.id: s for s in (await session.exec(stmt)).all()}


async def load_by_tracking_numbers(
    session: AsyncSession, *, shop_id: uuid.UUID, numbers: Sequence[str]
) -> tuple[Shop, list[Shipment]]:
    """The shop and its tracked shipments with these numbers (a carrier push), locked."""
    shop = (await session.exec(select(Shop).where(Shop.id == shop_id))).one()
    if not numbers:
        return shop, []
    stmt = (
        select(Shipment)
        .where(Shipment.shop_id == shop_id, Shipment.tracking_number.in_(list(numbers)))  # type: ignore[union-attr]
        .with_for_update()
    )
    return shop, list((await session.exec(stmt)).all())
