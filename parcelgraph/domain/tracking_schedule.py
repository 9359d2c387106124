"""When to ask a carrier about a parcel again, and what its tracking state is after asking.

The interval follows the parcel: often around the last mile (out for delivery, a failed
attempt, waiting at a parcel shop), sparsely while it crosses the country, more sparsely
once it has been quiet for days. After a final phase it is asked a while longer (carriers
add proof of delivery or late scans), then never again. A carrier that keeps saying it does
not know the number is asked less and less often, then not at all. Every interval is
jittered so parcels shipped together do not all come due in the same second.

Pure rules: the poller passes the facts, the clock and the random source.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from parcelgraph.domain import phases
from parcelgraph.domain.enums import Phase


class TrackingState(StrEnum):
    """Whether parcelgraph is following a parcel at its carrier, and if not, why."""

    ACTIVE = "ACTIVE"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    UNKNOWN_CARRIER = "UNKNOWN_CARRIER"
    CARRIER_ERROR = "CARRIER_ERROR"
    NOT_FOUND_AT_CARRIER = "NOT_FOUND_AT_CARRIER"
    STOPPED = "STOPPED"


_LAST_MILE = frozenset({Phase.IN_DELIVERY})
_WAITING = frozenset({Phase.DELIVERY_FAILED, Phase.COLLECT})


@dataclass(frozen=True)
class SchedulePolicy:
    """The intervals (from the settings; see docs/carriers.md for the defaults' reasons)."""

    out_for_delivery: timedelta = timedelta(minutes=20)
    exception: timedelta = timedelta(hours=1)
    pre_transit: timedelta = timedelta(hours=2)
    in_transit: timedelta = timedelta(hours=3)
    quiet: timedelta = timedelta(hours=8)
    quiet_after: timedelta = timedelta(days=5)
    after_final: timedelta = timedelta(hours=6)
    stop_after_final: timedelta = timedelta(hours=48)
    give_up_after: timedelta = timedelta(days=60)
    not_found_first: timedelta = timedelta(minutes=30)
    not_found_limit: int = 6
    error_base: timedelta = timedelta(minutes=1)
    error_cap: timedelta = timedelta(hours=6)
    unconfigured_recheck: timedelta = timedelta(hours=6)
    jitter: float = 0.1


@dataclass(frozen=True)
class Facts:
    """What the poller knows about a parcel when it decides."""

    phase: Phase
    shipped_at: datetime
    last_event_at: datetime | None
    poll_failures: int = 0
    not_found_count: int = 0


@dataclass(frozen=True)
class Decision:
    """The parcel's tracking state and schedule after one check."""

    state: TrackingState
    next_check_at: datetime | None
    error: str | None = None
    poll_failures: int = 0
    not_found_count: int = 0


def jittered(
    interval: timedelta, policy: SchedulePolicy, rng: random.Random, pace: float = 1.0
) -> timedelta:
    """`interval` divided by `pace` (the sandbox runs faster), spread by ± the jitter."""
    spread = rng.uniform(1.0 - policy.jitter, 1.0 + policy.jitter)
    return interval / pace * spread


def interval_for(facts: Facts, now: datetime, policy: SchedulePolicy) -> timedelta | None:
    """How long to wait before the next check of a parcel the carrier answered for (None: stop)."""
    if phases.is_terminal(facts.phase):
        ended = facts.last_event_at or now
        return None if now - ended >= policy.stop_after_final else policy.after_final
    if now - facts.shipped_at >= policy.give_up_after:
        return None
    if facts.phase in _LAST_MILE:
        return policy.out_for_delivery
    if facts.phase in _WAITING:
        return policy.exception
    if facts.phase in (Phase.ORDER_CREATED, Phase.ORDER_PROCESSED):
        return policy.pre_transit
    quiet_since = facts.last_event_at or facts.shipped_at
    return policy.quiet if now - quiet_since >= policy.quiet_after else policy.in_transit


def answered(
    facts: Facts, now: datetime, policy: SchedulePolicy, rng: random.Random, pace: float = 1.0
) -> Decision:
    """The carrier answered with the parcel's history."""
    interval = interval_for(facts, now, policy)
    if interval is None:
        return Decision(TrackingState.STOPPED, None)
    return Decision(TrackingState.ACTIVE, now + jittered(interval, policy, rng, pace))


def not_found(
    facts: Facts,
    now: datetime,
    policy: SchedulePolicy,
    rng: random.Random,
    *,
    carrier: str,
    pace: float = 1.0,
) -> Decision:
    """The carrier does not know the number: wait longer each time, give up at the limit."""
    count = facts.not_found_count + 1
    if count >= policy.not_found_limit:
        message = f"{carrier} did not know this tracking number after {count} checks."
        return Decision(TrackingState.NOT_FOUND_AT_CARRIER, None, message, 0, count)
    wait = jittered(policy.not_found_first * 2 ** (count - 1), policy, rng, pace)
    message = f"{carrier} does not know this tracking number yet (check {count} of "
    message += f"{policy.not_found_limit})."
    return Decision(TrackingState.ACTIVE, now + wait, message, 0, count)


def failed(
    facts: Facts,
    now: datetime,
    policy: SchedulePolicy,
    *,
    message: str,
    retry_after: float | None = None,
) -> Decision:
    """The carrier could not be asked (credentials, outage, rate limit): back off and say so."""
    failures = facts.poll_failures + 1
    if retry_after is not None:
        # A rate limit concerns the account, not this parcel: wait as told, no failure count.
        wait = max(timedelta(seconds=retry_after), timedelta(seconds=1))
        return Decision(TrackingState.ACTIVE, now + wait, message, facts.poll_failures,
                        facts.not_found_count)  # fmt: skip
    wait = min(policy.error_base * 2 ** (failures - 1), policy.error_cap)
    return Decision(TrackingState.CARRIER_ERROR, now + wait, message, failures,
                    facts.not_found_count)  # fmt: skip


def not_polled(
    state: TrackingState, reason: str, now: datetime, policy: SchedulePolicy
) -> Decision:
    """No adapter, no credentials or no carrier: not asked; looked at again now and then,
    so a later settings change is noticed (setting credentials wakes parcels at once)."""
    return Decision(state, now + policy.unconfigured_recheck, reason)
