"""Arrival windows for shipments: the shop's transit-time history in SQL, then the estimate.

`transit_stats` computes, per carrier, the median and 90th percentile of the time from
tracking to delivery over this shop's delivered parcels, in one SELECT whatever the number
of carriers or parcels (nearest-rank percentiles over a window function, which SQLite and
PostgreSQL both run). `start` gives a shipment its first window when its tracking number
is attached; `revise` rewrites the window on the shipment row as carrier events arrive.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, cast, extract, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.config import Settings
from parcelgraph.domain.arrival import (
    ArrivalFacts,
    ArrivalSource,
    ArrivalWindow,
    TransitStats,
    estimate,
)
from parcelgraph.domain.enums import Phase
from parcelgraph.domain.shipment_status import ShipmentStatus
from parcelgraph.models import Shipment


@dataclass(frozen=True, slots=True)
class ArrivalPolicy:
    """How estimates are made: how much history counts, and the fallback window."""

    min_samples: int = 5
    history_days: int = 180
    default: TransitStats = field(
        default_factory=lambda: TransitStats(timedelta(days=2), timedelta(days=5), samples=0)
    )

    @classmethod
    def build(
        cls,
        *,
        min_samples: int,
        history_days: int,
        default_min_days: float,
        default_max_days: float,
    ) -> "ArrivalPolicy":
        """A policy from plain settings values."""
        default = TransitStats(
            median=timedelta(days=default_min_days), p90=timedelta(days=default_max_days), samples=0
        )
        return cls(min_samples=min_samples, history_days=history_days, default=default)

    @classmethod
    def from_settings(cls, settings: Settings) -> "ArrivalPolicy":
        """The policy configured in the settings (eta_* fields)."""
        return cls.build(
            min_samples=settings.eta_history_min_samples,
            history_days=settings.eta_history_days,
            default_min_days=settings.eta_default_min_days,
            default_max_days=settings.eta_default_max_days,
        )


def _seconds_between(session: AsyncSession, start: object, end: object) -> object:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)  # type: ignore[operator]


async def transit_stats(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    carriers: Sequence[str],
    since: datetime,
) -> dict[str, TransitStats]:
    """Median and p90 transit time per carrier, from parcels delivered after `since`."""
    if not carriers:
        return {}
    ranked = _ranked_durations(session, shop_id, carriers, since)
    # Nearest rank: the p-th percentile of n values is the ceil(p * n / 100)-th smallest;
    # (n * p + 99) / 100 is that ceiling in integer arithmetic on both databases.
    median_rank = (ranked.c.samples * 50 + 99) // 100
    p90_rank = (ranked.c.samples * 90 + 99) // 100
    stmt = select(
        ranked.c.carrier_reference,
        ranked.c.seconds,
        ranked.c.samples,
        (ranked.c.rank == median_rank).label("is_median"),
        (ranked.c.rank == p90_rank).label("is_p90"),
    ).where((ranked.c.rank == median_rank) | (ranked.c.rank == p90_rank))
    return _stats((await session.exec(stmt)).all())  # type: ignore[call-overload]


def _ranked_durations(
    session: AsyncSession, shop_id: uuid.UUID, carriers: Sequence[str], since: datetime
) -> Any:
    """Per delivered parcel: its carrier, transit seconds, rank among its carrier's, count."""
    seconds = cast(
        _seconds_between(session, Shipment.tracking_placed_at, Shipment.delivered_at), Float
    ).label("seconds")
    durations = (
        select(Shipment.carrier_reference, seconds)
        .where(
            Shipment.shop_id == shop_id,
            Shipment.carrier_reference.in_(list(set(carriers))),  # type: ignore[union-attr]
            Shipment.delivered_at.is_not(None),  # type: ignore[union-attr]
            Shipment.tracking_placed_at.is_not(None),  # type: ignore[union-attr]
            Shipment.delivered_at >= since,  # type: ignore[operator]
        )
        .subquery()
    )
    carrier = durations.c.carrier_reference
    return select(
        carrier,
        durations.c.seconds,
        func.row_number().over(partition_by=carrier, order_by=durations.c.seconds).label("rank"),
        func.count().over(partition_by=carrier).label("samples"),
    ).subquery()


