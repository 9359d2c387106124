"""Root field `claims`: the shop's claims, filtered."""

from typing import Any

import strawberry
from sqlalchemy import Select

from parcelgraph.context import Context
from parcelgraph.resolvers.claims import queries as claims
from parcelgraph.schema.claims.types import ClaimConnection, ClaimType
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.connection import shop_list
from parcelgraph.schema.common.enums import (
    ClaimReasonEnum,
    ClaimStatusEnum,
    ResolutionPreferenceEnum,
)
from parcelgraph.schema.common.sorts import ClaimSortEnum


@strawberry.input(description="Narrow the claims list. Every given condition must hold.")
class ClaimFilter:
    """Conditions on claims; omitted ones do not filter."""

    statuses: list[ClaimStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Claims in any of these statuses."
    )
    reasons: list[ClaimReasonEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Claims with any of these reasons."
    )
    resolution_preferences: list[ResolutionPreferenceEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Claims whose customer prefers any of these outcomes."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this order's claims (its global id)."
    )
    shipment_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this shipment's claims (its global id)."
    )


def _to_filter(given: ClaimFilter) -> claims.ClaimFilter | None:
    decoded = ids.decode_all(
        order_id=(given.order_id, "Order"), shipment_id=(given.shipment_id, "Shipment")
    )
    if decoded is None:
        return None
    return claims.ClaimFilter(
        statuses=[s.value for s in given.statuses or []],
        reasons=[r.value for r in given.reasons or []],
        resolution_preferences=[p.value for p in given.resolution_preferences or []],
        **decoded,
    )


@strawberry.type
class ClaimQuery:
    """Root fields that read claims."""

    @shop_list(
        ClaimConnection,
        node=ClaimType,
        default_sort=ClaimSortEnum.CREATED_AT_DESC,
        sorts=claims.SORTS,
    )
    def claims(context: Context, filter: ClaimFilter | None) -> Select[Any] | None:
        """The shop's claims, filtered and sorted (newest first by default). Empty for
        customer tokens (they read their claims through `order`)."""
        where = _to_filter(filter) if filter else claims.ClaimFilter()
        if where is None:
            return None
        return claims.select_claims(shop_id=context.shop_id, where=where)
