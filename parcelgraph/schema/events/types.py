"""Event: one normalized step of a shipment's journey or a claim's life."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from parcelgraph.models import Event
from parcelgraph.schema.common.connection import KeysetConnection
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import DirectionEnum, EventSourceEnum, PhaseEnum
from parcelgraph.schema.common.nodes import scoped_nodes
from parcelgraph.schema.orders.parent import order_of

if TYPE_CHECKING:
    from parcelgraph.schema.events.shipment_types import ShipmentType


@strawberry.type(
    name="Event",
    description="One event in the log: source → ref → phase → event name → event group.",
)
class EventType(relay.Node):
    """A stored event. `position` is the resume cursor; `sequence` is gap-free per order."""

    id: relay.NodeID[str]
    event_id: str = strawberry.field(
        description="Stable event id, the same in every webhook delivery (for de-duplication)."
    )
    position: int = strawberry.field(
        description="Global, increasing cursor: pass it as `after` to resume a stream."
    )
    sequence: int = strawberry.field(
        description="Per-order number without gaps (1, 2, 3, ...): order events and detect gaps."
    )
    source: EventSourceEnum = strawberry.field(description="SHIPMENTS or CLAIMS.")  # type: ignore[valid-type]
    ref: str = strawberry.field(
        description="Hierarchical name, e.g. shipments/delivered/SUCCESSFULLY_DELIVERED."
    )
    phase: PhaseEnum | None = strawberry.field(description="Phase of a shipment event.")  # type: ignore[valid-type]
    event_name: str = strawberry.field(description="Most specific name, e.g. OUT_FOR_DELIVERY.")
    event_group: str = strawberry.field(
        description="Notification bucket webhooks subscribe to, e.g. shipment_delivered."
    )
    direction: DirectionEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Direction of the shipment the event belongs to."
    )
    occurred_at: datetime = strawberry.field(description="When it happened (carrier time).")
    recorded_at: datetime = strawberry.field(description="When parcelgraph stored it.")
    external_id: str | None = strawberry.field(
        description="The sender's idempotency id: the same externalId is recorded once."
    )
    location: str | None = strawberry.field(description="Where it happened, if known.")
    message: str | None = strawberry.field(description="Carrier's or sender's message.")
    carrier_code: str | None = strawberry.field(
        description="The carrier's raw status code this event was normalized from."
    )
    simulated: bool = strawberry.field(
        description="True when no carrier reported this event: the sandbox carrier made it up "
        "(a demo shop or a `sandbox` tracking). Also true for scans that older versions "
        "simulated for real parcels, kept in the timeline and marked rather than deleted."
    )
    data: JSON = strawberry.field(description="Source-specific details (claims: event_data).")
    order_id: strawberry.Private[object]
    shipment_id: strawberry.Private[object]

    @classmethod
    def from_row(cls, row: Event) -> "EventType":
        """Map a stored event to the type. `row` may hold only the columns the request
        selects (`EventColumns`): the others are None and their fields are never resolved."""
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            event_id=str(row.id),
            position=row.position or 0,
            source=EventSourceEnum(row.source) if row.source is not None else None,  # type: ignore[arg-type]
            phase=PhaseEnum(row.phase) if row.phase else None,
            direction=DirectionEnum(row.direction) if row.direction else None,
            carrier_code=row.raw_code,
        )

    def shared_execution_key(self) -> tuple[str, int, str]:
        """Names this event for grouped subscription execution (`grouped_execution`)."""
        return ("Event", self.position, self.event_id)

    order = strawberry.field(resolver=order_of, description="The order this event belongs to.")

    @strawberry.field(description="The shipment of a shipment event (null for claim events).")
    async def shipment(
        self, info: strawberry.Info
    ) -> (
        Annotated["ShipmentType", strawberry.lazy("parcelgraph.schema.events.shipment_types")]
        | None
    ):
        from parcelgraph.schema.events.shipment_types import ShipmentType

        if self.shipment_id is None:
            return None
        row = await info.context.loaders.shipment_by_id.load(self.shipment_id)
        return ShipmentType.from_row(row) if row else None

    resolve_nodes = scoped_nodes(Event)


@strawberry.type(name="EventConnection", description="A page of events.")
class EventConnection(KeysetConnection[EventType]):
    """Events paged by keyset cursors."""