def _stats(rows: Iterable[Any]) -> dict[str, TransitStats]:
    found: dict[str, dict[str, float | int]] = {}
    for carrier, value, samples, is_median, is_p90 in rows:
        entry = found.setdefault(carrier, {"samples": int(samples)})
        if is_median:
            entry["median"] = float(value)
        if is_p90:
            entry["p90"] = float(value)
    return {
        carrier: TransitStats(
            median=timedelta(seconds=entry["median"]),
            p90=timedelta(seconds=entry["p90"]),
            samples=int(entry["samples"]),
        )
        for carrier, entry in found.items()
    }


async def history_for(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    shipments: Sequence[Shipment],
    policy: ArrivalPolicy,
    now: datetime,
) -> dict[str, TransitStats]:
    """The usable history (enough samples) for the carriers of `shipments`."""
    carriers = [s.carrier_reference for s in shipments if s.carrier_reference]
    return await history_of_carriers(
        session, shop_id=shop_id, carriers=carriers, policy=policy, now=now
    )


async def history_of_carriers(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    carriers: Iterable[str],
    policy: ArrivalPolicy,
    now: datetime,
) -> dict[str, TransitStats]:
    """The usable history (enough samples) of `carriers`: one SELECT, none without carriers."""
    stats = await transit_stats(
        session,
        shop_id=shop_id,
        carriers=sorted(set(carriers)),
        since=now - timedelta(days=policy.history_days),
    )
    return {c: s for c, s in stats.items() if s.samples >= policy.min_samples}


async def start(
    session: AsyncSession,
    *,
    shop_id: uuid.UUID,
    rows: Sequence[dict[str, Any]],
    policy: ArrivalPolicy,
    now: datetime,
) -> None:
    """Give shipments that just got their tracking number a first window, in place.

    `rows` are shipment column dicts (the order use cases' working rows). One history
    query serves every carrier of the batch; SHOP_HISTORY where the shop has enough
    deliveries of that carrier, else DEFAULT. Carrier events revise it later (`revise`).
    """
    if not rows:
        return
    history = await history_of_carriers(
        session,
        shop_id=shop_id,
        carriers=[r["carrier_reference"] for r in rows if r["carrier_reference"]],
        policy=policy,
        now=now,
    )
    for row in rows:
        facts = ArrivalFacts(
            shipped_at=row["tracking_placed_at"] or row["created_at"],
            phase=Phase(row["phase"]),
            phase_entered_at=None,
            delayed=row["delayed"],
            now=now,
        )
        stats = history.get(row["carrier_reference"] or "")
        window = estimate(facts, carrier=None, history=stats, default=policy.default)
        if window is not None:
            row["estimated_arrival_earliest"] = window.earliest
            row["estimated_arrival_latest"] = window.latest
            row["estimated_arrival_source"] = window.source.value


def revise(
    shipment: Shipment,
    *,
    status: ShipmentStatus | None,
    history: dict[str, TransitStats],
    policy: ArrivalPolicy,
    now: datetime,
    carrier_window: tuple[datetime, datetime] | None = None,
) -> ArrivalWindow | None:
    """Recompute the shipment's window in place; returns it (None: left unchanged)."""
    if shipment.tracking_number is None:
        return None
    carrier = None
    if carrier_window is not None:
        carrier = ArrivalWindow(carrier_window[0], carrier_window[1], ArrivalSource.CARRIER)
    elif shipment.estimated_arrival_source == ArrivalSource.CARRIER.value and (
        shipment.estimated_arrival_earliest and shipment.estimated_arrival_latest
    ):
        carrier = ArrivalWindow(
            shipment.estimated_arrival_earliest,
            shipment.estimated_arrival_latest,
            ArrivalSource.CARRIER,
        )
    facts = ArrivalFacts(
        shipped_at=shipment.tracking_placed_at or shipment.created_at,
        phase=Phase(shipment.phase),
        phase_entered_at=status.phase_entered_at if status else None,
        delayed=shipment.delayed,
        now=now,
    )
    stats = history.get(shipment.carrier_reference or "")
    window = estimate(facts, carrier=carrier, history=stats, default=policy.default)
    if window is not None:
        shipment.estimated_arrival_earliest = window.earliest
        shipment.estimated_arrival_latest = window.latest
        shipment.estimated_arrival_source = window.source.value
    return window
