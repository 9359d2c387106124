"""What a shipment's events say about it: the lenient fold into a `ShipmentStatus`.

Carriers report late and out of order, so `fold` applies events by `occurred_at`: every
event counts for its flags (attempts, damage), and the phase only ever moves forwards by
`phases.PHASE_RANK`. Which appends may happen at all is `phases.next_phase`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Phase
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.domain.phases import RETURN_PHASES, is_terminal, moves_forward

P = Phase


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return moment


def is_quiet(last_event_at: datetime | None, *, now: datetime, quiet_for: timedelta) -> bool:
    """True when no event arrived for `quiet_for` (the NOT_RECEIVED claim rule).

    With no event at all the caller compares against the tracking's placement time instead.
    """
    if last_event_at is None:
        return False
    return _require_aware(now) - _require_aware(last_event_at) >= quiet_for


class FoldableEvent(Protocol):
    """What the fold reads from a stored event (a table row or a `ScanEvent`)."""

    @property
    def event_name(self) -> str: ...

    @property
    def occurred_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """A minimal event for callers that hold no table row (the normalizer, tests)."""

    event_name: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class ShipmentStatus:
    """What a shipment's events say about it, derived by `fold`.

    `delayed` is the current state: set by a delay event, cleared once the parcel moves on
    to another phase (or reaches a final one). `damaged` stays set once reported.
    `out_of_order` counts events kept without effect on the phase because it was already
    further along.
    """

    phase: Phase | None = None
    phase_entered_at: datetime | None = None
    delayed: bool = False
    damaged: bool = False
    cancelled: bool = False
    failed_attempts: int = 0
    delivered_at: datetime | None = None
    returned_at: datetime | None = None
    last_event_at: datetime | None = None
    last_event_name: str | None = None
    event_count: int = 0
    unmapped_count: int = 0
    out_of_order: int = 0


def fold(events: Iterable[FoldableEvent]) -> ShipmentStatus:
    """The status of a shipment from all its events, whatever order they arrived in.

    Events are applied by `occurred_at`; ties keep the given order, so pass them in the
    order they were recorded. Claim events are ignored.
    """
    ordered = sorted(events, key=lambda event: _require_aware(event.occurred_at))
    status = ShipmentStatus()
    for event in ordered:
        status = apply(status, event.event_name, event.occurred_at)
    return status


def apply(status: ShipmentStatus, event_name: str, occurred_at: datetime) -> ShipmentStatus:
    """One lenient step of the fold: record the event, move the phase only forwards."""
    definition = catalogue.get(event_name)
    if definition.phase is None:
        return status
    status = _record(status, definition, occurred_at)
    if definition.keeps_phase:
        return _flag_condition(status, definition)
    if not moves_forward(status.phase, definition.phase):
        return replace(status, out_of_order=status.out_of_order + 1)
    return _enter(status, definition, occurred_at)


def _record(
    status: ShipmentStatus, definition: EventDefinition, occurred_at: datetime
) -> ShipmentStatus:
    # Facts hold whatever the phase: a late "attempt failed" scan still was an attempt.
    return replace(
        status,
        event_count=status.event_count + 1,
        last_event_at=occurred_at,
        last_event_name=definition.name,
        failed_attempts=status.failed_attempts + definition.failed_attempt,
        damaged=status.damaged or definition.damaged,
        unmapped_count=status.unmapped_count + (definition.name == catalogue.UNMAPPED),
    )


def _flag_condition(status: ShipmentStatus, definition: EventDefinition) -> ShipmentStatus:
    # A delay reported after the journey ended (a late scan) does not make it late again.
    if definition.delayed and not is_terminal(status.phase):
        return replace(status, delayed=True)
    return status


def _enter(
    status: ShipmentStatus, definition: EventDefinition, occurred_at: datetime
) -> ShipmentStatus:
    target = definition.phase
    assert target is not None
    changed = target != status.phase
    return replace(
        status,
        phase=target,
        phase_entered_at=occurred_at if changed else status.phase_entered_at,
        delayed=status.delayed and not changed,
        cancelled=status.cancelled or definition.name == "ORDER_CANCELLED",
        delivered_at=status.delivered_at or (occurred_at if target is P.DELIVERED else None),
        returned_at=status.returned_at or (occurred_at if target is P.RETURNED else None),
    )


def was_delivered_or_picked_up(status: ShipmentStatus) -> bool:
    """True once the recipient had the parcel (damage, missing-item and return claims need it).

    Return phases count too: a return is only started for a parcel the customer received.
    """
    return status.delivered_at is not None or status.phase in RETURN_PHASES


def delivery_failed(status: ShipmentStatus) -> bool:
    """True when delivery failed at least once or the parcel went back (NOT_RECEIVED)."""
    return status.phase in (P.DELIVERY_FAILED, P.RETURNED) or status.failed_attempts > 0
