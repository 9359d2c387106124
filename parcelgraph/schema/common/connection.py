"""Relay connections paged by keyset cursors in SQL, shared by every list.

A list field returns an un-executed query (`ListQuery`, or `ParentPageQuery` for a list
under each of many parents) annotated as `Iterable[...]`; `KeysetConnection` then reads one
page of it with `first`/`after`/`last`/`before` in one SQL statement. `totalCount` is a
separate COUNT run only when asked for. `shop_list` makes such a root list of a filter
function, so every list of the shop pages, sorts and scopes the same way.
"""

import inspect
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Generic

import strawberry
from sqlalchemy import Select
from strawberry import relay
from strawberry.relay.fields import ConnectionExtension
from strawberry.relay.types import NodeType
from strawberry.types.field import StrawberryField

from parcelgraph.domain.errors import Rejected
from parcelgraph.resolvers.common import paging
from parcelgraph.schema.common.permissions import Allow
from parcelgraph.schema.hardening.extensions import PublicError

ARGUMENT_DESCRIPTIONS = {
    "first": "How many items to return from the start of the list (after `after`). "
    "Default and maximum: 100.",
    "after": "A cursor (`endCursor` or an edge's `cursor`): return items after it.",
    "last": "How many items to return from the end of the list (before `before`). "
    "Maximum 100. Do not combine with `first`.",
    "before": "A cursor (`startCursor` or an edge's `cursor`): return items before it.",
}


class KeysetArguments(ConnectionExtension):
    """Relay's connection arguments, with descriptions that say what these lists do."""

    def apply(self, field: StrawberryField) -> None:
        super().apply(field)
        for argument in field.arguments:
            if argument.python_name in ARGUMENT_DESCRIPTIONS:
                argument.description = ARGUMENT_DESCRIPTIONS[argument.python_name]


def keyset_connection(
    graphql_type: Any, *, description: str, permission_classes: list[Any] | None = None
) -> Any:
    """A connection field paged with keyset cursors (use as a decorator on the resolver)."""
    field = relay.connection(
        graphql_type, description=description, permission_classes=permission_classes or []
    )
    field.extensions = [
        KeysetArguments() if isinstance(e, ConnectionExtension) else e for e in field.extensions
    ]
    return field


@dataclass(frozen=True)
class ListQuery:
    """A filtered SELECT and its sort; `statement=None` means an empty list (out of scope)."""

    statement: Select[Any] | None
    sort: paging.Sort


@dataclass(frozen=True)
class ParentPageQuery:
    """A page of one parent's children, batched across parents by `loader`.

    `statement` (the same children as a plain SELECT) serves `totalCount`.
    """

    loader: str
    parent_id: Any
    sort: paging.Sort
    statement: Select[Any]


def user_error(rejected: Rejected) -> PublicError:
    """A GraphQL error (message and code) for a refused argument."""
    issue = rejected.issues[0]
    return PublicError(issue.message, issue.code, field=list(issue.field))


