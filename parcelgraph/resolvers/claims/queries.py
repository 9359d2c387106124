"""Claims: the filtered list and its sorts."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlmodel import select

from parcelgraph.models import Claim
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
    stmt = select(Claim).where(Claim.shop_id == shop_id)
    if where.statuses:
        stmt = stmt.where(Claim.status.in_(list(where.statuses)))  # type: ignore[attr-defined]
    if where.reasons:
        stmt = stmt.where(Claim.reason.in_(list(where.reasons)))  # type: ignore[attr-defined]
    if where.resolution_preferences:
        stmt = stmt.where(
            Claim.resolution_preference.in_(list(where.resolution_preferences))  # type: ignore[union-attr]
        )
    if where.order_id is not None:
        stmt = stmt.where(Claim.order_id == where.order_id)
    if where.shipment_id is not None:
        stmt = stmt.where(Claim.shipment_id == where.shipment_id)
    return stmt
