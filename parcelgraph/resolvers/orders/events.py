"""Events the order use cases record, built from the catalogue (never hard-coded refs).

`record` moves an in-memory shipment row through the phase machine and returns the event
to append; `note` is the event for a change that carries no parcel news (address, expected
packages, attribution, a shipment's URL or contents). All of them go through
`event_log.append` in the use case's transaction.
"""

import uuid
from datetime import datetime
from typing import Any

from parcelgraph.domain import catalogue, phases
from parcelgraph.domain.enums import Direction, EventSource, Phase
from parcelgraph.resolvers.common.event_log import NewEvent

# Placement: one per draft ("expected package n of m").
PLACED = "ORDER_CREATED"
# A tracking number was attached: the packed parcel waits for the carrier (order_processed).
FULFILLED = "ORDER_FULFILLED"
# Cancelled before anything shipped: one per draft.
CANCELLED = "ORDER_CANCELLED"
# A merchant-side change that carries no parcel news (phase kept, allowed in any phase).
NOTE = "INTERNAL_TRIGGER"


def _event(
    name: str,
    *,
    order_id: uuid.UUID,
    direction: str | None,
    occurred_at: datetime,
    shipment_id: uuid.UUID | None,
    data: dict[str, Any],
) -> NewEvent:
    definition = catalogue.get(name)
    group = catalogue.group_for(definition, Direction(direction) if direction else None)
    return NewEvent(
        order_id=order_id,
        source=EventSource.SHIPMENTS.value,
        ref=definition.ref,
        event_name=name,
        event_group=group.value,
        occurred_at=occurred_at,
        phase=definition.phase.value if definition.phase else None,
        direction=direction,
        shipment_id=shipment_id,
        data=data,
    )


def record(
    shipment: dict[str, Any],
    name: str,
    *,
    occurred_at: datetime,
    data: dict[str, Any] | None = None,
    new: bool = False,
) -> NewEvent:
    """Apply event `name` to the shipment row (phase, last event time) and return it.

    `new` says the shipment has no event yet, so the machine starts from nothing (a parcel
    placed and fulfilled at once goes straight to order_processed). Raises
    `InvalidPhaseTransition` when the machine refuses the step: a bug, never user input.
    """
    current = None if new else Phase(shipment["phase"])
    shipment["phase"] = phases.next_phase(current, name).value
    last = shipment.get("last_event_at")
    shipment["last_event_at"] = occurred_at if last is None else max(last, occurred_at)
    return _event(
        name,
        order_id=shipment["order_id"],
        direction=shipment["direction"],
        occurred_at=occurred_at,
        shipment_id=shipment["id"],
        data=data or {},
    )


def note(
    *,
    order_id: uuid.UUID,
    occurred_at: datetime,
    action: str,
    shipment: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> NewEvent:
    """An INTERNAL_TRIGGER event naming what changed (`data.action`); no phase moves."""
    return _event(
        NOTE,
        order_id=order_id,
        direction=shipment["direction"] if shipment else None,
        occurred_at=occurred_at,
        shipment_id=shipment["id"] if shipment else None,
        data={"action": action, **(data or {})},
    )
