"""Fetchers of claims and their selected items."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim, ClaimItem
from parcelgraph.resolvers.common.loaders import fetcher, grouped


@fetcher("claims_by_order_id")
async def claims_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each order, newest first."""
    stmt = (
        select(Claim)
        .where(Claim.order_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Claim.order_id, Claim.created_at.desc(), Claim.id.desc())  # type: ignore[attr-defined]
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.order_id)


@fetcher("claims_by_shipment_id")
async def claims_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each shipment, newest first."""
    stmt = (
        select(Claim)
        .where(Claim.shipment_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(Claim.shipment_id, Claim.created_at.desc(), Claim.id.desc())  # type: ignore[attr-defined]
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.shipment_id)


@fetcher("claim_items_by_claim_id")
async def claim_items_by_claim_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Selected items of each claim, in a stable order."""
    stmt = (
        select(ClaimItem)
        .where(ClaimItem.claim_id.in_(keys))  # type: ignore[attr-defined]
        .order_by(ClaimItem.claim_id, ClaimItem.sku, ClaimItem.id)
    )
    return grouped(keys, (await session.exec(stmt)).all(), lambda r: r.claim_id)
