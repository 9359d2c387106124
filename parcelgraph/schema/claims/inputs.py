"""GraphQL inputs of the claim mutations, and their conversion into the use-case dataclasses.

Ids arrive as global ids (`Order:…` / `Shipment:…` / `Claim:…` in base64, as every `id`
field returns them) or as bare UUIDs; a malformed one, or one of another type, is refused
with INVALID_ID at its path.
"""

from decimal import Decimal

import strawberry

from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.schema.common.convert import plain
from parcelgraph.schema.common.enums import (
    ClaimReasonEnum,
    ClaimStatusEnum,
    ResolutionPreferenceEnum,
)
from parcelgraph.schema.common.ids import require_all


@strawberry.input(description="A product a claim is about, and how many of its units.")
class ClaimItemInputType:
    """One selected item: it must travel in the claimed shipment."""

    sku: str = strawberry.field(description="The product's sku, as on the order.")
    title: str = strawberry.field(description="The product's title, as the customer saw it.")
    quantity: int = strawberry.field(
        description="Units concerned: at least 1, at most as many as the shipment holds."
    )
    net_price: Decimal | None = strawberry.field(
        default=None, description="Net unit price, if the claim should record it."
    )
    image_urls: list[str] = strawberry.field(
        default_factory=list, description="Photos of this item (absolute http(s) URLs, ≤ 20)."
    )


@strawberry.input(
    description="A new claim about one shipment. Name the order by `orderId` or "
    "`orderNumber` (a customer's order token may leave both out: it is their order) and the "
    "shipment by `shipmentId` or `trackingNumber`; the shipment must belong to the order."
)
class CreateClaimInput:
    """What the merchant or the customer reports."""

    reason: ClaimReasonEnum = strawberry.field(  # type: ignore[valid-type]
        description="Why the claim is opened; the shipment's state decides which reasons "
        "are possible (CLAIM_NOT_ELIGIBLE says why not)."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the order."
    )
    order_number: str | None = strawberry.field(
        default=None, description="The shop's order number."
    )
    shipment_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global id of the shipment."
    )
    tracking_number: str | None = strawberry.field(
        default=None, description="Tracking number of the shipment on that order."
    )
    resolution_preference: ResolutionPreferenceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Refund or replacement, as the customer prefers."
    )
    description: str | None = strawberry.field(
        default=None,
        description="The customer's own words (length limited by the server's settings).",
    )
    selected_items: list[ClaimItemInputType] = strawberry.field(
        default_factory=list, description="The products concerned (≤ 100)."
    )
    image_urls: list[str] = strawberry.field(
        default_factory=list, description="Evidence photos (absolute http(s) URLs, ≤ 20)."
    )
    optional_image_urls: list[str] = strawberry.field(
        default_factory=list, description="Further optional photos (absolute http(s), ≤ 20)."
    )
    customer_signature_image_url: str | None = strawberry.field(
        default=None, description="Image of the customer's signature, where one is needed."
    )
    dropoff_permission: bool | None = strawberry.field(
        default=None,
        description="Whether the customer allows the carrier to drop off without a signature.",
    )

    def to_claim(self) -> ClaimInput:
        """The use case's input; raises Rejected (INVALID_ID) for malformed ids."""
        named = require_all(
            order_id=(self.order_id, "Order"), shipment_id=(self.shipment_id, "Shipment")
        )
        return ClaimInput.unchecked({**plain(self), **named})


@strawberry.input(
    description="Change a claim: move its status along PENDING → ACCEPTED | REJECTED | "
    "CLOSED, ACCEPTED → CLOSED, REJECTED → CLOSED, and/or its resolution preference. "
    "Omitted fields are left alone."
)
class UpdateClaimInput:
    """The claim and what changes."""

    id: strawberry.ID = strawberry.field(description="Global id of the claim.")
    status: ClaimStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The new status (INVALID_STATUS_TRANSITION if not allowed)."
    )
    resolution_preference: ResolutionPreferenceEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The new resolution preference."
    )
