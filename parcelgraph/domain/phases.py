"""The phase machine of a shipment: which appends can happen, and the fold.

`next_phase` refuses only what cannot happen (a return before delivery, a forward step
past an outcome, an outcome twice, ...): carriers skip scans, so forward moves may skip
phases, and they report late, so an earlier step after a later one is accepted and placed
by its time. `fold` then derives the status: every event counts for its flags, and the
phase only ever moves forwards by `PHASE_RANK`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import Phase
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.domain.event_groups import DIRECTION_NEUTRAL_GROUPS

P = Phase


class InvalidPhaseTransition(ValueError):
    """The event does not fit the machine from the shipment's current phase."""

    def __init__(self, current: Phase | None, event: str, reason: str = "") -> None:
        where = current.value if current is not None else "a new shipment"
        detail = f": {reason}" if reason else ""
        super().__init__(f"{event} cannot follow {where}{detail}")
        self.current = current
        self.event = event
        self.reason = reason


# Documented moves plus ours. A phase may repeat itself (another hub scan
# is still in transit), except the final outcomes: a parcel is delivered or returned once.
TRANSITIONS: Mapping[Phase | None, frozenset[Phase]] = {
    None: frozenset({P.ORDER_CREATED, P.ORDER_PROCESSED}),
    P.ORDER_CREATED: frozenset({P.ORDER_CREATED, P.ORDER_PROCESSED}),
    P.ORDER_PROCESSED: frozenset({P.ORDER_PROCESSED, P.IN_TRANSIT}),
    P.IN_TRANSIT: frozenset({P.IN_TRANSIT, P.IN_DELIVERY, P.COLLECT, P.RETURNED}),
    P.IN_DELIVERY: frozenset({P.IN_DELIVERY, P.DELIVERED, P.DELIVERY_FAILED}),
    P.COLLECT: frozenset({P.COLLECT, P.DELIVERED, P.RETURNED}),
    P.DELIVERY_FAILED: frozenset({P.DELIVERY_FAILED, P.IN_DELIVERY, P.COLLECT, P.RETURNED}),
    P.DELIVERED: frozenset({P.RETURN_CREATED}),
    P.RETURNED: frozenset(),
    P.RETURN_CREATED: frozenset({P.RETURN_CREATED, P.RETURN_TRANSIT, P.RETURN_FAILED}),
    P.RETURN_TRANSIT: frozenset({P.RETURN_TRANSIT, P.RETURN_RECEIVED, P.RETURN_FAILED}),
    P.RETURN_RECEIVED: frozenset(),
    P.RETURN_FAILED: frozenset(),
}

# Where a shipment stops moving forward: the poller stops asking the carrier here.
FINAL_PHASES: frozenset[Phase] = frozenset(
    {P.DELIVERED, P.RETURNED, P.RETURN_RECEIVED, P.RETURN_FAILED}
)

RETURN_PHASES: frozenset[Phase] = frozenset(
    {P.RETURN_CREATED, P.RETURN_TRANSIT, P.RETURN_RECEIVED, P.RETURN_FAILED}
)

# While the parcel is with a carrier, a delay, damage or carrier switch can be reported.
_FORWARD_IN_FLIGHT: frozenset[Phase] = frozenset(
    {P.ORDER_PROCESSED, P.IN_TRANSIT, P.IN_DELIVERY, P.COLLECT, P.DELIVERY_FAILED}
)
_RETURN_IN_FLIGHT: frozenset[Phase] = frozenset({P.RETURN_CREATED, P.RETURN_TRANSIT})
_ANY_PHASE: frozenset[Phase] = frozenset(Phase)

# Event-specific limits on top of the phase graph. Cancelling is refused once a tracking
# number exists, i.e. anywhere but order_created.
_ONLY_FROM: Mapping[str, frozenset[Phase]] = {
    "ORDER_CANCELLED": frozenset({P.ORDER_CREATED}),
}

