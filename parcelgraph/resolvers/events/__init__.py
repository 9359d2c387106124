"""Append events to shipments: strictly for API callers, leniently for carrier updates.

`append` is `appendShipmentEvent`: any system (a warehouse, a QA step, a partner without a
carrier integration) records one event, which must be a catalogue name that fits the phase
machine from the shipment's current phase. The same `externalId` twice
records one event: the second call returns the first one. `ingest` is the carrier path:
every scan is stored, and the phase follows the lenient fold. Both write through
`shipment_recording.record`, so the events, the phase and flags, the arrival window, the
per-order sequence and the webhook outbox commit together.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.domain import carriers, catalogue, phases
from parcelgraph.domain.enums import EventSource, Phase
from parcelgraph.domain.errors import Issue, NotFound, Rejected
from parcelgraph.domain.event_definition import EventDefinition
from parcelgraph.models import Event, Shipment, Shop
from parcelgraph.resolvers.common.inputs import in_field_order, problems
from parcelgraph.resolvers.events import recording as shipment_recording
from parcelgraph.resolvers.events.arrival import ArrivalPolicy

# Public for the orders area, which starts a parcel's first window when tracking attaches.
from parcelgraph.resolvers.events.arrival import start as start_arrival  # noqa: F401
from parcelgraph.resolvers.events.inputs import AppendInput, is_shipment_event
from parcelgraph.resolvers.events.recording import Recorded, Scan, ShipmentScans

# A carrier's clock may run a little ahead of ours; a day ahead is a mistake.
MAX_FUTURE = timedelta(hours=24)


@dataclass(frozen=True)
class Appended:
    """The event (new, or the one recorded earlier under the same external id)."""

    event: Event
    shipment: Shipment
    created: bool


def _check_input(data: AppendInput, now: datetime) -> list[Issue]:
    issues: list[Issue] = []
    if (data.shipment_id is None) == (data.tracking_number is None):
        issues.append(
            Issue("INVALID_INPUT", "Give exactly one of shipmentId and trackingNumber.", ())
        )
    found = problems(data)
    if not any(issue.field[:1] == ("occurredAt",) for issue in found):
        found += _too_far_ahead(data.occurred_at, now)
    return issues + in_field_order(AppendInput, found)


def _too_far_ahead(occurred_at: datetime | None, now: datetime) -> list[Issue]:
    if occurred_at is None or occurred_at <= now + MAX_FUTURE:
        return []
    message = "occurredAt lies more than 24 hours in the future."
    return [Issue("VALUE_OUT_OF_RANGE", message, ("occurredAt",))]


async def find_shipment(
    session: AsyncSession,
    *,
    shop: Shop,
    shipment_id: uuid.UUID | None,
    tracking_number: str | None,
) -> Shipment:
    """The shop's shipment by id or tracking number, locked for this transaction."""
    stmt = select(Shipment).where(Shipment.shop_id == shop.id).with_for_update()
    if shipment_id is not None:
        stmt = stmt.where(Shipment.id == shipment_id)
        field_name = "shipmentId"
    else:
        assert tracking_number is not None
        given = tracking_number.strip()
        normalized = carriers.normalize_tracking_number(given)
        stmt = stmt.where(
            or_(Shipment.tracking_number == given, Shipment.tracking_number == normalized)
        )
        field_name = "trackingNumber"
    rows = list((await session.exec(stmt)).all())
    if not rows:
        raise NotFound.one("SHIPMENT_NOT_FOUND", "No such shipment in this shop.", field_name)
    if len(rows) > 1:
        raise Rejected.one(
            "INVALID_INPUT",
            f"{len(rows)} shipments of this shop have that tracking number; use shipmentId.",
            field_name,
        )
    return rows[0]


def _check_fits(shipment: Shipment, event_name: str) -> None:
    definition = catalogue.get(event_name)
    if shipment.tracking_number is None and not definition.pre_transit:
        raise Rejected.one(
            "SHIPMENT_IS_DRAFT",
            f"{event_name} needs a tracking number; a draft shipment only takes "
            "ORDER_CREATED, ORDER_IN_PROCESSING and ORDER_CANCELLED.",
            "eventName",
        )
    current = Phase(shipment.phase)
    try:
        phases.next_phase(current, event_name)
    except phases.InvalidPhaseTransition as refused:
        allowed = ", ".join(d.name for d in phases.allowed_events(current)[:12])
        raise Rejected.one(
            "INVALID_PHASE_TRANSITION",
            f"{refused}. Events that fit now include: {allowed or 'none (journey ended)'}.",
            "eventName",
        ) from None


async def append(
    session: AsyncSession,
    *,
    shop: Shop,
    data: AppendInput,
    now: datetime,
    policy: ArrivalPolicy,
) -> Appended:
    """Record one event on a shipment (appendShipmentEvent). Raises Rejected / NotFound."""
    issues = _check_input(data, now)
    if issues:
        raise Rejected(issues)
    shipment = await find_shipment(
        session, shop=shop, shipment_id=data.shipment_id, tracking_number=data.tracking_number
    )
    stored = await shipment_recording.existing_events(session, [shipment.id])
    if data.external_id is not None:
        earlier = next((e for e in stored[shipment.id] if e.external_id == data.external_id), None)
        if earlier is not None:
            return _replay(earlier, shipment, data)
    _check_fits(shipment, data.event_name)
    scan = Scan(
        event_name=data.event_name,
        occurred_at=data.occurred_at or now,
        external_id=data.external_id,
        location=data.location,
        message=data.message,
    )
    [recorded] = await shipment_recording.record(
        session,
        shop=shop,
        batches=[ShipmentScans(shipment, [scan])],
        now=now,
        policy=policy,
        stored=stored,
    )
    return Appended(event=recorded.events[0], shipment=recorded.shipment, created=True)


def _replay(earlier: Event, shipment: Shipment, data: AppendInput) -> Appended:
    if earlier.event_name != data.event_name:
        raise Rejected.one(
            "IDEMPOTENCY_KEY_REUSED",
            f"externalId {data.external_id!r} already recorded {earlier.event_name} on this "
            "shipment; use a new externalId for a different event.",
            "externalId",
        )
    return Appended(event=earlier, shipment=shipment, created=False)


async def ingest(
    session: AsyncSession,
    *,
    shop: Shop,
    batches: list[ShipmentScans],
    now: datetime,
    policy: ArrivalPolicy,
) -> list[Recorded]:
    """Store carrier scans leniently: every scan is kept, the phase follows the fold.

    Names outside the catalogue are stored as UNMAPPED (with the name as raw code) rather
    than dropped; the normalizer normally did that already.
    """
    for batch in batches:
        batch.scans = [_mapped(scan) for scan in batch.scans]
    return await shipment_recording.record(
        session, shop=shop, batches=batches, now=now, policy=policy
    )


def _mapped(scan: Scan) -> Scan:
    if is_shipment_event(scan.event_name):
        return scan
    return replace(scan, event_name=catalogue.UNMAPPED, raw_code=scan.raw_code or scan.event_name)


def catalogue_entries(
    *, phase: Phase | None, group: str | None, source: EventSource | None
) -> list[EventDefinition]:
    """The catalogue filtered for `eventCatalogue`; a group filter follows webhook matching,
    so the delivered catch-all lists every delivered variant."""
    return [
        definition
        for definition in catalogue.events(phase=phase, source=source)
        if group is None
        or catalogue.group_matches(group, definition.group)
        or catalogue.group_matches(group, definition.return_group)
    ]
