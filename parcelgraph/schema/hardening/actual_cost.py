"""What a result cost: the model of cost.py, applied to what the result holds.

Connections count the items actually returned and nulls count 0, so the unused part of a
request's charge can be given back after execution.
"""

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from parcelgraph.schema.hardening.cost import field_facts, field_of, root_type, type_condition

# Which selections of a selection set can cost anything, worked out once per (type,
# selection set) instead of once per object of the result (a 50-order page holds thousands
# of objects): a leaf of weight 0, an introspection field and a field the type does not
# have add nothing, so the walk skips them. Kept with the type and node themselves, as
# the field facts are; bounded, as documents come and go with the parser cache.
_Costly = tuple[tuple[Any, str | None, GraphQLField | None], ...]
_COSTLY: dict[tuple[int, int], tuple[Any, SelectionSetNode, _Costly]] = {}
_COSTLY_SIZE = 4096


def _costly(parent: GraphQLNamedType | None, node: SelectionSetNode) -> _Costly:
    """(selection, response key, field) of the fields that may cost, and every fragment."""
    cached = _COSTLY.get((id(parent), id(node)))
    if cached is not None and cached[0] is parent and cached[1] is node:
        return cached[2]
    found: list[tuple[Any, str | None, GraphQLField | None]] = []
    for selection in node.selections:
        if not isinstance(selection, FieldNode):
            found.append((selection, None, None))
            continue
        field = field_of(parent, selection)  # type: ignore[arg-type]
        if field is None or selection.name.value.startswith("__"):
            continue
        _, _, weight, leaf, _ = field_facts(field)
        if not leaf or weight:
            key = selection.alias.value if selection.alias else selection.name.value
            found.append((selection, key, field))
    if len(_COSTLY) >= _COSTLY_SIZE:
        _COSTLY.clear()
    _COSTLY[(id(parent), id(node))] = (parent, node, tuple(found))
    return tuple(found)


def actual_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    data: Mapping[str, Any] | None,
) -> int:
    """The cost of what was returned: connections count their returned items, nulls 0."""
    if not data:
        return 0
    return _Actual(schema, fragments).selection(
        root_type(schema, operation), operation.selection_set, data
    )


class _Actual:
    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]
    ) -> None:
        self.schema = schema
        self.fragments = fragments

    def selection(
        self,
        parent: GraphQLNamedType | None,
        node: SelectionSetNode | None,
        data: Any,
        *,
        in_connection: bool = False,
    ) -> int:
        if node is None or parent is None or not isinstance(data, Mapping):
            return 0
        return self._collect(parent, node, data, in_connection, set())

    def _collect(
        self,
        parent: GraphQLNamedType | None,
        node: SelectionSetNode,
        data: Mapping[str, Any],
        in_connection: bool,
        visited: set[str],
    ) -> int:
        # Like graphql-core's field collection, a fragment is expanded once per object, so
        # the walk stays proportional to the result however fragments are spread.
        total = 0
        for selection, key, field in _costly(parent, node):
            if field is not None:
                if key in data:
                    total += self.field(field, selection, data[key], in_connection)
            elif isinstance(selection, InlineFragmentNode):
                target = type_condition(self.schema, selection, parent)
                total += self._collect(
                    target, selection.selection_set, data, in_connection, visited
                )
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                visited.add(name)
                target = type_condition(self.schema, fragment, parent)
                total += self._collect(target, fragment.selection_set, data, in_connection, visited)
        return total

    def field(self, field: GraphQLField, node: FieldNode, value: Any, multiplied: bool) -> int:
        if node.name.value.startswith("__") or value is None:
            return 0
        _, target, weight, leaf, connection = field_facts(field)
        if leaf:
            return weight
        if isinstance(value, list):
            costs = [
                weight + self.selection(target, node.selection_set, item, in_connection=connection)
                for item in value
                if item is not None
            ]
            if not costs:
                return 0
            # Inside a connection every returned item counts; a plain list counts as one.
            return sum(costs) if multiplied else max(costs)
        return weight + self.selection(target, node.selection_set, value, in_connection=connection)
