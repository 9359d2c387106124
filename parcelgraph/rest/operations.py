"""The frame REST operations share: a use case in one write transaction, a numbered page
of a list read and turned into views in one read session.

A refusal raised inside either (`Rejected`) rolls the transaction back and leaves through
`EnvelopeRoute` as the documented error envelope, so an operation states only its use case
call and its answer.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import Select
from sqlmodel.ext.asyncio.session import AsyncSession

from parcelgraph.context import Context
from parcelgraph.resolvers.common import paging

R = TypeVar("R")
V = TypeVar("V")

PageNumber = Annotated[int, Query(gt=0, description="Page number, from 1.")]


async def write(context: Context, use_case: Callable[[AsyncSession], Awaitable[R]]) -> R:
    """`use_case(session)` run in one write transaction, committed when it returns."""
    async with context.transaction() as session:
        return await use_case(session)


async def numbered_page(
    context: Context,
    statement: Select[Any],
    sort: paging.Sort,
    *,
    page: int,
    per_page: int,
    views: Callable[[AsyncSession, Sequence[Any]], Awaitable[list[V]]],
) -> list[V]:
    """Page `page` (from 1) of `statement` in `sort` order, as `views` of its rows, read in
    one session."""
    async with context.db.reader() as session:
        rows = await paging.fetch_numbered_page(
            session, statement, sort, page=page, per_page=per_page
        )
        return await views(session, rows)
