"""Claim bodies of REST v1 (lower-case enums) and the claim as v1 returns it."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from parcelgraph.domain.enums import ClaimReason, ClaimStatus, ResolutionPreference
from parcelgraph.models import Claim, ClaimItem, Order, Shipment, Shop
from parcelgraph.resolvers.claims.inputs import ClaimInput
from parcelgraph.rest.enums import lower_case
from parcelgraph.rest.item_views import AddressOut, address_out
from parcelgraph.rest.order_models import Body, given
from parcelgraph.rest.views import from_row

Reason = lower_case(
    "Reason",
    ClaimReason,
    """Why the claim is filed: the v1 reasons `partial_damage`, `damage`, `investigation`,
    `support`, `return`, plus parcelgraph's `not_received`, `missing_item`, `wrong_item`.""",
    module=__name__,
)

Status = lower_case(
    "Status",
    ClaimStatus,
    """Where a claim stands: `pending` (default), `accepted`, `rejected`, `closed`.""",
    module=__name__,
)

Resolution = lower_case(
    "Resolution",
    ResolutionPreference,
    """What the customer would like: `refund` or `reorder` (a replacement).""",
    module=__name__,
)


class ClaimItemIn(Body):
    """A product the claim is about."""

    sku: str = Field(description="Sku of a product in the shipment.")
    title: str = Field("", description="Product name.")
    quantity: int = Field(description="Units concerned, at least 1.")
    net_price: Decimal | None = Field(None, description="Unit price without discount or taxes.")
    image_urls: list[str] = Field(default_factory=list, description="Photos of this item.")

    def data(self) -> dict[str, Any]:
        """The item as the use case's plain data."""
        return given(self)


class ClaimIn(Body):
    """A new claim about one shipment: `shipment_id`, or the order plus `tracking_number`."""

    shipment_id: UUID | None = Field(None, description="The shipment (a tracking's id).")
    tracking_number: str | None = Field(None, description="Or: the parcel's tracking number.")
    order_id: UUID | None = Field(None, description="The order's uuid (optional).")
    order_number: str | None = Field(None, description="Or the order number (optional).")
    reason: Reason = Field(description="Why the claim is filed.")
    status: Status | None = Field(None, description="Ignored: new claims are `pending`.")
    resolution_preference: Resolution | None = Field(None, description="Refund or reorder.")
    description: str | None = Field(None, description="The customer's words.")
    customer_signature_image_url: str | None = Field(None, description="Signature image URL.")
    selected_items: list[ClaimItemIn] = Field(default_factory=list, description="Products.")
    damaged_product_items: list[ClaimItemIn] = Field(
        default_factory=list, description="Deprecated alias of `selected_items` (merged)."
    )
    image_urls: list[str] = Field(default_factory=list, description="Evidence photos.")
    optional_image_urls: list[str] = Field(default_factory=list, description="More photos.")
    dropoff_permission: bool | None = Field(
        None, description="Whether the customer allowed leaving the parcel at a drop-off spot."
    )

    def to_input(self, order_id: UUID | None) -> ClaimInput:
        """The use case's claim; `order_id` is the shipment's order when none was named."""
        data = given(self)
        for ours in ("status", "damaged_product_items", "selected_items"):
            data.pop(ours, None)
        data["reason"] = self.reason.value.upper()
        if self.resolution_preference is not None:
            data["resolution_preference"] = self.resolution_preference.value.upper()
        if self.order_id is None and self.order_number is None and order_id is not None:
            data["order_id"] = order_id
        if self.shipment_id is not None:
            data.pop("tracking_number", None)
        items = self.selected_items + self.damaged_product_items
        data["selected_items"] = [item.data() for item in items]
        return ClaimInput.unchecked(data)


class ClaimUpdateIn(Body):
    """Only `status` and `resolution_preference` change; omitted ones stay."""

    status: Status | None = Field(None, description="New status (along the status machine).")
    resolution_preference: Resolution | None = Field(None, description="New preference.")


class ClaimItemOut(BaseModel):
    """A product of a claim."""

    sku: str = Field(description="Sku.")
    title: str = Field(description="Product name.")
    quantity: int = Field(description="Units concerned.")
    net_price: float | None = Field(None, description="Unit price without discount or taxes.")
    image_urls: list[str] = Field(default_factory=list, description="Photos of this item.")


class ClaimOut(BaseModel):
    """A claim with the order and parcel facts it concerns."""

    uuid: UUID = Field(description="The claim's id.")
    shop_slug: str = Field(description="The shop's slug.")
    order_id: UUID = Field(description="The order's uuid.")
    order_number: str = Field(description="The order number.")
    shipment_id: UUID = Field(description="The shipment's id.")
    tracking_number: str | None = Field(None, description="The parcel's tracking number.")
    carrier_reference: str | None = Field(None, description="The parcel's carrier code.")
    reason: Reason = Field(description="Why it was filed.")
    status: Status = Field(description="Where it stands.")
    resolution_preference: Resolution | None = Field(None, description="Refund or reorder.")
    description: str | None = Field(None, description="The customer's words.")
    customer_signature_image_url: str | None = Field(None, description="Signature image.")
    selected_items: list[ClaimItemOut] = Field(default_factory=list, description="Products.")
    image_urls: list[str] = Field(default_factory=list, description="Evidence photos.")
    optional_image_urls: list[str] = Field(default_factory=list, description="More photos.")
    dropoff_permission: bool | None = Field(None, description="Drop-off allowed.")
    address: AddressOut | None = Field(None, description="The order's delivery address.")
    net_invoice_amount: float = Field(description="Order value without shipping/discounts.")
    created_at: datetime = Field(description="When filed.")
    updated_at: datetime = Field(description="Last change.")
    deleted_at: datetime | None = Field(None, description="Always null: claims are closed.")


def claim_out(
    shop: Shop, claim: Claim, items: list[ClaimItem], order: Order, shipment: Shipment
) -> ClaimOut:
    """A stored claim as v1 returns it."""
    return from_row(
        ClaimOut,
        claim,
        uuid=claim.id,
        shop_slug=shop.slug,
        order_number=order.order_number,
        tracking_number=shipment.tracking_number,
        carrier_reference=shipment.carrier_reference,
        reason=Reason(claim.reason.lower()),
        status=Status(claim.status.lower()),
        resolution_preference=Resolution(claim.resolution_preference.lower())
        if claim.resolution_preference
        else None,
        selected_items=[from_row(ClaimItemOut, i) for i in sorted(items, key=lambda i: i.sku)],
        address=address_out(order.address),
        net_invoice_amount=float(order.sub_total_price),
    )
