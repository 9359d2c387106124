"""What a query costs, read generically from the schema (no per-field table to keep up).

The model (Shopify's, simplified):

- a field returning an object, interface or union costs 1 plus its selection;
- a scalar or enum field costs 0; introspection fields (`__schema`, `__type`, ...) cost 0;
- a *connection* field (any field with a `first` or `last` argument) costs 1, plus its
  selection where every list-typed child (`edges`, `nodes`) is multiplied by the page size:
  `first`/`last` clamped to 0..max page size, or the max page size when neither is given;
- a plain list field counts like one object (its length is not known before execution);
- nested multipliers compound; fragments and inline fragments are expanded where spread,
  every selection counted as written (duplicates included, which can only over-estimate);
- a field may override its own weight with `metadata={"cost": n}`.

`requested_cost` runs before execution. In the validation rule, variables are not known:
a variable page size counts as 0, so the rule refuses only documents that are too expensive
whatever the variables (a cacheable lower bound); the execution hook then computes the exact
figure with the request's variables (an absent or null variable means the max page size).
`actual_cost` (actual_cost.py) walks the result: connections count the items actually returned.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)

PAGE_ARGUMENTS = ("first", "last")
UNKNOWN = object()  # a variable's value during validation


@dataclass(frozen=True)
class CostModel:
    """The parameters of the cost model."""

    max_page_size: int


def is_connection(field: GraphQLField) -> bool:
    """Connections are recognised by their paging arguments, whatever their name."""
    return any(name in field.args for name in PAGE_ARGUMENTS)


def is_list(field: GraphQLField) -> bool:
    return isinstance(get_nullable_type(field.type), GraphQLList)


def own_weight(field: GraphQLField) -> int:
    """1 for object-like fields, 0 for leaves, or the field's declared `cost` metadata."""
    definition = field.extensions.get("strawberry-definition") if field.extensions else None
    metadata = getattr(definition, "metadata", None) or {}
    if "cost" in metadata:
        return int(metadata["cost"])
    return 0 if is_leaf_type(get_named_type(field.type)) else 1


# The walk over a result visits every leaf of every object: the facts of a field are
# worked out once per schema field, not once per value (kept with the field itself, so an
# id is never confused with a collected schema's field).
_FIELD_FACTS: dict[int, tuple[GraphQLField, Any, int, bool, bool]] = {}


def field_facts(field: GraphQLField) -> tuple[GraphQLField, Any, int, bool, bool]:
    """(field, named type, own weight, is a leaf, is a connection), memoised."""
    facts = _FIELD_FACTS.get(id(field))
    if facts is None or facts[0] is not field:
        target = get_named_type(field.type)
        facts = (field, target, own_weight(field), is_leaf_type(target), is_connection(field))
        _FIELD_FACTS[id(field)] = facts
    return facts


def page_size(
    field: GraphQLField,
    node: FieldNode,
    variables: Mapping[str, Any] | None,
    model: CostModel,
) -> int:
    """The multiplier of a connection field as requested (validation: variables count 0)."""
    sizes: list[int] = []
    for argument in node.arguments or ():
        if argument.name.value not in PAGE_ARGUMENTS:
            continue
        value: Any = UNKNOWN
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            if variables is not None:
                value = variables.get(argument.value.name.value)
        else:
            value = None  # a literal null (or a wrong type, refused by validation)
        if value is UNKNOWN:
            sizes.append(0)
        elif isinstance(value, int) and not isinstance(value, bool):
            sizes.append(min(max(value, 0), model.max_page_size))
    return max(sizes) if sizes else model.max_page_size


class _Walker:
    """Static cost of one operation; each fragment is costed once (memoised), so documents
    that spread fragments inside fragments cannot make the walk exponential."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any] | None,
        model: CostModel,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.model = model
        self._memo: dict[str, tuple[int, int]] = {}
        self._active: set[str] = set()

    def selection(self, parent: GraphQLNamedType | None, node: SelectionSetNode | None) -> int:
        """Cost of a selection set outside a connection (list children count once)."""
        listed, single = self.children(parent, node)
        return listed + single

    def children(
        self, parent: GraphQLNamedType | None, node: SelectionSetNode | None
    ) -> tuple[int, int]:
        """Cost of the selected list fields and of the other fields, fragments expanded."""
        listed = single = 0
        if node is None or parent is None:
            return 0, 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                field = field_of(parent, selection)
                if field is None:
                    continue
                cost = self.field(field, selection)
                if is_list(field):
                    listed += cost
                else:
                    single += cost
            else:
                if isinstance(selection, InlineFragmentNode):
                    target = type_condition(self.schema, selection, parent)
                    more = self.children(target, selection.selection_set)
                else:
                    assert isinstance(selection, FragmentSpreadNode)
                    more = self.spread(selection.name.value, parent)
                listed += more[0]
                single += more[1]
        return listed, single

    def spread(self, name: str, parent: GraphQLNamedType) -> tuple[int, int]:
        if name in self._memo:
            return self._memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._active:
            return 0, 0  # unknown or cyclic: reported by graphql-core's own rules
        self._active.add(name)
        try:
            target = type_condition(self.schema, fragment, parent)
            self._memo[name] = self.children(target, fragment.selection_set)
        finally:
            self._active.discard(name)
        return self._memo[name]

    def field(self, field: GraphQLField, node: FieldNode) -> int:
        if node.name.value.startswith("__"):
            return 0
        weight = own_weight(field)
        target = get_named_type(field.type)
        if is_leaf_type(target):
            return weight
        if not is_connection(field):
            return weight + self.selection(target, node.selection_set)
        size = page_size(field, node, self.variables, self.model)
        listed, single = self.children(target, node.selection_set)
        return weight + listed * size + single


def field_of(parent: GraphQLNamedType, node: FieldNode) -> GraphQLField | None:
    """The schema field a selection names on `parent` (None: not a field of it)."""
    fields = getattr(parent, "fields", None)
    if not fields:
        return None
    return fields.get(node.name.value)


def type_condition(
    schema: GraphQLSchema,
    node: InlineFragmentNode | FragmentDefinitionNode,
    parent: GraphQLNamedType | None,
) -> GraphQLNamedType | None:
    """The type a fragment applies to: its type condition, else the enclosing type."""
    if node.type_condition is None:
        return parent
    return schema.get_type(node.type_condition.name.value)


def fragments_of(document: Any) -> dict[str, FragmentDefinitionNode]:
    """The document's fragment definitions by name."""
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def root_type(
    schema: GraphQLSchema, operation: OperationDefinitionNode
) -> GraphQLObjectType | None:
    """The root type an operation selects from."""
    return schema.get_root_type(operation.operation)


def requested_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    model: CostModel,
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of `operation` before execution (`variables=None`: validation's lower bound)."""
    walker = _Walker(schema, fragments, variables, model)
    return walker.selection(root_type(schema, operation), operation.selection_set)
