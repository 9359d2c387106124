"""Carrier performance: per carrier, fulfilled shipments, failures, claims, transit times.

Percentiles are linear-interpolated like PostgreSQL's percentile_cont, computed portably:
ROW_NUMBER() and COUNT() windows pick the two ranks around the wanted fraction, and only
those two values per group come back to Python to be interpolated.
"""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Float, case, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Phase
from parcelgraph.models import Claim, Event, Order, Shipment
from parcelgraph.resolvers.analytics.period import Period

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


@dataclass(frozen=True)
class Percentiles:
    """Median and 90th percentile of a duration in seconds, over `count` values."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class CarrierPerformance:
    """One carrier's fulfilled shipments, failures, claims and transit times."""

    carrier: str | None
    shipments: int
    failed_delivery_shipments: int
    claims: int
    to_first_transit: Percentiles
    transit_to_delivery: Percentiles


class Seconds(FunctionElement[float]):
    """`later - earlier` in seconds, rounded to whole seconds, on any supported database."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(Seconds)
def _seconds_default(element: Seconds, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"ROUND(EXTRACT(EPOCH FROM ({later} - {earlier})))"


@compiles(Seconds, "sqlite")
def _seconds_sqlite(element: Seconds, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"ROUND((julianday({later}) - julianday({earlier})) * 86400.0)"


def _first_event(period: Period, phase: Phase, label: str) -> Any:
    """Per shipment, when its first event of `phase` happened (a subquery)."""
    return (
        select(Event.shipment_id, func.min(Event.occurred_at).label(label))
        .where(Event.shop_id == period.shop_id, Event.phase == phase.value)
        .group_by(Event.shipment_id)
        .subquery()
    )


def _failed_shipments(period: Period) -> Any:
    # The catalogue decides what a failed delivery attempt is, not a list kept here.
    names = [d.name for d in catalogue.all_definitions() if d.failed_attempt]
    return (
        select(Event.shipment_id)
        .where(Event.shop_id == period.shop_id, Event.event_name.in_(names))  # type: ignore[attr-defined]
        .distinct()
        .subquery()
    )


async def carrier_performance(session: AsyncSession, period: Period) -> list[CarrierPerformance]:
    """Per carrier of fulfilled shipments: counts, failed deliveries, claims, and transit
    percentiles (placed -> first in_transit, first in_transit -> first delivered)."""
    durations = _durations(period)
    counts = await _carrier_counts(session, period)
    to_transit = await _percentiles(session, durations, durations.c.to_transit)
    to_delivery = await _percentiles(session, durations, durations.c.to_delivery)
    empty = Percentiles(0, None, None)
    return [
        CarrierPerformance(
            carrier=carrier,
            shipments=shipments,
            failed_delivery_shipments=failed,
            claims=claims,
            to_first_transit=to_transit.get(carrier, empty),
            transit_to_delivery=to_delivery.get(carrier, empty),
        )
        for carrier, shipments, failed, claims in counts
    ]


def _durations(period: Period) -> Any:
    transit = _first_event(period, Phase.IN_TRANSIT, "transit_at")
    delivered = _first_event(period, Phase.DELIVERED, "delivered_at")
    return (
        select(
            Shipment.carrier_reference.label("carrier"),  # type: ignore[union-attr]
            Seconds(transit.c.transit_at, Order.order_placed_at).label("to_transit"),
            Seconds(delivered.c.delivered_at, transit.c.transit_at).label("to_delivery"),
        )
        .join(Order, Order.id == Shipment.order_id)  # type: ignore[arg-type]
        .join(transit, transit.c.shipment_id == Shipment.id)
        .outerjoin(delivered, delivered.c.shipment_id == Shipment.id)
        .where(*period.conditions(), Shipment.tracking_number.is_not(None))  # type: ignore[union-attr]
        .subquery()
    )


async def _carrier_counts(session: AsyncSession, period: Period) -> list[Any]:
    failed = _failed_shipments(period)
    claims = (
        select(Claim.shipment_id, func.count(Claim.id).label("claims"))
        .where(Claim.shop_id == period.shop_id)
        .group_by(Claim.shipment_id)
        .subquery()
    )
    stmt = (
        select(
            Shipment.carrier_reference,
            func.count(Shipment.id),
            func.count(failed.c.shipment_id),
            func.coalesce(func.sum(claims.c.claims), 0),
        )
        .join(Order, Order.id == Shipment.order_id)  # type: ignore[arg-type]
        .outerjoin(failed, failed.c.shipment_id == Shipment.id)
        .outerjoin(claims, claims.c.shipment_id == Shipment.id)
        .where(*period.conditions(), Shipment.tracking_number.is_not(None))  # type: ignore[union-attr]
        .group_by(Shipment.carrier_reference)
        .order_by(func.count(Shipment.id).desc(), Shipment.carrier_reference.asc().nulls_last())
    )
    return [
        tuple(int(v) if i else v for i, v in enumerate(r)) for r in (await session.exec(stmt)).all()
    ]  # type: ignore[call-overload]


async def _percentiles(
    session: AsyncSession, durations: Any, value: ColumnElement[Any]
) -> dict[str | None, Percentiles]:
    """Median and p90 of `value` per carrier, in one statement."""
    carrier = durations.c.carrier
    ranked = (
        select(
            carrier.label("carrier"),
            value.label("value"),
            func.row_number().over(partition_by=carrier, order_by=value).label("rn"),
            func.count(literal_column("1")).over(partition_by=carrier).label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    picks = []
    for fraction in (MEDIAN, P90):
        low_rank = 1 + (ranked.c.n - 1) * fraction.numerator // fraction.denominator
        for rank in (low_rank, low_rank + 1):
            picks.append(func.max(case((ranked.c.rn == rank, ranked.c.value))))
    stmt = select(ranked.c.carrier, ranked.c.n, *picks).group_by(ranked.c.carrier, ranked.c.n)
    found: dict[str | None, Percentiles] = {}
    for row in (await session.exec(stmt)).all():  # type: ignore[call-overload]
        name, n, median_lo, median_hi, p90_lo, p90_hi = row
        found[name] = Percentiles(
            count=int(n),
            median=_interpolate(int(n), MEDIAN, median_lo, median_hi),
            p90=_interpolate(int(n), P90, p90_lo, p90_hi),
        )
    return found


def _interpolate(n: int, fraction: Fraction, low: Any, high: Any) -> float | None:
    """percentile_cont: the value at rank 1 + f*(n-1), between its two neighbours."""
    if low is None:
        return None
    weight = (fraction * (n - 1)) % 1
    if weight == 0 or high is None:
        return float(low)
    return float(low) + float(weight) * (float(high) - float(low))
