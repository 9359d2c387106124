"""Claim operations of REST v1: create, get, search, update (the same claim use cases as
GraphQL's createClaim/updateClaim; reads through the shop-scoped lookups)."""

from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.domain.errors import Rejected
from parcelgraph.models import Claim, Shipment
from parcelgraph.resolvers import claims
from parcelgraph.resolvers.claims import ClaimPolicy
from parcelgraph.resolvers.claims import queries as claim_queries
from parcelgraph.resolvers.common import reads
from parcelgraph.resolvers.read_graph import FETCHERS
from parcelgraph.rest.access import Editor, EnvelopeRoute, Viewer
from parcelgraph.rest.claim_models import (
    ClaimIn,
    ClaimOut,
    ClaimUpdateIn,
    Resolution,
    Status,
    claim_out,
)
from parcelgraph.rest.operations import PageNumber, numbered_page, write
from parcelgraph.rest.responses import COMMON, WITH_CONFLICT

router = APIRouter(route_class=EnvelopeRoute, tags=["claims"])
CLAIMS = "/v1/shops/{slug}/claims"
ClaimId = Annotated[UUID, Path(description="The claim's uuid.")]


async def _views(session: AsyncSession, context: Context, rows: Sequence[Claim]) -> list[ClaimOut]:
    """Claims as v1 claims: three batched SELECTs for any number of claims."""
    items = await FETCHERS["claim_items_by_claim_id"](session, [c.id for c in rows])
    orders = await FETCHERS["order_by_id"](session, [c.order_id for c in rows])
    shipments = await FETCHERS["shipment_by_id"](session, [c.shipment_id for c in rows])
    return [
        claim_out(context.shop, *parts)
        for parts in zip(rows, items, orders, shipments, strict=True)
    ]


async def _read(context: Context, claim_id: UUID) -> ClaimOut:
    async with context.db.reader() as session:
        [row] = await reads.by_ids(session, Claim, [claim_id], shop_id=context.shop_id)
        if row is None:
            raise Rejected.one("CLAIM_NOT_FOUND", "No claim with this id in this shop.", "uuid")
        return (await _views(session, context, [row]))[0]


async def _shipment_order(context: Context, shipment_id: UUID | None) -> UUID | None:
    # v1 names a claim's shipment only; the use case wants its order too.
    if shipment_id is None:
        return None
    async with context.db.reader() as session:
        [row] = await reads.by_ids(session, Shipment, [shipment_id], shop_id=context.shop_id)
    if row is None:
        raise Rejected.one("SHIPMENT_NOT_FOUND", "No shipment with this id.", "shipment_id")
    return row.order_id


@router.post(
    CLAIMS,
    summary="Create claim",
    description="File a claim about one shipment. The shipment's real state decides which "
    "reasons are possible (422 `claim_not_eligible`); one open claim per shipment and reason "
    "(409 `claim_exists`). Sends `claims/created` to webhooks.",
    status_code=201,
    responses=WITH_CONFLICT,
)
async def create_claim(context: Editor, body: ClaimIn) -> ClaimOut:
    order_id = await _shipment_order(context, body.shipment_id)
    row = await write(
        context,
        claims.create,
        claim=body.to_input(order_id),
        policy=ClaimPolicy.from_settings(context.settings),
    )
    return await _read(context, row.id)


@router.get(
    CLAIMS + "/{claim_id}",
    summary="Get claim",
    description="One claim of the shop by its uuid.",
    responses=COMMON,
)
async def get_claim(context: Viewer, claim_id: ClaimId) -> ClaimOut:
    return await _read(context, claim_id)


@router.get(
    CLAIMS,
    summary="Search claims",
    description="The shop's claims, newest first; every filter given must match.",
    responses=COMMON,
)
async def search_claims(
    context: Viewer,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(gt=0, le=100, description="Claims per page, 1..100.")] = 30,
    order_id: Annotated[UUID | None, Query(description="Only this order's.")] = None,
    shipment_id: Annotated[UUID | None, Query(description="Only this shipment's.")] = None,
    resolution_preference: Annotated[
        Resolution | None, Query(description="Only this preference.")
    ] = None,
    status: Annotated[Status | None, Query(description="Only this status.")] = None,
) -> list[ClaimOut]:
    where = claim_queries.ClaimFilter(
        statuses=[status.value.upper()] if status else [],
        resolution_preferences=[resolution_preference.value.upper()]
        if resolution_preference
        else [],
        order_id=order_id,
        shipment_id=shipment_id,
    )
    return await numbered_page(
        context,
        claim_queries.select_claims(shop_id=context.shop_id, where=where),
        claim_queries.SORTS["CREATED_AT_DESC"],
        page=page,
        per_page=per_page,
        views=lambda session, rows: _views(session, context, rows),
    )


@router.put(
    CLAIMS + "/{claim_id}",
    summary="Update claim",
    description="Change `status` (along pending → accepted/rejected → closed) and/or "
    "`resolution_preference`. Sends `claims/updated` to webhooks when something changed.",
    responses=COMMON,
)
async def update_claim(context: Editor, claim_id: ClaimId, body: ClaimUpdateIn) -> ClaimOut:
    preference = body.resolution_preference
    await write(
        context,
        claims.update,
        claim_id=claim_id,
        status=body.status.value.upper() if body.status else None,
        resolution_preference=preference.value.upper() if preference else None,
    )
    return await _read(context, claim_id)
