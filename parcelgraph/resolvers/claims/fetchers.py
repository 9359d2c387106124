"""Fetchers of claims and their selected items."""

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.models import Claim, ClaimItem
from parcelgraph.resolvers.common.loaders import children, fetcher

_NEWEST_FIRST = (Claim.created_at.desc(), Claim.id.desc())  # type: ignore[attr-defined]


@fetcher("claims_by_order_id")
async def claims_by_order_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each order, newest first."""
    return await children(session, keys, Claim, "order_id", *_NEWEST_FIRST)


@fetcher("claims_by_shipment_id")
async def claims_by_shipment_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Claims of each shipment, newest first."""
    return await children(session, keys, Claim, "shipment_id", *_NEWEST_FIRST)


@fetcher("claim_items_by_claim_id")
async def claim_items_by_claim_id(session: AsyncSession, keys: Sequence[Any]) -> list[Any]:
    """Selected items of each claim, in a stable order."""
    return await children(session, keys, ClaimItem, "claim_id", ClaimItem.sku, ClaimItem.id)
