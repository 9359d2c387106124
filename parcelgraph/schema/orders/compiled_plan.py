"""Compile the tracking-page document into a plan, or refuse it.

A plan exists only for a shape this module fully understands: one query with one root
field `order(orderNumber:)` and, below it, plain scalar fields of Order, its `shipments`,
their `events` and `products` (aliases allowed). Anything else (fragments, directives,
arguments below the root, `__typename`, a response key used twice, other fields) has no
plan and runs through normal execution. The Order selection is shared with the plan of
the orders page (`compiled_page_plan`).
"""

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphql import (
    FieldNode,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
)

from parcelgraph.schema.common.enums import DirectionEnum, OrderStateEnum, PhaseEnum

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")

# The fields each type serves from one column of its own row, with the conversion its
# `from_row` applies before the scalar's serializer runs (enums are built from the value).
ORDER_FIELDS = {
    "orderNumber", "orderName", "externalId", "orderPlacedAt", "email", "currency",
    "totalOrderPrice", "subTotalPrice", "shippingPrice", "discountPrice", "weight",
    "userAgent", "expectedNumberOfShipments", "state", "cancelledAt", "cancelReason",
    "createdAt", "updatedAt",
}  # fmt: skip
SHIPMENT_FIELDS = {
    "position", "trackingNumber", "trackingUrl", "trackingPlacedAt", "trackingCompany",
    "externalShipmentId", "phase", "direction", "delayed", "damaged", "failedAttempts",
    "lastEventAt", "deliveredAt", "createdAt", "updatedAt",
}  # fmt: skip
EVENT_FIELDS = {
    "sequence", "ref", "eventName", "eventGroup", "occurredAt", "recordedAt", "externalId",
    "location", "message",
}  # fmt: skip
CONTENT_FIELDS = {"sku", "title", "quantity"}
ENUMS: dict[str, type] = {"state": OrderStateEnum, "phase": PhaseEnum, "direction": DirectionEnum}
# graphql-core's String, ID and Boolean serializers return a str (bool) unchanged, and Int
# an int in the 32-bit range: the builder skips the call for those (thousands per page).
PLAIN: dict[str, type] = {"String": str, "ID": str, "Boolean": bool, "Int": int}


class Unsupported(Exception):
    """The document (or this request's data) is outside what the compiled path serves."""


@dataclass(frozen=True)
class Leaf:
    """One scalar of the response: its key, the column behind it and how to serialize."""

    key: str
    field: str  # the GraphQL field name (`id` and `isDraft` are computed)
    column: str | None
    convert: Any
    serialize: Any
    non_null: bool
    plain: type | None = None  # values of exactly this type serialize to themselves


@dataclass(frozen=True)
class Level:
    """A selection set: its leaves and, for shipments, the nested lists."""

    key: str
    leaves: tuple[Leaf, ...]
    children: tuple["Level", ...]
    field: str
    order: tuple[str, ...]  # every response key, in the document's order

    @cached_property
    def leaves_first(self) -> bool:
        """True when the document lists every leaf before the nested lists, in the order
        the builder adds them (then the built object needs no reordering)."""
        built = [leaf.key for leaf in self.leaves] + [child.key for child in self.children]
        return tuple(built) == self.order

    def columns(self, *always: str) -> tuple[str, ...]:
        """The columns to select: the fixed ones first (at their positions in `always`),
        then the leaves' (once each)."""
        found = dict.fromkeys(always)
        found.update(dict.fromkeys(leaf.column for leaf in self.leaves if leaf.column))
        return tuple(found)

    def slots(self, columns: tuple[str, ...]) -> tuple[int, ...]:
        """Where each leaf's value sits in a row of `columns` (the computed `id` and
        `isDraft` read the row's id and tracking number). Rows are read by position:
        attribute access on a SQLAlchemy row costs about ten times more."""
        source = {"id": "id", "isDraft": "tracking_number"}
        return tuple(columns.index(leaf.column or source[leaf.field]) for leaf in self.leaves)


@dataclass(frozen=True)
class Plan:
    """`order(orderNumber:)`: where the number comes from and what to build."""

    number_literal: str | None
    number_variable: str | None
    order: Level

    def order_number(self, variables: dict[str, Any]) -> str:
        """The order number of this request (a non-string means normal execution)."""
        value = self.number_literal
        if self.number_variable is not None:
            value = variables.get(self.number_variable)
        if not isinstance(value, str):
            raise Unsupported("orderNumber is not a string")
        return value


