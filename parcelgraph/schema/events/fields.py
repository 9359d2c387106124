"""Root fields of the events area: appendShipmentEvent, eventCatalogue, detectCarrier.

Thin fields: unpack the input, call one use case or pure function, map the result. The
rules live in `resolvers.shipment_events` and `domain.catalogue` / `domain.carriers`.
"""

from datetime import datetime
from typing import Annotated

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain import carriers
from parcelgraph.domain.enums import EventSource, Phase
from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers import events as shipment_events
from parcelgraph.resolvers.events.arrival import ArrivalPolicy
from parcelgraph.resolvers.events.inputs import AppendInput
from parcelgraph.schema.common.enums import EventSourceEnum, PhaseEnum
from parcelgraph.schema.common.errors import UserError, user_errors
from parcelgraph.schema.common.ids import require_id
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.runner import mutation, ok
from parcelgraph.schema.events.catalogue_types import (
    CarrierCandidateType,
    EventDefinitionType,
)
from parcelgraph.schema.events.shipment_types import ShipmentType
from parcelgraph.schema.events.types import EventType


@strawberry.input(description="An event to record on one shipment (name it by id or number).")
class AppendShipmentEventInput:
    """Exactly one of `shipmentId` and `trackingNumber` names the shipment."""

    event_name: str = strawberry.field(
        description="A shipment event name of the catalogue (see `eventCatalogue`), e.g. "
        "OUT_FOR_DELIVERY. Forward steps may skip phases (carriers skip scans) and a late "
        "report of an earlier step is accepted without moving the parcel back; only steps "
        "that cannot happen are refused (INVALID_PHASE_TRANSITION)."
    )
    shipment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The shipment's `id` (as returned by the API)."
    )
    tracking_number: str | None = strawberry.field(
        default=None,
        description="The shipment's tracking number (must name one shipment of this shop).",
    )
    occurred_at: datetime | None = strawberry.field(
        default=None,
        description="When it happened, with a timezone offset; default now. Events are "
        "ordered by this time, so a late report of an earlier step is placed in the timeline "
        "where it happened and never moves the parcel back.",
    )
    external_id: str | None = strawberry.field(
        default=None,
        description="Your id for this event (≤ 200 chars): sending the same externalId again "
        "records nothing new and returns the event recorded the first time.",
    )
    location: str | None = strawberry.field(
        default=None, description="Where it happened, e.g. 'Leipzig hub, DE' (≤ 300 chars)."
    )
    message: str | None = strawberry.field(
        default=None, description="Free text shown with the event (≤ 5000 chars)."
    )


@strawberry.type(description="The result of appendShipmentEvent.")
class AppendShipmentEventPayload:
    """The event and the shipment after it, or the errors."""

    event: EventType | None = strawberry.field(
        description="The recorded event (the earlier one when externalId was seen before)."
    )
    shipment: ShipmentType | None = strawberry.field(
        description="The shipment with its phase, flags and arrival window after the event."
    )
    recorded: bool = strawberry.field(
        description="True when this call recorded a new event; false for a repeated externalId "
        "or when errors were returned."
    )
    errors: list[UserError] = strawberry.field(
        description="Why nothing was recorded (empty on success): UNKNOWN_EVENT_NAME, "
        "SHIPMENT_IS_DRAFT, INVALID_PHASE_TRANSITION, SHIPMENT_NOT_FOUND, INVALID_ID, ..."
    )


def _input_errors(rejected: Rejected) -> list[UserError]:
    return user_errors(rejected, ("input",))


def _appended(appended: shipment_events.Appended) -> AppendShipmentEventPayload:
    return ok(
        AppendShipmentEventPayload,
        event=EventType.from_row(appended.event),
        shipment=ShipmentType.from_row(appended.shipment),
        recorded=appended.created,
    )


@strawberry.type
class ShipmentEventsMutation:
    """Root mutations of the events area."""

    @mutation(
        Allow.editors,
        AppendShipmentEventPayload,
        done=_appended,
        refused=lambda errors: AppendShipmentEventPayload(
            event=None, shipment=None, recorded=False, errors=errors
        ),
        errors=_input_errors,
        input="The shipment (id or tracking number) and the event to record.",
    )
    async def append_shipment_event(
        context: Context, session: AsyncSession, input: AppendShipmentEventInput
    ) -> shipment_events.Appended:
        """Record an event on a shipment (editor or admin). Refused only when it cannot
        happen from the shipment's phase (a return before delivery, a forward step after
        the journey's outcome, an outcome twice, a cancel once shipped); skipped scans
        and late reports are accepted. The shipment's phase, flags and arrival window,
        the order's event sequence and the webhook deliveries are written in the same
        transaction."""
        data = AppendInput.unchecked(
            {
                "event_name": input.event_name.strip(),
                "shipment_id": require_id(input.shipment_id, "Shipment", "shipmentId"),
                "tracking_number": input.tracking_number,
                "occurred_at": input.occurred_at,
                "external_id": input.external_id,
                "location": input.location,
                "message": input.message,
            }
        )
        return await shipment_events.append(
            session,
            shop=context.shop,
            data=data,
            now=context.now(),
            policy=ArrivalPolicy.from_settings(context.settings),
        )


@strawberry.type
class ShipmentEventsQuery:
    """Root queries of the events area."""

    @strawberry.field(
        description="The event catalogue: every event name with its phase, groups, flags and "
        "meaning. Filter by phase and/or group; `shipment_delivered_all_events` lists every "
        "delivered variant.",
        permission_classes=[Allow.viewers_and_customers],
    )
    def event_catalogue(
        self,
        phase: Annotated[
            PhaseEnum | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only events of this phase."),
        ] = None,
        group: Annotated[
            str | None,
            strawberry.argument(
                description="Only events landing in this event group (forward or return), "
                "e.g. shipment_delivered_to_neighbour or return_shipment_in_transit."
            ),
        ] = None,
        event_source: Annotated[
            EventSourceEnum | None,  # type: ignore[valid-type]
            strawberry.argument(name="source", description="Only shipment or only claim events."),
        ] = None,
    ) -> list[EventDefinitionType]:
        entries = shipment_events.catalogue_entries(
            phase=Phase(phase.value) if phase is not None else None,
            group=group.strip().lower() if group else None,
            source=EventSource(event_source.value) if event_source is not None else None,
        )
        return [EventDefinitionType.from_definition(entry) for entry in entries]

    @strawberry.field(
        description="Which carrier a tracking number belongs to: ranked candidates, each with "
        "a confidence (0..1) and the reasons (name or alias match, number pattern, check "
        "digit, country). Several candidates mean the evidence is ambiguous; none means no "
        "evidence at all.",
        permission_classes=[Allow.viewers],
    )
    def detect_carrier(
        self,
        tracking_number: Annotated[
            str, strawberry.argument(description="The tracking number, spaces allowed.")
        ],
        tracking_company: Annotated[
            str | None,
            strawberry.argument(
                description="Free-text carrier name as the shop knows it, e.g. 'UPS Ground'."
            ),
        ] = None,
        country_code: Annotated[
            str | None,
            strawberry.argument(description="ISO 3166-1 alpha-2 destination country, e.g. DE."),
        ] = None,
    ) -> list[CarrierCandidateType]:
        ranked = carriers.detect_carrier(tracking_number, tracking_company, country_code)
        return [CarrierCandidateType.from_candidate(c, tracking_number) for c in ranked]
