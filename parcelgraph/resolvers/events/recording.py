"""Record scans on shipments: de-duplicate, re-fold, update the shipment, append the events.

Both ways events reach a shipment end here: the strict `appendShipmentEvent` path (after it
checked the phase machine) and the lenient carrier path (which stores every scan). Per call
the cost is fixed whatever the number of shipments or scans: one SELECT of the shipments'
existing events, one SELECT of the shop's transit history, the shipments' UPDATEs (flushed
by the session), and one `event_log.append`.

The shipment's phase and flags are a cache of `shipment_status.fold` over all of its events, so a
scan that arrives late is applied at its `occurred_at`, and the phase never moves back.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import catalogue, phases, shipment_status
from parcelgraph.domain.arrival import TransitStats
from parcelgraph.domain.enums import Direction, Phase
from parcelgraph.models import Event, Shipment, Shop
from parcelgraph.resolvers.common import event_log
from parcelgraph.resolvers.events import arrival as estimated_arrival
from parcelgraph.resolvers.events.arrival import ArrivalPolicy


@dataclass(frozen=True)
class Scan:
    """One event to record on a shipment (already mapped to a catalogue name)."""

    event_name: str
    occurred_at: datetime
    external_id: str | None = None
    location: str | None = None
    message: str | None = None
    raw_code: str | None = None
    simulated: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ShipmentScans:
    """The scans for one shipment, and the carrier's arrival window if it sent one."""

    shipment: Shipment
    scans: list[Scan]
    carrier_window: tuple[datetime, datetime] | None = None


@dataclass
class Recorded:
    """What recording did to one shipment: the events stored (duplicates left out)."""

    shipment: Shipment
    events: list[Event]
    status: shipment_status.ShipmentStatus


async def existing_events(
    session: AsyncSession, shipment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Event]]:
    """Every stored event of the shipments, in fold order (occurrence, then position)."""
    by_shipment: dict[uuid.UUID, list[Event]] = {sid: [] for sid in shipment_ids}
    if not shipment_ids:
        return by_shipment
    stmt = (
        select(Event)
        .where(Event.shipment_id.in_(list(shipment_ids)))  # type: ignore[union-attr]
        .order_by(Event.occurred_at, Event.position)
    )
    for row in (await session.exec(stmt)).all():
        by_shipment[row.shipment_id].append(row)  # type: ignore[index]
    return by_shipment


def apply_status(shipment: Shipment, status: shipment_status.ShipmentStatus, now: datetime) -> None:
    """Copy the fold's result onto the shipment row; the phase only moves forwards."""
    if status.phase is not None and phases.moves_forward(Phase(shipment.phase), status.phase):
        shipment.phase = status.phase.value
    shipment.delayed = status.delayed and not phases.is_terminal(Phase(shipment.phase))
    shipment.damaged = shipment.damaged or status.damaged
    shipment.failed_attempts = max(shipment.failed_attempts, status.failed_attempts)
    shipment.last_event_at = status.last_event_at or shipment.last_event_at
    shipment.delivered_at = status.delivered_at or shipment.delivered_at
    shipment.updated_at = now


def _new_event(shipment: Shipment, scan: Scan) -> event_log.NewEvent:
    definition = catalogue.get(scan.event_name)
    direction = Direction(shipment.direction)
    return event_log.NewEvent(
        order_id=shipment.order_id,
        shipment_id=shipment.id,
        source=definition.source.value,
        ref=definition.ref,
        event_name=definition.name,
        event_group=catalogue.group_for(definition, direction).value,
        phase=definition.phase.value if definition.phase else None,
        direction=direction.value,
        occurred_at=scan.occurred_at,
        external_id=scan.external_id,
        location=scan.location,
        message=scan.message,
        raw_code=scan.raw_code,
        simulated=scan.simulated,
        data=dict(scan.data),
    )


def _fresh(scans: Sequence[Scan], stored: Sequence[Event]) -> list[Scan]:
    """Scans whose external id is not stored yet (nor repeated earlier in the batch)."""
    seen = {event.external_id for event in stored if event.external_id}
    fresh: list[Scan] = []
    for scan in scans:
        if scan.external_id is not None:
            if scan.external_id in seen:
                continue
            seen.add(scan.external_id)
        fresh.append(scan)
    return fresh


def _refold(
    batch: ShipmentScans,
    before: Sequence[Event],
    fresh: Sequence[Scan],
    *,
    history: dict[str, TransitStats],
    policy: ArrivalPolicy,
    now: datetime,
) -> shipment_status.ShipmentStatus:
    """Fold the stored events with the fresh scans onto the shipment and its arrival window."""
    status = shipment_status.fold(
        [*before, *(shipment_status.ScanEvent(s.event_name, s.occurred_at) for s in fresh)]
    )
    apply_status(batch.shipment, status, now)
    estimated_arrival.revise(
        batch.shipment,
        status=status,
        history=history,
        policy=policy,
        now=now,
        carrier_window=batch.carrier_window,
    )
    return status


async def record(
    session: AsyncSession,
    *,
    shop: Shop,
    batches: Sequence[ShipmentScans],
    now: datetime,
    policy: ArrivalPolicy,
    stored: dict[uuid.UUID, list[Event]] | None = None,
) -> list[Recorded]:
    """Store the scans of several shipments of one shop, in one transaction (the caller's).

    Scans with an external id already stored on the shipment are skipped, so asking a
    carrier twice records nothing twice. Pass `stored` when the caller already loaded the
    shipments' events (the strict path does, to check idempotency first).
    """
    if stored is None:
        stored = await existing_events(session, [b.shipment.id for b in batches])
    history = await estimated_arrival.history_for(
        session, shop_id=shop.id, shipments=[b.shipment for b in batches], policy=policy, now=now
    )
    pending: list[tuple[int, event_log.NewEvent]] = []
    results: list[Recorded] = []
    for index, batch in enumerate(batches):
        before = stored.get(batch.shipment.id, [])
        fresh = _fresh(batch.scans, before)
        status = _refold(batch, before, fresh, history=history, policy=policy, now=now)
        session.add(batch.shipment)
        pending.extend((index, _new_event(batch.shipment, scan)) for scan in fresh)
        results.append(Recorded(shipment=batch.shipment, events=[], status=status))
    # Flush the shipments first: the webhook envelopes written by append read them back.
    await session.flush()
    appended = await event_log.append(session, shop=shop, events=[e for _, e in pending], now=now)
    for (index, _), event in zip(pending, appended, strict=True):
        results[index].events.append(event)
    return results