@strawberry.type(description="A page of a list, with cursors to fetch the pages around it.")
class KeysetConnection(relay.Connection[NodeType], Generic[NodeType]):
    """A connection whose cursors are key values, not offsets: stable under inserts."""

    count_statement: strawberry.Private[Any] = None

    @strawberry.field(
        description="How many items match the filter across all pages. Costs one more SQL "
        "statement: select it only when you show it."
    )
    async def total_count(self, info: strawberry.Info) -> int:
        if self.count_statement is None:
            return 0
        async with info.context.reader() as session:
            return await paging.count(session, self.count_statement)

    @classmethod
    def to_node(cls, row: Any) -> Any:
        """Map a table row to the node type: its `from_row` (the node type is the generic
        argument a concrete connection names, as in `KeysetConnection[OrderType]`)."""
        (node_type,) = typing.get_args(cls.__orig_bases__[0])  # type: ignore[attr-defined]
        return node_type.from_row(row)

    @classmethod
    async def resolve_connection(  # type: ignore[override]
        cls,
        nodes: Any,
        *,
        info: strawberry.Info,
        before: str | None = None,
        after: str | None = None,
        first: int | None = None,
        last: int | None = None,
        max_results: int | None = None,
        **kwargs: Any,
    ) -> Any:
        args = paging.PageArgs(first=first, after=after, last=last, before=before)
        max_size = max_results or info.context.settings.max_page_size
        try:
            size = args.limit(max_size)
            if isinstance(nodes, ParentPageQuery):
                checked = (
                    paging.PageArgs(first=size, after=after, before=before)
                    if args.forward
                    else paging.PageArgs(last=size, after=after, before=before)
                )
                loader = getattr(info.context.loaders, nodes.loader)
                page = await loader.load((nodes.parent_id, nodes.sort.name, checked))
                return cls.from_page(page, nodes.statement)
            if nodes.statement is None:
                return cls.from_page(paging.Page([], [], False, False), None)
            async with info.context.reader() as session:
                page = await paging.fetch_page(
                    session, nodes.statement, nodes.sort, args, max_page_size=max_size
                )
        except Rejected as rejected:
            raise user_error(rejected) from None
        return cls.from_page(page, nodes.statement)

    @classmethod
    def from_page(cls, page: paging.Page, statement: Any) -> Any:
        """The connection of one fetched page."""
        edges = [
            relay.Edge(cursor=cursor, node=cls.to_node(row))
            for row, cursor in zip(page.rows, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            count_statement=statement,
        )


def sort_argument(sorts: dict[str, paging.Sort], chosen: Any) -> paging.Sort:
    """The resolvers' Sort for a schema sort enum value."""
    return sorts[chosen.value]


def shop_list(
    connection: Any, *, node: type, default_sort: Enum, sorts: dict[str, paging.Sort]
) -> Callable[[Callable[[Any, Any], Select[Any] | None]], Any]:
    """Make `select(context, filter)` a root list of the shop's rows: a keyset connection
    with a `filter` and a `sort` argument, empty for customer tokens (they read their
    order's rows through `order`).

    The decorated function's docstring is the field's description; its `filter` parameter's
    annotation is the argument's type. It returns the filtered SELECT, or None when the
    filter can match nothing (an id of no row of this shop).
    """

    def field(select: Callable[[Any, Any], Select[Any] | None]) -> Any:
        def resolve(self: Any, info: strawberry.Info, **args: Any) -> Any:
            sort = sorts[args["sort"].value]
            return list_query(info.context, select, args["filter"], sort)

        given = inspect.signature(select).parameters["filter"].annotation
        resolve.__signature__ = _list_signature(given, default_sort, node)  # type: ignore[attr-defined]
        description = " ".join((select.__doc__ or "").split())
        return keyset_connection(
            connection, description=description, permission_classes=[Allow.viewers_and_customers]
        )(resolve)

    return field


def list_query(
    context: Any,
    select: Callable[[Any, Any], Select[Any] | None],
    filter: Any,
    sort: paging.Sort,
) -> ListQuery:
    """The un-paged query of a root list: `select(context, filter)` in `sort` order, or
    nothing for a customer token (a token lists nothing)."""
    if context.customer is not None:
        return ListQuery(None, sort)
    return ListQuery(select(context, filter), sort)


def _list_signature(filter_type: Any, default_sort: Enum, node: type) -> inspect.Signature:
    plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
    narrow = strawberry.argument(description="Conditions to narrow by.")
    order = strawberry.argument(description="Order of the list.")
    parameters = [
        inspect.Parameter("self", plain),
        inspect.Parameter("info", plain, annotation=strawberry.Info),
        inspect.Parameter("filter", plain, default=None, annotation=Annotated[filter_type, narrow]),
        inspect.Parameter(
            "sort", plain, default=default_sort, annotation=Annotated[type(default_sort), order]
        ),
    ]
    return inspect.Signature(parameters, return_annotation=Iterable[node])  # type: ignore[valid-type]