def root_field(operation: OperationDefinitionNode) -> FieldNode:
    """The one root field of a plain query (anything else has no plan)."""
    if operation.operation != OperationType.QUERY or operation.directives:
        raise Unsupported("not a plain query")
    root = only_fields(operation.selection_set)
    if len(root) != 1 or root[0].directives:
        raise Unsupported("not a single root field")
    return root[0]


def compile_order(schema: GraphQLSchema, field: FieldNode) -> Plan:
    """The plan of `order(orderNumber:)` with the selections below it."""
    arguments = field.arguments or ()
    if len(arguments) != 1 or arguments[0].name.value != "orderNumber":
        raise Unsupported("order is not asked for by orderNumber alone")
    value = arguments[0].value
    literal = value.value if isinstance(value, StringValueNode) else None
    variable = value.name.value if isinstance(value, VariableNode) else None
    if literal is None and variable is None:
        raise Unsupported("orderNumber is neither a string nor a variable")
    return Plan(literal, variable, order_level(schema, field))


def order_level(schema: GraphQLSchema, field: FieldNode) -> Level:
    """An Order selection: its scalars and, optionally, its shipments."""
    return _level(schema, field, "Order", ORDER_FIELDS, {"shipments": _shipments})


def _shipments(schema: GraphQLSchema, field: FieldNode) -> Level:
    nested = {"events": _events, "products": _contents}
    return _level(schema, field, "Shipment", SHIPMENT_FIELDS, nested)


def _events(schema: GraphQLSchema, field: FieldNode) -> Level:
    return _level(schema, field, "Event", EVENT_FIELDS, {})


def _contents(schema: GraphQLSchema, field: FieldNode) -> Level:
    return _level(schema, field, "ShipmentProduct", CONTENT_FIELDS, {})


def _level(
    schema: GraphQLSchema, field: FieldNode, type_name: str, plain: set[str], nested: dict
) -> Level:
    graphql_type = schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    leaves: list[Leaf] = []
    children: list[Level] = []
    for selection in only_fields(field.selection_set):
        name = selection.name.value
        key = selection.alias.value if selection.alias else name
        if selection.directives or selection.arguments:
            raise Unsupported("arguments or directives below the root")
        if name in nested and selection.selection_set is not None:
            if any(child.field == name for child in children):
                raise Unsupported(f"{type_name}.{name} is selected twice")
            children.append(nested[name](schema, selection))
            continue
        computed = name == "id" and type_name != "ShipmentProduct"
        computed = computed or (name == "isDraft" and type_name == "Shipment")
        if selection.selection_set is not None or not (name in plain or computed):
            raise Unsupported(f"{type_name}.{name} is not served")
        field_type = graphql_type.fields[name].type
        named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        column = None if computed else _SNAKE.sub("_", name).lower()
        convert = ENUMS.get(name) if type_name != "Event" else None
        non_null = isinstance(field_type, GraphQLNonNull)
        native = PLAIN.get(named.name)  # type: ignore[union-attr]
        leaves.append(Leaf(key, name, column, convert, named.serialize, non_null, native))  # type: ignore[union-attr]
    keys = tuple(response_key(selection) for selection in only_fields(field.selection_set))
    distinct(keys)
    return Level(response_key(field), tuple(leaves), tuple(children), field.name.value, keys)


def only_fields(selection_set: SelectionSetNode | None) -> list[FieldNode]:
    """The fields of a selection set (fragments and missing selections have no plan)."""
    if selection_set is None:
        raise Unsupported("a list or object without a selection")
    fields = [s for s in selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != len(selection_set.selections):
        raise Unsupported("fragments are not flattened here")
    return fields


def response_key(field: FieldNode) -> str:
    """The key of a field in the response: its alias, else its name."""
    return field.alias.value if field.alias else field.name.value


def distinct(keys: tuple[str, ...]) -> None:
    """Refuse a response key used twice (the executor would merge the fields)."""
    if len(set(keys)) != len(keys):
        raise Unsupported("a response key is selected twice")
