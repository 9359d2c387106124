"""Plain inputs of the claim use cases, their static validation, and the claim events' data.

The schema layer converts its GraphQL inputs into these dataclasses. `validate_static`
reports every problem that can be seen without the database (lengths, URLs, quantities),
with paths in the API's public camelCase names. `event_data` is the documented claim
`event_data` of domain.md 4.4, stored in the event's `data` so that subscribers (and the
`Event.data` field) read what webhook receivers get.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parcelgraph.domain import validation as v
from parcelgraph.domain.errors import Issue
from parcelgraph.models import Claim, ClaimItem
from parcelgraph.resolvers.common import envelopes

MAX_IMAGES = 20
MAX_ITEMS = 100


@dataclass
class ClaimItemInput:
    """A product the claim is about: which (sku) and how many units."""

    sku: str
    title: str
    quantity: int
    net_price: Decimal | None = None
    image_urls: list[str] = field(default_factory=list)


@dataclass
class ClaimInput:
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
    selected_items: list[ClaimItemInput] = field(default_factory=list)
    image_urls: list[str] = field(default_factory=list)
    optional_image_urls: list[str] = field(default_factory=list)
    customer_signature_image_url: str | None = None
    dropoff_permission: bool | None = None


def _urls(urls: list[str], name: str) -> list[v.Problem]:
    problems: list[v.Problem] = []
    if len(urls) > MAX_IMAGES:
        problems.append(v.Problem((name,), v.VALUE_OUT_OF_RANGE, f"At most {MAX_IMAGES} images."))
    for i, url in enumerate(urls):
        problems += v.validate_http_url(url, (name, i))
    return problems


def _item_problems(item: ClaimItemInput, i: int) -> list[v.Problem]:
    path = ("selectedItems", i)
    problems = v.validate_length(item.sku, (*path, "sku"), 200)
    problems += v.validate_length(item.title, (*path, "title"), 500)
    problems += v.validate_int_range(item.quantity, (*path, "quantity"), 1)
    if item.net_price is not None:
        problems += v.validate_money(item.net_price, (*path, "netPrice"))
    for problem in _urls(item.image_urls, "imageUrls"):
        problems.append(v.Problem((*path, *problem.field), problem.code, problem.message))
    return problems


def validate_static(claim: ClaimInput, *, description_max_length: int) -> list[Issue]:
    """Every problem of the input that needs no database, with paths into the input."""
    problems = v.validate_length(claim.description, ("description",), description_max_length)
    problems += _urls(claim.image_urls, "imageUrls")
    problems += _urls(claim.optional_image_urls, "optionalImageUrls")
    problems += v.validate_http_url(
        claim.customer_signature_image_url, ("customerSignatureImageUrl",)
    )
    if len(claim.selected_items) > MAX_ITEMS:
        problems.append(
            v.Problem(("selectedItems",), v.VALUE_OUT_OF_RANGE, f"At most {MAX_ITEMS} items.")
        )
    for i, item in enumerate(claim.selected_items):
        problems += _item_problems(item, i)
    return _issues(problems)


def _issues(problems: list[v.Problem]) -> list[Issue]:
    return [Issue(code=p.code, message=p.message, field=p.field) for p in problems]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def event_data(claim: Claim, items: list[ClaimItem], *, action: str, group: str) -> dict[str, Any]:
    """The documented claim `event_data` (domain.md 4.4) for `action` created or updated.

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
