"""Root field `claims`: the shop's claims, filtered."""

from collections.abc import Iterable
from typing import Annotated

import strawberry

from parcelgraph.resolvers.claims import queries as claims
from parcelgraph.schema.claims.types import ClaimConnection, ClaimType
from parcelgraph.schema.common import ids
from parcelgraph.schema.common.connection import ListQuery, keyset_connection
from parcelgraph.schema.common.enums import (
    ClaimReasonEnum,
    ClaimStatusEnum,
    ResolutionPreferenceEnum,
)
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.common.scope import is_customer
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
    order_id = ids.decode(given.order_id, "Order")
    shipment_id = ids.decode(given.shipment_id, "Shipment")
    if (given.order_id is not None and order_id is None) or (
        given.shipment_id is not None and shipment_id is None
    ):
        return None
    return claims.ClaimFilter(
        statuses=[s.value for s in given.statuses or []],
        reasons=[r.value for r in given.reasons or []],
        resolution_preferences=[p.value for p in given.resolution_preferences or []],
        order_id=order_id,
        shipment_id=shipment_id,
    )


@strawberry.type
class ClaimQuery:
    """Root fields that read claims."""

    @keyset_connection(
        ClaimConnection,
        description="The shop's claims, filtered and sorted (newest first by default). "
        "Empty for customer tokens (they read their claims through `order`).",
        permission_classes=[Allow.viewers_and_customers],
    )
    def claims(
        self,
        info: strawberry.Info,
        filter: Annotated[
            ClaimFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
        sort: Annotated[
            ClaimSortEnum, strawberry.argument(description="Order of the list.")
        ] = ClaimSortEnum.CREATED_AT_DESC,
    ) -> Iterable[ClaimType]:
        sort_spec = claims.SORTS[sort.value]
        where = _to_filter(filter) if filter else claims.ClaimFilter()
        if is_customer(info) or where is None:
            return ListQuery(None, sort_spec)  # type: ignore[return-value]
        statement = claims.select_claims(shop_id=info.context.shop_id, where=where)
        return ListQuery(statement, sort_spec)  # type: ignore[return-value]
