"""What operators watch in the database: the webhook outbox and the carrier poll schedule.

Read at scrape time by /metrics (a handful of aggregate queries, each over an indexed or
small set of rows), so the figures are the same whichever process is scraped.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Shipment, WebhookDelivery

PENDING = "PENDING"


@dataclass(frozen=True)
class OutboxStats:
    """Deliveries waiting, and since when the oldest one waits."""

    depth: int
    oldest_created_at: datetime | None


@dataclass(frozen=True)
class CarrierLag:
    """Per carrier: how overdue the most overdue due shipment is, and how many are failing."""

    carrier: str
    lag_seconds: float
    failing: int


async def outbox_stats(session: AsyncSession) -> OutboxStats:
    """Depth and oldest waiting delivery of the webhook outbox."""
    stmt = select(func.count(), func.min(WebhookDelivery.created_at)).where(
        WebhookDelivery.status == PENDING
    )
    depth, oldest = (await session.exec(stmt)).one()  # type: ignore[call-overload]
    return OutboxStats(depth=int(depth), oldest_created_at=oldest)


async def carrier_lag(session: AsyncSession, *, now: datetime) -> list[CarrierLag]:
    """Per carrier, among parcels on the poll schedule (`next_check_at` set): how long the
    most overdue one has been due (0 when none is), and how many failed their last poll."""
    carrier = func.coalesce(Shipment.carrier_reference, "unknown")
    due_at = col(Shipment.next_check_at)
    overdue = func.min(due_at).filter(due_at <= now)
    failing = func.count().filter(col(Shipment.poll_failures) > 0)
    stmt = (
        select(carrier, overdue, failing)
        .where(due_at.is_not(None))
        .group_by(carrier)
        .order_by(carrier)
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    return [
        CarrierLag(
            carrier=name,
            lag_seconds=max((now - oldest).total_seconds(), 0.0) if oldest else 0.0,
            failing=int(count),
        )
        for name, oldest, count in rows
    ]
