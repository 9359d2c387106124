"""The phase machine of a shipment: which appends can happen, and how phases rank.

`next_phase` refuses only what cannot happen (a return before delivery, a forward step
past an outcome, an outcome twice, ...): carriers skip scans, so forward moves may skip
phases, and they report late, so an earlier step after a later one is accepted and placed
by its time. `shipment_status.fold` then derives the status: every event counts for its
flags, and the phase only ever moves forwards by `PHASE_RANK`.
"""

from __future__ import annotations

from collections.abc import Mapping

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
