"""Claim: a problem reported on one shipment (damaged, missing, not received, return)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from parcelgraph.models import Claim
from parcelgraph.schema.common.connection import KeysetConnection
from parcelgraph.schema.common.convert import from_attributes
from parcelgraph.schema.common.enums import (
    ClaimCreatorEnum,
    ClaimReasonEnum,
    ClaimStatusEnum,
    ResolutionPreferenceEnum,
)
from parcelgraph.schema.common.nodes import scoped_nodes
from parcelgraph.schema.orders.parent import order_of

if TYPE_CHECKING:
    from parcelgraph.schema.events.shipment_types import ShipmentType


@strawberry.type(name="ClaimItem", description="A product a claim is about, and how many units.")
class ClaimItemType:
    """One selected item."""

    sku: str = strawberry.field(description="The product's sku.")
    title: str = strawberry.field(description="The product's title.")
    quantity: int = strawberry.field(description="Units concerned.")
    net_price: Decimal | None = strawberry.field(description="Net unit price, if given.")
    image_urls: list[str] = strawberry.field(description="Photos of this item.")


@strawberry.type(
    name="ClaimOption",
    description="Whether a claim for one reason may be filed on a shipment now, and if not, why.",
)
class ClaimOptionType:
    """One reason a claim can be about, with the shipment's eligibility for it."""

    reason: ClaimReasonEnum = strawberry.field(description="The claim reason.")  # type: ignore[valid-type]
    eligible: bool = strawberry.field(
        description="True when createClaim with this reason would be accepted now (as far as "
        "the shipment's state and its open claims tell; the claim's own input is checked then)."
    )
    why_not: str | None = strawberry.field(
        description="Why this reason cannot be claimed now, in a sentence for the customer; "
        "null when eligible."
    )


@strawberry.type(name="Claim", description="A problem reported on one shipment of an order.")
class ClaimType(relay.Node):
    """A claim and where it stands."""

    id: relay.NodeID[str]
    reason: ClaimReasonEnum = strawberry.field(description="Why the claim was opened.")  # type: ignore[valid-type]
    status: ClaimStatusEnum = strawberry.field(description="Where the claim stands.")  # type: ignore[valid-type]
    resolution_preference: ResolutionPreferenceEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Refund or replacement, as the customer prefers."
    )
    description: str | None = strawberry.field(description="The customer's own words.")
    image_urls: list[str] = strawberry.field(description="Evidence photos.")
    optional_image_urls: list[str] = strawberry.field(description="Further optional photos.")
    customer_signature_image_url: str | None = strawberry.field(
        description="Image of the customer's signature, where the carrier requires one."
    )
    dropoff_permission: bool | None = strawberry.field(
        description="Whether the customer allows the carrier to drop off without a signature."
    )
    created_by: ClaimCreatorEnum = strawberry.field(description="Merchant or customer.")  # type: ignore[valid-type]
    created_at: datetime = strawberry.field(description="When it was filed.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    order_id: strawberry.Private[uuid.UUID]
    shipment_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: Claim) -> "ClaimType":
        """Map a table row to the type."""
        return from_attributes(
            cls,
            row,
            id=str(row.id),
            reason=ClaimReasonEnum(row.reason),
            status=ClaimStatusEnum(row.status),
            resolution_preference=ResolutionPreferenceEnum(row.resolution_preference)
            if row.resolution_preference
            else None,
            image_urls=list(row.image_urls),
            optional_image_urls=list(row.optional_image_urls),
            created_by=ClaimCreatorEnum(row.created_by),
        )

    @strawberry.field(description="The products and quantities the claim is about.")
    async def selected_items(self, info: strawberry.Info) -> list[ClaimItemType]:
        rows = await info.context.loaders.claim_items_by_claim_id.load(uuid.UUID(self.id))
        return [
            ClaimItemType(
                sku=r.sku,
                title=r.title,
                quantity=r.quantity,
                net_price=r.net_price,
                image_urls=list(r.image_urls),
            )
            for r in rows
        ]

    order = strawberry.field(resolver=order_of, description="The order of the claimed shipment.")

    @strawberry.field(description="The shipment the claim is about.")
    async def shipment(
        self, info: strawberry.Info
    ) -> Annotated["ShipmentType", strawberry.lazy("parcelgraph.schema.events.shipment_types")]:
        from parcelgraph.schema.events.shipment_types import ShipmentType

        return ShipmentType.from_row(
            await info.context.loaders.shipment_by_id.load(self.shipment_id)
        )

    resolve_nodes = scoped_nodes(Claim)


@strawberry.type(name="ClaimConnection", description="A page of claims.")
class ClaimConnection(KeysetConnection[ClaimType]):
    """Claims paged by keyset cursors."""
