"""Claims: the filtered list and its sorts."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlmodel import select

from parcelgraph.models import Claim
from parcelgraph.resolvers.common.filters import any_of, equal
from parcelgraph.resolvers.common.paging import Sort, created_and_updated

SORTS: dict[str, Sort] = created_and_updated("c", Claim)


@dataclass(frozen=True)
class ClaimFilter:
    """What the claims list may be narrowed by; empty means everything."""

    statuses: Sequence[str] = ()
    reasons: Sequence[str] = ()
    resolution_preferences: Sequence[str] = ()
    order_id: uuid.UUID | None = None
    shipment_id: uuid.UUID | None = None


def select_claims(*, shop_id: uuid.UUID, where: ClaimFilter) -> Select[Any]:
    """The shop's claims matching `where` (unordered; paging adds order and limit)."""
    return select(Claim).where(
        Claim.shop_id == shop_id,
        *any_of(Claim.status, where.statuses),
        *any_of(Claim.reason, where.reasons),
        *any_of(Claim.resolution_preference, where.resolution_preferences),
        *equal(Claim.order_id, where.order_id),
        *equal(Claim.shipment_id, where.shipment_id),
    )
