"""Estimated arrival: a window (earliest, latest) per shipment, and where it comes from.

Three sources, best first: the carrier's own estimate (CARRIER), this shop's past transit
times for the carrier (SHOP_HISTORY: median and 90th percentile from tracking to delivery),
and fixed defaults (DEFAULT). A history-based window is then revised by what the events
say: out for delivery means today, a failed attempt means the next working day, a reported
delay widens the window, and a window that passed without delivery moves forward. Once the
journey has an outcome the estimate is left as it was, so it can be compared to the fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from parcelgraph.domain.enums import Phase
from parcelgraph.domain.phases import FINAL_PHASES, RETURN_PHASES

# The last mile, in hours after the phase began (ours; typical parcel carrier practice).
OUT_FOR_DELIVERY_HOURS = 12
NEXT_ATTEMPT_EARLIEST_HOURS = 12
NEXT_ATTEMPT_LATEST_HOURS = 72
PICKUP_POINT_HOURS = 24
# The least a window is widened or moved by when the parcel is late or delayed.
MIN_SLACK = timedelta(days=1)


class ArrivalSource(StrEnum):
    """Where an arrival window comes from."""

    CARRIER = "CARRIER"
    SHOP_HISTORY = "SHOP_HISTORY"
    DEFAULT = "DEFAULT"


@dataclass(frozen=True, slots=True)
class ArrivalWindow:
    """When a parcel is expected, and why we think so."""

    earliest: datetime
    latest: datetime
    source: ArrivalSource


@dataclass(frozen=True, slots=True)
class TransitStats:
    """How long parcels of one carrier took from tracking to delivery (median, p90)."""

    median: timedelta
    p90: timedelta
    samples: int


@dataclass(frozen=True, slots=True)
class ArrivalFacts:
    """What the estimate reads about one shipment."""

    shipped_at: datetime
    phase: Phase
    phase_entered_at: datetime | None
    delayed: bool
    now: datetime


def estimate(
    facts: ArrivalFacts,
    *,
    carrier: ArrivalWindow | None,
    history: TransitStats | None,
    default: TransitStats,
) -> ArrivalWindow | None:
    """The window to store, or None to keep the stored one (the journey has ended).

    `history` is used when given (the caller decides whether it has enough samples);
    otherwise `default`. A carrier window wins while it still lies ahead.
    """
    if facts.phase in FINAL_PHASES or facts.phase in RETURN_PHASES:
        return None
    if carrier is not None and carrier.latest >= facts.now:
        return carrier
    stats = history or default
    source = ArrivalSource.SHOP_HISTORY if history else ArrivalSource.DEFAULT
    slack = max(stats.p90 - stats.median, MIN_SLACK)
    earliest = facts.shipped_at + stats.median
    latest = facts.shipped_at + max(stats.p90, stats.median)
    last_mile = _last_mile(facts)
    if last_mile is not None:
        earliest, latest = last_mile
    elif facts.delayed:
        latest += slack
    if latest < facts.now:
        # The window passed without a delivery: the parcel is late, expect it from now on.
        earliest, latest = facts.now, facts.now + slack
    return ArrivalWindow(earliest=earliest, latest=latest, source=source)


def _last_mile(facts: ArrivalFacts) -> tuple[datetime, datetime] | None:
    entered = facts.phase_entered_at
    if entered is None:
        return None
    if facts.phase is Phase.IN_DELIVERY:
        return entered, entered + timedelta(hours=OUT_FOR_DELIVERY_HOURS)
    if facts.phase is Phase.DELIVERY_FAILED:
        return (
            entered + timedelta(hours=NEXT_ATTEMPT_EARLIEST_HOURS),
            entered + timedelta(hours=NEXT_ATTEMPT_LATEST_HOURS),
        )
    if facts.phase is Phase.COLLECT:
        # Waiting at a parcel shop or locker: it has arrived, ready for pick-up.
        return entered, entered + timedelta(hours=PICKUP_POINT_HOURS)
    return None
