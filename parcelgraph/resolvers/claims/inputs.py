"""Plain inputs of the claim use cases, their static validation, and the claim events' data.

The inputs are pydantic models (see `common.inputs`); `validate_static`
reports every problem that can be seen without the database (lengths, URLs, quantities),
with paths in the API's public camelCase names. `event_data` is the documented claim
`event_data` of the documented format, stored in the event's `data` so that subscribers (and the
`Event.data` field) read what webhook receivers get.
"""

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator

from parcelgraph.domain.errors import Issue
from parcelgraph.models import Claim, ClaimItem
from parcelgraph.resolvers.common import envelopes
from parcelgraph.resolvers.common.fields import Count, Money, Text, Url, refuse
from parcelgraph.resolvers.common.inputs import Input, check, problems

MAX_IMAGES = 20
MAX_ITEMS = 100


def _at_most(limit: int, what: str) -> AfterValidator:
    def check(values: list[Any]) -> list[Any]:
        if len(values) > limit:
            raise refuse("VALUE_OUT_OF_RANGE", f"At most {limit} {what}.")
        return values

    return AfterValidator(check)


Images = Annotated[list[Url], _at_most(MAX_IMAGES, "images")]


class ClaimItemInput(Input):
    """A product the claim is about: which (sku) and how many units."""

    sku: Text(200)
    title: Text(500)
    quantity: Count(1)
    net_price: Money | None = None
    image_urls: Images = []


class ClaimInput(Input):
    """A new claim. The order is named by id or number, the shipment by id or tracking number.

    A customer (order token) may leave the order out: it is the token's order.
    """

    reason: str
    order_id: uuid.UUID | None = None
    order_number: str | None = None
    shipment_id: uuid.UUID | None = None
    tracking_number: str | None = None
    resolution_preference: str | None = None
    description: str | None = None
    image_urls: Images = []
    optional_image_urls: Images = []
    customer_signature_image_url: Url | None = None
    selected_items: Annotated[list[ClaimItemInput], _at_most(MAX_ITEMS, "items")] = []
    dropoff_permission: bool | None = None


def validate_static(claim: ClaimInput, *, description_max_length: int) -> list[Issue]:
    """Every problem of the input that needs no database, with paths into the input.

    The description's limit is the shop's policy, so it is checked here, first.
    """
    description = check(Text(description_max_length), claim.description, ("description",))
    return description + problems(claim)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def event_data(claim: Claim, items: list[ClaimItem], *, action: str, group: str) -> dict[str, Any]:
    """The documented claim `event_data` for `action` created or updated.

    The same keys and values the webhook envelope builds from the claim row (plus
    `shipment_id`), so subscribers reading the event and webhook receivers see one thing.
    """
    ordered = sorted(items, key=lambda item: item.sku)
    return {
        "claim_id": str(claim.id),
        "shipment_id": str(claim.shipment_id),
        "event_name": action,
        "event_group": group,
        "created_at": _iso(claim.created_at),
        "updated_at": _iso(claim.updated_at),
        "status": claim.status,
        "reason": claim.reason,
        "resolution_preference": claim.resolution_preference,
        "description": claim.description,
        "selected_items": [envelopes.claim_item_data(item) for item in ordered],
        "image_urls": list(claim.image_urls),
        "optional_image_urls": list(claim.optional_image_urls),
        "customer_signature_image_url": claim.customer_signature_image_url,
    }