# How far along the journey a phase is, for the lenient fold. The fold never lowers the
# rank, so a late scan cannot move a parcel backwards. Why each step is where it is:
# - in_delivery, delivery_failed and collect share a rank: the last mile cycles between
#   them (second attempt, forwarded to a parcel shop), so among them the latest scan wins;
# - returned ranks below delivered: proof of delivery is the strongest fact we hold, and a
#   contradicting "returned" scan is kept but does not undo it (a customer return after
#   delivery goes through the return phases instead);
# - return_received ranks above return_failed for the same reason: a return reported lost
#   that later arrives did arrive.
PHASE_RANK: Mapping[Phase, int] = {
    P.ORDER_CREATED: 0,
    P.ORDER_PROCESSED: 1,
    P.IN_TRANSIT: 2,
    P.IN_DELIVERY: 3,
    P.DELIVERY_FAILED: 3,
    P.COLLECT: 3,
    P.RETURNED: 4,
    P.DELIVERED: 5,
    P.RETURN_CREATED: 6,
    P.RETURN_TRANSIT: 7,
    P.RETURN_FAILED: 8,
    P.RETURN_RECEIVED: 9,
}


def keeps_phase_scope(definition: EventDefinition) -> frozenset[Phase]:
    """The phases in which a phase-keeping event may be appended."""
    if definition.group in DIRECTION_NEUTRAL_GROUPS:
        return _ANY_PHASE
    if definition.phase in RETURN_PHASES:
        return _RETURN_IN_FLIGHT
    return _FORWARD_IN_FLIGHT


def _shipment_definition(current: Phase | None, event_name: str) -> EventDefinition:
    definition = catalogue.get(event_name)
    if definition.phase is None:
        raise InvalidPhaseTransition(current, event_name, "not a shipment event")
    return definition


def next_phase(current: Phase | None, event_name: str) -> Phase:
    """The phase after appending `event_name` to a shipment in `current` (None: new one).

    Carriers skip scans and report late, so the machine refuses only what cannot happen:

    - a forward move may skip phases (in transit, then delivered without an out-for-delivery
      scan);
    - a late report of an earlier step (lower `PHASE_RANK`) is accepted and recorded in its
      place in the timeline; the phase stays where it is (the fold never moves back);
    - refused: a return step before the parcel was delivered, a forward step past a final
      outcome (delivered, returned to sender, return received or failed), a final outcome
      twice, ORDER_CANCELLED once a tracking number exists, a condition event (delay,
      damage) outside the phases it belongs to. Drafts are checked by `allowed_on_draft`.

    Raises `UnknownEventName` for a name outside the catalogue and
    `InvalidPhaseTransition` when the step cannot happen.
    """
    definition = _shipment_definition(current, event_name)
    target = definition.phase
    assert target is not None
    if definition.keeps_phase:
        if current is None or current not in keeps_phase_scope(definition):
            raise InvalidPhaseTransition(current, event_name, "not while in this phase")
        return current
    only_from = _ONLY_FROM.get(event_name)
    if only_from is not None and current not in only_from:
        raise InvalidPhaseTransition(current, event_name, "not allowed in this phase")
    if target in TRANSITIONS[current]:
        return target
    if target in RETURN_PHASES and not (current is P.DELIVERED or current in RETURN_PHASES):
        raise InvalidPhaseTransition(current, event_name, "nothing was delivered to return")
    if current is None:
        return target  # the first scan may come from anywhere along the way
    if PHASE_RANK[target] < PHASE_RANK[current]:
        return current  # a late report: kept in its place, the parcel does not move back
    starts_return = current is P.DELIVERED and target in RETURN_PHASES
    if target == current or (current in FINAL_PHASES and not starts_return):
        raise InvalidPhaseTransition(current, event_name, "the journey has an outcome already")
    return target  # a forward move that skips scans


def can_follow(current: Phase | None, event_name: str) -> bool:
    """True when `next_phase` would accept the event."""
    try:
        next_phase(current, event_name)
    except InvalidPhaseTransition:
        return False
    return True


def allowed_events(current: Phase | None) -> list[EventDefinition]:
    """Every shipment event that may be appended next, in catalogue order."""
    return [
        definition
        for definition in catalogue.all_definitions()
        if definition.phase is not None and can_follow(current, definition.name)
    ]


def allowed_on_draft(event_name: str) -> bool:
    """Drafts (no tracking number yet) only produce pre-transit events."""
    return catalogue.get(event_name).pre_transit


def is_terminal(phase: Phase | None) -> bool:
    """True once the journey has an outcome: the poller stops polling such shipments."""
    return phase in FINAL_PHASES


def rank(phase: Phase) -> int:
    """How far along the journey `phase` is (see PHASE_RANK)."""
    return PHASE_RANK[phase]


def moves_forward(current: Phase | None, target: Phase) -> bool:
    """True when the lenient fold lets a scan of phase `target` replace `current`."""
    return current is None or PHASE_RANK[target] >= PHASE_RANK[current]


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
