"""Compile the orders page (`orders(...) { edges { cursor node { ... } } pageInfo totalCount }`).

A plan exists only for a selection this module fully understands: the connection's
`edges` (each `cursor` and `node`), `pageInfo` and `totalCount`, with the node's selection
one the tracking-page plan serves (`compiled_plan.order_level`: scalars of Order, its
shipments, their events and products). Aliases are allowed; fragments, directives,
`__typename` and a response key used twice are not, and those documents run through
normal execution. Every argument the field takes (`filter`, `sort`, `first`, `after`,
`last`, `before`) is accepted: the plan keeps the field node and coerces its arguments per
request exactly as the schema does for the resolver.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLField, GraphQLSchema
from graphql.execution.values import get_argument_values
from strawberry.types.arguments import convert_arguments

from parcelgraph.schema.orders.compiled_plan import (
    Level,
    Unsupported,
    distinct,
    only_fields,
    order_level,
    response_key,
)

PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}


@dataclass(frozen=True)
class EdgePlan:
    """An edge's selection: `cursor` under any keys, and the node's selection."""

    fields: tuple[tuple[str, str], ...]  # (response key, "cursor" or "node") in order
    node: Level | None


@dataclass(frozen=True)
class PagePlan:
    """`orders(...)`: how to read its arguments and what to build of the page."""

    key: str
    fields: tuple[tuple[str, str], ...]  # (response key, "edges"/"pageInfo"/"totalCount")
    edge: EdgePlan | None
    page_info: tuple[tuple[str, str], ...]  # (response key, PageInfo field) in order
    arguments: Callable[[Any], dict[str, Any]]  # the resolver's arguments from variables

    @property
    def counts(self) -> bool:
        """True when the document asks for `totalCount` (one more statement)."""
        return any(name == "totalCount" for _, name in self.fields)


def compile_page(schema: GraphQLSchema, field: FieldNode) -> PagePlan:
    """The plan of the orders page with the selections below it."""
    fields: list[tuple[str, str]] = []
    edge: EdgePlan | None = None
    page_info: tuple[tuple[str, str], ...] = ()
    for selection in _plain(field):
        name = selection.name.value
        if name == "edges" and edge is None:
            edge = _edge(schema, selection)
        elif name == "pageInfo" and not page_info:
            page_info = _page_info(selection)
        elif name != "totalCount" or selection.selection_set is not None:
            raise Unsupported(f"OrderConnection.{name} is not served (or selected twice)")
        fields.append((response_key(selection), name))
    distinct(tuple(key for key, _ in fields))
    return PagePlan(response_key(field), tuple(fields), edge, page_info, _arguments(schema, field))


def _edge(schema: GraphQLSchema, field: FieldNode) -> EdgePlan:
    fields: list[tuple[str, str]] = []
    node: Level | None = None
    for selection in _plain(field):
        name = selection.name.value
        if name == "node" and node is None:
            node = order_level(schema, selection)
        elif name != "cursor" or selection.selection_set is not None:
            raise Unsupported(f"OrderEdge.{name} is not served (or selected twice)")
        fields.append((response_key(selection), name))
    distinct(tuple(key for key, _ in fields))
    return EdgePlan(tuple(fields), node)


def _page_info(field: FieldNode) -> tuple[tuple[str, str], ...]:
    fields = []
    for selection in _plain(field):
        name = selection.name.value
        if name not in PAGE_INFO_FIELDS or selection.selection_set is not None:
            raise Unsupported(f"PageInfo.{name} is not served")
        fields.append((response_key(selection), name))
    distinct(tuple(key for key, _ in fields))
    return tuple(fields)


def _plain(field: FieldNode) -> list[FieldNode]:
    """The fields below `field`, none with arguments or directives."""
    selections = only_fields(field.selection_set)
    if any(s.arguments or s.directives for s in selections):
        raise Unsupported("arguments or directives below the root")
    return selections


def _arguments(schema: GraphQLSchema, field: FieldNode) -> Callable[[Any], dict[str, Any]]:
    """Coerce the field's arguments like the executor, then convert them like strawberry.

    graphql-core coerces literals and variables (defaults included); strawberry then turns
    input objects and enums into the resolver's Python values, as it does for the resolver.
    """
    query_type = schema.query_type
    assert query_type is not None
    definition: GraphQLField = query_type.fields[field.name.value]
    # Strawberry keeps itself on the graphql-core schema it built.
    strawberry_schema = schema._strawberry_schema  # type: ignore[attr-defined]
    strawberry_field = strawberry_schema.get_field_for_type(field.name.value, query_type.name)

    def coerce(variable_values: Any) -> dict[str, Any]:
        raw = get_argument_values(definition, field, variable_values)
        return convert_arguments(
            raw,
            strawberry_field.arguments,
            scalar_registry=strawberry_schema.schema_converter.scalar_registry,
            config=strawberry_schema.config,
        )

    return coerce
