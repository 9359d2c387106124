"""The frame REST operations share: a use case in one write transaction, a numbered page
of a list read and turned into views in one read session.

`write` passes a use case what every write use case takes from the caller (its shop and
the request's time, as the MCP face's writes and GraphQL's mutation fields do), so an
operation names only the use case and its own inputs; `transaction` is the bare frame for
an operation that composes its own work in the transaction.

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


async def transaction(context: Context, work: Callable[[AsyncSession], Awaitable[R]]) -> R:
    """`work(session)` run in one write transaction, committed when it returns."""
    async with context.transaction() as session:
        return await work(session)


async def write(context: Context, use_case: Callable[..., Awaitable[R]], /, **inputs: Any) -> R:
    """`use_case(session, shop=, now=, **inputs)` for the caller's shop at the request's time,
    in one write transaction."""
    return await transaction(
        context,
        lambda session: use_case(session, shop=context.shop, now=context.now(), **inputs),
    )


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
