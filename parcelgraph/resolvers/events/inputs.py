"""The input of `append` (appendShipmentEvent): a pydantic model, validated once.

The fields are declared in the order their problems are reported, so a request with
several mistakes reads them back in the order clients have always seen. What needs the
clock (an `occurredAt` too far ahead) or the whole input (exactly one of `shipmentId` and
`trackingNumber`) is the use case's to check, beside the model's verdict.
"""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator

from parcelgraph.domain import catalogue
from parcelgraph.resolvers.common.fields import Text, refuse
from parcelgraph.resolvers.common.inputs import Input


def is_shipment_event(name: str) -> bool:
    """True for a catalogue event that belongs to a shipment (not a claim event)."""
    return catalogue.exists(name) and catalogue.get(name).phase is not None


def _shipment_event(name: str) -> str:
    if not is_shipment_event(name):
        raise refuse(
            "UNKNOWN_EVENT_NAME",
            f"{name!r} is not a shipment event of the catalogue (see the eventCatalogue query).",
        )
    return name


def _with_offset(moment: datetime) -> datetime:
    # Kept in the offset it was sent in; only a missing offset is refused (no guessing).
    if moment.tzinfo is None:
        raise refuse("INVALID_INPUT", "occurredAt needs a timezone offset.")
    return moment


def _not_blank(value: str) -> str:
    if not value.strip():
        raise refuse("INVALID_INPUT", "externalId must not be blank.")
    return value


class AppendInput(Input):
    """What an API caller sends: which shipment (by id or tracking number) and the event."""

    event_name: Annotated[str, AfterValidator(_shipment_event)]
    shipment_id: uuid.UUID | None = None
    occurred_at: Annotated[datetime, AfterValidator(_with_offset)] | None = None
    external_id: Annotated[Text(200), AfterValidator(_not_blank)] | None = None
    location: Text(300) | None = None
    message: Text(5000) | None = None
    tracking_number: Text(100) | None = None
