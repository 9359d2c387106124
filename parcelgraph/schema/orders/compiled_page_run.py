"""Run a compiled orders page: a fixed number of statements, then the response from rows.

The page is read by the connection's own paging (`paging.fetch_page` over the query the
`orders` resolver builds, `queries.order_list`), so filters, sorts, cursors, page flags
and the customer's empty list are the normal path's; only the columns the document
selects are read. Shipments, events and products of every order on the page then take
one statement each, and `totalCount` one more when selected, so the statement count does
not depend on the page size. An argument the connection refuses (a bad cursor, `first`
out of range) raises `Unsupported`: normal execution then reports it in its usual shape.
"""

from typing import Any

from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers.common import paging
from parcelgraph.resolvers.orders import compiled_reads as reads
from parcelgraph.schema.common.connection import ListQuery
from parcelgraph.schema.orders.compiled_page_plan import EdgePlan, PagePlan
from parcelgraph.schema.orders.compiled_plan import Unsupported
from parcelgraph.schema.orders.compiled_run import allowed, build_order, read_lists
from parcelgraph.schema.orders.queries import order_list

_EMPTY = paging.Page([], [], False, False)


async def run(plan: PagePlan, context: Any, variable_values: Any) -> dict[str, Any]:
    """The response `data` of the orders page (raises Unsupported to fall back)."""
    if not allowed(context):
        raise Unsupported("the caller needs the normal path's permission error")
    arguments = plan.arguments(variable_values)
    page_args = paging.PageArgs(
        first=arguments["first"],
        after=arguments["after"],
        last=arguments["last"],
        before=arguments["before"],
    )
    listed = order_list(context, arguments["filter"], arguments["sort"])
    try:
        async with context.reader() as session:
            page, lists, total = await _read(session, plan, listed, page_args, context)
    except Rejected as rejected:
        raise Unsupported("an argument the normal path refuses") from rejected
    return {plan.key: _connection(plan, page, lists, total)}


async def _read(
    session: Any, plan: PagePlan, listed: ListQuery, page_args: paging.PageArgs, context: Any
) -> tuple[paging.Page, dict[str, Any], int]:
    max_size = context.settings.max_page_size
    page_args.limit(max_size)  # refused first, as by the connection, even for customers
    if listed.statement is None:
        return _EMPTY, {}, 0
    node = plan.edge.node if plan.edge is not None else None
    columns = node.columns("id", *listed.sort.keys) if node else ("id", *listed.sort.keys)
    # Read even when only totalCount is selected: the connection does, so a cursor it
    # refuses is refused here too (and answered by normal execution).
    page = await reads.order_page(
        session, listed.statement, listed.sort, page_args, columns=columns,
        max_page_size=max_size,
    )  # fmt: skip
    total = await paging.count(session, listed.statement) if plan.counts else 0
    lists: dict[str, Any] = {}
    if node is not None:
        lists = await read_lists(session, node, [row[0] for row in page.rows])  # ids first
        lists["orders"] = node.slots(columns)
    return page, lists, total


def _connection(
    plan: PagePlan, page: paging.Page, lists: dict[str, Any], total: int
) -> dict[str, Any]:
    built: dict[str, Any] = {}
    for key, name in plan.fields:
        if name == "totalCount":
            built[key] = total
        elif name == "pageInfo":
            built[key] = _page_info(plan.page_info, page)
        else:
            assert plan.edge is not None
            built[key] = _edges(plan.edge, page, lists)
    return built


def _edges(edge: EdgePlan, page: paging.Page, lists: dict[str, Any]) -> list[dict[str, Any]]:
    edges = []
    for row, cursor in zip(page.rows, page.cursors, strict=True):
        item: dict[str, Any] = {}
        for key, name in edge.fields:
            if name == "cursor":
                item[key] = cursor
            else:
                assert edge.node is not None
                item[key] = build_order(edge.node, lists["orders"], row, lists)
        edges.append(item)
    return edges


def _page_info(fields: tuple[tuple[str, str], ...], page: paging.Page) -> dict[str, Any]:
    values = {
        "hasNextPage": page.has_next_page,
        "hasPreviousPage": page.has_previous_page,
        "startCursor": page.cursors[0] if page.cursors else None,
        "endCursor": page.cursors[-1] if page.cursors else None,
    }
    return {key: values[name] for key, name in fields}
