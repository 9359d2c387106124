"""Aggregations over one shop's orders placed in a period, computed in SQL (GROUP BY).

The cohort is always "orders placed in [placed_from, placed_to)", and everything else
(shipments, events, claims) is counted for those orders, so the numbers of one report
describe the same set of orders. Each function is one statement whatever the data size.

The cohort is `period.Period`; carrier performance and its transit-time percentiles are
in `carriers`. Both are offered here, the area's one public face.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim, Order, OrderAnalytics, Shipment
from parcelgraph.resolvers.analytics.carriers import (
    CarrierPerformance,
    Percentiles,
    carrier_performance,
)
from parcelgraph.resolvers.analytics.period import Period

__all__ = [
    "ATTRIBUTION_DIMENSIONS",
    "CarrierPerformance",
    "CountGroup",
    "OrderGroup",
    "Percentiles",
    "Period",
    "carrier_performance",
    "claims_by_reason",
    "fulfilled_shipment_count",
    "orders_by_attribution",
    "orders_by_state",
    "shipments_by",
]

ATTRIBUTION_DIMENSIONS = ("source", "medium", "campaign")


@dataclass(frozen=True)
class OrderGroup:
    """Orders and revenue (sum of totalOrderPrice, exact) of one group."""

    key: tuple[str | None, ...]
    order_count: int
    revenue: Decimal


@dataclass(frozen=True)
class CountGroup:
    """How many of something fall in one group."""

    key: str | None
    count: int


def _money(value: Any) -> Decimal:
    # Sums come back through the Money type (integer 1/10,000 units -> exact Decimal); an
    # empty group's NULL sum is zero.
    return value if value is not None else Decimal("0.0000")


async def orders_by_state(session: AsyncSession, period: Period) -> list[OrderGroup]:
    """Order count and revenue per order state."""
    stmt = (
        select(Order.state, func.count(Order.id), func.sum(Order.total_order_price))
        .where(*period.conditions())
        .group_by(Order.state)
        .order_by(Order.state)
    )
    rows = (await session.exec(stmt)).all()
    return [OrderGroup((state,), count, _money(total)) for state, count, total in rows]


async def orders_by_attribution(
    session: AsyncSession, period: Period, dimensions: Sequence[str]
) -> list[OrderGroup]:
    """Order count and revenue per combination of attribution `dimensions` (source, medium,
    campaign); orders without attribution fall in the group of nulls."""
    columns = [getattr(OrderAnalytics, d) for d in dimensions]
    stmt = (
        select(*columns, func.count(Order.id), func.sum(Order.total_order_price))
        .select_from(Order)
        .outerjoin(OrderAnalytics, OrderAnalytics.order_id == Order.id)  # type: ignore[arg-type]
        .where(*period.conditions())
        .group_by(*columns)
        .order_by(func.count(Order.id).desc(), *(c.asc().nulls_last() for c in columns))
    )
    rows = (await session.exec(stmt)).all()  # type: ignore[call-overload]
    width = len(columns)
    return [OrderGroup(tuple(r[:width]), r[width], _money(r[width + 1])) for r in rows]


async def shipments_by(session: AsyncSession, period: Period, column: str) -> list[CountGroup]:
    """Shipment count per `phase` or per `carrier_reference` (drafts included)."""
    key = getattr(Shipment, column)
    stmt = (
        select(key, func.count(Shipment.id))
        .join(Order, Order.id == Shipment.order_id)  # type: ignore[arg-type]
        .where(*period.conditions())
        .group_by(key)
        .order_by(func.count(Shipment.id).desc(), key.asc().nulls_last())
    )
    return [CountGroup(k, n) for k, n in (await session.exec(stmt)).all()]


async def claims_by_reason(session: AsyncSession, period: Period) -> list[CountGroup]:
    """Claim count per reason."""
    stmt = (
        select(Claim.reason, func.count(Claim.id))
        .join(Order, Order.id == Claim.order_id)  # type: ignore[arg-type]
        .where(*period.conditions())
        .group_by(Claim.reason)
        .order_by(func.count(Claim.id).desc(), Claim.reason)
    )
    return [CountGroup(k, n) for k, n in (await session.exec(stmt)).all()]


async def fulfilled_shipment_count(session: AsyncSession, period: Period) -> int:
    """Shipments with a tracking number (the denominator of claim rates)."""
    stmt = (
        select(func.count(Shipment.id))
        .join(Order, Order.id == Shipment.order_id)  # type: ignore[arg-type]
        .where(*period.conditions(), Shipment.tracking_number.is_not(None))  # type: ignore[union-attr]
    )
    return int((await session.exec(stmt)).one())
