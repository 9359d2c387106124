"""Size limits checked right after parsing, before validation runs at all.

Validation is the expensive step for a hostile document: graphql-core compares every pair
of fields that share a response name, so 300 copies of one field took 3.9 s and 400 aliased
`trackOrder` fields 0.4 s of CPU, during which nothing else of the process ran. These
linear walks refuse such documents first:

- aliases, each fragment counted every time it is spread (MAX_ALIASES_EXCEEDED);
- fields as written plus fragment spreads (MAX_FIELDS_EXCEEDED);
- fields sharing one response name in one selection set (MAX_FIELD_REPEATS_EXCEEDED), the
  quadratic case.

The token limit (MAX_TOKENS_EXCEEDED) is enforced earlier, by the parser. A refused
document is charged to the caller's budget (see `Hardening`).
"""

from collections import Counter
from typing import Any

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

from parcelgraph.schema.hardening.cost import fragments_of
from parcelgraph.schema.hardening.limits import Limits, _Counter, operations_of, refusal

# Codes of documents refused for their size or shape: each costs the caller a penalty.
REFUSED_DOCUMENT_CODES = frozenset(
    {
        "MAX_TOKENS_EXCEEDED",
        "MAX_ALIASES_EXCEEDED",
        "MAX_FIELDS_EXCEEDED",
        "MAX_FIELD_REPEATS_EXCEEDED",
        "MAX_DEPTH_EXCEEDED",
    }
)


def _selection_sets(document: DocumentNode) -> list[SelectionSetNode]:
    """Every selection set of the document as written (iterative: no recursion limit)."""
    found: list[SelectionSetNode] = []
    pending = [
        d.selection_set for d in document.definitions if isinstance(d, ExecutableDefinitionNode)
    ]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        found.append(current)
        for selection in current.selections:
            if isinstance(selection, FieldNode | InlineFragmentNode):
                pending.append(selection.selection_set)
    return found


def _shape(document: DocumentNode) -> tuple[int, int]:
    """Fields plus spreads as written, and the most fields sharing a response name."""
    fields = 0
    most_repeated = 0
    for selection_set in _selection_sets(document):
        names: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields += 1
                names[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, FragmentSpreadNode):
                fields += 1
        if names:
            most_repeated = max(most_repeated, max(names.values()))
    return fields, most_repeated


def size_refusal(document: DocumentNode, limits: Limits) -> GraphQLError | None:
    """The first size limit `document` exceeds, as a refusal; None when it is within all."""
    operations = operations_of(document)
    counter = _Counter(fragments_of(document))
    aliases = sum(counter.aliases(op.selection_set) for op in operations)
    if aliases > limits.max_aliases:
        return aliases_refusal(aliases, limits.max_aliases)
    fields, repeated = _shape(document)
    if fields > limits.max_fields:
        return refusal(
            f"The document has {fields} fields and fragment spreads; the maximum is "
            f"{limits.max_fields}.",
            "MAX_FIELDS_EXCEEDED",
            fields=fields,
            limit=limits.max_fields,
        )
    if repeated > limits.max_field_repeats:
        return refusal(
            f"One selection asks for the same field {repeated} times; the maximum is "
            f"{limits.max_field_repeats}. Use aliases for different arguments.",
            "MAX_FIELD_REPEATS_EXCEEDED",
            repeats=repeated,
            limit=limits.max_field_repeats,
        )
    return None


def aliases_refusal(aliases: int, limit: int, node: Any = None) -> GraphQLError:
    """The MAX_ALIASES_EXCEEDED error."""
    return refusal(
        f"The document uses {aliases} aliases (fragments counted where spread); the maximum "
        f"is {limit}.",
        "MAX_ALIASES_EXCEEDED",
        node,
        aliases=aliases,
        limit=limit,
    )
