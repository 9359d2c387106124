"""Tool arguments: the base model, id parsing, and the event, claim and webhook arguments.

Every tool takes a pydantic model whose JSON Schema is its input schema (orders: see
order_args.py; reads: read_args.py).

Field names are the GraphQL inputs' camelCase names, so an error path (`["order",
"address", "zipCode"]`) reads the same in both faces and points at what the agent sent.
Each write model builds the use case's own input unchecked (`to_input`); the use cases
validate the content once and report every coded issue together, as they do for GraphQL.
Descriptions are filled in from the GraphQL schema's input types (describe.py), not written twice.
"""

import base64
import binascii
import uuid
from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from parcelgraph.domain import catalogue
from parcelgraph.domain.enums import (
    ClaimReason,
    ClaimStatus,
    ResolutionPreference,
)
from parcelgraph.domain.errors import Issue, Rejected
from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.resolvers.common import reads
from parcelgraph.resolvers.events.inputs import AppendInput

# The shipment events of the catalogue, offered as an enum in the tool's schema so an agent
# picks a real name; the use case still decides (UNKNOWN_EVENT_NAME, as in GraphQL).
SHIPMENT_EVENT_NAMES = [d.name for d in catalogue.all_definitions() if d.phase is not None]


class ToolArgs(BaseModel):
    """Base of every tool-argument model: camelCase names, unknown keys refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")
    graphql_type: ClassVar[str | None] = None  # the GraphQL input type that describes it


def row_id(value: str | None, type_name: str, field: str) -> uuid.UUID | None:
    """The row id in a global id of `type_name` (or a bare UUID); INVALID_ID otherwise."""
    if value is None:
        return None
    parsed = reads.parse_uuid(value)
    if parsed is None:
        parsed = _from_global(value, type_name)
    if parsed is None:
        raise Rejected.one("INVALID_ID", f"Not a valid {type_name} id.", field)
    return parsed


def _from_global(value: str, type_name: str) -> uuid.UUID | None:
    # Global ids are base64("Type:uuid"), as every `id` field of the API returns them.
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    kind, _, raw = decoded.partition(":")
    return reads.parse_uuid(raw) if kind == type_name else None


class AppendEventArgs(ToolArgs):
    graphql_type = "AppendShipmentEventInput"
    event_name: str = Field(json_schema_extra={"enum": SHIPMENT_EVENT_NAMES})
    shipment_id: str | None = None
    tracking_number: str | None = None
    occurred_at: AwareDatetime | None = None
    external_id: str | None = None
    location: str | None = None
    message: str | None = None

    def to_input(self) -> AppendInput:
        return AppendInput.unchecked(
            {
                **self.model_dump(exclude={"shipment_id"}),
                "shipment_id": row_id(self.shipment_id, "Shipment", "shipmentId"),
            }
        )


class ClaimItemArgs(ToolArgs):
    graphql_type = "ClaimItemInputType"
    sku: str
    title: str
    quantity: int
    net_price: Decimal | None = None
    image_urls: list[str] = Field(default_factory=list)


class CreateClaimArgs(ToolArgs):
    graphql_type = "CreateClaimInput"
    reason: ClaimReason
    order_id: str | None = None
    order_number: str | None = None
    shipment_id: str | None = None
    tracking_number: str | None = None
    resolution_preference: ResolutionPreference | None = None
    description: str | None = None
    selected_items: list[ClaimItemArgs] = Field(default_factory=list)
    image_urls: list[str] = Field(default_factory=list)
    optional_image_urls: list[str] = Field(default_factory=list)
    customer_signature_image_url: str | None = None
    dropoff_permission: bool | None = None

    def to_input(self) -> ClaimInput:
        issues: list[Issue] = []
        ids: dict[str, uuid.UUID | None] = {}
        for field, value, kind in (
            ("orderId", self.order_id, "Order"),
            ("shipmentId", self.shipment_id, "Shipment"),
        ):
            try:
                ids[field] = row_id(value, kind, field)
            except Rejected as rejected:
                issues += rejected.issues
        if issues:
            raise Rejected(issues)
        plain = self.model_dump(
            exclude={"order_id", "shipment_id", "selected_items", "reason", "resolution_preference"}
        )
        return ClaimInput.unchecked(
            dict(
                **plain,
                reason=self.reason.value,
                order_id=ids["orderId"],
                shipment_id=ids["shipmentId"],
                resolution_preference=self.resolution_preference.value
                if self.resolution_preference
                else None,
                selected_items=[i.model_dump() for i in self.selected_items],
            )
        )


class UpdateClaimArgs(ToolArgs):
    graphql_type = "UpdateClaimInput"
    id: str
    status: ClaimStatus | None = None
    resolution_preference: ResolutionPreference | None = None


class IdArgs(ToolArgs):
    """One object by its global id."""

    id: str = Field(description="The object's global id, as the API returns it.")
