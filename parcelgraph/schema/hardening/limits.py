"""Validation rules that refuse oversized documents: depth, cost, list sizes.

The rule classes are built once per set of limits (`rules_for` is memoised), so the
ValidationCache, whose key includes the rule classes, keeps hitting. Each
refusal carries its own `extensions.code` plus the measured figure and the limit.

Fragments are counted where they are spread (the alias bypass strawberry fixed in 0.315.7),
memoised per fragment so that nested spreads cannot make the checks exponential. Depth is
checked first; the other walks only run on documents within the depth limit.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    ValidationRule,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)

from parcelgraph.schema.hardening.cost import CostModel, fragments_of, requested_cost

# Fields whose list arguments have their own, larger limit checked by the use case (with a
# proper UserError). The request body size still bounds them.
UNCAPPED_LIST_FIELDS = frozenset({"Mutation.bulkFulfillment"})


@dataclass(frozen=True)
class Limits:
    """The limits in force (from Settings); hashable, so rule classes are built once each."""

    max_depth: int
    max_aliases: int
    max_cost: int
    max_page_size: int
    max_list_items: int
    max_tokens: int
    max_fields: int = 250
    max_field_repeats: int = 10

    @classmethod
    def from_settings(cls, settings: Any) -> "Limits":
        """The limits of `settings`."""
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
            max_list_items=settings.max_list_input_items,
            max_tokens=settings.max_tokens,
            max_fields=settings.max_fields,
            max_field_repeats=settings.max_field_repeats,
        )

    @property
    def cost_model(self) -> CostModel:
        return CostModel(max_page_size=self.max_page_size)


def refusal(message: str, code: str, node: Any = None, **figures: Any) -> GraphQLError:
    """A GraphQL error refusing the request, with its code and figures in extensions."""
    return GraphQLError(message, nodes=node, extensions={"code": code, **figures})


class _Counter:
    """Depth and alias counts of operations, fragments memoised."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self._depth: dict[str, int] = {}
        self._aliases: dict[str, int] = {}
        self._active: set[str] = set()

    def _fragment(self, name: str, memo: dict[str, int], measure: Any) -> int:
        if name in memo:
            return memo[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._active:
            return 0  # unknown or cyclic: graphql-core's own rules report it
        self._active.add(name)
        try:
            memo[name] = measure(fragment.selection_set)
        finally:
            self._active.discard(name)
        return memo[name]

    def depth(self, node: SelectionSetNode | None) -> int:
        """Levels of fields below `node` (introspection fields do not count)."""
        return self._fold(node, max, self._depth, self.depth, self._field_depth)

    def aliases(self, node: SelectionSetNode | None) -> int:
        """Aliased fields below `node`, each fragment counted every time it is spread."""
        return self._fold(node, operator.add, self._aliases, self.aliases, self._field_aliases)

    def _field_depth(self, field: FieldNode) -> int:
        if field.name.value.startswith("__"):
            return 0
        return 1 + self.depth(field.selection_set)

    def _field_aliases(self, field: FieldNode) -> int:
        return (1 if field.alias else 0) + self.aliases(field.selection_set)

    def _fold(
        self,
        node: SelectionSetNode | None,
        combine: Callable[[int, int], int],
        memo: dict[str, int],
        measure: Callable[[SelectionSetNode | None], int],
        at_field: Callable[[FieldNode], int],
    ) -> int:
        # Both figures walk a selection set the same way: a field gives `at_field`, an
        # inline fragment is measured in place, a spread once per fragment (`memo`);
        # `combine` joins the siblings (max for depth, + for aliases).
        if node is None:
            return 0
        total = 0
        for selection in node.selections:
            value = 0
            if isinstance(selection, FieldNode):
                value = at_field(selection)
            elif isinstance(selection, InlineFragmentNode):
                value = measure(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                value = self._fragment(selection.name.value, memo, measure)
            total = combine(total, value)
        return total


def operations_of(document: DocumentNode) -> list[OperationDefinitionNode]:
    """The document's operation definitions."""
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def longest_list(value: ValueNode | Any, variables: Mapping[str, Any] | None = None) -> int:
    """The most items any list inside a literal (or, with `variables`, a variable) holds."""
    if isinstance(value, ListValueNode):
        inner = max((longest_list(v, variables) for v in value.values), default=0)
        return max(len(value.values), inner)
    if isinstance(value, ObjectValueNode):
        return max((longest_list(f.value, variables) for f in value.fields), default=0)
    if isinstance(value, VariableNode):
        if variables is None:
            return 0
        return longest_python_list(variables.get(value.name.value))
    return 0


def longest_python_list(value: Any) -> int:
    """The most items any list inside a JSON value holds (iterative: JSON may nest deeply)."""
    longest = 0
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, list):
            longest = max(longest, len(current))
            pending.extend(current)
        elif isinstance(current, dict):
            pending.extend(current.values())
    return longest


@lru_cache(maxsize=64)
def rules_for(limits: Limits) -> tuple[type[ValidationRule], ...]:
    """The validation rules enforcing `limits`: the same classes for the same limits."""

    class HardeningRule(ValidationRule):
        """Depth and cost of the whole document; list literals per argument."""

        def enter_document(self, node: DocumentNode, *_args: Any) -> None:
            fragments = fragments_of(node)
            counter = _Counter(fragments)
            operations = operations_of(node)
            for operation in operations:
                depth = counter.depth(operation.selection_set)
                if depth > limits.max_depth:
                    self.report_error(
                        refusal(
                            f"The query is {depth} levels deep; the maximum is {limits.max_depth}.",
                            "MAX_DEPTH_EXCEEDED",
                            operation,
                            depth=depth,
                            limit=limits.max_depth,
                        )
                    )
                    return  # the other walks are only bounded within the depth limit
            # Aliases are counted before validation (document_size.py).
            schema = self.context.schema
            for operation in operations:
                cost = requested_cost(schema, operation, fragments, limits.cost_model, None)
                if cost > limits.max_cost:
                    self.report_error(cost_refusal(cost, limits.max_cost, operation))

        def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
            size = longest_list(node.value)
            if size <= limits.max_list_items:
                return
            field = self.context.get_field_def()
            if _field_coordinate(self.context.get_parent_type(), field) in UNCAPPED_LIST_FIELDS:
                return
            self.report_error(list_refusal(node.name.value, size, limits.max_list_items, node))

    return (HardeningRule,)


def _field_coordinate(parent: Any, field: Any) -> str | None:
    if parent is None or field is None:
        return None
    for name, candidate in getattr(parent, "fields", {}).items():
        if candidate is field:
            return f"{parent.name}.{name}"
    return None


def cost_refusal(cost: int, limit: int, node: Any = None) -> GraphQLError:
    """The MAX_COST_EXCEEDED error."""
    return refusal(
        f"The query costs {cost} points; the maximum is {limit}. Ask for fewer items "
        "(`first`/`last`) or fewer nested lists.",
        "MAX_COST_EXCEEDED",
        node,
        cost=cost,
        limit=limit,
    )


def list_refusal(argument: str, size: int, limit: int, node: Any = None) -> GraphQLError:
    """The MAX_LIST_SIZE_EXCEEDED error."""
    return refusal(
        f"Argument `{argument}` holds a list of {size} items; the maximum is {limit}.",
        "MAX_LIST_SIZE_EXCEEDED",
        node,
        size=size,
        limit=limit,
    )


class _VariableLists(Visitor):
    """Finds list-valued variables in arguments that are capped (variables known)."""

    def __init__(self, type_info: TypeInfo, variables: Mapping[str, Any], limit: int) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables = variables
        self.limit = limit
        self.found: GraphQLError | None = None

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> Any:
        if self.found is not None:
            return self.BREAK
        size = longest_list(node.value, self.variables)
        if size <= self.limit:
            return None
        coordinate = _field_coordinate(
            self.type_info.get_parent_type(), self.type_info.get_field_def()
        )
        if coordinate not in UNCAPPED_LIST_FIELDS:
            self.found = list_refusal(node.name.value, size, self.limit, node)
        return None


def variable_list_refusal(
    schema: Any, document: DocumentNode, variables: Mapping[str, Any] | None, limit: int
) -> GraphQLError | None:
    """A MAX_LIST_SIZE_EXCEEDED error when a variable passes a too long list, else None."""
    if not variables or longest_python_list(variables) <= limit:
        return None  # the common case: no long list anywhere, no walk needed
    type_info = TypeInfo(schema)
    finder = _VariableLists(type_info, variables, limit)
    visit(document, TypeInfoVisitor(type_info, finder))
    return finder.found
