"""What operators watch in the database: the webhook outbox and the carrier poll schedule.

Read at scrape time by /metrics (a handful of aggregate queries, each over an indexed or
small set of rows), so the figures are the same whichever process is scraped.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import phases
from parcelgraph.models import Shipment, WebhookDelivery

PENDING = "PENDING"
FINAL = sorted(phase.value for phase in phases.FINAL_PHASES)  # no more polls after these


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
    """Per carrier, among shipments still being tracked: the oldest overdue poll (0 when
    none is overdue) and the count whose last poll failed."""
    carrier = func.coalesce(Shipment.carrier_reference, "unknown")
    due_since = func.coalesce(Shipment.next_poll_at, Shipment.created_at)
    overdue = func.min(due_since).filter(due_since <= now)
    failing = func.count().filter(col(Shipment.poll_failures) > 0)
    stmt = (
        select(carrier, overdue, failing)
        .where(col(Shipment.tracking_number).is_not(None), col(Shipment.phase).not_in(FINAL))
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
